// Cisco Firepower Threat Defense: the LINA running configuration read at the FTD CLISH prompt
// (`> `). FTD's own CLI users are managed by FMC/FDM (`configure user add`) and are not in this
// configuration; what is, is ASA syntax: `enable password`, `username NAME password X encrypted
// privilege N` (Oxidized's firelinuxos.rb secret rules). Sources: the Oxidized recordings
// `firelinuxos#*`, Netmiko's CiscoFtdSSH (docs/notes/platforms.md, "Cisco FTD and FXOS").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle, type CiscoRedaction } from '../lib/cisco-config.js';
import { AccountBook, addCredential, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile } from '../lib/secrets/grammar.js';
import { ftdSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // The CLISH prompt is a bare `> `: no hostname, no configuration mode (Netmiko: NoEnable, NoConfig).
  prompt: /^> ?$/,
  setup: [],
  configCommands: ['show running-config all'],
  errors: [/^Syntax error: /m, /^ERROR: /m, /^% ?Invalid input/m],
  volatile: [/^: Written by .*$/gm, /^Cryptochecksum:\S*[ \t]*$/gm, /^: (?:Serial Number|Hardware): .*$/gm],
  complete: /^: end[ \t]*$/m,
};

const OPTIONS: CiscoRedaction = { matcher: compile([ftdSecrets, genericSecrets]) };

export function redact(configText: string): string {
  return redactCiscoStyle(configText, OPTIONS);
}

const redactLine = (line: string): string => redactCiscoLine(line, OPTIONS);

/** `username NAME password HASH {encrypted|pbkdf2} [privilege P]`, `username NAME nopassword`. */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m || /^\s+attributes\s*$/.test(m[2]!)) continue;
    const account = book.add(m[1]!, line);
    const privilege = /\sprivilege\s+(\d+)/.exec(m[2]!);
    if (privilege) account.privilege = privilege[1]!;
    if (/\spassword\s/.test(m[2]!)) addCredential(account, 'password');
    else if (/\snopassword\b/.test(m[2]!)) addCredential(account, 'none');
  }
  return book.all();
}

/** LINA's levels, as on ASA: a `username` without a level is level 2. */
export const privileges: PrivilegeScheme = { defaultPrivilege: '2' };
