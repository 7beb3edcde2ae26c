// VyOS configuration (`show configuration commands`): the SSH session, login users and the
// secret grammar of `set` commands. Sources: the Oxidized recording `vyos#Supermicro_1.4.3` and its
// #secret.yaml, Oxidized's vyos.rb, VyOS documentation (docs/notes/platforms.md, "VyOS").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, addCredential, addRole, applyRules, redactPrivateKeyBlocks, redactUnambiguous, splitLines } from '../lib/config-text.js';

export const ssh: SessionProfile = {
  // `vyos@fw1:~$ `, `user.name@fw1:~$ ` (operational mode); `username@fw1> ` on older releases.
  prompt: /^[\w.@-]{1,64}@[\w.-]{1,64}(?::~\$|>) ?$/,
  // `| no-more` keeps the configuration off the pager; no terminal setting is changed.
  setup: [],
  configCommands: ['show configuration commands | no-more'],
  errors: [/^\s*Invalid command: /m, /^Configuration path: .* is not valid/m, /^\s*Incomplete command: /m],
  volatile: [],
};

const VALUE = String.raw`('[^']*'|"[^"]*"|\S+)`;

/** Each rule keeps its first group and replaces the value after it. */
const RULES: readonly RegExp[] = [
  // `authentication encrypted-password '$6$…'`, `plaintext-password ''`, BGP/VRRP `password 'X'`,
  // WireGuard `preshared-key` and `private-key`, IPsec PSK `secret 'X'`, OSPF `md5-key`, RADIUS
  // and TACACS+ `key 'X'` on a server.
  new RegExp(String.raw`(\b(?:encrypted-password|plaintext-password|password|preshared-key|private-key|secret|md5-key|auth-key)\s+)${VALUE}`, 'g'),
  // PKI `private key 'X'` (two words).
  new RegExp(String.raw`(\bprivate key\s+)${VALUE}`, 'g'),
  new RegExp(String.raw`(\b(?:radius|tacacs)\s+server\s+\S+\s+key\s+)${VALUE}`, 'g'),
  // SNMP: the community is a node name (`service snmp community snmppublic authorization 'ro'`)
  // and a value (`trap-target H community 'snmppublic'`): the word after `community` either way.
  new RegExp(String.raw`(\bcommunity\s+)${VALUE}`, 'g'),
];

export function redactLine(line: string): string {
  return redactUnambiguous(applyRules(line, RULES));
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
