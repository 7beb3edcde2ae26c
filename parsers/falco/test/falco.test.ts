import { describe, expect, it } from 'vitest';
import { commandChanges } from '../../lib/host-commands.js';
import { falco } from '../index.js';
import { platformById } from '../../index.js';
import { fileLines, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'falco';
const run = (line: string) => recogniser(falco.recognise!, P)(line);

describe('falco corpus', () => {
  it('yields the expected records for every corpus line', () => {
    expect(platformCaseProblems(falco, files, cases)).toEqual([]);
  });

  it('reads a real host alert whole', () => {
    const [first] = fileLines('syslog/falco/falco_syslog_user_mgmt.log');
    expect(run(first!.text)).toEqual({
      records: [{
        kind: 'account', action: 'account.create', platform: P, time: '2026-05-22T08:06:58.000Z', device: 'digitalocean',
        actor: 'root', path: 'os', target: 'wibble', technique: 'T1136.001', command: 'adduser wibble',
      }],
      unknown: [],
    });
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(falco);
  });
});

// Fixtures written for these tests in Falco's output formats: JSON (`json_output: true`: time,
// rule, priority, output, output_fields, hostname, tags; falco.org "Supported Fields") and text
// (`HH:MM:SS.ns: Priority Output (field=value …)` as the corpus lines). The AN1239 rule is the
// "User mgmt binaries" condition without `not container` (docs/notes/detections.md §3);
// container ids, images and names invented.
const alert = (rule: string, fields: Record<string, unknown>, output = `${rule} (user=root)`) =>
  JSON.stringify({
    time: '2026-11-21T22:10:01.123456789Z', rule, priority: 'Notice', source: 'syscall', hostname: 'node-1',
    tags: ['container', 'users', 'mitre_persistence', 'T1136.001'], output, output_fields: fields,
  });
const inContainer = {
  'container.id': '5240d67d92bb', 'container.name': 'web', 'container.image.repository': 'docker.io/library/nginx',
  'container.image.tag': '1.27', 'k8s.pod.name': 'web-5b567ff889-ttc64', 'k8s.ns.name': 'shop',
};
const T = '2026-11-21T22:10:01.123Z';
const base = { kind: 'account', platform: P, time: T, device: 'node-1', actor: 'root', path: 'os' } as const;
const container = { id: '5240d67d92bb', name: 'web', image: 'docker.io/library/nginx:1.27', pod: 'web-5b567ff889-ttc64', namespace: 'shop' };

describe('falco user management in a container (AN1239)', () => {
  it('yields account.create with the container, and the group memberships asked for', () => {
    const line = alert('User mgmt binaries in container', {
      'evt.type': 'execve', 'user.name': 'root', 'proc.name': 'useradd', 'proc.cmdline': 'useradd -m -G sudo,docker eve', ...inContainer,
    });
    const command = 'useradd -m -G sudo,docker eve';
    expect(run(line).records).toEqual([
      { ...base, action: 'account.create', target: 'eve', technique: 'T1136.001', command, container },
      { ...base, action: 'group.add_member', target: 'eve', group: 'sudo', technique: 'T1098.007', command, container },
      { ...base, action: 'group.add_member', target: 'eve', group: 'docker', technique: 'T1098.007', command, container },
    ]);
  });

  it('recognises a user-management program run by any rule that reports an execve', () => {
    const line = alert('Launch Privileged Tool', { 'evt.type': 'execve', 'user.name': 'root', 'proc.cmdline': 'usermod -aG wheel bob', 'container.id': 'host' });
    expect(run(line).records).toEqual([
      { ...base, action: 'group.add_member', target: 'bob', group: 'wheel', technique: 'T1098.007', command: 'usermod -aG wheel bob' },
    ]);
  });

  it('redacts a password given on the command line', () => {
    const line = alert('User mgmt binaries', { 'evt.type': 'execve', 'user.name': 'root', 'proc.cmdline': 'useradd -p Cleartext1 eve', 'container.id': 'host' });
    const { records } = run(line);
    expect(records[0]).toMatchObject({ action: 'account.create', target: 'eve', command: 'useradd -p <redacted> eve' });
    expect(JSON.stringify(records)).not.toContain('Cleartext1');
  });
});

describe('falco writes to the account files', () => {
  it('yields account.modify on the file from a JSON "Write below etc" alert', () => {
    const line = alert('Write below etc', { 'evt.type': 'openat', 'user.name': 'root', 'proc.name': 'bash', 'proc.cmdline': 'bash -c echo x >> /etc/passwd', 'fd.name': '/etc/passwd', ...inContainer }, 'File below /etc opened for writing (user=root)');
    expect(run(line).records).toEqual([
      { ...base, action: 'account.modify', target: '/etc/passwd', technique: 'T1098', command: 'bash -c echo x >> /etc/passwd', container },
    ]);
  });

  it('yields nothing for other files, reads, and the account tools\' own writes', () => {
    const write = (file: string, cmd: string) =>
      alert('Write below etc', { 'evt.type': 'openat', 'user.name': 'root', 'proc.cmdline': cmd, 'fd.name': file }, 'File below /etc opened for writing (user=root)');
    expect(run(write('/etc/hosts', 'bash')).records).toEqual([]);
    expect(run(write('/etc/shadow', 'useradd eve')).records).toEqual([]);
    expect(run(alert('Read sensitive file untrusted', { 'user.name': 'root', 'proc.cmdline': 'cat /etc/shadow', 'fd.name': '/etc/shadow' })).records).toEqual([]);
  });

  it('reads the text form with an ISO stamp', () => {
    const line =
      '<85>Nov 21 22:10:01 node-2 falco[77]: 2026-11-21T22:10:01.123456789+0000: Error File below /etc opened for writing ' +
      '(user=root user_loginuid=-1 command=sed -i s/x/y/ /etc/group parent=bash pcmdline=bash file=/etc/group program=sed container_id=host image=<NA>)';
    expect(run(line).records).toEqual([
      { ...base, device: 'node-2', action: 'account.modify', target: '/etc/group', technique: 'T1098', command: 'sed -i s/x/y/ /etc/group' },
    ]);
  });

  it('reads the text form of the rules since falcosecurity/rules 2.0 (`Sentence | field=value …`, no parentheses)', () => {
    // The fields as the rules print them: `| evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid
    // process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty`, then
    // %container.info; a command ending in `)` and holding ` | ` stays whole.
    const mgmt =
      '<85>Nov 21 22:10:01 node-2 falco[77]: 22:10:01.123456789: Notice User management binary command run outside of container | ' +
      'evt_type=execve user=root user_uid=0 user_loginuid=1000 process=useradd proc_exepath=/usr/sbin/useradd parent=bash command=useradd -m eve terminal=34816 container_id=host container_name=host';
    expect(run(mgmt).records).toEqual([
      { kind: 'account', action: 'account.create', platform: P, time: '2026-11-21T22:10:01.000Z', device: 'node-2', actor: 'root', path: 'os', target: 'eve', technique: 'T1136.001', command: 'useradd -m eve' },
    ]);
    const write =
      '<85>Nov 21 22:10:01 node-2 falco[77]: 2026-11-21T22:10:01.123456789+0000: Error File below /etc opened for writing | ' +
      'file=/etc/group pcmdline=bash evt_type=openat user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/sh parent=bash command=sh -c echo x | tee -a /etc/group (x) terminal=0 container_id=host';
    expect(run(write).records).toEqual([
      { ...base, device: 'node-2', action: 'account.modify', target: '/etc/group', technique: 'T1098', command: 'sh -c echo x | tee -a /etc/group (x)' },
    ]);
  });
});

describe('falco command lines', () => {
  it.each([
    ['useradd -D', []],
    ['passwd -S bob', []],
    ['chage -l bob', []],
    ['chpasswd', []],
    ['groupadd staff', [{ action: 'group.create', target: 'staff', group: 'staff' }]],
    ['/usr/sbin/groupadd -g 1500 -U alice,bob staff', [
      { action: 'group.create', target: 'staff', group: 'staff' },
      { action: 'group.add_member', target: 'alice', group: 'staff', technique: 'T1098.007' },
      { action: 'group.add_member', target: 'bob', group: 'staff', technique: 'T1098.007' },
    ]],
    ['groupdel -f staff', [{ action: 'group.delete', target: 'staff', group: 'staff' }]],
    ['addgroup --gid 1500 staff', [{ action: 'group.create', target: 'staff', group: 'staff' }]],
    ['delgroup staff', [{ action: 'group.delete', target: 'staff', group: 'staff' }]],
    ['delgroup bob docker', [{ action: 'group.remove_member', target: 'bob', group: 'docker' }]],
    ['passwd bob', [{ action: 'password.change', target: 'bob' }]],
    ['passwd -l bob', [{ action: 'account.modify', target: 'bob' }]],
    ['/usr/sbin/userdel -r bob', [{ action: 'account.delete', target: 'bob', technique: 'T1531' }]],
    ['deluser bob sudo', [{ action: 'group.remove_member', target: 'bob', group: 'sudo' }]],
    ['adduser bob sudo', [{ action: 'group.add_member', target: 'bob', group: 'sudo', technique: 'T1098.007' }]],
    ['adduser --disabled-password --gecos "" eve', [{ action: 'account.create', target: 'eve', technique: 'T1136.001' }]],
    ['adduser -D -G wheel eve', [{ action: 'account.create', target: 'eve', technique: 'T1136.001' }, { action: 'group.add_member', target: 'eve', group: 'wheel', technique: 'T1098.007' }]],
    ['gpasswd -a alice sudo', [{ action: 'group.add_member', target: 'alice', group: 'sudo', technique: 'T1098.007' }]],
    ['gpasswd -d alice sudo', [{ action: 'group.remove_member', target: 'alice', group: 'sudo' }]],
    ['usermod -o -u 0 eve', [{ action: 'privilege.change', target: 'eve', privilege: 'uid=0', technique: 'T1098' }]],
    ['usermod -s /bin/bash eve', [{ action: 'account.modify', target: 'eve' }]],
    ['usermod -p x -s /bin/sh eve', [{ action: 'password.change', target: 'eve' }, { action: 'account.modify', target: 'eve' }]],
    ['addgroup bob docker', [{ action: 'group.add_member', target: 'bob', group: 'docker', technique: 'T1098.007' }]],
  ])('%s', (cmd, want) => {
    expect(commandChanges(cmd)).toEqual(want);
  });

  it('takes the running user for `passwd` without an argument', () => {
    expect(commandChanges('passwd', 'alice')).toEqual([{ action: 'password.change', target: 'alice' }]);
  });
});

describe('falco other traffic', () => {
  it('ignores other JSON and other programs', () => {
    expect(run('{"rule":"x","output":"y"}')).toEqual({ records: [], unknown: [] });
    expect(run('<85>Nov 21 22:10:01 node-2 sshd[1]: User management binary command run (command=useradd x)')).toEqual({ records: [], unknown: [] });
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '{"rule":"User mgmt binaries","output":"x","output_fields":{"proc.cmdline":{"__proto__":1}}}',
      '{"rule":"User mgmt binaries","output":"x","output_fields":{"proc.cmdline":"useradd ' + '-G '.repeat(5000) + '"}}',
      '<85>Nov 21 22:10:01 n falco: User management binary command run (command=',
      `<85>Nov 21 22:10:01 n falco: User management binary command run (${'user=x '.repeat(10_000)})`,
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
