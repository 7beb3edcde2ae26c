// What a Cisco-style CLI command does to the local accounts (IOS/IOS-XE, NX-OS, EOS): the
// `username` and `enable secret|password` commands, read token by token. Only a command whose
// first word is `username` (or `no username`, `enable`) is an account change: `show running-config
// | include username`, `show users`, a user named `aaa` or a hostname containing "username" are not.
// Syntax per ../shared/notes/config-pull.md §4.

import type { AccountChange } from './record.js';

export type Dialect = 'ios' | 'nxos' | 'eos';

/** Keywords that give an account a way to log in. */
const CREDENTIALS = new Set(['password', 'secret', 'nopassword', 'sshkey', 'ssh-key', 'passphrase']);
/** Keywords that only grant rights: a command with nothing else changes privilege, not credentials. */
const RIGHTS = new Set(['privilege', 'role', 'view']);
/** The encryption type between `password`/`secret` and its value (`secret 9 $9$…`, `secret sha512 $6$…`). */
const HASH_TYPE = /^(?:0|4|5|6|7|8|9|10|sha512|sha256|md5|encrypted)$/;

/** The account change a configuration command makes, or undefined when it makes none. */
export function ciscoAccountChange(command: string, dialect: Dialect): AccountChange | undefined {
  const t = command.trim().split(/\s+/);
  let i = 0;
  const negated = t[0]?.toLowerCase() === 'no';
  if (negated) i++;
  const verb = t[i]?.toLowerCase();
  if (verb === 'enable') {
    const what = t[i + 1]?.toLowerCase();
    if (what !== 'secret' && what !== 'password') return undefined;
    // The enable secret is the shared privileged-mode credential: a password change on no named user.
    return { action: 'password.change', target: 'enable', technique: 'T1098' };
  }
  if (verb !== 'username') return undefined;
  const target = t[i + 1];
  if (!target) return undefined;
  const rest = t.slice(i + 2).map((x) => x.toLowerCase());
  if (negated) {
    // IOS removes the account whatever follows; NX-OS and EOS remove only the named attribute
    // (`no username bob role network-operator`, `no username bob ssh-key`).
    if (rest.length === 0 || dialect === 'ios') return { action: 'account.delete', target, technique: 'T1531' };
    return { action: 'account.modify', target, technique: 'T1098' };
  }
  const change: AccountChange = { action: 'account.set', target, technique: 'T1136.001' };
  let credential = false;
  let other = false;
  for (let k = 0; k < rest.length; k++) {
    const w = rest[k]!;
    if (RIGHTS.has(w)) {
      const value = t[i + 2 + k + 1];
      if (value !== undefined) {
        if (w === 'privilege') change.privilege = value;
        else change.role ??= value;
        k++;
      }
    } else if (w === 'password' || w === 'secret') {
      // `password [type] value`: skip the value so a role after it (NX-OS) is still read.
      credential = true;
      if (HASH_TYPE.test(rest[k + 1] ?? '')) k++;
      k++;
    } else if (CREDENTIALS.has(w)) {
      credential = true;
      if (w !== 'nopassword') break; // a key or passphrase runs to the end of the line
    } else {
      other = true;
    }
  }
  if (!credential && !other && (change.privilege || change.role)) change.technique = 'T1098';
  return change;
}
