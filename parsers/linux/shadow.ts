// The syslog lines of shadow-utils (useradd, usermod, userdel, gpasswd, chage, chfn, chsh;
// src/*.c SYSLOG calls) and PAM's password changes (`pam_unix(passwd:chauthtok): password
// changed for bob`). Group creation and deletion (groupadd, groupdel, `new group: …`) changes no
// account and has no action in the normalised records, so it yields nothing.

import type { AccountChange } from '../lib/record.js';

export interface Change extends AccountChange {
  actor?: string | undefined;
}

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
  /^new user: name=([^,\s]{1,256}), UID=\d+/,
  (m) => one({ action: 'account.create', target: m[1]!, technique: 'T1136.001' }),
];

const TABLE: Record<string, readonly Rule[]> = {
  useradd: [NEW_USER, ADD_TO_GROUP],
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
    [/^change user name '([^']{1,256})' to '[^']{1,256}'$/, (m) => one({ action: 'account.modify', target: m[1]! })],
    [/^change user '([^']{1,256})' /, (m) => one({ action: 'account.modify', target: m[1]! })],
  ],
  userdel: [
    [/^delete user '([^']{1,256})'$/, (m) => one({ action: 'account.delete', target: m[1]!, technique: 'T1531' })],
    DELETE_FROM_GROUP,
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
      /^password for '([^']{1,256})' changed by '([^']{1,256})'$/,
      (m) => one({ action: 'password.change', target: m[1]!, actor: m[2]! }),
    ],
  ],
  chpasswd: [PAM_PASSWORD],
  chage: [[/^changed password expiry for (\S{1,256})$/, (m) => one({ action: 'account.modify', target: m[1]! })]],
  chfn: [[/^changed user '([^']{1,256})' information$/, (m) => one({ action: 'account.modify', target: m[1]! })]],
  chsh: [[/^changed user '([^']{1,256})' shell to /, (m) => one({ action: 'account.modify', target: m[1]! })]],
  // Recognised so their lines are known, but group lifecycle has no record (see above).
  groupadd: [],
  groupdel: [],
  groupmod: [],
};
// Looked up by program name from the wire: no prototype, so `constructor` is not a program.
const RULES: Readonly<Record<string, readonly Rule[]>> = Object.assign(Object.create(null) as Record<string, readonly Rule[]>, TABLE);

// Lines of these programs that change no account: read, so they are not reported as unknown.
const NO_CHANGE: Readonly<Record<string, RegExp>> = Object.assign(Object.create(null) as Record<string, RegExp>, {
  useradd: /^(?:failed adding user|new group: |group added to |useradd: )/,
  usermod: /^(?:change '[^']*' to '[^']*' in (?:shadow )?group|usermod: )/,
  userdel: /^(?:removed (?:shadow )?group|delete '[^']*' (?:home directory|mail file)|userdel: )/,
  gpasswd: /^(?:change the password for group|administrators of group|group \S+ password |gpasswd: )/,
});

/** True for the programs whose lines this module reads. */
export function isShadowProgram(app: string): boolean {
  return RULES[app] !== undefined;
}

/**
 * The account changes one shadow-utils line reports (none for failures such as `failed adding
 * user`), or undefined when a line of useradd, usermod, userdel or gpasswd matches no form this
 * module knows: a shadow-utils version that words things differently must show up as unknown.
 */
export function shadowChanges(app: string, message: string): Change[] | undefined {
  const rules = RULES[app];
  if (rules === undefined || message.length > 8192) return [];
  for (const [re, make] of rules) {
    const m = re.exec(message);
    if (m) return make(m);
  }
  const quiet = NO_CHANGE[app];
  return quiet === undefined || quiet.test(message) ? [] : undefined;
}
