// Every line of the corpus's Linux files (auth.log/secure and audit.log) and what it must yield
// (see test/parsers/cases/types.ts). Field-by-field comparison with Elastic's expected documents is in
// parsers/linux/test/linux.test.ts.

import { lines, none } from '../../../test/tools/corpus-cases.js';
import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const AUTH = 'syslog/linux/test-auth.log';
const RHEL = 'syslog/linux/test-auth-rhel79.log';
const UBUNTU = 'syslog/linux/test-auth-ubuntu1204.log.relevant';
const GPASSWD = 'syslog/linux/test-gpasswd.log';
const GROUPDEL = 'syslog/linux/test-groupdel.log';
const USERDEL = 'syslog/linux/test-userdel.log';
const USERMOD = 'syslog/linux/test-usermod-group.log';
const AUDIT = 'syslog/linux/test-auditd-useradd.log';
const BOSH = 'syslog/linux/cloudfoundry-syslog-release-security-events.relevant';
const RELAYED = 'syslog/linux/public-rsyslog-imfile-auditd-enriched.relevant';

export const files = [AUTH, RHEL, UBUNTU, GPASSWD, GROUPDEL, USERDEL, USERMOD, AUDIT, BOSH, RELAYED];

const LOGINS = 'sshd/su/sudo authentication and sudo commands: no account change';
const NO_ACTOR = 'shadow-utils does not log who ran it: no actor (Elastic copies the target into user.name)';
const PER_DATABASE =
  'shadow-utils logs a group made or removed once per group database (/etc/group, /etc/gshadow) and once in closing: each line is its own record, as Elastic gives each its own document';

/** A group made (group.create) or removed (group.delete) by shadow-utils: the group is the target, no technique. */
const groupLine = (action: 'group.create' | 'group.delete', time: string, device: string, group: string) => ({
  kind: 'account', action, time, device, target: group, group, path: 'os', technique: undefined, actor: undefined,
}) as const;

export const cases: CorpusCase[] = [
  // auth.log (CentOS)
  ...none(AUTH, lines(1, 8), LOGINS),
  {
    file: AUTH, line: 9,
    expect: [groupLine('group.create', '2026-02-22T11:47:05.000Z', 'localhost', 'apache')],
    note: `groupadd's closing \`new group:\` line (here the only one); ${NO_ACTOR}`,
  },
  {
    file: AUTH, line: 10,
    expect: [{
      kind: 'account', action: 'account.create', time: '2026-02-22T11:47:05.000Z', device: 'localhost', target: 'apache',
      path: 'os', technique: 'T1136.001', actor: undefined,
    }],
    note: NO_ACTOR,
  },
  ...none(AUTH, [11, 12], LOGINS),

  // secure (RHEL 7.9)
  ...none(RHEL, [1], "useradd's `failed adding user … exit code: 4`: nothing was created"),
  {
    file: RHEL, line: 2,
    expect: [{ kind: 'account', action: 'account.delete', time: '2026-10-14T16:49:59.000Z', device: 'dlig', target: 'jce', path: 'os', technique: 'T1531' }],
  },
  {
    file: RHEL, line: 3,
    expect: [{ kind: 'account', action: 'account.modify', time: '2026-10-19T12:54:40.000Z', device: 'plielk0', target: 'acris', path: 'os' }],
    note: 'usermod changed the expiry date',
  },

  // auth.log (Ubuntu 12.04): creating user tsg, then package users
  ...none(UBUNTU, [1], LOGINS),
  ...[2, 3, 4].map((line) => ({
    file: UBUNTU, line,
    expect: [groupLine('group.create', '2026-02-24T00:12:02.000Z', 'precise32', 'tsg')],
    note: `adduser's groupadd for the user's group: /etc/group, /etc/gshadow, then \`new group:\`. ${PER_DATABASE}`,
  })),
  {
    file: UBUNTU, line: 5,
    expect: [{ kind: 'account', action: 'account.create', time: '2026-02-24T00:12:02.000Z', device: 'precise32', target: 'tsg', path: 'os', technique: 'T1136.001' }],
  },
  {
    file: UBUNTU, line: 6,
    expect: [{ kind: 'account', action: 'password.change', time: '2026-02-24T00:12:07.000Z', device: 'precise32', target: 'tsg', path: 'os' }],
    note: 'pam_unix chauthtok: a password set',
  },
  {
    file: UBUNTU, line: 7,
    expect: [{ kind: 'account', action: 'account.modify', time: '2026-02-24T00:12:10.000Z', device: 'precise32', target: 'tsg', path: 'os' }],
    note: 'chfn changed the GECOS information',
  },
  ...none(UBUNTU, lines(8, 13), LOGINS),
  ...[14, 15, 16].map((line) => ({
    file: UBUNTU, line,
    expect: [groupLine('group.create', '2026-02-24T09:19:55.000Z', 'precise32', 'mysql')],
    note: `the mysql package's system group. ${PER_DATABASE}`,
  })),
  {
    file: UBUNTU, line: 17,
    expect: [{ kind: 'account', action: 'account.create', time: '2026-02-24T09:19:55.000Z', device: 'precise32', target: 'mysql', path: 'os', technique: 'T1136.001' }],
  },
  {
    file: UBUNTU, line: 18,
    expect: [{ kind: 'account', action: 'account.modify', time: '2026-02-24T09:19:55.000Z', device: 'precise32', target: 'mysql', path: 'os' }],
    note: 'chage changed the password expiry',
  },
  {
    file: UBUNTU, line: 19,
    expect: [{ kind: 'account', action: 'account.modify', time: '2026-02-24T09:19:55.000Z', device: 'precise32', target: 'mysql', path: 'os' }],
  },

  // gpasswd: the only shadow-utils line that names the actor
  {
    file: GPASSWD, line: 1,
    expect: [{
      kind: 'account', action: 'group.add_member', time: '2026-05-17T18:02:03.000Z', device: 'host12345', actor: 'root',
      target: 'alice', group: 'sudo', path: 'os', technique: 'T1098.007',
    }],
  },
  {
    file: GPASSWD, line: 2,
    expect: [{
      kind: 'account', action: 'group.remove_member', time: '2026-05-17T18:02:04.000Z', device: 'host12345', actor: 'root',
      target: 'alice', group: 'sudo', path: 'os', technique: undefined,
    }],
  },

  {
    file: GROUPDEL, line: 1,
    expect: [groupLine('group.create', '2026-07-01T10:56:50.000Z', 'host1', 'fleet')],
    note: 'the gshadow line of a groupadd (the file holds only this one of its lines)',
  },
  ...[2, 3].map((line) => ({
    file: GROUPDEL, line,
    expect: [groupLine('group.delete', '2026-07-01T11:05:59.000Z', 'host1', 'fleet')],
    note: `groupdel, /etc/gshadow then /etc/group. ${PER_DATABASE}`,
  })),

  // userdel -r siem_test: memberships dropped, the account deleted, its private group removed
  {
    file: USERDEL, line: 1,
    expect: [{ kind: 'account', action: 'group.remove_member', time: '2026-05-17T18:05:00.000Z', device: 'host12345', target: 'siem_test', group: 'tcpdump', path: 'os' }],
  },
  {
    file: USERDEL, line: 2,
    expect: [{ kind: 'account', action: 'group.remove_member', time: '2026-05-17T18:05:01.000Z', device: 'host12345', target: 'siem_test', group: 'tcpdump', path: 'os' }],
    note: 'the gshadow membership is its own database entry, so its removal is its own record',
  },
  {
    file: USERDEL, line: 3,
    expect: [{ kind: 'account', action: 'account.delete', time: '2026-05-17T18:05:02.000Z', device: 'host12345', target: 'siem_test', path: 'os', technique: 'T1531' }],
  },
  {
    file: USERDEL, line: 4,
    expect: [groupLine('group.delete', '2026-05-17T18:05:03.000Z', 'host12345', 'siem_group')],
    note: 'userdel removing the user\'s private group',
  },
  {
    file: USERDEL, line: 5,
    expect: [groupLine('group.delete', '2026-05-17T18:05:04.000Z', 'host12345', 'siem_group')],
    note: `the same group's gshadow entry. ${PER_DATABASE}`,
  },

  {
    file: USERMOD, line: 1,
    expect: [{
      kind: 'account', action: 'group.add_member', time: '2026-05-17T18:04:00.000Z', device: 'host12345', target: 'testuser',
      group: 'wheel', path: 'os', technique: 'T1098.007', actor: undefined,
    }],
    note: NO_ACTOR,
  },
  {
    file: USERMOD, line: 2,
    expect: [{
      kind: 'account', action: 'group.add_member', time: '2026-05-17T18:04:01.000Z', device: 'host12345', target: 'testuser',
      group: 'shadow', path: 'os', technique: 'T1098.007', actor: undefined,
    }],
    note: `${NO_ACTOR}; the group here is named \`shadow\``,
  },

  // audit.log: raw, and with log_format = ENRICHED (names after the quoted part)
  ...([[1, '2021-01-17T17:12:33.686Z'], [2, '2021-01-17T17:12:33.710Z'], [3, '2021-01-17T17:12:33.710Z']] as const).map(([line, time]) => ({
    file: AUDIT, line,
    expect: [{
      kind: 'account', action: 'group.create', time, device: 'ubuntu-bionic', actor: '1000', actorAddress: '127.0.0.1',
      target: '1004', group: '1004', path: 'os', technique: undefined,
    }] as CorpusCase['expect'],
    note: 'ADD_GROUP for /etc/group, /etc/gshadow, then the closing `op=` record: each its own record, as in Elastic\'s documents. Not ENRICHED: the group is known only by its gid',
  })),
  {
    file: AUDIT, line: 4,
    expect: [{
      kind: 'account', action: 'account.create', time: '2021-01-17T17:12:33.730Z', device: 'ubuntu-bionic', actor: '1000',
      actorAddress: '127.0.0.1', target: '1004', path: 'os', technique: 'T1136.001',
    }],
    note: 'not ENRICHED: the new account and the actor are known only by uid (names are never all digits on Linux); device from hostname=',
  },
  ...none(AUDIT, [5], 'USER_ACCT (pam_tally2): not an account change'),
  {
    file: AUDIT, line: 6,
    expect: [{
      kind: 'account', action: 'password.change', time: '2021-01-17T17:12:38.174Z', device: 'ubuntu-bionic', actor: '1000',
      actorAddress: '127.0.0.1', target: 'charlie', path: 'os',
    }],
    note: 'actor is the login uid (auid); Elastic puts acct (the target) in user.name',
  },
  ...none(AUDIT, [7, 8], 'USER_AUTH / USER_ACCT: authentication, not an account change'),
  {
    file: AUDIT, line: 9,
    expect: [{
      kind: 'account', action: 'group.create', time: '2026-06-15T14:20:04.613Z', device: 'sanitized-host-01.example.local',
      actor: 'user123456', target: 'testgrp1001', group: 'testgrp1001', path: 'os', technique: undefined, actorAddress: undefined,
    }],
    note: 'ADD_GROUP `op=add-group` (newer shadow-utils), ENRICHED: the group from ID=, the actor from AUID=',
  },
  {
    file: AUDIT, line: 10,
    expect: [{
      kind: 'account', action: 'group.delete', time: '2026-07-17T10:46:21.000Z', device: 'example-host-05', actor: 'example_admin',
      target: 'example_deleted_group', group: 'example_deleted_group', path: 'os', technique: undefined,
    }],
    note: 'DEL_GROUP, the closing `op=` record, ENRICHED',
  },
  {
    file: AUDIT, line: 11,
    expect: [{
      kind: 'account', action: 'account.create', time: '2026-07-17T10:46:21.000Z', device: 'example-host-02', actor: 'example_admin',
      target: 'example_created_user', path: 'os', technique: 'T1136.001', actorAddress: undefined,
    }],
    note: 'ENRICHED: names from AUID= and ID=; addr=? is no address',
  },
  {
    file: AUDIT, line: 12,
    expect: [{
      kind: 'account', action: 'account.delete', time: '2026-07-17T10:46:21.000Z', device: 'example-host-01.example.local',
      actor: 'example_admin', target: 'example_deleted_user', path: 'os', technique: 'T1531',
    }],
  },
  {
    file: AUDIT, line: 13,
    expect: [{
      kind: 'account', action: 'password.change', time: '2026-07-17T10:46:21.000Z', device: 'example-host-03.example.local',
      actor: 'example_admin', target: 'example_target_user', path: 'os',
    }],
    note: 'USER_CHAUTHTOK op=updating-password (usermod -p)',
  },
  {
    file: AUDIT, line: 14,
    expect: [{
      kind: 'account', action: 'account.modify', time: '2026-07-17T10:46:21.000Z', device: 'example-host-04.example.local',
      actor: 'example_admin', target: 'example_locked_user', path: 'os',
    }],
    note: 'ACCT_LOCK: the account was locked',
  },
  ...none(AUDIT, [15, 16, 17], 'USER_LOGOUT / USER_START (one with a broken quote): sessions, not account changes'),
  {
    file: AUDIT, line: 18,
    expect: [{
      kind: 'account', action: 'account.modify', time: '2026-07-17T10:46:21.000Z', device: 'example-host-04.example.local',
      actor: 'example_admin', target: 'example_unlocked_user', path: 'os',
    }],
    note: 'ACCT_UNLOCK',
  },
  {
    file: AUDIT, line: 19,
    expect: [{
      kind: 'account', action: 'account.modify', time: '2021-01-17T17:12:40.001Z', device: 'ubuntu-bionic', actor: '1000',
      actorAddress: '127.0.0.1', target: '1004', path: 'os',
    }],
    note: 'USER_CHAUTHTOK op=changing uid (usermod -u): the new uid is not in the record',
  },
  {
    file: AUDIT, line: 20,
    expect: [{
      kind: 'account', action: 'account.modify', time: '2021-01-17T17:12:40.002Z', device: 'ubuntu-bionic', actor: '1000',
      actorAddress: '127.0.0.1', target: '1004', path: 'os',
    }],
    note: 'op=updating passwd is the /etc/passwd entry, not a password',
  },
  {
    file: AUDIT, line: 21,
    expect: [{
      kind: 'account', action: 'group.add_member', time: '2026-07-17T10:46:21.000Z', device: 'example-host-03.example.local',
      actor: '1005', target: 'example_target_user', path: 'os', technique: 'T1098.007', group: undefined,
    }],
    note: 'op=adding user to shadow group names no group',
  },

  // Cloud Foundry's BOSH VMs relay with rsyslog as RFC 5424 whose `%msg%` keeps the space after the
  // program's tag: each body arrives after two spaces (read as one). The syslog lines name the host by
  // its address, the audit records by auditd's node= (here the VM's id), which wins for them.
  { file: BOSH, line: 1, expect: [groupLine('group.create', '2018-02-28T21:12:45.210Z', '10.0.16.22', 'myuser123')], note: `useradd's private group; ${NO_ACTOR}` },
  {
    file: BOSH, line: 2,
    expect: [{ kind: 'account', action: 'account.create', time: '2018-02-28T21:12:45.211Z', device: '10.0.16.22', target: 'myuser123', path: 'os', technique: 'T1136.001', actor: undefined }],
    note: `the line ends at \`shell=\` in its source; ${NO_ACTOR}`,
  },
  {
    file: BOSH, line: 3,
    expect: [{ ...groupLine('group.create', '2018-02-28T21:12:45.205Z', '1f045518-275e-43f4-a74c-bdd28c2c97bd', 'myuser123'), actor: '1003' }],
    note: 'ADD_GROUP op=adding group (older shadow wording) through audispd: the login uid 1003 ran useradd',
  },
  {
    file: BOSH, line: 4,
    expect: [{ kind: 'account', action: 'account.delete', time: '2018-02-28T21:23:04.087Z', device: '10.0.16.22', target: 'testin123', path: 'os', technique: 'T1531', actor: undefined }],
  },
  { file: BOSH, line: 5, expect: [groupLine('group.delete', '2018-02-28T21:23:04.087Z', '10.0.16.22', 'testin123')], note: 'userdel: the private group' },
  { file: BOSH, line: 6, expect: [groupLine('group.delete', '2018-02-28T21:23:04.087Z', '10.0.16.22', 'testin123')], note: PER_DATABASE },
  {
    file: BOSH, line: 7,
    expect: [{ ...groupLine('group.delete', '2018-02-28T21:23:04.085Z', '1f045518-275e-43f4-a74c-bdd28c2c97bd', 'testin123'), actor: '1003' }],
    note: 'DEL_GROUP op=deleting group',
  },
  {
    file: BOSH, line: 8,
    expect: [{ ...groupLine('group.delete', '2018-02-28T21:23:04.085Z', '1f045518-275e-43f4-a74c-bdd28c2c97bd', 'testin123'), actor: '1003' }],
    note: `DEL_GROUP op=deleting shadow group; ${PER_DATABASE}`,
  },
  ...none(BOSH, [9, 17], 'a watched write by usermod / passwd (key identity, delete): the tool reports its own change'),
  {
    file: BOSH, line: 10,
    expect: [{ kind: 'account', action: 'group.add_member', time: '2018-02-28T22:55:12.405Z', device: '10.0.16.22', target: 'bosh_7890a75e1ecc4a6', group: 'admin', path: 'os', technique: 'T1098.007', actor: undefined }],
    note: 'usermod: a member of admin (sudo rights on Ubuntu); read as nothing while the body began with a space',
  },
  ...none(BOSH, lines(11, 16), `sudo su: its audit SYSCALL, EXECVE, PATH and USER_START, the sudo command and session; ${LOGINS}`),
  {
    file: BOSH, line: 18,
    expect: [{ kind: 'account', action: 'password.change', time: '2018-02-28T21:32:12.641Z', device: '10.0.16.22', target: 'testing1234', path: 'os', actor: undefined }],
    note: 'root set testing1234\'s password (passwd\'s PAM line names no actor)',
  },

  // An rsyslog collector's file of another host's audit.log (imfile, tag `auditd` with no colon, so
  // the header names no program; the lead reads the form) with ENRICHED's 0x1d kept as `#035`.
  ...none(RELAYED, lines(1, 4), 'sshd\'s CRYPTO_KEY_USER, USER_END, CRED_DISP: a session, no account change'),
  ...none(RELAYED, [5, 6], 'a watched open of nginx.conf (key nginx_conf): no account file'),
];
