// VyOS configuration (`show configuration commands`): the SSH session, login users and the
// secret grammar of `set` commands. Sources: the Oxidized recording `vyos#Supermicro_1.4.3` and its
// #secret.yaml, Oxidized's vyos.rb, VyOS documentation (docs/notes/platforms.md, "VyOS").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, addCredential, addRole, redactPrivateKeyBlocks, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, redactWith, type Matcher } from '../lib/secrets/grammar.js';
import { vyosSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `vyos@fw1:~$ `, `user.name@fw1:~$ ` (operational mode); `username@fw1> ` on older releases.
  prompt: /^[\w.@-]{1,64}@[\w.-]{1,64}(?::~\$|>) ?$/,
  // `| no-more` keeps the configuration off the pager; no terminal setting is changed.
  setup: [],
  configCommands: ['show configuration commands | no-more'],
  errors: [/^\s*Invalid command: /m, /^Configuration path: .* is not valid/m, /^\s*Incomplete command: /m],
  volatile: [],
};

/** VyOS's forms and the generic ones. */
const VYOS: Matcher = compile([vyosSecrets, genericSecrets]);

export function redactLine(line: string): string {
  return redactWith(VYOS, line);
}

export function redact(configText: string): string {
  return redactPrivateKeyBlocks(splitLines(configText)).map(redactLine).join('\n');
}

const unquoted = (s: string): string => s.replace(/^'(.*)'$/, '$1');

/**
 * `set system login user NAME …`: `authentication encrypted-password` (a crypt hash: `secret`),
 * `authentication plaintext-password` (`password`, when not empty), `authentication public-keys K
 * key` (`key`), `level admin|operator` (older releases: the role); every line of one name merged.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const m = /^set system login user ('[^']*'|\S+)(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const account = book.add(unquoted(m[1]!), line);
    const rest = m[2] ?? '';
    if (/^authentication encrypted-password\s/.test(rest)) addCredential(account, 'secret');
    else if (/^authentication plaintext-password\s+(?!''$)\S/.test(rest)) addCredential(account, 'password');
    else if (/^authentication public-keys \S+ key\s/.test(rest)) addCredential(account, 'key');
    const level = /^level\s+'?(admin|operator)'?$/.exec(rest);
    if (level) addRole(account, level[1]!);
  }
  return book.all();
}

/**
 * VyOS 1.2 had `level admin|operator`; current releases have none, and every login user can
 * configure the system (VyOS documentation, "user management"), so a user with no level ranks 15.
 */
export const privileges: PrivilegeScheme = { roleRanks: { admin: 15, operator: 1 }, defaultPrivilege: '15', roleWord: 'level' };
