// H3C Comware (and HPE Comware switches) configuration (`display current-configuration`): the SSH
// session, local users and the secret grammar. Sources: the Oxidized recording
// `h3c#5130-48G_7.1.070`, Oxidized's h3c.rb and comware.rb, HPE/H3C command references
// (docs/notes/platforms.md, "H3C Comware").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { COMWARE5_LEVEL } from '../lib/comware-level.js';
import { AccountBook, addCredential, addRole, redactPrivateKeyBlocks, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, redactWith, type Matcher } from '../lib/secrets/grammar.js';
import { comwareSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `<sw1>` (user view), `[sw1]` (system view); a leading NUL and a trailing BEL on some releases (comware.rb).
  // A SecPath firewall of an RBM pair names its role first, `RBM_P<fw1>`, `RBM_S[fw1]` (as the H3C
  // drivers of netdriver and others read it). A device in mmi-mode puts `(M)` before it: `(M)<sw1>`.
  prompt: /^\0*(?:RBM_[A-Z]|\(M\))?[<[][\w.-]{1,64}[>\]]\x07?\s?$/,
  setup: ['screen-length disable'],
  configCommands: ['display current-configuration'],
  more: /\s*---- More ----\s*$/,
  answers: [{ prompt: /Press Y or ENTER to continue, N to exit\.?\s*$/, send: '\n' }],
  errors: [/^\s*% (?:Unrecognized command|Incomplete command|Too many parameters|Wrong parameter)/m],
  volatile: [],
};

/** Comware's forms and the generic ones. */
const COMWARE: Matcher = compile([comwareSecrets, genericSecrets]);

export function redactLine(line: string): string {
  return redactWith(COMWARE, line);
}

export function redact(configText: string): string {
  return redactPrivateKeyBlocks(splitLines(configText)).map(redactLine).join('\n');
}

/** `ssh user NAME …` (one space before it in `display current-configuration`, none as typed). */
const SSH_USER = /^ ?ssh\s+user\s+(\S+)\s+(.*?)\s*$/;
/**
 * The methods that take a key (or a certificate of a PKI domain): `publickey`, `password-publickey`
 * (both) and `any` (either) — "If the authentication method is publickey, password-publickey, or any,
 * you must specify a client's host public key or digital certificate" (HPE Comware 7 security
 * configuration guides, "Configuring an SSH user").
 */
const KEY_METHODS = new Set(['publickey', 'password-publickey', 'any']);

interface SshUser {
  lines: string[];
  method?: string;
}

/**
 * `local-user NAME [class manage]` and the indented lines under it: `password hash|cipher X`
 * (`secret` for a hash, `password` otherwise), `authorization-attribute user-role R` (roles, an
 * account may hold several), Comware 5's `authorization-attribute level N` (privilege). `class
 * network` users are access users (PPP, portal, LAN): not administrators, not read. And the SSH
 * users: `ssh user NAME service-type S authentication-type M [assign publickey K … | assign
 * pki-domain D]` (Comware 7, one line; Comware 5 gives `authentication-type` and `assign` lines of
 * their own). One whose method takes a key logs in with it (`key`): it adds `key` to the local user
 * of its name, which gives it its roles ("For an SSH login user who uses publickey or
 * password-publickey authentication, the device assigns the user roles specified for the local
 * device management user with the same name", HPE Comware 7 fundamentals configuration guide, "User
 * roles"), or, with none, is an account of its own. A password-only SSH user is no account of its
 * own (AAA authenticates it), but its lines join its local user's.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  const sshUsers = new Map<string, SshUser>();
  let current: LocalAccount | undefined;
  for (const line of splitLines(configText)) {
    const ssh = SSH_USER.exec(line);
    if (ssh) {
      if (/^\S/.test(line)) current = undefined;
      const user = sshUsers.get(ssh[1]!) ?? { lines: [] };
      sshUsers.set(ssh[1]!, user);
      user.lines.push(line);
      const method = /(?:^|\s)authentication-type\s+(\S+)/.exec(ssh[2]!);
      if (method) user.method = method[1]!;
      continue;
    }
    if (/^\S/.test(line)) {
      current = undefined;
      const m = /^local-user\s+(\S+)(?:\s+class\s+(\S+))?/.exec(line);
      if (m && m[2] !== 'network') current = book.add(m[1]!, line);
      continue;
    }
    if (!current || !/^\s+\S/.test(line)) continue;
    current.lines.push(redactLine(line).trimEnd());
    const password = /^\s+password\s+(hash|cipher|simple)\s/.exec(line);
    if (password) addCredential(current, password[1] === 'hash' ? 'secret' : 'password');
    const role = /^\s+authorization-attribute\s+user-role\s+(\S+)/.exec(line);
    if (role) addRole(current, role[1]!);
    const level = /^\s+authorization-attribute\s+level\s+(\d)\b/.exec(line);
    if (level && COMWARE5_LEVEL[level[1]!]) current.privilege = COMWARE5_LEVEL[level[1]!]!;
  }
  for (const [name, user] of sshUsers) {
    const keyLogin = user.method !== undefined && KEY_METHODS.has(user.method);
    if (!keyLogin && !book.has(name)) continue;
    const account = book.add(name);
    for (const line of user.lines) account.lines.push(redactLine(line).trimEnd());
    if (keyLogin) addCredential(account, 'key');
  }
  return book.all();
}

/** Comware 7 roles; `level-N` roles carry their level; a manage user with no role is a network-operator. */
export const privileges: PrivilegeScheme = {
  roleRanks: { 'network-admin': 15, 'mdc-admin': 15, 'context-admin': 15, 'network-operator': 1, 'security-audit': 1, 'guest-manager': 1 },
  numberedRole: /^level-(\d{1,2})$/,
  defaultRole: 'network-operator',
  roleWord: 'user role',
};
