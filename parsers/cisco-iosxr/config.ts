// Cisco IOS-XR running configuration: the SSH session, local accounts and redaction.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle, type CiscoRedaction } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';

export const ssh: SessionProfile = {
  // `RP/0/RSP0/CPU0:pe1#`.
  prompt: /^(?:RP\/\d+\/[\w]+\/CPU\d+:)?[\w.@()/-]+#\s?$/,
  setup: ['terminal length 0', 'terminal width 0', 'terminal exec prompt no-timestamp'],
  configCommands: ['show running-config'],
  errors: [/^% ?Invalid input/m, /^% ?Incomplete command/m, /^% ?This command is not authorized/m, /^% ?Ambiguous command/m],
  volatile: [
    /^Building configuration\.\.\.[ \t]*$/gm,
    /^!! Last configuration change at .*$/gm,
    // The stamp XR prints before every command's output unless told not to.
    /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d+ \d\d:\d\d:\d\d(?:\.\d+)? \S+[ \t]*$/gm,
  ],
  complete: /^end[ \t]*$/m,
};

// XR's `key-string password 0822…` (key chains, the word after `key-string` a type) is in the generic grammar.
const OPTIONS: CiscoRedaction = {};

export function redact(configText: string): string {
  return redactCiscoStyle(configText, OPTIONS);
}

/**
 * Block form: `username NAME`, then indented ` group G` (one per group), ` secret 10 $6$…` or
 * ` password 7 …`; `usergroup` blocks define groups, not accounts.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook((line) => redactCiscoLine(line, OPTIONS));
  let current: ReturnType<typeof book.add> | undefined;
  for (const line of splitLines(configText)) {
    if (/^\S/.test(line)) {
      const m = /^username\s+(\S+)\s*$/.exec(line);
      current = m ? book.add(m[1]!, line) : undefined;
      continue;
    }
    if (!current) continue;
    current.lines.push(redactCiscoLine(line, OPTIONS).trimEnd());
    const group = /^\s+group\s+(\S+)/.exec(line);
    if (group) addRole(current, group[1]!);
    if (/^\s+secret\s/.test(line)) addCredential(current, 'secret');
    else if (/^\s+password\s/.test(line)) addCredential(current, 'password');
  }
  return book.all();
}

/**
 * Built-in user groups: root-system > root-lr > netadmin, sysadmin, cisco-support > serviceadmin >
 * operator, retrieve, read-only-tg (read-only). root-lr executes every command of its SDR (Cisco's IOS XR
 * Getting Started Guide: "the highest level of privileges in an SDR"), which on a router not
 * partitioned into SDRs is the router, and it is the top XR group on 64-bit IOS XR: full
 * administration, though root-system ranks above it.
 *
 * `maintenance` and `provisioning` are left unranked: Cisco's tables of predefined user groups
 * found (the Getting Started Guide's "Predefined User Group Descriptions", the `users group` and
 * `usergroup` command references, the CRS-1 guide) list root-system, root-lr, sysadmin, netadmin,
 * operator, cisco-support and serviceadmin only, and none says what these two may do. A rank would
 * be a guess that could hide an excess either way (ranked low, a roster allowing operator would
 * allow them; ranked high, a roster allowing them would allow netadmin), so they are held as a
 * custom group is: allowed only where the roster names them, and beyond any roster that does not.
 */
export const privileges: PrivilegeScheme = {
  superuser: /^root-(?:lr|system)$/,
  roleRanks: {
    'root-system': 15, 'root-lr': 14, netadmin: 12, sysadmin: 11, 'cisco-support': 11, serviceadmin: 10,
    // read-only-tg reads every task and writes none: read-only, as Junos read-only and RouterOS read
    // rank (1), not 0, which is no access (a roster allowing privilege 0 allowed it).
    operator: 1, retrieve: 1, 'read-only-tg': 1,
  },
  roleWord: 'group',
};
