import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iosMnemonic, recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { parseSyslog } from '../../../src/ingest/header.js';
import type { AccountEvent } from '../../../src/types.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { cases, files } from './cases.js';
import { checkCorpus, corpusFileLines, RECEIVED, recogniser } from '../../../test/parsers/harness.js';

const P = 'cisco-ios';
const run = (line: string) => recogniser(recognise, P)(line);
const base = { platform: P, device: 'r1' };

// Fixtures below are written for these tests in the formats of the Cisco IOS XE System Message
// Guide (PARSER-5-CFGLOG_LOGGEDCMD, SYS-5-CONFIG_I, SYS-6-LOGOUT, SEC_LOGIN-5-LOGIN_SUCCESS,
// SEC_LOGIN-4-LOGIN_FAILED, SSH-5-SSH2_USERAUTH, DMI-5-AUTH_PASSED, DMI-5-CONFIG_I), with the
// wording checked against public captures of real devices; names and addresses are invented
// (RFC 5737 documentation ranges).
const hdr = (tag: string, text: string) => `<189>2406: r1: Nov 21 22:10:01.123 UTC: %${tag}: ${text}`;
const cfglog = (user: string, command: string) => hdr('PARSER-5-CFGLOG_LOGGEDCMD', `User:${user}  logged command:${command}`);
const T = '2026-11-21T22:10:01.123Z';

describe('cisco-ios corpus', () => {
  it('yields the expected records for every corpus line', () => {
    checkCorpus(recognise, P, files, cases);
  });

  it("agrees with Elastic's fields for the lab alert lines wherever Elastic has a value", () => {
    const lines = corpusFileLines('syslog/cisco-ios/lab-alert-messages.log');
    const peer = readFileSync(corpusPath('syslog/cisco-ios/lab-alert-messages.expected.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(peer.length).toBe(lines.length);
    lines.forEach(({ text }, i) => {
      const want = JSON.parse(peer[i]!) as {
        message: string;
        event: { code: string };
        source: { ip: string; user: { name: string } };
        kibana: { agent: { origical_time: string } };
      };
      const msg = parseSyslog(text, { receivedAt: RECEIVED, transport: 'udp' });
      expect(msg.message).toBe(want.message);
      expect(iosMnemonic(msg)).toBe(want.event.code === 'PRIVCFG_ENCRYPT_SUCCESS' ? undefined : want.event.code);
      const { records } = run(text);
      if (want.source.user.name) expect(records.map((r) => r.actor)).toContain(want.source.user.name);
      if (want.source.ip) expect(records.map((r) => r.actorAddress)).toContain(want.source.ip);
      // Elastic's time is when its agent read the line. Only a line whose text states its own time
      // can be held to it (the others have no stamp, so aaawatch uses its receive time).
      for (const r of records) {
        if (r.time !== new Date(RECEIVED).toISOString()) {
          expect(Math.abs(Date.parse(r.time) - Date.parse(want.kibana.agent.origical_time))).toBeLessThan(1000);
        }
      }
    });
  });
});

describe('cisco-ios configuration archive (PARSER-5-CFGLOG_LOGGEDCMD)', () => {
  it('yields a command record and an account.set for a username command, secrets redacted', () => {
    const { records } = run(cfglog('netadmin', 'username bob privilege 15 password 0 Cleartext1'));
    expect(records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', path: 'cli', command: 'username bob privilege 15 password 0 <redacted>' },
      {
        ...base, kind: 'account', action: 'account.set', time: T, target: 'bob', privilege: '15', actor: 'netadmin', path: 'cli',
        technique: 'T1136.001', command: 'username bob privilege 15 password 0 <redacted>',
      },
    ]);
    expect(JSON.stringify(records)).not.toContain('Cleartext1');
  });

  it('reads a username command from local command accounting (AAAA-6-ACCTLOCAL), with its level, secrets redacted', () => {
    // The form of Cisco's AAAA-6-ACCTLOCAL message: each token, then `<cr>`.
    const { records } = run(hdr('AAAA-6-ACCTLOCAL', 'Username: netadmin Privilege level: 15 Command: username bob privilege 15 secret 0 Cleartext1 <cr>'));
    expect(records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', path: 'cli', privilege: '15', command: 'username bob privilege 15 secret 0 <redacted>' },
      {
        ...base, kind: 'account', action: 'account.set', time: T, target: 'bob', privilege: '15', actor: 'netadmin', path: 'cli',
        technique: 'T1136.001', command: 'username bob privilege 15 secret 0 <redacted>',
      },
    ]);
    expect(JSON.stringify(records)).not.toContain('Cleartext1');
  });

  it('reads the account a username line configured (AAA-6-USERNAME_CONFIGURATION), naming no actor', () => {
    const { records } = run(hdr('AAA-6-USERNAME_CONFIGURATION', 'user with username: bob configured'));
    expect(records).toEqual([{ ...base, kind: 'account', action: 'account.set', time: T, target: 'bob', technique: 'T1136.001' }]);
  });

  it('reads a view as the role and a type-9 secret as a credential', () => {
    const { records } = run(cfglog('netadmin', 'username ops view noc secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'ops', role: 'noc', technique: 'T1136.001' });
    expect((records[1] as AccountEvent).command).toBe('username ops view noc secret 9 <redacted>');
  });

  it('treats a username line that only grants privilege as a privilege change (T1098)', () => {
    const { records } = run(cfglog('netadmin', 'username bob privilege 15'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'bob', privilege: '15', technique: 'T1098' });
  });

  it('yields account.delete for `no username`, whatever follows the name', () => {
    for (const command of ['no username bob', 'no username bob privilege 15 secret *']) {
      const { records } = run(cfglog('netadmin', command));
      expect(records.map((r) => r.kind)).toEqual(['command', 'account']);
      expect(records[1]).toMatchObject({ action: 'account.delete', target: 'bob', technique: 'T1531', actor: 'netadmin' });
    }
  });

  it('yields a password change of the enable secret for `enable secret 0 x`, redacted', () => {
    const { records } = run(cfglog('netadmin', 'enable secret 0 x'));
    expect(records[1]).toEqual({
      ...base, kind: 'account', action: 'password.change', time: T, target: 'enable', actor: 'netadmin', path: 'cli',
      technique: 'T1098', command: 'enable secret 0 <redacted>',
    });
    expect(run(cfglog('netadmin', 'enable password 7 0822455D0A16')).records[1]).toMatchObject({ action: 'password.change', command: 'enable password 7 <redacted>' });
  });

  it('reads exec-mode commands without their `!exec:` marker', () => {
    expect(run(cfglog('netadmin', '!exec: copy running-config startup-config')).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', path: 'cli', command: 'copy running-config startup-config' },
    ]);
  });

  it.each([
    ['show aaa'],
    ['show running-config | include username'],
    ['show users'],
    ['show username'],
    ['aaa new-model'],
    ['aaa authentication login default group tacacs+ local'],
    ['hostname username-core-01'],
    ['snmp-server user aaa grp v3 auth sha Secret1 priv aes 128 Secret2'],
  ])('yields only a command record for `%s`', (command) => {
    const { records } = run(cfglog('netadmin', command));
    expect(records.map((r) => r.kind)).toEqual(['command']);
    expect(JSON.stringify(records)).not.toMatch(/Secret[12]/);
  });

  it('yields no account record for commands by a user literally named aaa', () => {
    const { records } = run(cfglog('aaa', 'show running-config'));
    expect(records).toEqual([{ ...base, kind: 'command', action: 'command', time: T, actor: 'aaa', path: 'cli', command: 'show running-config' }]);
  });
});

describe('cisco-ios SYS-5-CONFIG_I and SYS-6-LOGOUT', () => {
  it('names the user and the address of a vty configuration session', () => {
    expect(run(hdr('SYS-5-CONFIG_I', 'Configured from console by netadmin on vty0 (192.0.2.44)')).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'Configured from console by netadmin on vty0 (192.0.2.44)' },
    ]);
  });

  it('names no user when the device names only the line', () => {
    const { records } = run(hdr('SYS-5-CONFIG_I', 'Configured from console by vty1 (192.0.2.45)'));
    expect(records).toHaveLength(1);
    expect(records[0]).not.toHaveProperty('actor');
    expect(records[0]).toMatchObject({ actorAddress: '192.0.2.45' });
  });

  it('redacts credentials in a configuration URL', () => {
    const { records } = run(hdr('SYS-5-CONFIG_I', 'Configured from tftp://backup:S3cret@192.0.2.9/r1.cfg by netadmin'));
    expect(records[0]).toMatchObject({ actor: 'netadmin', command: 'Configured from tftp://backup:<redacted>@192.0.2.9/r1.cfg by netadmin' });
    expect(records[0]).not.toHaveProperty('path');
  });

  it('yields a logout for SYS-6-LOGOUT', () => {
    expect(run(hdr('SYS-6-LOGOUT', 'User netadmin has exited tty session 2(192.0.2.44)')).records).toEqual([
      { ...base, kind: 'session', action: 'logout', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
  });
});

describe('cisco-ios logins', () => {
  it('yields login.failed for SEC_LOGIN-4-LOGIN_FAILED, without an actor when the name is empty', () => {
    const failed = run(hdr('SEC_LOGIN-4-LOGIN_FAILED', 'Login failed [user: mallory] [Source: 198.51.100.7] [localport: 22] [Reason: Login Authentication Failed] at 22:10:01 UTC Sat Nov 21 2026'));
    expect(failed.records).toEqual([{ ...base, kind: 'session', action: 'login.failed', time: T, actor: 'mallory', actorAddress: '198.51.100.7', path: 'cli' }]);
    const anonymous = run(hdr('SEC_LOGIN-4-LOGIN_FAILED', 'Login failed [user: ] [Source: 198.51.100.7] [localport: 22] [Reason: Login Authentication Failed] at 22:10:01 UTC Sat Nov 21 2026'));
    expect(anonymous.records[0]).not.toHaveProperty('actor');
  });

  it("takes a login's year from its own `at …` stamp when the header's was guessed (an old file imported), the header's time of day kept", () => {
    const old = run(`<189>2406: r1: May 11 19:38:27.123 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netadmin] [Source: 192.0.2.44] [localport: 22] at 13:38:27 MDT Thu May 11 2023`);
    expect(old.records[0]).toMatchObject({ action: 'login', time: '2023-05-11T19:38:27.123Z' });
    // The same year: the header's stamp stands as it was.
    expect(run(hdr('SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success [user: netadmin] [Source: 192.0.2.44] [localport: 22] at 22:10:01 UTC Sat Nov 21 2026')).records[0]).toMatchObject({ time: T });
  });

  it('labels an HTTPS login as the GUI path', () => {
    expect(run(hdr('SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success [user: netadmin] [Source: 192.0.2.44] [localport: 443] at 22:10:01 UTC Sat Nov 21 2026')).records[0])
      .toMatchObject({ action: 'login', path: 'gui' });
  });

  it('yields login and login.failed for SSH-5-SSH2_USERAUTH', () => {
    const ok = run(hdr('SSH-5-SSH2_USERAUTH', "User 'netadmin' authentication for SSH2 Session from 192.0.2.44 (tty = 0) using crypto cipher 'aes256-ctr', hmac 'hmac-sha2-256' Succeeded"));
    expect(ok.records).toEqual([{ ...base, kind: 'session', action: 'login', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' }]);
    const bad = run(hdr('SSH-5-SSH2_USERAUTH', "User 'mallory' authentication for SSH2 Session from 198.51.100.7 (tty = 0) using crypto cipher 'aes256-ctr', hmac 'hmac-sha2-256' Failed"));
    expect(bad.records[0]).toMatchObject({ action: 'login.failed', actor: 'mallory' });
  });
});

describe('cisco-ios NETCONF/RESTCONF (DMI)', () => {
  it('yields a NETCONF login, then labels that user’s DMI change with the netconf path', () => {
    const device = recogniser(recognise, P);
    const login = device(hdr('DMI-5-AUTH_PASSED', "R0/0: dmiauthd: User 'automation' authenticated successfully from 192.0.2.60:50311 and was authorized for netconf over ssh. External groups: PRIV15"));
    expect(login.records).toEqual([{ ...base, kind: 'session', action: 'login', time: T, actor: 'automation', actorAddress: '192.0.2.60', path: 'netconf' }]);
    const change = device(hdr('DMI-5-CONFIG_I', 'R0/0: dmiauthd: Configured from NETCONF/RESTCONF by automation, transaction-id 412'));
    expect(change.records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'automation', path: 'netconf', command: 'Configured from NETCONF/RESTCONF by automation, transaction-id 412' },
    ]);
  });

  it('leaves the path out when it does not know which protocol the change came by', () => {
    const { records } = run(hdr('DMI-5-CONFIG_I', 'Switch 1 R0/0: dmiauthd: Configured from NETCONF/RESTCONF by someone, transaction-id 413'));
    expect(records[0]).toMatchObject({ actor: 'someone' });
    expect(records[0]).not.toHaveProperty('path');
  });
});

describe('cisco-ios unknowns and rejection', () => {
  it.each([
    ['PARSER-4-BADCFG', 'Unexpected end of configuration file.'],
    ['SEC_LOGIN-3-NEWFORM', 'something new'],
    ['DMI-5-AUTH_FAILED', "R0/0: dmiauthd: User 'x' failed"],
    ['AAA-3-BADSERVERTYPEERROR', 'Cannot process authentication server type tacacs+'],
    ['PARSER-5-CFGLOG_LOGGEDCMD', 'a form nobody has seen'],
  ])('reports %s that it does not understand as unknown', (tag, text) => {
    const { records, unknown } = run(hdr(tag, text));
    expect(records).toEqual([]);
    expect(unknown).toEqual([`cisco-ios:${tag}`]);
  });

  it.each([
    ['AAA-6-AAA_ACCOUNTING_MESSAGE', 'update:192.0.2.1@pts/0:admin:configure terminal (SUCCESS)'],
    ['SYS-5-RESTART', 'System restarted --'],
    ['LINK-3-UPDOWN', 'Interface GigabitEthernet1/0/1, changed state to up'],
    ['SEC_LOGIN-1-QUIET_MODE_ON', 'Still timeleft for watching failures is 29 secs'],
  ])('yields nothing and reports nothing for %s', (tag, text) => {
    expect(run(hdr(tag, text))).toEqual({ records: [], unknown: [] });
  });

  it('sees no login in a hostname that contains "username"', () => {
    const { records } = run('<189>2406: username-sw1: Nov 21 22:10:01.123 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netadmin] [Source: 192.0.2.44] [localport: 22] at 22:10:01 UTC Sat Nov 21 2026');
    expect(records.map((r) => [r.kind, r.device])).toEqual([['session', 'username-sw1']]);
  });

  it('is registered as the cisco-ios platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
