// Fortinet FortiOS configuration (`show`): the SSH session, administrator accounts and
// redaction. FortiOS re-encrypts `ENC` secrets on every read, so they must go before hashing or
// every pull would look like a change (Oxidized #1883).

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
import { ADMIN_GRANT, ProfileBook, READ_GRANT, RESOLVED_PROFILE } from './profiles.js';
import { fortiosSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `fw1 # `, `fw1 (global) # `, `fw1(Primary) # `, FortiADC `(M) lb-01 $ `.
  prompt: /^(?:\([A-Z]\) )?[\w.~-]+(?:\([\w.-]+\))?(?: \([\w.-]+\))? ?[#>$] ?$/,
  setup: [],
  // `| grep .` keeps FortiOS from paging the configuration, whatever the console settings.
  configCommands: ['show | grep .'],
  more: /--More--\s*$/,
  answers: [{ prompt: /\(Press 'a' to accept\):\s*$/, send: 'a' }],
  errors: [/^Command fail\. Return code/m, /^Unknown action/m, /^command parse error/m],
  volatile: [
    /^#conf_file_ver=.*$/gm,
    // FortiGuard rewrites the Internet Service Database names on its own schedule.
    /^config firewall internet-service-name\n(?:.*\n)*?end$/gm,
  ],
  complete: /^end[ \t]*$/m,
};

const FORTIOS: Matcher = compile([fortiosSecrets, genericSecrets]);
const redactLine = (line: string, sections: readonly string[]): string => redactFortinetLine(FORTIOS, line, sections);

export function redact(configText: string): string {
  return redactFortinetConfig(FORTIOS, configText);
}

/**
 * Each `edit "NAME"` in `config system admin` (inside `config global` when VDOMs are on) is an
 * administrator: `set accprofile` is its role, `set password` / `set ssh-public-keyN` its
 * credentials. Each `edit "NAME"` in `config system api-user` is one too, that logs in by the REST
 * API with its token (`set api-key ENC …`, reversible: `password`; none generated yet: `none`) and
 * holds its `set accprofile` (Fortinet CLI reference, `system api-user`); its lines open with the
 * section's, which says it is an API user. `config user local` holds VPN and firewall users, not
 * administrators. A profile of the device's own (`config system accprofile`) is resolved from its
 * permissions (profiles.ts).
 */
export function accounts(configText: string): LocalAccount[] {
  const { admins, profiles } = read(configText);
  return admins.map((a) => ({ ...a, roles: a.roles.map((r) => profiles.role(r, builtIn)) }));
}

/**
 * The profiles a configuration defines that resolve (`helpdesk` → `helpdesk (admin read-write)`),
 * held or not: an administrator syslog later puts in one (`accprofile[auditor->helpdesk]`) is
 * recorded resolved, as the pull reads its holders (src/ingest/resolve.ts).
 */
export function resolvedRoles(configText: string): Map<string, string> {
  return read(configText).profiles.resolved(builtIn);
}

const builtIn = (name: string): boolean => Object.hasOwn(privileges.roleRanks!, name);

/** The administrators (their profiles as named) and the profiles of one configuration. */
function read(configText: string): { admins: LocalAccount[]; profiles: ProfileBook } {
  const book = new AccountBook((line) => redactLine(line, []));
  const profiles = new ProfileBook();
  let inProfile: ReturnType<ProfileBook['open']> | undefined;
  let profileDepth = 0;
  let current: LocalAccount | undefined;
  let depth = 0;
  let apiUsers: string | undefined;
  for (const [line, sections] of withSections(splitLines(configText))) {
    const t = line.trim();
    if (/^config\s+system\s+api-user$/.test(t)) apiUsers = line;
    // A profile's block ends at its `next`, or when its section closes without one.
    if (inProfile && sections.length < profileDepth) inProfile = undefined;
    if (inProfile) {
      if (sections.length === profileDepth && t === 'next') inProfile = undefined;
      const set = /^set\s+(\S+)\s+(\S+)/.exec(t);
      // Its own `set`s, and those of a `config X-permission` block directly inside it.
      const inner = sections.length === profileDepth + 1 ? sections[sections.length - 1] : undefined;
      if (inProfile && set && (sections.length === profileDepth || inner !== undefined)) profiles.set(inProfile, set[1]!, unquote(set[2]!), inner);
      continue;
    }
    if (sections[sections.length - 1] === 'system accprofile') {
      const edit = /^edit\s+(.+)$/.exec(t);
      if (edit) {
        inProfile = profiles.open(unquote(edit[1]!));
        profileDepth = sections.length;
      }
      continue;
    }
    const section = sections[sections.length - 1];
    if (section !== 'system admin' && section !== 'system api-user' && !current) continue;
    const edit = /^edit\s+(.+)$/.exec(t);
    if (!current && edit) {
      current = book.add(unquote(edit[1]!));
      if (section === 'system api-user') current.lines.push(redactLine(apiUsers!, []).trimEnd());
      current.lines.push(redactLine(line, sections).trimEnd());
      depth = sections.length;
      continue;
    }
    if (!current) continue;
    // An entry ends at its `next`, or where its section closes without one (`edit X` … `end`).
    if (t === 'end' && sections.length === depth) {
      if (current.credentials.length === 0) addCredential(current, 'none');
      current = undefined;
      continue;
    }
    current.lines.push(redactLine(line, sections).trimEnd());
    if (t === 'next' && sections.length === depth) {
      if (current.credentials.length === 0) addCredential(current, 'none');
      current = undefined;
      continue;
    }
    if (sections.length !== depth) continue;
    const profile = /^set\s+accprofile\s+(.+)$/.exec(t);
    if (profile) addRole(current, unquote(profile[1]!));
    if (/^set\s+(?:password|api-key)\s/.test(t)) addCredential(current, 'password');
    if (/^set\s+ssh-public-key\d\s/.test(t)) addCredential(current, 'key');
  }
  if (current && current.credentials.length === 0) addCredential(current, 'none');
  return { admins: book.all(), profiles };
}

/**
 * Built-in access profiles: super_admin > prof_admin; super_admin_readonly reads only. A profile of
 * the device's own that administers administrators ranks as prof_admin, one that writes nothing as
 * super_admin_readonly (profiles.ts).
 */
export const privileges: PrivilegeScheme = {
  roleRanks: { super_admin: 15, prof_admin: 12, super_admin_readonly: 2, [ADMIN_GRANT]: 12, [READ_GRANT]: 2 },
  roleWord: 'accprofile',
  resolvedRole: RESOLVED_PROFILE,
  oneRole: true,
};

/**
 * FortiOS logs an administrator's profile set (`accprofile[auditor->helpdesk]`) as privilege.change:
 * the administrator's own statement, resolved against the latest pull's profiles as a making is.
 */
export const roleStatements = ['account.set', 'account.create', 'account.modify', 'privilege.change'] as const;
