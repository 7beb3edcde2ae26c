import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'mikrotik-routeros';
const run = (line: string) => recogniser(recognise, P)(line);
const base = { platform: P, device: 'ros-edge', time: '2026-11-21T22:10:01.000Z' };
const bsd = (text: string) => `<30>Nov 21 22:10:01 ros-edge ${text}`;

describe('mikrotik-routeros corpus', () => {
  it('reads every corpus line as its case says', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

// The messages as MikroTik's Log manual prints them (`user admin logged in from 10.1.101.212 via
// winbox`, `… logged out from … via telnet`) and as a RouterOS 7 router logged an API login
// (`user NAME logged in via api`, no address); the failure as RouterOS writes it under
// `system,error,critical`. Names and addresses invented.
describe('mikrotik-routeros sessions', () => {
  it('yields logins, logouts and failed logins with the service as path', () => {
    expect(run(bsd('user netops logged in from 192.0.2.44 via ssh')).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netops', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(bsd('user netops logged out from 192.0.2.44 via telnet')).records[0]).toMatchObject({ action: 'logout', path: 'cli' });
    expect(run('system,error,critical login failure for user admin from 198.51.100.7 via web').records).toEqual([
      { kind: 'session', platform: P, device: 'unknown', time: expect.any(String), action: 'login.failed', actor: 'admin', actorAddress: '198.51.100.7', path: 'gui' },
    ]);
    expect(run(bsd('user netops logged in via api')).records).toEqual([{ ...base, kind: 'session', action: 'login', actor: 'netops', path: 'rest' }]);
  });

  it('reads nothing from other topics, changes to other things than accounts, or look-alike text', () => {
    for (const line of [
      'dhcp,info dhcp-client on bridge got IP address 10.11.10.141',
      bsd('filter rule changed by admin'),
      'system,info filter rule added by ssh:netops@192.0.2.44 (*22 = /ip firewall filter add action=accept chain=input protocol=ospf)',
      bsd('user group added by netops'),
      bsd('user auditor changed by ssh:netops@192.0.2.44 (/user group set auditor policy=read)'),
      bsd('user auditor added by'),
      bsd('user admin logged in from 192.0.2.44 via winbox and more'),
      'systemd,info user admin logged in from 192.0.2.44 via winbox',
    ]) expect(run(line), line).toEqual({ records: [], unknown: [] });
  });

  // The form of the lab capture in the corpus (`user NAME added by SERVICE:USER@ADDRESS (*ID =
  // /user add …)`, `… removed by …/action:N (/user remove *ID)`), with the commands RouterOS's
  // `/user` menu takes (MikroTik's User manual: `group=`, `password=`, `disabled=`); RouterOS 6 names
  // the user alone (the Log manual: `mangle rule changed by admin`). Names and addresses invented.
  it('reads /user additions, removals and changes with who made them, from where and how', () => {
    const add = run(bsd('user auditor added by tcp-msg(winbox):netops@192.0.2.44 (*3 = /user add group=read name=auditor)')).records;
    const who = { actor: 'netops', actorAddress: '192.0.2.44', path: 'gui' };
    expect(add).toEqual([
      { ...base, kind: 'command', action: 'command', ...who, command: '/user add group=read name=auditor' },
      { ...base, kind: 'account', action: 'account.create', target: 'auditor', role: 'read', technique: 'T1136.001', ...who, command: '/user add group=read name=auditor' },
    ]);
    const account = (line: string) => run(line).records.filter((r) => r.kind === 'account');
    expect(account(bsd('user auditor changed by ssh:netops@192.0.2.44/action:7 (/user set *3 group=full)'))).toMatchObject([
      { action: 'privilege.change', target: 'auditor', role: 'full', actor: 'netops', path: 'cli' },
    ]);
    expect(account('system,info user auditor changed by api:netops@2001:db8::7 (/user set *3 password=Example-1)')).toMatchObject([
      { action: 'password.change', target: 'auditor', actorAddress: '2001:db8::7', path: 'rest', command: '/user set *3 password=<redacted>' },
    ]);
    expect(account(bsd('user auditor disabled by ssh:netops@192.0.2.44 (/user disable *3)'))).toMatchObject([{ action: 'account.modify', target: 'auditor' }]);
    expect(account(bsd('user auditor removed by netops'))).toEqual([
      { ...base, kind: 'account', action: 'account.delete', target: 'auditor', actor: 'netops', technique: 'T1531', command: 'user auditor removed by netops' },
    ]);
  });

  it('is registered as the mikrotik-routeros platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
