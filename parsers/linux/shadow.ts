// The syslog lines of shadow-utils (useradd, usermod, userdel, groupadd, groupdel, gpasswd, chage,
// chfn, chsh; src/*.c SYSLOG calls) and PAM's password changes (`pam_unix(passwd:chauthtok):
// password changed for bob`).
//
// A group made or removed yields group.create / group.delete, the group as target (no ATT&CK
// technique: creating a group grants nothing; adding members does, T1098.007). shadow-utils writes
// one line per group database it changes (`group added to /etc/group: …`, `… /etc/gshadow: …`)
// and, in most versions, a closing `new group: …` / `group '…' removed`; each is its own record, as
// each membership line is, and as Elastic's documents for the same lines are. useradd and userdel
// do the same for a user's private group.

import type { ActorChange as Change } from '../lib/record.js';

type Rule = [RegExp, (m: RegExpExecArray) => Change[]];

const one = (c: Change): Change[] => [c];

const ADD_TO_GROUP: Rule = [
  /^add '([^']{1,256})' to (?:shadow )?group '([^']{1,256})'$/,
  (m) => one({ action: 'group.add_member', target: m[1]!, group: m[2]!, technique: 'T1098.007' }),
];
const DELETE_FROM_GROUP: Rule = [
  /^delete '([^']{1,256})' from (?:shadow )?group '([^']{1,256})'$/,
  (m) => one({ action: 'group.remove_member', target: m[1]!, group: m[2]! }),
];
const PAM_PASSWORD: Rule = [
  /^pam_unix\([\w-]{1,32}:chauthtok\): password changed for (\S{1,256})$/,
  (m) => one({ action: 'password.change', target: m[1]! }),
];
const NEW_USER: Rule = [
  /^new user: name=([^,\s]{1,256}), UID=(\d+)/,
  // `useradd -o -u 0` makes a second root: the record says so, as usermod's UID change does.
  (m) => one({ action: 'account.create', target: m[1]!, technique: 'T1136.001', ...(m[2] === '0' ? { privilege: 'uid=0' } : {}) }),
];
const groupCreated = (group: string): Change[] => one({ action: 'group.create', target: group, group });
const groupDeleted = (group: string): Change[] => one({ action: 'group.delete', target: group, group });
// groupadd, and useradd for a private group: `new group: name=web, GID=1003`,
// `group added to /etc/group: name=web, GID=1003`, `group added to /etc/gshadow: name=web`.
const NEW_GROUP: Rule = [/^new group: name=([^,\s]{1,256}), GID=\d+/, (m) => groupCreated(m[1]!)];
const GROUP_ADDED: Rule = [/^group added to \S{1,256}: name=([^,\s]{1,256})(?:, GID=\d+)?$/, (m) => groupCreated(m[1]!)];

const TABLE: Record<string, readonly Rule[]> = {
  useradd: [NEW_USER, ADD_TO_GROUP, NEW_GROUP, GROUP_ADDED],
  newusers: [NEW_USER, PAM_PASSWORD],
  usermod: [
    ADD_TO_GROUP,
    DELETE_FROM_GROUP,
    [
      /^change user '([^']{1,256})' UID from '\d+' to '(\d+)'$/,
      (m) =>
        one(
          m[2] === '0'
            ? { action: 'privilege.change', target: m[1]!, privilege: 'uid=0', technique: 'T1098' }
            : { action: 'account.modify', target: m[1]! },
        ),
    ],
    [/^change user '([^']{1,256})' password$/, (m) => one({ action: 'password.change', target: m[1]! })],
    [/^(?:lock|unlock) user '([^']{1,256})' password$/, (m) => one({ action: 'account.modify', target: m[1]! })],
    // `usermod -l new old`: the old name is gone and the new one holds the account (its UID, groups
    // and rights) from now on. The normalised records have no rename, so it is both: the old name
    // deleted, the new one made by changing an account (T1098), whose roster status is its own.
    [
      /^change user name '([^']{1,256})' to '([^']{1,256})'$/,
      (m) => [{ action: 'account.delete', target: m[1]! }, { action: 'account.create', target: m[2]!, technique: 'T1098' }],
    ],
    [/^change user '([^']{1,256})' /, (m) => one({ action: 'account.modify', target: m[1]! })],
  ],
  userdel: [
    [/^delete user '([^']{1,256})'$/, (m) => one({ action: 'account.delete', target: m[1]!, technique: 'T1531' })],
    DELETE_FROM_GROUP,
    // The user's private group: `removed group 'web' owned by 'web'`, `removed shadow group 'web'`.
    [/^removed (?:shadow )?group '([^']{1,256})'(?: owned by '[^']{0,256}')?$/, (m) => groupDeleted(m[1]!)],
  ],
  gpasswd: [
    [
      /^user (\S{1,256}) added by (\S{1,256}) to group (\S{1,256})$/,
      (m) => one({ action: 'group.add_member', target: m[1]!, actor: m[2]!, group: m[3]!, technique: 'T1098.007' }),
    ],
    [
      /^user (\S{1,256}) removed by (\S{1,256}) from group (\S{1,256})$/,
      (m) => one({ action: 'group.remove_member', target: m[1]!, actor: m[2]!, group: m[3]! }),
    ],
    [
      // `gpasswd -M a,b grp` sets the member list: each listed member is now in the group.
      /^members of group (\S{1,256}) set by (\S{1,256}) to (.{1,4096})$/,
      (m) =>
        m[3]!
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
          .slice(0, 256)
          .map((member): Change => ({ action: 'group.add_member', target: member, actor: m[2]!, group: m[1]!, technique: 'T1098.007' })),
    ],
  ],
  passwd: [
    PAM_PASSWORD,
    [
      // shadow-utils: `password for 'bob' changed by 'root'`. BusyBox's passwd (Alpine, OpenWrt,
      // embedded hosts) logs to syslog as `passwd` without the quotes, `password for bob changed by
      // root` (`Password for …` in older releases; `password for 'bob' changed by user 'root'` in the
      // oldest); the same line closes its -l, -u and -d, which it does not tell apart.
      /^[Pp]assword for (?:'([^']{1,256})'|([^'\s]{1,256})) changed by (?:user )?(?:'([^']{1,256})'|([^'\s]{1,256}))$/,
      (m) => one({ action: 'password.change', target: (m[1] ?? m[2])!, actor: (m[3] ?? m[4])! }),
    ],
  ],
  // BusyBox's chpasswd: `Password for 'bob' changed` (shadow-utils' leaves it to PAM).
  chpasswd: [PAM_PASSWORD, [/^Password for '([^']{1,256})' changed$/, (m) => one({ action: 'password.change', target: m[1]! })]],
  chage: [[/^changed password expiry for (\S{1,256})$/, (m) => one({ action: 'account.modify', target: m[1]! })]],
  chfn: [[/^changed user '([^']{1,256})' information$/, (m) => one({ action: 'account.modify', target: m[1]! })]],
  chsh: [[/^changed user '([^']{1,256})' shell to /, (m) => one({ action: 'account.modify', target: m[1]! })]],
  groupadd: [NEW_GROUP, GROUP_ADDED],
  // `group 'web' removed from /etc/group`, `… from /etc/gshadow`, then `group 'web' removed`.
  groupdel: [[/^group '([^']{1,256})' removed(?: from \S{1,256})?$/, (m) => groupDeleted(m[1]!)]],
  // A group renamed or renumbered: no action in the normalised records; recognised so its lines are known.
  groupmod: [],
};
// Looked up by program name from the wire, in a Map (no prototype, so `constructor` is not a
// program): an object with no prototype is a dictionary, and its look-up by a string read from a
// line (not interned) cost 45–140 ns against 23–44 for Map#get (2026-12-05, load 8).
const RULES: ReadonlyMap<string, readonly Rule[]> = new Map(Object.entries(TABLE));

// Lines of these programs that change no account: read, so they are not reported as unknown.
// shadow-utils' own wording (src/*.c SYSLOG calls): `useradd -D` writes the defaults it set
// (`useradd defaults: GROUP=…`); usermod -l renames a group's administrator as it renames a member
// (`change admin 'a' to 'b' in shadow group 'g'`); userdel leaves a home or spool it does not own
// (`/home/bob not owned by bob, not removed`). gpasswd since 4.1.3 words a group's password and
// access `password of group g changed by root`, `… removed by root`, `access to group g restricted
// by root` (none is an account change: the audit records of the same are read alike,
// audit-changes.ts), and every failure `root failed to add user bob to group g`.
const NO_CHANGE: ReadonlyMap<string, RegExp> = new Map([
  ['useradd', /^(?:failed adding user|new group: |group added to |useradd(?: defaults)?: )/],
  ['usermod', /^(?:change (?:admin )?'[^']*' to '[^']*' in (?:shadow )?group|usermod: )/],
  ['userdel', /^(?:removed (?:shadow )?group|delete '[^']*' (?:home directory|mail file)|\S+ not owned by \S+, not removed$|userdel: )/],
  [
    'gpasswd',
    /^(?:change the password for group|administrators of group|group \S+ password |password of group \S+ (?:changed|removed) by |access to group \S+ restricted by |\S+ failed to |gpasswd: )/,
  ],
]);

// How a change line of the other programs begins, whatever it names: one that begins so and that no
// rule reads (a name past the 256-character bound, or holding a space where the form has none) is
// unknown, not a quiet line. Their other lines (PAM's keyring and error lines from passwd) are quiet.
const PAM_CHANGED = String.raw`pam_unix\([^)]{0,64}:chauthtok\): password changed for `;
const CHANGE_FORMS: ReadonlyMap<string, RegExp> = new Map([
  ['newusers', new RegExp(`^(?:new user: |${PAM_CHANGED})`)],
  ['passwd', new RegExp(`^(?:[Pp]assword for |${PAM_CHANGED})`)],
  ['chpasswd', new RegExp(`^(?:Password for '|${PAM_CHANGED})`)],
  ['chage', /^changed password expiry for /],
  ['chfn', /^changed user '/],
  ['chsh', /^changed user '/],
  ['groupadd', /^(?:new group: |group added to )/],
  ['groupdel', /^group '/],
]);

/** The programs whose lines are read here. */
export const SHADOW_PROGRAMS: readonly string[] = Object.keys(TABLE);

/** True for the programs whose lines this module reads. */
export function isShadowProgram(app: string): boolean {
  return RULES.has(app);
}

/**
 * The account changes one shadow-utils line reports (none for failures such as `failed adding
 * user`), or undefined when a line of useradd, usermod, userdel or gpasswd matches no form this
 * module knows (a shadow-utils version that words things differently must show up as unknown), or
 * a line of another program begins as one of its changes and no rule reads it (CHANGE_FORMS).
 */
export function shadowChanges(app: string, message: string): Change[] | undefined {
  const rules = RULES.get(app);
  if (rules === undefined || message.length > 8192) return [];
  // shadow-utils before 4.2 (RHEL/CentOS 5 and 6, SLES 11) opened its quotes with a backtick:
  // "delete user `%s'", "change user name `%s' to `%s'" (userdel.c, usermod.c): read as the later 'quotes'.
  const text = message.includes('`') ? message.replace(/`([^`']{0,256})'/g, "'$1'") : message;
  for (const [re, make] of rules) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  const quiet = NO_CHANGE.get(app);
  if (quiet !== undefined) return quiet.test(text) ? [] : undefined;
  return CHANGE_FORMS.get(app)?.test(text) ? undefined : [];
}
