// Cisco IOS / IOS-XE running configuration: the SSH session, local accounts and redaction (the
// Cisco-syntax rules in parsers/lib/cisco-config.ts, which the other Cisco-syntax platforms share).

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';

export const ssh: SessionProfile = {
  // `LAB-SW123_9200L#`, `core-sw1>`; a whole line, so `description uplink#` inside a config never matches.
  prompt: /^[\w.@()/:-]+[#>]\s?$/,
  setup: ['terminal length 0', 'terminal width 0'],
  configCommands: ['show running-config'],
  enable: 'secret',
  privileged: /#\s?$/,
  more: /\s*--More--\s*$/,
  errors: [/^% ?Invalid input/m, /^% ?Incomplete command/m, /^% ?Ambiguous command/m, /^% ?Authorization failed/m, /^Command authorization failed/m],
  volatile: [
    /^Building configuration\.\.\.[ \t]*$/gm,
    /^Current configuration ?: \d+ bytes[ \t]*$/gm,
    /^! (?:Last configuration change|NVRAM config last updated) at .*$/gm,
    /^ntp clock-period \d+[ \t]*$/gm,
  ],
  complete: /^end[ \t]*$/m,
};


export function redact(configText: string): string {
  return redactCiscoStyle(configText);
}

const redactLine = (line: string): string => redactCiscoLine(line);

/**
 * `username NAME [privilege N] [view V] [algorithm-type T] {secret|password} [TYPE] VALUE |
 * nopassword`, every line of one name merged; keys from `ip ssh pubkey-chain` join the account.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  let inPubkeyChain = false;
  let pubkeyUser: LocalAccount | undefined;
  for (const line of splitLines(configText)) {
    if (/^\S/.test(line)) {
      inPubkeyChain = /^ip ssh pubkey-chain\b/.test(line);
      pubkeyUser = undefined;
    }
    if (inPubkeyChain) {
      const user = /^ {1,2}username\s+(\S+)/.exec(line);
      if (user) {
        pubkeyUser = book.add(user[1]!, line);
        continue;
      }
      if (pubkeyUser && /^\s+key-(?:hash|string)\b/.test(line)) {
        pubkeyUser.lines.push(redactLine(line).trimEnd());
        addCredential(pubkeyUser, 'key');
      }
      continue;
    }
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const account = book.add(m[1]!, line);
    const rest = m[2]!;
    const privilege = /\sprivilege\s+(\d+)/.exec(rest);
    if (privilege) account.privilege = privilege[1]!;
    const view = /\sview\s+(\S+)/.exec(rest);
    if (view) addRole(account, view[1]!);
    if (/\ssecret\s/.test(rest)) addCredential(account, 'secret');
    else if (/\spassword\s/.test(rest)) addCredential(account, 'password');
    else if (/\snopassword\b/.test(rest)) addCredential(account, 'none');
  }
  return book.all();
}

/** Numeric levels only (a `view` is custom, so unranked); `username x secret` without a level is level 1. */
export const privileges: PrivilegeScheme = { defaultPrivilege: '1' };
