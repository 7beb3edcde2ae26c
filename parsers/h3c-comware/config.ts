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

/**
 * `local-user NAME [class manage]` and the indented lines under it: `password hash|cipher X`
 * (`secret` for a hash, `password` otherwise), `authorization-attribute user-role R` (roles, an
 * account may hold several), Comware 5's `authorization-attribute level N` (privilege). `class
 * network` users are access users (PPP, portal, LAN): not administrators, not read.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  let current: LocalAccount | undefined;
  for (const line of splitLines(configText)) {
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
  return book.all();
}

/** Comware 7 roles; `level-N` roles carry their level; a manage user with no role is a network-operator. */
export const privileges: PrivilegeScheme = {
  roleRanks: { 'network-admin': 15, 'mdc-admin': 15, 'context-admin': 15, 'network-operator': 1, 'security-audit': 1, 'guest-manager': 1 },
  numberedRole: /^level-(\d{1,2})$/,
  defaultRole: 'network-operator',
  roleWord: 'user role',
};
