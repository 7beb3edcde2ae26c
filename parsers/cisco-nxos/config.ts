// Cisco NX-OS running configuration: the SSH session, local accounts and redaction (IOS syntax
// for secrets, so the Cisco-family rules apply).

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';

export const ssh: SessionProfile = {
  prompt: /^[\w.@()/:-]+#\s?$/,
  setup: ['terminal length 0'],
  configCommands: ['show running-config'],
  errors: [/^% ?Invalid (?:command|input|parameter)/m, /^% ?Incomplete command/m, /^% ?Permission denied/m, /^% ?Ambiguous command/m],
  volatile: [/^!Time: .*$/gm, /^!Running configuration last done at: .*$/gm],
};

export function redact(configText: string): string {
  return redactCiscoStyle(configText);
}

const redactLine = (line: string): string => redactCiscoLine(line);

/**
 * `username NAME password 5 HASH role ROLE`, plus further `username NAME role ROLE` lines (one
 * per extra role), `username NAME sshkey …`; `password 5 !` is an account without a password.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const account = book.add(m[1]!, line);
    const rest = m[2]!;
    for (const role of rest.matchAll(/\srole\s+(\S+)/g)) addRole(account, role[1]!);
    const password = /\spassword(?:\s+\d)?\s+(\S+)/.exec(rest);
    if (password) addCredential(account, password[1] === '!' ? 'none' : 'password');
    if (/\ssshkey\s/.test(rest)) addCredential(account, 'key');
    const privilege = /\spriv-lvl\s+(\d+)/.exec(rest);
    if (privilege) account.privilege = privilege[1]!;
  }
  return book.all();
}

/**
 * Built-in roles: network-admin (everything), vdc-admin (everything in its VDC), network-operator
 * and vdc-operator (read-only); priv-0 … priv-15 mirror IOS levels. A user without a role is
 * network-operator. vdc-admin is full administration though it ranks below network-admin: "You
 * must have the network-admin or vdc-admin role to create user accounts in a VDC" (Cisco Nexus 7000
 * NX-OS Virtual Device Context Configuration Guide, VDC management), and a switch of one VDC is
 * that VDC — "The Cisco Nexus 9000 Series switches support a single VDC due to which the vdc-admin
 * has the same privileges and limitations as the network-admin" (Cisco Nexus 9000 NX-OS Security
 * Configuration Guide, Configuring User Accounts and RBAC, User Roles).
 */
export const privileges: PrivilegeScheme = {
  superuser: /^vdc-admin$/,
  roleRanks: { 'network-admin': 15, 'vdc-admin': 14, 'network-operator': 1, 'vdc-operator': 1 },
  numberedRole: /^priv-(\d{1,2})$/,
  defaultRole: 'network-operator',
};
