// HPE Aruba AOS-CX configuration (`show running-config`): the SSH session, local users and the
// secret grammar. Sources: the Oxidized recordings `aoscx#*` (test/corpus/ssh-sessions), Oxidized's
// aoscx.rb, Netmiko's ArubaCxSSH (docs/notes/platforms.md, "HPE Aruba AOS-CX").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import {
  AccountBook,
  addCredential,
  addRole,
  redactPrivateKeyBlocks,
  splitLines,
} from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, redactWith, type Matcher } from '../lib/secrets/grammar.js';
import { aoscxSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `TEST_SW123# `, `oxid-ized-42-sw12# `, `Switch-cx> `; some releases print `\r` before it.
  prompt: /^\r?[\w.-]{1,64}(?:\([\w./-]+\))?[#>] ?$/,
  setup: ['no page'],
  configCommands: ['show running-config'],
  enable: 'plain',
  privileged: /#\s?$/,
  more: /--MORE--|Press any key to continue\s*$/,
  // Stacks ask which member to reach (aoscx.rb answers with Enter).
  answers: [{ prompt: /Enter switch number.*$/i, send: '\n' }],
  errors: [/^Invalid input: /m, /^% Command incomplete/m, /^Unknown command\./m],
  volatile: [],
};

/** AOS-CX's forms and the generic ones. */
const AOSCX: Matcher = compile([aoscxSecrets, genericSecrets]);

export function redactLine(line: string): string {
  return redactWith(AOSCX, line);
}

export function redact(configText: string): string {
  return redactPrivateKeyBlocks(splitLines(configText)).map(redactLine).join('\n');
}

/**
 * `user NAME group G password ciphertext X` (one line per user: the group is its role, the
 * password reversibly encrypted) and `user NAME authorized-key TYPE KEY COMMENT` (a key), merged by
 * name.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const m = /^user\s+(\S+)\s+(group|authorized-key|password)\b(.*)$/.exec(line);
    if (!m) continue;
    const account = book.add(m[1]!, line);
    if (m[2] === 'authorized-key') {
      addCredential(account, 'key');
      continue;
    }
    const group = /(?:^|\s)group\s+(\S+)/.exec(m[2] === 'group' ? `group${m[3]}` : m[3]!);
    if (group) addRole(account, group[1]!);
    if (/\bpassword\s/.test(line)) addCredential(account, 'password');
  }
  return book.all();
}

/** The built-in groups: `administrators` full, `operators` read-only, `auditors` logs only. */
export const privileges: PrivilegeScheme = {
  roleRanks: { administrators: 15, operators: 1, auditors: 1 },
  roleWord: 'group',
};
