// Huawei VRP configuration (`display current-configuration`): the SSH session, local accounts in
// the `aaa` view and the secret grammar. Sources: the CE5810 configuration in
// test/corpus/configs/huawei-vrp, Oxidized's vrp.rb, Netmiko's HuaweiSSH, Huawei's command
// references (docs/notes/platforms.md, "Huawei VRP").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import {
  AccountBook,
  addCredential,
  addRole,
  redactPrivateKeyBlocks,
  splitLines,
} from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { S, VALUE, compile, form, redactWith, rx, type Matcher } from '../lib/secrets/grammar.js';
import { vrpSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // User view `<CE-core>`; system view `[CE-core]`, CE two-stage `[~CE-core]` and, with changes not
  // committed, `[*CE-core]`. A whole line, so `[~HUAWEI]display …` (an echo) never is one. A USG
  // firewall in a hot-standby pair names its role first: `HRP_M<fw1>`, `HRP_S[fw1]`, `HRP_A<fw1>`
  // (as read from a USG6500E V600R007C20SPC100, scrapli_community #145; netmiko #326, #440).
  prompt: /^(?:HRP_[A-Z])?(?:<[^\s<>]{1,255}>|\[[~*]?[^\s[\]]{1,255}\])\s?$/,
  setup: ['screen-length 0 temporary'],
  configCommands: ['display current-configuration'],
  more: /\s*---- More ----\s*$/,
  answers: [
    // First login with an expired or initial password (Netmiko HuaweiSSH answers N).
    { prompt: /Change now\? ?\[Y\/N\]:?\s*$/i, send: 'N\n' },
  ],
  // `Error: …`, and as CE releases number them, `Error[1]: Unrecognized command …`, `Error:Too many
  // parameters …` (as gnetcli's Huawei tests have them).
  errors: [/^Error(?:\[\d+\])?:/m],
  volatile: [
    // Rewritten on every commit and save, with the time and the user.
    /^!Last configuration was (?:updated|saved) at .*$/gm,
  ],
  complete: /^return[ \t]*$/m,
};

/**
 * A bare `cipher|simple X` (`authentication-mode simple plain X`, `super password level 15 cipher X`
 * are the grammar's): in a configuration line the type word starts a value, but not in the SSH
 * algorithm lists (`ssh server cipher aes256_ctr …`), nor in prose of a log line.
 */
const BARE_TYPE = form(['cipher', 'simple'], rx()`(?<!\b(?:ssh|stelnet)${S}(?:server|client)${S})(?<![\w-])(?:cipher|simple)${S}${VALUE()}`);

/** VRP's forms, the configuration-only bare type word, and the generic forms. */
const VRP: Matcher = compile([vrpSecrets, [BARE_TYPE], genericSecrets]);

/** One line of VRP configuration, or one typed command, with every secret replaced. */
export function redactLine(line: string): string {
  return redactWith(VRP, line);
}

export function redact(configText: string): string {
  return redactPrivateKeyBlocks(splitLines(configText)).map(redactLine).join('\n');
}

/** The attributes `local-user NAME …` sets; anything else after `local-user` (`policy …`) is no account. */
const ATTRIBUTES = new Set([
  'password', 'privilege', 'level', 'service-type', 'state', 'user-group', 'access-limit', 'idle-timeout',
  'ftp-directory', 'expire-date', 'time-range', 'password-force-change', 'device-type', 'user-type',
]);

/** `local-user NAME ATTRIBUTE …` → the name and the attribute, when it is an account line. */
export function localUserLine(text: string): { name: string; attribute: string; rest: string[] } | undefined {
  const m = /^\s*local-user\s+(\S+)\s+(\S+)(.*)$/.exec(text);
  if (!m || !ATTRIBUTES.has(m[2]!)) return undefined;
  return { name: m[1]!, attribute: m[2]!, rest: m[3]!.trim().split(/\s+/).filter(Boolean) };
}

/** The level `privilege level N` / `level N` sets, when the words say one. */
export function levelOf(attribute: string, rest: readonly string[]): string | undefined {
  const value = attribute === 'level' ? rest[0] : attribute === 'privilege' && rest[0] === 'level' ? rest[1] : undefined;
  return value !== undefined && /^(?:[0-9]|1[0-5])$/.test(value) ? value : undefined;
}

/** `ssh user NAME [ATTRIBUTE …]` (VRP quotes a name only some releases need quoted). */
const SSH_USER = /^\s?ssh\s+user\s+("[^"]*"|\S+)(?:\s+(.*?))?\s*$/;
/** A public key (or a certificate's PKI domain) bound to an SSH user: `assign rsa-key K`, `dsa-key`, `ecc-key`, `sm2-key`, `pki`. */
const ASSIGNED_KEY = /^assign\s+(?:(?:rsa|dsa|ecc|sm2)-key|pki)\s+\S/;

interface SshUser {
  lines: string[];
  key: boolean;
  authentication?: string;
}

/**
 * The accounts of the `aaa` view: `local-user NAME password irreversible-cipher X` (a one-way
 * hash: `secret`), `… password cipher|simple X` (recoverable or clear: `password`), `… privilege
 * level N` or `… level N`, `… user-group G` (the role); every line of one name merged, wherever
 * in the view it stands. And the SSH users (`ssh user NAME …`, outside the view): one with a key
 * bound (`assign rsa-key K`) logs in with it unless its `authentication-type` is `password` alone,
 * and needs no local user to — "for the RSA authentication, username is the SSH local user name, so
 * that there is no need to configure a local user in AAA" (Huawei Quidway S5600 operation manual,
 * SSH terminal services) — so it is an account of its own (`key`), or adds `key` to its local
 * user's. With `ssh authorization-type default root` an SSH user's level is not its local user's:
 * "the privilege level is the maximum value, 15 or 3" (NetEngine command reference, `ssh
 * authorization-type default`); the default, `aaa`, leaves it the AAA view's.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  const sshUsers = new Map<string, SshUser>();
  let rootAuthorization = false;
  let inAaa = false;
  for (const line of splitLines(configText)) {
    if (/^\S/.test(line)) inAaa = /^aaa\s*$/.test(line);
    if (!inAaa) {
      const ssh = SSH_USER.exec(line);
      if (ssh) {
        const name = ssh[1]!.replace(/^"(.*)"$/, '$1');
        const rest = ssh[2] ?? '';
        const user = sshUsers.get(name) ?? { lines: [], key: false };
        sshUsers.set(name, user);
        user.lines.push(line);
        if (ASSIGNED_KEY.test(rest)) user.key = true;
        const type = /^authentication-type\s+(\S+)/.exec(rest);
        if (type) user.authentication = type[1]!;
      } else if (/^\s?ssh\s+authorization-type\s+default\s+root\s*$/.test(line)) {
        rootAuthorization = true;
      }
      continue;
    }
    const l = localUserLine(line);
    if (!l) continue;
    const account = book.add(l.name, line);
    const level = levelOf(l.attribute, l.rest);
    if (level !== undefined) account.privilege = level;
    if (l.attribute === 'user-group' && l.rest[0]) addRole(account, l.rest[0]);
    if (l.attribute === 'password') addCredential(account, l.rest[0] === 'irreversible-cipher' ? 'secret' : 'password');
  }
  for (const [name, user] of sshUsers) {
    const keyLogin = user.key && user.authentication !== 'password';
    if (!keyLogin && !book.has(name)) continue;
    const account = book.add(name);
    for (const line of user.lines) account.lines.push(redactLine(line).trimEnd());
    if (keyLogin) addCredential(account, 'key');
    if (rootAuthorization) account.privilege = '15';
  }
  return book.all();
}

/**
 * Levels 0–15, the same scale as aaawatch's; a local user with no level holds level 0. Levels 3–15
 * are all the management level by default (Huawei's configuration guides: user management, level
 * setting, file system, debugging), so level 3 is full administration, though it ranks below 15.
 */
export const privileges: PrivilegeScheme = { defaultPrivilege: '0', roleWord: 'user group', administrativeLevel: 3 };
