// Cisco Firepower Threat Defense: the LINA running configuration read at the FTD CLISH prompt
// (`> `), then FTD's own CLI users (`show user`). LINA's configuration is ASA syntax: `enable
// password`, `username NAME password X encrypted privilege N` (Oxidized's firelinuxos.rb secret
// rules). The CLI users (`configure user add NAME basic|config`, the users who reach the CLISH and,
// with Config, the Linux shell) are not in it: `show user` lists them, one row each:
//   Login              UID   Auth Access  Enabled Reset    Exp Warn  Str Lock Max
//   admin             1000  Local Config  Enabled    No  Never  N/A  Dis   No N/A
// Sources: the Oxidized recordings `firelinuxos#*`, Netmiko's CiscoFtdSSH (docs/notes/platforms.md,
// "Cisco FTD and FXOS"); Cisco's "Add an Internal User at the CLI" (threat defense, cdFMC
// documentation: https://docs.defenseorchestrator.com/cdfmc/t_add_an_internal_user_cli_2.html) for
// `show user`.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { redactCiscoLine, redactCiscoStyle, type CiscoRedaction } from '../lib/cisco-config.js';
import { AccountBook, addCredential, addRole, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile } from '../lib/secrets/grammar.js';
import { ftdSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // The CLISH prompt is a bare `> `: no hostname, no configuration mode (Netmiko: NoEnable, NoConfig).
  prompt: /^> ?$/,
  setup: [],
  configCommands: ['show running-config all', 'show user'],
  errors: [/^Syntax error: /m, /^ERROR: /m, /^% ?Invalid input/m],
  volatile: [/^: Written by .*$/gm, /^Cryptochecksum:\S*[ \t]*$/gm, /^: (?:Serial Number|Hardware): .*$/gm],
  complete: /^: end[ \t]*$/m,
};

const OPTIONS: CiscoRedaction = { matcher: compile([ftdSecrets, genericSecrets]) };

export function redact(configText: string): string {
  return redactCiscoStyle(configText, OPTIONS);
}

const redactLine = (line: string): string => redactCiscoLine(line, OPTIONS);

/** `show user`'s heading, and one of its rows: login, UID, `Local`/`Remote`, access, `Enabled`/`Disabled`. */
const USER_HEADING = /^Login\s+UID\s+Auth\s+Access\s+Enabled\b/;
const USER_ROW = /^(\S+)\s+\d+\s+(Local|Remote)\s+(\S+)\s+(?:Enabled|Disabled)\s/;

/**
 * LINA's `username NAME password HASH {encrypted|pbkdf2} [privilege P]`, `username NAME nopassword`;
 * and every row of `show user`: a CLI user whose role is its access (`Config`, `Basic`), with a
 * password of its own when `Local` (a `Remote` user is authenticated by the external server).
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  let inUsers = false;
  for (const line of splitLines(configText)) {
    if (USER_HEADING.test(line)) {
      inUsers = true;
      continue;
    }
    if (inUsers) {
      const row = USER_ROW.exec(line);
      if (row) {
        const account = book.add(row[1]!, line);
        addRole(account, row[3]!);
        if (row[2] === 'Local') addCredential(account, 'password');
        continue;
      }
      inUsers = false;
    }
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

/**
 * LINA's levels, as on ASA: a `username` without a level is level 2. A CLI user's access: `Config`
 * is every command and the Linux shell (`expert`), `Basic` no configuration command.
 */
export const privileges: PrivilegeScheme = { defaultPrivilege: '2', roleRanks: { Config: 15, Basic: 1 } };
