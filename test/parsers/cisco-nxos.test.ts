import { describe, expect, it } from 'vitest';
import { recognise } from '../../parsers/cisco-nxos/syslog.js';
import { platformById } from '../../parsers/index.js';
import { cases, files } from './cases/cisco-nxos.js';
import { checkCorpus, recogniser } from './harness.js';

const P = 'cisco-nxos';
const run = (line: string) => recogniser(recognise, P)(line);
const base = { platform: P, device: 'nx1' };
const T = '2026-11-21T22:10:01.000Z';

// The corpus has no NX-OS syslog. Fixtures are written for these tests in the formats of the
// Cisco Nexus 9000 Series NX-OS System Message Reference (AAA-6-AAA_ACCOUNTING_MESSAGE,
// VSHD-5-VSHD_SYSLOG_CONFIG_I, AUTHPRIV-*-SYSTEM_MSG, DAEMON-3-SYSTEM_MSG), as the rsyslog
// liblognorm Cisco rulebase and RSA NetWitness's Nexus parser document the accounting wording;
// names and addresses invented.
const nx = (tag: string, text: string) => `<190>2026 Nov 21 22:10:01 nx1 %${tag}: ${text}`;
const acct = (text: string) => nx('AAA-6-AAA_ACCOUNTING_MESSAGE', text);

describe('cisco-nxos corpus', () => {
  it('has no corpus lines yet, and says so', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('cisco-nxos accounting log', () => {
  it('yields a command and an account.set with the role for a global username command, redacted', () => {
    const { records } = run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob password 0 Cleartext1 role network-admin (SUCCESS)'));
    expect(records).toEqual([
      {
        ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli',
        command: 'configure terminal ; username bob password 0 <redacted> role network-admin',
      },
      {
        ...base, kind: 'account', action: 'account.set', time: T, target: 'bob', role: 'network-admin', actor: 'netadmin',
        actorAddress: '192.0.2.44', path: 'cli', technique: 'T1136.001', command: 'username bob password 0 <redacted> role network-admin',
      },
    ]);
  });

  it('reads a hashed password before the role, and an added role alone as T1098', () => {
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username ops password 5 $5$Kd1L$abc role network-operator (SUCCESS)')).records[1])
      .toMatchObject({ target: 'ops', role: 'network-operator', technique: 'T1136.001', command: 'username ops password 5 <redacted> role network-operator' });
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username ops role network-admin (SUCCESS)')).records[1])
      .toMatchObject({ action: 'account.set', role: 'network-admin', technique: 'T1098' });
  });

  it('deletes with `no username`, modifies with `no username x role …`', () => {
    expect(run(acct('update:192.0.2.44@pts/1:netadmin:configure terminal ; no username bob (SUCCESS)')).records[1])
      .toMatchObject({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    expect(run(acct('update:192.0.2.44@pts/1:netadmin:configure terminal ; no username bob role network-admin (SUCCESS)')).records[1])
      .toMatchObject({ action: 'account.modify', target: 'bob' });
  });

  it('takes only commands that succeeded', () => {
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob role network-admin (REDIRECT))')).records).toEqual([]);
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob role network-admin (FAILURE)')).records).toEqual([]);
  });

  it('sees no account in a username word below global configuration', () => {
    const { records } = run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; interface Ethernet1/1 ; description username bob (SUCCESS)'));
    expect(records.map((r) => r.kind)).toEqual(['command']);
  });

  it.each(['show running-config | include username', 'show users', 'show aaa accounting'])('yields only a command record for `%s`', (command) => {
    expect(run(acct(`update:192.0.2.44@pts/0:aaa:${command} (SUCCESS)`)).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('yields session start and stop, and no path or address for an internal VSH source', () => {
    expect(run(acct('start:192.0.2.44@pts/0:netadmin:')).records).toEqual([
      { ...base, kind: 'session', action: 'session.start', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(acct('stop:192.0.2.44@pts/0:netadmin:shell terminated gracefully')).records[0]).toMatchObject({ action: 'session.stop' });
    const internal = run(acct('update:vsh.20734:netadmin:configure terminal ; username svc password 0 x role network-operator (SUCCESS)')).records;
    expect(internal[1]).toMatchObject({ target: 'svc', actor: 'netadmin' });
    expect(internal[1]).not.toHaveProperty('path');
    expect(internal[1]).not.toHaveProperty('actorAddress');
  });

  it('reads an IPv6 source', () => {
    expect(run(acct('start:2001:db8::44@pts/2:netadmin:')).records[0]).toMatchObject({ actorAddress: '2001:db8::44', path: 'cli' });
  });
});

describe('cisco-nxos sessions and configuration', () => {
  it('yields a command record for VSHD_SYSLOG_CONFIG_I with user and address', () => {
    expect(run(nx('VSHD-5-VSHD_SYSLOG_CONFIG_I', 'Configured from vty by netadmin on 192.0.2.44@pts/3')).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'Configured from vty by netadmin on 192.0.2.44@pts/3' },
    ]);
  });

  it('yields login.failed and login from PAM lines', () => {
    expect(run(nx('AUTHPRIV-3-SYSTEM_MSG', 'pam_aaa:Authentication failed from 198.51.100.7 - dcos_sshd[8121]')).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', time: T, actorAddress: '198.51.100.7', path: 'cli' },
    ]);
    expect(run(nx('AUTHPRIV-6-SYSTEM_MSG', 'pam_unix(dcos_sshd:session): session opened for user netadmin by (uid=0) - dcos_sshd[8122]')).records).toEqual([
      { ...base, kind: 'session', action: 'login', time: T, actor: 'netadmin', path: 'cli' },
    ]);
    expect(run(nx('DAEMON-3-SYSTEM_MSG', 'error: PAM: Authentication failure for illegal user ***** from 198.51.100.7 - dcos_sshd[8123]')).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', time: T, actorAddress: '198.51.100.7', path: 'cli' },
    ]);
  });

  it('takes no account from the OS-level echo of a username command (the accounting record has the actor)', () => {
    expect(run(nx('AUTHPRIV-5-SYSTEM_MSG', 'New user added with username bob - vsh')).records).toEqual([]);
    expect(run(nx('AUTHPRIV-6-SYSTEM_MSG', "add 'bob' to group 'network-admin' - usermod[8124]")).records).toEqual([]);
  });

  it('reports unknown AAA_ and VSHD mnemonics, and leaves IOS AAA mnemonics alone', () => {
    expect(run(nx('AAA-2-AAA_PROGRAM_EXIT', 'aaa daemon exiting')).unknown).toEqual(['cisco-nxos:AAA-2-AAA_PROGRAM_EXIT']);
    expect(run(nx('VSHD-5-VSHD_SYSLOG_ROLE_CREATED', 'role x created')).unknown).toEqual(['cisco-nxos:VSHD-5-VSHD_SYSLOG_ROLE_CREATED']);
    expect(run(nx('AAA-3-BADSERVERTYPEERROR', 'x'))).toEqual({ records: [], unknown: [] });
    expect(run(nx('ETHPORT-5-IF_UP', 'Interface Ethernet1/1 is up in mode access'))).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the cisco-nxos platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
