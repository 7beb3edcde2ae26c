import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import type { AccountEvent } from '../../../src/types.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'arista-eos';
const run = (line: string) => recogniser(recognise, P)(line);
const base = { platform: P, device: 'leaf1', time: '2026-11-21T22:10:01.000Z' };

// The corpus has no EOS syslog. Fixtures are written for these tests in the formats of the
// Arista EOS manual ("Using AAA to log all commands", AAA accounting to the system log,
// SYS-5-CONFIG_E/I) and the EOS messages seen in public captures (`Aaa:` agent prefix, optional
// sequence number, `command-api` terminal for eAPI); names and addresses invented.
const eos = (agent: string, text: string) => `<189>Nov 21 22:10:01 leaf1 ${agent}: ${text}`;
const cmd = (user: string, tty: string, addr: string, command: string, phase = 'stop') =>
  eos('Aaa', `%ACCOUNTING-6-CMD: ${user} ${tty} ${addr} ${phase} task_id=17 start_time=1763763001.5 timezone=UTC service=shell priv-lvl=15 cmd=${command} <cr>`);

describe('arista-eos corpus', () => {
  it('has no corpus lines yet, and says so', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('arista-eos command accounting', () => {
  it('yields a command and an account.set for a username command, redacted, with privilege and role', () => {
    const { records } = run(cmd('netadmin', 'vty6', '192.0.2.44', 'username bob privilege 15 role network-admin secret 0 Cleartext1'));
    expect(records).toEqual([
      {
        ...base, kind: 'command', action: 'command', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', privilege: '15',
        command: 'username bob privilege 15 role network-admin secret 0 <redacted>',
      },
      {
        ...base, kind: 'account', action: 'account.set', target: 'bob', privilege: '15', role: 'network-admin', actor: 'netadmin',
        actorAddress: '192.0.2.44', path: 'cli', technique: 'T1136.001', command: 'username bob privilege 15 role network-admin secret 0 <redacted>',
      },
    ]);
  });

  it('labels eAPI commands with the rest path', () => {
    const { records } = run(cmd('automation', 'command-api', '192.0.2.60', 'username svc secret sha512 $6$Vq2Xb1$abcdef'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'svc', path: 'rest', command: 'username svc secret sha512 <redacted>' });
  });

  it('treats an ssh-key line as an account change and redacts the key', () => {
    const { records } = run(cmd('netadmin', 'vty6', '192.0.2.44', 'username bob ssh-key ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob@laptop'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'bob', technique: 'T1136.001' });
    expect((records[1] as AccountEvent).command).not.toContain('AAAAB3NzaC1yc2EAAAADAQABAAABAQC7');
  });

  it('deletes with `no username bob`, modifies with `no username bob ssh-key`', () => {
    expect(run(cmd('netadmin', 'vty6', '192.0.2.44', 'no username bob')).records[1]).toMatchObject({ action: 'account.delete', target: 'bob' });
    expect(run(cmd('netadmin', 'vty6', '192.0.2.44', 'no username bob ssh-key')).records[1]).toMatchObject({ action: 'account.modify', target: 'bob' });
  });

  it('counts a command once: the start record of start-stop accounting yields nothing', () => {
    expect(run(cmd('netadmin', 'vty6', '192.0.2.44', 'username bob secret 0 x', 'start')).records).toEqual([]);
  });

  it.each(['show aaa', 'show running-config | include username', 'show users'])('yields only a command record for `%s`', (command) => {
    expect(run(cmd('aaa', 'vty6', '192.0.2.44', command)).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('reads a gNMI request: the client address from addr=, no account interpretation', () => {
    const { records } = run(eos('Aaa', '%ACCOUNTING-6-CMD: automation unknown unknown stop task_id=52 start_time=1763763001.48 timezone=UTC service=shell priv-lvl=15 cmd=OpenConfig.Set addr=192.0.2.60:50122 rpc=/gnmi.gNMI/Set request={"update":[]} <cr>'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'command', actor: 'automation', actorAddress: '192.0.2.60' });
    expect(records[0]).not.toHaveProperty('path');
  });

  it('yields exec sessions with their task id', () => {
    expect(run(eos('Aaa', '%ACCOUNTING-5-EXEC: netadmin ssh 192.0.2.44 start task_id=27 start_time=1763763001 timezone=UTC service=shell')).records).toEqual([
      { ...base, kind: 'session', action: 'session.start', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', session: '27' },
    ]);
  });
});

describe('arista-eos logins and configuration', () => {
  it('yields login and login.failed, with a sequence number before the tag', () => {
    expect(run(eos('Aaa', '101: %AAA-5-LOGIN: user netadmin logged in [from: 192.0.2.44] [service: sshd]')).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(eos('Aaa', '%AAA-4-LOGIN_FAILED: user  failed to login [from: 198.51.100.7] [service: sshd] [reason: Authentication failed - Bad secret]')).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', actorAddress: '198.51.100.7', path: 'cli' },
    ]);
  });

  it('yields a command record for CONFIG_I, none for CONFIG_E', () => {
    expect(run(eos('ConfigAgent', '%SYS-5-CONFIG_I: Configured from console by netadmin on vty3 (192.0.2.44)')).records).toEqual([
      { ...base, kind: 'command', action: 'command', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'Configured from console by netadmin on vty3 (192.0.2.44)' },
    ]);
    expect(run(eos('FastCapi', '1039: %SYS-5-CONFIG_I: Configured from console by local_command_api on command-api (unix:)')).records[0])
      .toMatchObject({ actor: 'local_command_api', path: 'rest' });
    expect(run(eos('ConfigAgent', '%SYS-5-CONFIG_E: Enter configuration mode from console by netadmin on vty3 (192.0.2.44)'))).toEqual({ records: [], unknown: [] });
  });

  it('reports unknown AAA and ACCOUNTING forms', () => {
    expect(run(eos('Aaa', '%AAA-5-NEWFORM: something')).unknown).toEqual(['arista-eos:AAA-5-NEWFORM']);
  });

  it('leaves other vendors and chatter alone', () => {
    expect(run(eos('Ebra', '%LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet47, changed state to up'))).toEqual({ records: [], unknown: [] });
    expect(run('<189>2406: r1: Nov 21 22:10:01.123 UTC: %SYS-5-CONFIG_I: Configured from console by netadmin on vty0 (192.0.2.44)')).toEqual({ records: [], unknown: [] });
    expect(run("<189>Nov 21 22:10:01 mx1 mgd[6121]: %INTERACT-6-UI_COMMIT: User 'changeops' requested 'commit' operation (comment: none)")).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the arista-eos platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
