// Cisco ASA running configuration (single context): the SSH session, local accounts and
// redaction. `more system:running-config` shows what `show running-config` masks.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle, type CiscoRedaction } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile } from '../lib/secrets/grammar.js';
import { asaSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `fw1>`, `fw1#`, multi-context `fw1/admin#`; a leading `\r` is handled before matching.
  prompt: /^[\w.@()/:-]+[#>]\s?$/,
  setup: ['terminal pager 0'],
  configCommands: ['more system:running-config'],
  enable: 'secret',
  privileged: /#\s?$/,
  more: /<--- More --->\s*$/,
  errors: [/^ERROR: /m, /^% ?Invalid input/m, /^Command authorization failed/m],
  volatile: [/^: Written by .*$/gm, /^Cryptochecksum:\S*[ \t]*$/gm],
  complete: /^: end[ \t]*$/m,
};

const OPTIONS: CiscoRedaction = { matcher: compile([asaSecrets, genericSecrets]) };

export function redact(configText: string): string {
  return redactCiscoStyle(configText, OPTIONS);
}

const redactLine = (line: string): string => redactCiscoLine(line, OPTIONS);

/**
 * `username NAME password HASH {encrypted|pbkdf2|nt-encrypted} [privilege P]` or `username NAME
 * nopassword`. A `username NAME attributes` block is not an account: it only adds its lines (and
 * a service type or SSH key) to an account defined elsewhere.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  const attributes = new Map<string, string[]>();
  let block: string[] | undefined;
  for (const line of splitLines(configText)) {
    if (block && /^\s/.test(line)) {
      block.push(line);
      continue;
    }
    block = undefined;
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[2]!;
    if (/^\s+attributes\s*$/.test(rest)) {
      block = [line];
      attributes.set(m[1]!, block);
      continue;
    }
    const account = book.add(m[1]!, line);
    const privilege = /\sprivilege\s+(\d+)/.exec(rest);
    if (privilege) account.privilege = privilege[1]!;
    if (/\spassword\s/.test(rest)) addCredential(account, 'password');
    else if (/\snopassword\b/.test(rest)) addCredential(account, 'none');
  }
  for (const [name, lines] of attributes) {
    if (!book.has(name)) continue;
    const account = book.add(name);
    for (const line of lines) {
      account.lines.push(redactLine(line).trimEnd());
      const service = /^\s+service-type\s+(\S+)/.exec(line);
      if (service) addRole(account, service[1]!);
      if (/^\s+ssh authentication publickey\s/.test(line)) addCredential(account, 'key');
    }
  }
  return book.all();
}

/** Numeric levels only; `username x password` without a level is level 2. */
export const privileges: PrivilegeScheme = { defaultPrivilege: '2' };
