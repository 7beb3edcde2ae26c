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

  it('reads nothing from other topics, configuration changes or look-alike text', () => {
    for (const line of [
      'dhcp,info dhcp-client on bridge got IP address 10.11.10.141',
      bsd('filter rule changed by admin'),
      bsd('user admin logged in from 192.0.2.44 via winbox and more'),
      'systemd,info user admin logged in from 192.0.2.44 via winbox',
    ]) expect(run(line), line).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the mikrotik-routeros platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
