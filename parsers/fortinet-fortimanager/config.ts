// FortiManager configuration (`show`): the FortiOS-style CLI, with administrators under `config
// system admin user` (FortiGate's are under `config system admin`, so read as FortiOS none is
// found). Sources: the Oxidized recording `fortios#FMG-VM64_7.4.6` and its #secret.yaml, Oxidized's
// fortios.rb, the FortiManager CLI reference (docs/notes/platforms.md, "FortiManager").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import {
  AccountBook,
  addCredential,
  addRole,
  splitLines,
  unquote,
} from '../lib/config-text.js';
import { redactFortinetConfig, redactFortinetLine, withSections } from '../lib/fortinet-config.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, type Matcher } from '../lib/secrets/grammar.js';
import { fmgSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `FortiMgr2 # `, `fmg(Primary) # `, `fmg (global) # `.
  prompt: /^[\w.~-]{1,64}(?:\([\w.-]+\))?(?: \([\w.-]+\))? ?[#$] ?$/,
  setup: [],
  configCommands: ['show'],
  more: /--More--\s*$/,
  answers: [{ prompt: /\(Press 'a' to accept\):\s*$/, send: 'a' }],
  errors: [/^Command fail\. Return code/m, /^Unknown action/m, /^command parse error/m],
  // `ENC` values are re-encrypted on every read (#significant_changes.yaml); they are redacted
  // before hashing, so nothing else moves on its own.
  volatile: [],
  complete: /^end[ \t]*$/m,
};


/** FortiManager's forms and the generic ones. */
const FMG: Matcher = compile([fmgSecrets, genericSecrets]);
const redactLine = (line: string, sections: readonly string[]): string => redactFortinetLine(FMG, line, sections);

export function redact(configText: string): string {
  return redactFortinetConfig(FMG, configText);
}

/**
 * Each `edit "NAME"` of `config system admin user` is an administrator: `set profileid` its role,
 * `set password` / `set ssh-public-keyN` its credentials, `set user_type radius|tacacs-plus|…`
 * an account whose password lives on that server (its role noted as the type).
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook((line) => redactLine(line, []));
  let current: LocalAccount | undefined;
  let depth = 0;
  for (const [line, sections] of withSections(splitLines(configText))) {
    const t = line.trim();
    const here = sections[sections.length - 1] === 'system admin user';
    if (!current) {
      const edit = here ? /^edit\s+(.+)$/.exec(t) : null;
      if (edit) {
        current = book.add(unquote(edit[1]!), line);
        depth = sections.length;
      }
      continue;
    }
    current.lines.push(redactLine(line, sections).trimEnd());
    if (t === 'next' && sections.length === depth) {
      if (current.credentials.length === 0) addCredential(current, 'none');
      current = undefined;
      continue;
    }
    if (sections.length !== depth) continue;
    const profile = /^set\s+profileid\s+(.+)$/.exec(t);
    if (profile) addRole(current, unquote(profile[1]!));
    if (/^set\s+password\s/.test(t)) addCredential(current, 'password');
    if (/^set\s+ssh-public-key\d\s/.test(t)) addCredential(current, 'key');
  }
  return book.all();
}

/** Built-in profiles: Super_User administers everything, No_Permission_User nothing, Restricted_User reads. */
export const privileges: PrivilegeScheme = {
  roleRanks: { Super_User: 15, Restricted_User: 1, No_Permission_User: 0 },
  roleWord: 'profile',
};
