import { describe, expect, it } from 'vitest';
import { freeradius } from '../index.js';
import { platformById } from '../../index.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'freeradius';
const run = (line: string) => recogniser(freeradius.recognise!, P)(line);

// Fixtures written for these tests from FreeRADIUS 3's default configuration:
// - raddb/mods-available/linelog, `log_accounting`: `Connect: [%{User-Name}] (did … cli … port … ip …)`
//   and `Disconnect: […] (…) %{Acct-Session-Time} seconds`;
// - radius.log with `auth = yes` (radiusd.conf): `Auth: (N) Login OK: [user] (from client … port … cli …)`,
//   `Login incorrect (reason): [user/<via Auth-Type = PAP>] (…)`;
// - raddb/mods-available/detail: a ctime line, then tab-indented `Attribute = value` lines (the
//   attributes of RFC 2866 accounting requests; compare the GNU Radius sample in OSSEC's docs).
// Names and addresses invented.
const T = '2026-11-21T22:10:01.000Z';
const detail = [
  'Sat Nov 21 22:10:01 2026',
  '\tAcct-Session-Id = "00000A1B"',
  '\tUser-Name = "alice"',
  '\tAcct-Status-Type = Start',
  '\tService-Type = NAS-Prompt-User',
  '\tNAS-IP-Address = 10.0.0.5',
  '\tNAS-Identifier = "core-sw1"',
  '\tCalling-Station-Id = "10.9.9.9"',
  '\tTimestamp = 1795299001',
].join('\n');

describe('freeradius corpus', () => {
  it('has no corpus lines to check (the corpus holds none)', () => {
    expect(files).toEqual([]);
    expect(platformCaseProblems(freeradius, files, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(freeradius);
  });
});

describe('freeradius linelog accounting', () => {
  it('yields session start and stop; the line names no NAS, so the sender stands for it', () => {
    const who = { kind: 'session', platform: P, time: T, device: 'radsrv', actor: 'bob', actorAddress: '10.20.30.40', path: 'radius' };
    expect(run('<134>Nov 21 22:10:01 radsrv radiusd[12]: Connect: [bob] (did 00-11-22-33-44-55:corp cli 10.20.30.40 port 1 ip 10.0.0.9)').records)
      .toEqual([{ ...who, action: 'session.start' }]);
    expect(run('<134>Nov 21 22:10:01 radsrv linelog: Disconnect: [bob] (did 00-11 cli 10.20.30.40 port 1 ip 10.0.0.9) 3600 seconds').records)
      .toEqual([{ ...who, action: 'session.stop' }]);
  });

  it('keeps a MAC address out of actorAddress', () => {
    expect(run('<134>Nov 21 22:10:01 radsrv radiusd[12]: Connect: [bob] (did x cli 11-22-33-44-55-66 port 1 ip 10.0.0.9)').records[0]).not.toHaveProperty('actorAddress');
  });
});

describe('freeradius radius.log authentications', () => {
  it('yields login with the NAS client as device, from the file form with its ctime stamp', () => {
    expect(run('Sat Nov 21 22:10:01 2026 : Auth: (3) Login OK: [bob] (from client nas01 port 0 cli 10.1.1.5)').records).toEqual([
      { kind: 'session', action: 'login', platform: P, time: T, device: 'nas01', actor: 'bob', actorAddress: '10.1.1.5', path: 'radius' },
    ]);
  });

  it('yields login.failed and never takes the logged password for the user', () => {
    const { records } = run(
      '<134>Nov 21 22:10:01 radsrv radiusd[12]: (7) Login incorrect (pap: Cleartext-Password does not match "known good" password): [bob/Wrong1] (from client nas01 port 0 cli 10.1.1.5)',
    );
    expect(records).toEqual([
      { kind: 'session', action: 'login.failed', platform: P, time: T, device: 'nas01', actor: 'bob', actorAddress: '10.1.1.5', path: 'radius' },
    ]);
    expect(JSON.stringify(records)).not.toContain('Wrong1');
  });
});

describe('freeradius detail records', () => {
  it('yields a session with the NAS, session id and exact time from Timestamp', () => {
    expect(run(detail).records).toEqual([
      {
        kind: 'session', action: 'session.start', platform: P, time: T, device: 'core-sw1', actor: 'alice', actorAddress: '10.9.9.9',
        path: 'radius', session: '00000A1B',
      },
    ]);
  });

  it('reads a record forwarded as one syslog message with rsyslog\'s #012/#011 escapes', () => {
    const line = `<134>Nov 21 22:10:01 radsrv radiusd[12]: ${detail.replace(/\n/g, '#012').replace(/\t/g, '#011').replace('Start', 'Stop')}`;
    expect(run(line).records[0]).toMatchObject({ action: 'session.stop', device: 'core-sw1', actor: 'alice' });
  });

  it('yields nothing for network access (Framed-User) and for interim updates', () => {
    expect(run(detail.replace('NAS-Prompt-User', 'Framed-User')).records).toEqual([]);
    expect(run(detail.replace('= Start', '= Interim-Update')).records).toEqual([]);
  });

  it('reads a detail file for `aaawatch import` record by record, however it is cut, and declines other files', () => {
    const format = freeradius.importFormat!;
    const file = `${detail}\n\n${detail.replace(/\n/g, '\r\n')}\r\n\r\n\n${detail}`;
    expect(format.claims(file)).toBe(true);
    for (const size of [1, 5, 64, file.length]) {
      const reader = format.reader(1 << 20);
      const items = [];
      for (let i = 0; i < file.length; i += size) items.push(...reader.push(file.slice(i, i + size)));
      items.push(...reader.end());
      expect(items).toEqual([{ text: detail }, { text: detail }, { text: detail }]);
    }
    const small = format.reader(64);
    expect([...small.push(`${detail}\n\n`), ...small.end()].map((i) => ('text' in i ? 'record' : i.malformed))).toEqual(['oversize-record']);
    for (const head of ['<134>Nov 21 22:10:01 radsrv radiusd[12]: Ready to process requests\n', '{"Records":[]}', '']) expect(format.claims(head)).toBe(false);
  });
});

describe('freeradius time zones', () => {
  // The ctime stamps are the RADIUS server's wall clock: the zone is the server's (here Berlin,
  // by its name `radsrv` or its address), never the NAS's (here New York, which must not be used).
  const zoneFor = (host: string | undefined, source: string | undefined) =>
    host === 'radsrv' || source === '192.0.2.53' ? 'Europe/Berlin' : host === 'core-sw1' || host === 'nas01' ? 'America/New_York' : undefined;
  const berlin = recogniser(freeradius.recognise!, P, { zoneFor });
  const BERLIN_T = '2026-11-21T21:10:01.000Z';
  const untimed = detail.replace('\tTimestamp = 1795299001', '').trimEnd();

  it('reads a detail record\'s ctime line in the server\'s zone when it has no Timestamp', () => {
    // Forwarded by the server (header stamp 22:10:09): the record's own stamp is the event's.
    const forwarded = `<134>Nov 21 22:10:09 radsrv radiusd[12]: ${untimed.replace(/\n/g, '#012').replace(/\t/g, '#011')}`;
    expect(berlin(forwarded).records[0]).toMatchObject({ time: BERLIN_T, device: 'core-sw1' });
    // Imported from the server's file: the sender address stands for the server.
    expect(berlin(untimed, '192.0.2.53').records[0]).toMatchObject({ time: BERLIN_T });
    // Timestamp (epoch seconds) is exact: no zone applies.
    expect(berlin(detail, '192.0.2.53').records[0]).toMatchObject({ time: T });
  });

  it('reads radius.log\'s ctime stamp in the server\'s zone', () => {
    expect(berlin('Sat Nov 21 22:10:01 2026 : Auth: (3) Login OK: [bob] (from client nas01 port 0 cli 10.1.1.5)', '192.0.2.53').records[0])
      .toMatchObject({ time: BERLIN_T, device: 'nas01' });
  });
});

describe('freeradius other traffic', () => {
  it('ignores the server\'s other messages', () => {
    expect(run('<134>Nov 21 22:10:01 radsrv radiusd[12]: Ready to process requests')).toEqual({ records: [], unknown: [] });
    expect(run('<134>Nov 21 22:10:01 sw1 sshd[1]: Connect: [x]')).toEqual({ records: [], unknown: [] });
  });

  it('never throws on hostile input', () => {
    for (const text of ['Connect: [', 'Sat Nov 21 22:10:01 2026\nAcct-Status-Type = Start\n__proto__ = 1', `Sat Nov 21 22:10:01 2026\t${'a = b\t'.repeat(5000)}`]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
