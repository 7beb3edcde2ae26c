import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { linux } from '../index.js';
import type { AaaRecord } from '../../../src/types.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { fileLines, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';
import { readAuditRecord, value } from '../audit-record.js';

const P = 'linux';
const run = (line: string) => recogniser(linux.recognise!, P)(line);
const T = '2026-11-21T22:10:01.000Z';
const AUDIT_T = '2026-11-21T22:10:01.123Z';

describe('linux corpus', () => {
  it('yields the expected records for every corpus line', () => {
    expect(platformCaseProblems(linux, files, cases)).toEqual([]);
  });

  it('reads real lines whole', () => {
    const auth = fileLines('syslog/linux/test-gpasswd.log');
    expect(run(auth[0]!.text)).toEqual({
      records: [{
        kind: 'account', action: 'group.add_member', platform: P, time: '2026-05-17T18:02:03.000Z', device: 'host12345',
        actor: 'root', path: 'os', target: 'alice', group: 'sudo', technique: 'T1098.007',
      }],
      unknown: [],
    });
    const audit = fileLines('syslog/linux/test-auditd-useradd.log');
    expect(run(audit[10]!.text).records).toEqual([{
      kind: 'account', action: 'account.create', platform: P, time: '2026-07-17T10:46:21.000Z', device: 'example-host-02',
      actor: 'example_admin', path: 'os', target: 'example_created_user', technique: 'T1136.001',
    }]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(linux);
  });
});

// Elastic's expected documents for the same lines (`*-expected.json`, ABRIDGED = partial), field
// by field: user.name ↔ actor, user.target.name ↔ target, group.name ↔ group, event.action ↔
// action. Where the two part ways on purpose the reason is listed; anything else must agree.
describe('linux against Elastic\'s expected documents', () => {
  interface ElasticDoc {
    event?: { original?: string; action?: string | string[]; type?: string[] };
    _input_line?: string;
    user?: { name?: string; id?: string; target?: { name?: string; id?: string } };
    group?: { name?: string; id?: string };
  }

  const ACTIONS: Record<string, AaaRecord['action'] | 'none'> = {
    'added-user-account': 'account.create',
    'changed-password': 'password.change',
    'group-member-added': 'group.add_member',
    'added-group-account-to': 'group.create',
  };

  // Why our records differ from Elastic's documents, by field, for the lines where they do.
  const DIFFER: Record<string, string> = {
    'usermod.user.name': 'usermod does not log who ran it; Elastic copies the target into user.name',
    'useradd.user.name': 'Elastic puts the new account in user.name; it is our target, the actor is not logged',
    'USER_CHAUTHTOK.user.name': 'Elastic puts acct (the account whose password changed) in user.name; our actor is the login uid (auid)',
  };

  function docs(file: string): ElasticDoc[] {
    const j = JSON.parse(readFileSync(corpusPath(file), 'utf8')) as { expected?: ElasticDoc[]; expected_subset?: ElasticDoc[] };
    return j.expected ?? j.expected_subset ?? [];
  }

  const sets = [
    ['syslog/linux/test-gpasswd.log-expected.json', 'syslog/linux/test-gpasswd.log'],
    ['syslog/linux/test-usermod-group.log-expected.json', 'syslog/linux/test-usermod-group.log'],
    ['syslog/linux/test-auth.log-expected.ABRIDGED.json', 'syslog/linux/test-auth.log'],
    ['syslog/linux/test-auditd-useradd.log-expected.ABRIDGED.json', 'syslog/linux/test-auditd-useradd.log'],
  ] as const;

  it.each(sets)('%s', (expectedFile, logFile) => {
    const lines = fileLines(logFile).map((l) => l.text);
    const list = docs(expectedFile);
    expect(list.length).toBeGreaterThan(0);
    for (const doc of list) {
      const original = doc.event?.original ?? doc._input_line;
      expect(lines, `${expectedFile}: line of ${original}`).toContain(original);
      const [record] = run(original!).records;
      const program = / ([a-z][\w-]*)(?:\[\d+\])?: /.exec(original!)?.[1] ?? /^type=(\w+)/.exec(original!)![1]!;
      const action = [doc.event?.action].flat()[0];
      const type = doc.event?.type ?? [];
      // A group created: Elastic's auth.log documents say so by event.type alone (no event.action).
      const groupCreated = type.includes('group') && type.includes('creation');
      const wantsRecord = action !== undefined ? ACTIONS[action] !== 'none' : true;
      if (!wantsRecord) {
        expect(record, original).toBeUndefined();
        expect(DIFFER[`${program}.record`], `reason for no record: ${original}`).toBeDefined();
        continue;
      }
      expect(record, original).toBeDefined();
      if (action !== undefined) expect(record!.action, original).toBe(ACTIONS[action]);
      if (groupCreated) expect(record!.action, original).toBe('group.create');
      const r = record as unknown as Record<string, unknown>;
      const target = doc.user?.target?.name ?? doc.user?.target?.id;
      if (target !== undefined) expect(r.target, original).toBe(target);
      if (doc.group?.name !== undefined) expect(r.group, original).toBe(doc.group.name);
      // A group created is our target and group; without its name (raw audit records) Elastic gives its gid, as do we.
      if (groupCreated) {
        const group = doc.group?.name ?? doc.group?.id;
        expect(group, original).toBeDefined();
        expect(r.group, original).toBe(group);
        expect(r.target, original).toBe(group);
      }
      if (doc.user?.name !== undefined && r.actor !== doc.user.name) {
        expect(DIFFER[`${program}.user.name`], `reason user.name ${doc.user.name} ≠ actor ${String(r.actor)}: ${original}`).toBeDefined();
      }
      // Elastic's user.id is the login uid for audit records: our actor when the log has no names.
      if (doc.user?.id !== undefined && original!.startsWith('type=')) expect(r.actor).toBe(doc.user.id);
    }
  });
});

// Fixtures written for these tests in shadow-utils' own syslog formats (src/useradd.c, usermod.c,
// userdel.c, groupadd.c, groupdel.c, groupmod.c, gpasswd.c, passwd.c SYSLOG calls; shadow 4.13+ appends `from=` to `new user:`) and
// PAM's pam_unix (`password changed for`). Host and user names invented.
const sys = (program: string, text: string) => `<86>Nov 21 22:10:01 web1 ${program}[4242]: ${text}`;
const acct = { kind: 'account', platform: P, time: T, device: 'web1', path: 'os' } as const;

describe('linux shadow-utils and PAM lines', () => {
  it.each([
    [sys('useradd', 'new user: name=eve, UID=1002, GID=1002, home=/home/eve, shell=/bin/bash, from=/dev/pts/0'), { action: 'account.create', target: 'eve', technique: 'T1136.001' }],
    // `useradd -o -u 0`: a second root, whatever its name.
    [sys('useradd', 'new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/1'), { action: 'account.create', target: 'toor', privilege: 'uid=0', technique: 'T1136.001' }],
    [sys('useradd', "add 'eve' to group 'sudo'"), { action: 'group.add_member', target: 'eve', group: 'sudo', technique: 'T1098.007' }],
    [sys('usermod', "change user 'eve' UID from '1002' to '0'"), { action: 'privilege.change', target: 'eve', privilege: 'uid=0', technique: 'T1098' }],
    [sys('usermod', "change user 'eve' UID from '1002' to '1010'"), { action: 'account.modify', target: 'eve' }],
    [sys('usermod', "change user 'eve' shell from '/bin/sh' to '/bin/bash'"), { action: 'account.modify', target: 'eve' }],
    [sys('usermod', "change user 'eve' password"), { action: 'password.change', target: 'eve' }],
    [sys('usermod', "lock user 'eve' password"), { action: 'account.modify', target: 'eve' }],
    [sys('usermod', "delete 'eve' from group 'sudo'"), { action: 'group.remove_member', target: 'eve', group: 'sudo' }],
    [sys('passwd', "password for 'eve' changed by 'root'"), { action: 'password.change', target: 'eve', actor: 'root' }],
    [sys('chpasswd', 'pam_unix(chpasswd:chauthtok): password changed for eve'), { action: 'password.change', target: 'eve' }],
    [sys('chsh', "changed user 'eve' shell to '/bin/zsh'"), { action: 'account.modify', target: 'eve' }],
    // BusyBox (Alpine, OpenWrt): passwd's line without quotes, in its three spellings (loginutils/passwd.c), and chpasswd's.
    [sys('passwd', 'password for eve changed by root'), { action: 'password.change', target: 'eve', actor: 'root' }],
    [sys('passwd', 'Password for eve changed by root'), { action: 'password.change', target: 'eve', actor: 'root' }],
    [sys('passwd', "password for 'eve' changed by user 'root'"), { action: 'password.change', target: 'eve', actor: 'root' }],
    [sys('chpasswd', "Password for 'eve' changed"), { action: 'password.change', target: 'eve' }],
  ])('%s', (line, want) => {
    expect(run(line)).toEqual({ records: [{ ...acct, ...want }], unknown: [] });
  });

  it('reports a shadow-utils line in a wording it does not know, and not PAM\'s other lines', () => {
    expect(run(sys('useradd', 'created user: eve (1002)'))).toEqual({ records: [], unknown: ['linux:useradd'] });
    expect(run(sys('passwd', 'gkr-pam: couldn\'t update the login keyring password'))).toEqual({ records: [], unknown: [] });
  });

  // Names past the 256-character bound, or holding a space where the form has none, are no name any
  // rule reads: the line is counted and kept as unknown, never passed over as a quiet one.
  it.each([
    ['useradd', `new user: name=${'a'.repeat(300)}, UID=1001, GID=1001, home=/home/x, shell=/bin/bash`],
    ['useradd', 'new user: name=john smith, UID=1002, GID=1002, home=/home/x, shell=/bin/bash'],
    ['newusers', `new user: name=${'b'.repeat(257)}, UID=1003, GID=1003, home=/home/x, shell=/bin/bash`],
    ['passwd', `pam_unix(passwd:chauthtok): password changed for ${'a'.repeat(300)}`],
    ['passwd', 'pam_unix(passwd:chauthtok): password changed for john smith'],
    ['chpasswd', `pam_unix(chpasswd:chauthtok): password changed for ${'c'.repeat(257)}`],
    ['passwd', `password for '${'d'.repeat(300)}' changed by 'root'`],
    ['passwd', `password for ${'d'.repeat(300)} changed by root`],
    ['chpasswd', `Password for '${'d'.repeat(300)}' changed`],
    ['chage', `changed password expiry for ${'e'.repeat(300)}`],
    ['chsh', `changed user '${'f'.repeat(300)}' shell to '/bin/zsh'`],
    ['groupadd', `new group: name=${'g'.repeat(300)}, GID=1004`],
    ['groupdel', `group '${'h'.repeat(300)}' removed`],
  ])('reports %s\'s change line naming what no rule reads as unknown', (app, text) => {
    expect(run(sys(app, text))).toEqual({ records: [], unknown: [`linux:${app}`] });
  });

  it('takes no program for a shadow-utils one by an object\'s inherited names (its rules are looked up by the line\'s program name)', () => {
    for (const app of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(run(sys(app, "new user: name=eve, UID=1002, GID=1002, home=/home/eve, shell=/bin/bash"))).toEqual({ records: [], unknown: [] });
    }
    expect(run(sys('useradd', 'new user: name=eve, UID=1002, GID=1002, home=/home/eve, shell=/bin/bash')).records).toHaveLength(1);
  });

  it('reads `usermod -l` as the old name deleted and the new one made, so the population lists the name the account now has', () => {
    expect(run(sys('usermod', "change user name 'eve' to 'eva'"))).toEqual({
      records: [
        { ...acct, action: 'account.delete', target: 'eve' },
        { ...acct, action: 'account.create', target: 'eva', technique: 'T1098' },
      ],
      unknown: [],
    });
  });

  // shadow-utils before 4.2 quoted `thus' (userdel.c: SYSLOG ((LOG_INFO, "delete user `%s'\n", user_name))).
  it('reads the backtick-opened quotes of shadow-utils before 4.2 as the later ones', () => {
    expect(run(sys('usermod', "change user name `eve' to `eva'")).records).toEqual([
      { ...acct, action: 'account.delete', target: 'eve' },
      { ...acct, action: 'account.create', target: 'eva', technique: 'T1098' },
    ]);
    expect(run(sys('userdel', "delete user `eve'")).records).toEqual([{ ...acct, action: 'account.delete', target: 'eve', technique: 'T1531' }]);
    expect(run(sys('useradd', "add `eve' to group `wheel'")).records).toEqual([{ ...acct, action: 'group.add_member', target: 'eve', group: 'wheel', technique: 'T1098.007' }]);
    expect(run(sys('usermod', "change user `eve' UID from `1002' to `0'")).records).toEqual([{ ...acct, action: 'privilege.change', target: 'eve', privilege: 'uid=0', technique: 'T1098' }]);
  });

  it('yields one record per member for `gpasswd -M`', () => {
    expect(run(sys('gpasswd', 'members of group sudo set by root to alice,bob')).records).toEqual([
      { ...acct, action: 'group.add_member', actor: 'root', target: 'alice', group: 'sudo', technique: 'T1098.007' },
      { ...acct, action: 'group.add_member', actor: 'root', target: 'bob', group: 'sudo', technique: 'T1098.007' },
    ]);
  });

  // A group made or removed: the group is the target and the group, no technique, no actor.
  it.each([
    [sys('groupadd', 'new group: name=web, GID=1003'), 'group.create', 'web'],
    [sys('groupadd', 'group added to /etc/group: name=web, GID=1003'), 'group.create', 'web'],
    [sys('groupadd', 'group added to /etc/gshadow: name=web'), 'group.create', 'web'],
    [sys('useradd', 'new group: name=eve, GID=1002'), 'group.create', 'eve'],
    [sys('groupdel', "group 'web' removed"), 'group.delete', 'web'],
    [sys('groupdel', "group 'web' removed from /etc/group"), 'group.delete', 'web'],
    [sys('userdel', "removed group 'eve' owned by 'eve'"), 'group.delete', 'eve'],
    [sys('userdel', "removed shadow group 'eve' owned by 'eve'"), 'group.delete', 'eve'],
  ])('%s', (line, action, group) => {
    expect(run(line)).toEqual({ records: [{ ...acct, action, target: group, group }], unknown: [] });
  });

  it.each([
    sys('useradd', "failed adding user 'aol', exit code: 4"),
    sys('groupmod', "change group `web' to `www'"), // shadow 4.1 groupmod renaming a group: no action for that
    sys('usermod', "change 'eve' to 'eva' in group 'sudo'"),
    sys('passwd', 'pam_unix(passwd:chauthtok): authentication token manipulation error'),
    sys('sshd', 'pam_unix(sshd:session): session opened for user eve by (uid=0)'),
    sys('sudo', '   eve : TTY=pts/0 ; PWD=/home/eve ; USER=root ; COMMAND=/usr/sbin/useradd -m mallory'),
    // shadow-utils' own lines that change no account (src/*.c SYSLOG calls), known so they are not unknown.
    sys('gpasswd', 'password of group sudo changed by root'),
    sys('gpasswd', 'password of group sudo removed by root'),
    sys('gpasswd', 'access to group sudo restricted by root'),
    sys('gpasswd', 'root failed to add user eve to group sudo'),
    sys('useradd', 'useradd defaults: GROUP=100, HOME=/home, SHELL=/bin/sh, INACTIVE=-1, EXPIRE=, SKEL=/etc/skel, CREATE_MAIL_SPOOL=no, LOG_INIT=yes'),
    sys('usermod', "change admin 'eve' to 'eva' in shadow group 'sudo'"),
    sys('userdel', '/var/mail/eve not owned by eve, not removed'),
    sys('passwd', "password locked for 'eve'"),
  ])('yields nothing for %s', (line) => {
    expect(run(line)).toEqual({ records: [], unknown: [] });
  });
});

// Fixtures written for these tests in the Linux audit record format (audit-userspace: audit.log,
// audispd/audisp-syslog `node=` prefix, journald `audit[pid]: TYPE …`, the kernel's numbered
// `audit: type=1114`; shadow-utils' op texts in its two spellings; hex-encoded acct). The event
// time 1795299001.123 is 2026-11-21T22:10:01.123Z.
const audit = (type: string, fields: string, serial = 42) => `type=${type} msg=audit(1795299001.123:${serial}): pid=77 uid=0 auid=1000 ses=3 ${fields}`;

describe('linux audit records', () => {
  const base = { kind: 'account', platform: P, time: AUDIT_T, device: 'host1', path: 'os', actor: '1000' } as const;

  it('reads audispd and audisp-syslog forwarding, the node naming the host', () => {
    const line = `<86>Nov 21 22:10:01 collector audispd: node=host1 ${audit('ADD_USER', "msg='op=add-user acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'")}`;
    expect(run(line).records).toEqual([{ ...base, action: 'account.create', target: 'eve', technique: 'T1136.001' }]);
    const plain = `<86>Nov 21 22:10:01 host1 audisp-syslog: ${audit('DEL_USER', "msg='op=delete-user acct=\"eve\" exe=\"/usr/sbin/userdel\" hostname=? addr=10.9.9.9 terminal=pts/0 res=success'")}`;
    expect(run(plain).records).toEqual([{ ...base, action: 'account.delete', target: 'eve', technique: 'T1531', actorAddress: '10.9.9.9' }]);
  });

  it('reads the kernel\'s numbered form and journald\'s form', () => {
    const kernel = `<4>Nov 21 22:10:01 host1 kernel: audit: type=1114 audit(1795299001.123:42): pid=77 uid=0 auid=1000 ses=3 msg='op=adding user acct="eve" exe="/usr/sbin/useradd" hostname=host1 addr=? terminal=pts/0 res=success'`;
    expect(run(kernel).records).toEqual([{ ...base, action: 'account.create', target: 'eve', technique: 'T1136.001' }]);
    // The printk time kept in front (Ubuntu's kern.log), right-aligned or not; another kernel line stays unread.
    for (const stamp of ['[ 5473.123456] ', '[165047.702399] ']) {
      expect(run(kernel.replace('kernel: audit:', `kernel: ${stamp}audit:`)).records).toEqual(run(kernel).records);
    }
    expect(run('<4>Nov 21 22:10:01 host1 kernel: [ 5473.123456] usb 1-1: new high-speed USB device number 2 using xhci_hcd').records).toEqual([]);
    expect(run(kernel.replace('kernel: audit:', 'kernel: [5473] audit:')).records).toEqual([]);
    const journal = `<86>Nov 21 22:10:01 host1 audit[77]: USER_CHAUTHTOK pid=77 uid=0 auid=1000 ses=3 msg='op=PAM:chauthtok acct="eve" exe="/usr/bin/passwd" hostname=? addr=? terminal=pts/0 res=success'`;
    expect(run(journal).records).toEqual([{ ...base, time: T, action: 'password.change', target: 'eve' }]);
  });

  // ENRICHED's 0x1d before the names auditd added, as rsyslog relays it (`#035`): real lines of
  // an rsyslog collector's file (test/corpus/README.md), and one account record written so.
  it('reads the names ENRICHED adds after rsyslog escaped their separator as #035', () => {
    for (const { text } of fileLines('syslog/linux/public-rsyslog-imfile-auditd-enriched.relevant')) {
      const r = readAuditRecord(text.slice(text.indexOf('type=')))!;
      expect([value(r, 'UID'), value(r, 'AUID')]).toEqual(['root', 'vagrant']);
    }
    const [, , , , watched] = fileLines('syslog/linux/public-rsyslog-imfile-auditd-enriched.relevant');
    const syscall = readAuditRecord(watched!.text.slice(watched!.text.indexOf('type=')))!;
    expect([value(syscall, 'key'), value(syscall, 'ARCH'), value(syscall, 'SYSCALL')]).toEqual(['nginx_conf', 'x86_64', 'openat']);
    // useradd run with no login uid (a service, cloud-init): the actor is the UID auditd named.
    const line = `<86>Nov 21 22:10:01 host1 audisp-syslog: ${audit('ADD_USER', "msg='op=add-user acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=? res=success'")}#035UID="root" AUID="unset"`
      .replace('auid=1000', 'auid=4294967295');
    expect(run(line).records).toEqual([{ ...base, actor: 'root', action: 'account.create', target: 'eve', technique: 'T1136.001' }]);
  });

  it("reads an audit record whose program rsyslog's imfile sent as the text's first word (a Tag set without its colon)", () => {
    // The collector's file (test/corpus/syslog/linux/public-rsyslog-imfile-auditd-enriched.relevant):
    // `Mar  7 19:43:35 web auditd type=USER_END …`; an account record in that form reads as sent bare.
    const record = audit('ADD_USER', "msg='op=add-user acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'");
    const bare = run(`<86>Nov 21 22:10:01 host1 audisp-syslog: ${record}`).records;
    expect(bare).toHaveLength(1);
    for (const program of ['auditd', 'audispd', 'audisp-syslog', 'audit']) {
      expect(run(`Nov 21 22:10:01 host1 ${program} ${record}`).records, program).toEqual(bare);
      expect(run(`Nov 21 22:10:01 host1 ${program} node=host1 ${record}`).records, program).toEqual(bare);
    }
    // Another first word, or a program's word not followed by a record, is no audit record.
    for (const text of [`Nov 21 22:10:01 host1 nginx ${record}`, 'Nov 21 22:10:01 host1 auditd started, type=none', `Nov 21 22:10:01 host1 auditd  ${record}`]) {
      expect(run(text).records, text).toEqual([]);
    }
  });

  it('decodes a hex-encoded account name', () => {
    const line = `node=host1 ${audit('ADD_USER', "msg='op=add-user acct=626F6220736D697468 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'")}`;
    expect(run(line).records[0]).toMatchObject({ target: 'bob smith' });
  });

  it('reads no change from an op that only displays (chage -l writes USER_CHAUTHTOK op=display aging info, res=1)', () => {
    // shadow-utils' chage.c: audit_logger (AUDIT_USER_CHAUTHTOK, Prog, "display aging info", user_name, user_uid, 1).
    const listed = `node=host1 ${audit('USER_CHAUTHTOK', "msg='op=display aging info id=1004 exe=\"/usr/bin/chage\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(listed).records).toEqual([]);
    // The same program changing the ages is a change.
    const changed = `node=host1 ${audit('USER_CHAUTHTOK', "msg='op=change age id=1004 exe=\"/usr/bin/chage\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(changed).records).toEqual([{ ...base, action: 'account.modify', target: '1004' }]);
  });

  it('reads group memberships from USER_MGMT, and leaves useradd\'s side effects out', () => {
    const member = `node=host1 ${audit('USER_MGMT', "msg='op=add-user-to-group grp=\"wheel\" acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'")}`;
    expect(run(member).records).toEqual([{ ...base, action: 'group.add_member', target: 'eve', group: 'wheel', technique: 'T1098.007' }]);
    const home = `node=host1 ${audit('USER_MGMT', "msg='op=add-home-dir id=1002 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'")}`;
    expect(run(home).records).toEqual([]);
  });

  // shadow-utils' gpasswd.c since 4.17.4: audit_logger_with_group (AUDIT_USER_MGMT, "add-users-to-group", members, …, "grp", group, …).
  it('reads each member of a list `gpasswd -M` sets as an account of its own, never the list as one name', () => {
    const set = `node=host1 ${audit('USER_MGMT', "msg='op=add-users-to-group grp=\"wheel\" acct=\"alice,bob\" exe=\"/usr/bin/gpasswd\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(set).records).toEqual([
      { ...base, action: 'group.add_member', target: 'alice', group: 'wheel', technique: 'T1098.007' },
      { ...base, action: 'group.add_member', target: 'bob', group: 'wheel', technique: 'T1098.007' },
    ]);
  });

  // passwd.c, shadow-utils' and RHEL's alike: audit_log_acct_message(…, AUDIT_USER_MGMT, NULL,
  // "changed-password-aging min=%li max=%li warn=%li inact=%li" | "expired-password", NULL, pw_uid, …).
  it('reads a password\'s aging set or expired (passwd -x, passwd -e) as the account changed, not its password', () => {
    const aging = `node=host1 ${audit('USER_MGMT', "msg='op=changed-password-aging min=0 max=90 warn=7 inact=-1 id=1004 exe=\"/usr/bin/passwd\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(aging).records).toEqual([{ ...base, action: 'account.modify', target: '1004' }]);
    const expired = `node=host1 ${audit('USER_MGMT', "msg='op=expired-password id=1004 exe=\"/usr/bin/passwd\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(expired).records).toEqual([{ ...base, action: 'account.modify', target: '1004' }]);
    // Its password removed (passwd -d) is its password changed.
    const deleted = `node=host1 ${audit('USER_CHAUTHTOK', "msg='op=deleted-password id=1004 exe=\"/usr/bin/passwd\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(deleted).records).toEqual([{ ...base, action: 'password.change', target: '1004' }]);
  });

  it('reads a group made or removed (ADD_GROUP, DEL_GROUP), the group as target, no technique', () => {
    expect(run(`node=host1 ${audit('ADD_GROUP', "msg='op=add-group acct=\"web\" exe=\"/usr/sbin/groupadd\" hostname=? addr=? terminal=pts/0 res=success'")}`).records)
      .toEqual([{ ...base, action: 'group.create', target: 'web', group: 'web' }]);
    expect(run(`node=host1 ${audit('DEL_GROUP', "msg='op=delete-group acct=\"web\" exe=\"/usr/sbin/groupdel\" hostname=? addr=? terminal=pts/0 res=success'")}`).records)
      .toEqual([{ ...base, action: 'group.delete', target: 'web', group: 'web' }]);
  });

  it('reads an account named by UID 0 alone as a UID 0 account, never as root: useradd -o -u 0 before shadow 4.6, usermod -o -u 0', () => {
    // libaudit writes the UID instead of the name whenever it is given both; auditd's ENRICHED `ID`
    // names UID 0's first holder, root. Read as `root` made or changed, the second root was no superuser.
    const made = `node=host1 ${audit('ADD_USER', "msg='op=adding user id=0 exe=\"/usr/sbin/useradd\" hostname=host1 addr=? terminal=pts/0 res=success'")}`;
    expect(run(made).records).toEqual([{ ...base, action: 'account.create', target: 'UID 0', privilege: 'uid=0', technique: 'T1136.001' }]);
    const changed = `node=host1 ${audit('USER_MGMT', "msg='op=changing-uid id=0 exe=\"/usr/sbin/usermod\" hostname=host1 addr=? terminal=pts/0 res=success'")}UID="root" AUID="mallory" ID="root"`;
    expect(run(changed).records).toEqual([{ ...base, actor: 'mallory', action: 'privilege.change', target: 'UID 0', privilege: 'uid=0', technique: 'T1098' }]);
    const removed = `node=host1 ${audit('DEL_USER', "msg='op=deleting user id=0 exe=\"/usr/sbin/userdel\" hostname=host1 addr=? terminal=pts/0 res=success'")}UID="root" AUID="mallory" ID="root"`;
    expect(run(removed).records).toEqual([{ ...base, actor: 'mallory', action: 'account.delete', target: 'UID 0', technique: 'T1531' }]);
    // Another UID names its account, and a change to it is a change.
    const renumbered = `node=host1 ${audit('USER_MGMT', "msg='op=changing-uid id=1010 exe=\"/usr/sbin/usermod\" hostname=host1 addr=? terminal=pts/0 res=success'")}UID="root" AUID="mallory" ID="bob"`;
    expect(run(renumbered).records).toEqual([{ ...base, actor: 'mallory', action: 'account.modify', target: 'bob' }]);
  });

  it('yields nothing for a failed change or an unset account', () => {
    expect(run(`node=host1 ${audit('ADD_USER', "msg='op=add-user acct=\"eve\" exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=failed'")}`).records).toEqual([]);
    expect(run(`node=host1 ${audit('ADD_GROUP', "msg='op=add-group acct=\"web\" exe=\"/usr/sbin/groupadd\" hostname=? addr=? terminal=pts/0 res=failed'")}`).records).toEqual([]);
    expect(run(`node=host1 ${audit('ADD_USER', "msg='op=add-user id=4294967295 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'")}`).records).toEqual([]);
  });

  describe('direct edits of the account files (audit watch `-w /etc/passwd -p wa -k identity`)', () => {
    const syscall = (exe: string, serial: number, success = 'yes') =>
      `node=host1 type=SYSCALL msg=audit(1795299001.123:${serial}): arch=c000003e syscall=257 success=${success} exit=3 a0=ffffff9c a1=55d0 a2=441 a3=1b6 items=2 ppid=70 pid=77 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="x" exe="${exe}" key="identity"`;
    const path = (serial: number, item: number, name: string, nametype = 'NORMAL') =>
      `node=host1 type=PATH msg=audit(1795299001.123:${serial}): item=${item} name="${name}" inode=1 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=${nametype} cap_fp=0`;

    it('yields account.modify on the file, once per event, with the program as command', () => {
      const watch = recogniser(linux.recognise!, P);
      expect(watch(syscall('/usr/bin/bash', 50)).records).toEqual([]);
      expect(watch(path(50, 0, '/etc/')).records).toEqual([]);
      expect(watch(path(50, 1, '/etc/passwd')).records).toEqual([
        { ...base, action: 'account.modify', target: '/etc/passwd', technique: 'T1098', command: '/usr/bin/bash' },
      ]);
      expect(watch(path(50, 2, '/etc/passwd', 'CREATE')).records).toEqual([]);
    });

    it('yields nothing for the account tools (their own records say it), failures, or a PATH without its SYSCALL', () => {
      const watch = recogniser(linux.recognise!, P);
      watch(syscall('/usr/sbin/useradd', 51));
      expect(watch(path(51, 1, '/etc/passwd')).records).toEqual([]);
      watch(syscall('/usr/bin/vi', 52, 'no'));
      expect(watch(path(52, 1, '/etc/shadow')).records).toEqual([]);
      expect(watch(path(53, 1, '/etc/group')).records).toEqual([]);
    });

    it('remembers a bounded number of pending events (256), forgetting the oldest first', () => {
      const watch = recogniser(linux.recognise!, P);
      for (let s = 1; s <= 257; s++) watch(syscall('/usr/bin/bash', s));
      expect(watch(path(1, 1, '/etc/passwd')).records).toEqual([]);
      expect(watch(path(2, 1, '/etc/passwd')).records).toHaveLength(1);
      expect(watch(path(257, 1, '/etc/passwd')).records).toHaveLength(1);
      // Completed events stay counted until pushed out, and the bound holds after many more.
      for (let s = 258; s < 5_000; s++) watch(syscall('/usr/bin/bash', s));
      expect(watch(path(4_743, 1, '/etc/passwd')).records).toEqual([]);
      expect(watch(path(4_744, 1, '/etc/passwd')).records).toHaveLength(1);
    });
  });

  it('never throws on hostile input', () => {
    for (const text of [
      "type=ADD_USER msg=audit(1:1): msg='",
      "type=USER_MGMT msg=audit(99999999999.999:1): __proto__=1 constructor=x msg='op=' res=success'",
      `type=ADD_USER msg=audit(1.1:1): ${'a=b '.repeat(10_000)}`,
      'node= type=PATH msg=audit(1.1:1): name=',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
