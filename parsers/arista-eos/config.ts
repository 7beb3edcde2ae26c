// Arista EOS running configuration: the SSH session, local accounts and redaction. EOS logins
// often need keyboard-interactive (src/pull offers it whenever a password is configured).

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';

export const ssh: SessionProfile = {
  prompt: /^[\w.@()/:-]+[#>]\s?$/,
  // `| no-more` on the command itself: EOS then never pages, whatever the terminal length.
  setup: [],
  configCommands: ['show running-config | no-more | exclude ! Time:'],
  enable: 'secret',
  privileged: /#\s?$/,
  errors: [/^% ?Invalid input/m, /^% ?Incomplete command/m, /^% ?Ambiguous command/m, /^% ?Authorization denied/m],
  volatile: [/^! Time: .*$/gm],
  complete: /^end[ \t]*$/m,
};

export function redact(configText: string): string {
  return redactCiscoStyle(configText);
}

const redactLine = (line: string): string => redactCiscoLine(line);

/**
 * `username NAME [privilege P] [role R] {secret [0|5|sha512] S | nopassword}`, with keys on their
 * own `username NAME ssh-key …` lines; all lines of a name are one account. `aaa root secret
 * [5|sha512] S` (or `aaa root nopassword`) is the `root` account's: EOS's Linux superuser, which
 * logs in only once this gives it a password or none (`no aaa root`, the default, leaves it
 * without a login), and then holds every right a level could grant.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const root = /^aaa\s+root\s+(secret|nopassword)\b/.exec(line);
    if (root) {
      const account = book.add('root', line);
      account.privilege = '15';
      addCredential(account, root[1] === 'secret' ? 'secret' : 'none');
      continue;
    }
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const account = book.add(m[1]!, line);
    const rest = m[2]!;
    const privilege = /\sprivilege\s+(\d+)/.exec(rest);
    if (privilege) account.privilege = privilege[1]!;
    const role = /\srole\s+(\S+)/.exec(rest);
    if (role) addRole(account, role[1]!);
    if (/\ssecret\s/.test(rest)) addCredential(account, 'secret');
    else if (/\snopassword\b/.test(rest)) addCredential(account, 'none');
    if (/\sssh-key\s/.test(rest)) addCredential(account, 'key');
  }
  return book.all();
}

/** Built-in roles: network-admin (everything), network-operator (read-only); a user without a level is level 1. */
export const privileges: PrivilegeScheme = {
  roleRanks: { 'network-admin': 15, 'network-operator': 1 },
  defaultPrivilege: '1',
  oneRole: true,
};
