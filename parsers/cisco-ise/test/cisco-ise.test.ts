import { describe, expect, it } from 'vitest';
import { ciscoIse } from '../index.js';
import { Reassembler, readSegment } from '../segments.js';
import { platformById } from '../../index.js';
import { parseSyslog } from '../../../src/ingest/header.js';
import { createRecogniser } from '../../../src/ingest/recognise.js';
import { cases, files } from './cases.js';
import { fileLines, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { RECEIVED, recogniser } from '../../../test/parsers/harness.js';

const P = 'cisco-ise';
const recognise = ciscoIse.recognise!;

// Fixtures written for these tests in the format of Cisco ISE's remote syslog (ISE Syslog
// Messages Reference; the segment header `CISE_<category> <message id> <total> <sequence>`, the
// stamp, sequence number, message code, severity, `Class: text`, then `Name=value` attributes;
// messages over the target's maximum length continue in further segments with no stamp). Field
// names as in the corpus line from Elastic's cisco_ise fixtures; names and addresses invented.
const STAMP = '2026-11-21 22:10:01.250 +01:00';
const T = '2026-11-21T21:10:01.250Z';
const ise = (category: string, id: string, total: number, seq: number, text: string): string =>
  `<181>Nov 21 22:10:01 ise01 ${category} ${id} ${total} ${seq} ${text}`;
const tacacsCommand = (cmdSet: string, flags = 'Stop'): string =>
  ise(
    'CISE_TACACS_Accounting', '0000004711', 1, 0,
    `${STAMP} 0000123456 3300 NOTICE Tacacs-Accounting: TACACS+ Accounting with Command, ConfigVersionId=12, ` +
      `Device IP Address=10.0.0.1, CmdSet=[ ${cmdSet} ], RequestLatency=1, NetworkDeviceName=core-sw1, Type=Accounting, ` +
      `Privilege-Level=15, Service=Login, User=alice, Port=tty2, Remote-Address=10.9.9.9, Authen-Method=TacacsPlus, ` +
      `AVPair=task_id=77, AVPair=priv-lvl=15, AcctRequest-Flags=${flags}, Service-Argument=shell, ` +
      `Response={AcctReply-Status=Success; }`,
  );

describe('cisco-ise administrative audit', () => {
  // The corpus's 52002 line (an internal user deleted in the GUI) as ISE writes its other two
  // configuration-change codes: 52000 added, 52001 changed, and a change ISE says failed.
  const change = (code: string, extra = ''): string =>
    ise(
      'CISE_Administrative_and_Operational_Audit', '0000083550', 1, 0,
      `${STAMP} 0000083617 ${code} NOTICE Configuration-Changes: Changed configuration, ConfigVersionId=1698, ${extra}AdminInterface=GUI, ` +
        'AdminIPAddress=172.16.22.156, AdminName=admin, ConfigChangeData=object updated: Name=bob, ObjectType=Network Access Users, ObjectName=bob, Component=Administration,',
    );
  const read = (line: string) => recogniser(recognise, P)(line).records;

  it('reads an internal user added or changed, by whom and from where', () => {
    const by = { kind: 'account', platform: P, time: T, device: 'ise01', target: 'bob', actor: 'admin', actorAddress: '172.16.22.156', path: 'gui' };
    expect(read(change('52000'))).toEqual([{ ...by, action: 'account.create', technique: 'T1136.001' }]);
    expect(read(change('52001', 'FailureFlag=false, '))).toEqual([{ ...by, action: 'account.modify', technique: 'T1098' }]);
  });

  it('reads a change ISE says failed as nothing', () => {
    expect(read(change('52001', 'FailureFlag=true, '))).toEqual([]);
  });
});

describe('cisco-ise corpus', () => {
  it('yields the expected records for every corpus line', () => {
    expect(platformCaseProblems(ciscoIse, files, cases)).toEqual([]);
  });

  it('reads the command record of a real line whole', () => {
    const [first] = fileLines(files[0]!);
    expect(recogniser(recognise, P)(first!.text).records).toEqual([
      {
        kind: 'command', action: 'command', platform: P, time: '2020-02-21T19:13:08.328Z', device: 'wlnwan1', actor: 'psxvne',
        actorAddress: '81.2.69.144', path: 'tacacs', command: 'show mac-address-table', privilege: '15',
      },
    ]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(ciscoIse);
  });
});

describe('cisco-ise TACACS+ command accounting', () => {
  it('yields a command and a provisional account record for `username`, secrets redacted', () => {
    const line = tacacsCommand(
      'CmdAV=username CmdArgAV=bob CmdArgAV=privilege CmdArgAV=15 CmdArgAV=secret CmdArgAV=0 CmdArgAV=Cleartext1 CmdArgAV=<cr>',
    );
    const who = { platform: P, time: T, device: 'core-sw1', actor: 'alice', actorAddress: '10.9.9.9', path: 'tacacs' };
    const command = 'username bob privilege 15 secret 0 <redacted>';
    expect(recogniser(recognise, P)(line)).toEqual({
      records: [
        { kind: 'command', action: 'command', ...who, command, privilege: '15' },
        { kind: 'account', action: 'account.set', ...who, target: 'bob', privilege: '15', technique: 'T1136.001', command },
      ],
      unknown: [],
    });
  });

  it('yields account.delete for `no username bob`', () => {
    const { records } = recogniser(recognise, P)(tacacsCommand('CmdAV=no CmdArgAV=username CmdArgAV=bob CmdArgAV=<cr>'));
    expect(records.map((r) => r.action)).toEqual(['command', 'account.delete']);
    expect(records[1]).toMatchObject({ target: 'bob', command: 'no username bob' });
  });

  it.each([
    'CmdAV=show CmdArgAV=username CmdArgAV=<cr>',
    'CmdAV=show CmdArgAV=running-config CmdArgAV=| CmdArgAV=include CmdArgAV=username CmdArgAV=<cr>',
    'CmdAV=show CmdArgAV=aaa CmdArgAV=<cr>',
    'CmdAV=hostname CmdArgAV=username-lab CmdArgAV=<cr>',
  ])('yields only a command record for %s', (cmdSet) => {
    const { records } = recogniser(recognise, P)(tacacsCommand(cmdSet));
    expect(records.map((r) => r.kind)).toEqual(['command']);
  });

  it('keeps the stop record of a command accounted at start and stop', () => {
    const run = recogniser(recognise, P);
    expect(run(tacacsCommand('CmdAV=configure CmdArgAV=terminal CmdArgAV=<cr>', 'Start')).records).toEqual([]);
    expect(run(tacacsCommand('CmdAV=configure CmdArgAV=terminal CmdArgAV=<cr>', 'Stop')).records).toHaveLength(1);
  });
});

describe('cisco-ise segments', () => {
  // One TACACS+ accounting message cut into three segments the way ISE cuts them: on field
  // boundaries, the later segments without stamp (compare the `7 3` segment in Sekoia's ISE samples).
  const seg0 = ise(
    'CISE_TACACS_Accounting', '0000009001', 3, 0,
    `${STAMP} 0000123457 3300 NOTICE Tacacs-Accounting: TACACS+ Accounting with Command, ConfigVersionId=12, ` +
      'Device IP Address=10.0.0.1, CmdSet=[ CmdAV=username CmdArgAV=carol CmdArgAV=privilege CmdArgAV=15 CmdArgAV=<cr> ],',
  );
  const seg1 = ise('CISE_TACACS_Accounting', '0000009001', 3, 1, ' NetworkDeviceName=edge-rtr2, Type=Accounting, Privilege-Level=15, User=dave,');
  const seg2 = ise(
    'CISE_TACACS_Accounting', '0000009001', 3, 2,
    ' Remote-Address=10.9.9.10, AcctRequest-Flags=Stop, Response={AcctReply-Status=Success; },',
  );

  it('yields the records when the last segment arrives, with segment 0\'s stamp', () => {
    const run = recogniser(recognise, P);
    expect(run(seg0)).toEqual({ records: [], unknown: [] });
    expect(run(seg1)).toEqual({ records: [], unknown: [] });
    const { records } = run(seg2);
    expect(records.map((r) => r.action)).toEqual(['command', 'account.set']);
    expect(records[1]).toMatchObject({ time: T, device: 'edge-rtr2', actor: 'dave', actorAddress: '10.9.9.10', target: 'carol', privilege: '15' });
  });

  it('accepts segments out of order', () => {
    const run = recogniser(recognise, P);
    expect(run(seg2).records).toEqual([]);
    expect(run(seg0).records).toEqual([]);
    expect(run(seg1).records.map((r) => r.action)).toEqual(['command', 'account.set']);
  });

  it('keeps senders apart when their message ids collide', () => {
    const run = recogniser(recognise, P);
    run(seg0);
    run(seg1.replace(' ise01 ', ' ise02 '));
    expect(run(seg2).records).toEqual([]);
    expect(run(seg1).records).toHaveLength(2);
  });

  it('counts a message given up when its id is reused before it completed', () => {
    const run = recogniser(recognise, P);
    run(seg0);
    expect(run(seg0).unknown).toEqual(['CISE_TACACS_Accounting:incomplete']);
  });

  it('counts a message given up against the NAS its segments name, else against the sender', () => {
    const recognise = createRecogniser([ciscoIse]);
    const at = (line: string, receivedAt = RECEIVED) => recognise(parseSyslog(line, { receivedAt, transport: 'udp', source: '192.0.2.30' })).unknown;
    // Segment 1 names the NAS (NetworkDeviceName); its id reused before the message completed.
    expect(at(seg1)).toEqual([]);
    expect(at(seg1)).toEqual([{ type: 'CISE_TACACS_Accounting:incomplete', device: 'edge-rtr2' }]);
    // Segment 0 names only the NAS's address; segment 2 names none, so the sender (ise01) stands.
    expect(at(seg0.replace('0000009001', '0000009002'))).toEqual([]);
    expect(at(seg2.replace('0000009001', '0000009003'))).toEqual([]);
    // Two minutes on, all three pending messages have aged out (the reused id's second start too).
    const later = RECEIVED + 120_000;
    expect(at(seg0.replace('0000009001', '0000009004'), later)).toEqual([
      { type: 'CISE_TACACS_Accounting:incomplete', device: 'edge-rtr2' },
      { type: 'CISE_TACACS_Accounting:incomplete', device: '10.0.0.1' },
      { type: 'CISE_TACACS_Accounting:incomplete' },
    ]);
  });

  it('hands what arrived of a message given up to whoever counts it', () => {
    const r = new Reassembler({ groups: 10, ageMs: 1000, segments: 64, chars: 65_536 });
    const given: Array<[string, string]> = [];
    r.add('a', readSegment('CISE_X', '1 3 0 a=1,')!, 0, (c, text) => given.push([c, text]));
    r.add('a', readSegment('CISE_X', '1 3 2 NetworkDeviceName=sw9, b=2,')!, 0, (c, text) => given.push([c, text]));
    r.add('b', readSegment('CISE_X', '2 2 0 a=1,')!, 5000, (c, text) => given.push([c, text]));
    expect(given).toEqual([['CISE_X', 'a=1, NetworkDeviceName=sw9, b=2,']]);
  });

  it('bounds pending messages: the oldest is given up and counted', () => {
    const r = new Reassembler({ groups: 2, ageMs: 60_000, segments: 64, chars: 65_536 });
    const given: string[] = [];
    const seg = (id: string) => readSegment('CISE_X', `${id} 2 0 a=1,`)!;
    r.add('a', seg('1'), 0, (c) => given.push(c));
    r.add('b', seg('2'), 0, (c) => given.push(c));
    r.add('c', seg('3'), 0, (c) => given.push(c));
    expect(r.size).toBe(2);
    expect(given).toEqual(['CISE_X']);
  });

  it('ages out messages whose segments never came', () => {
    const r = new Reassembler({ groups: 10, ageMs: 1000, segments: 64, chars: 65_536 });
    const given: string[] = [];
    r.add('a', readSegment('CISE_X', '1 2 0 a=1,')!, 0, (c) => given.push(c));
    r.add('b', readSegment('CISE_X', '2 2 0 a=1,')!, 5000, (c) => given.push(c));
    expect(given).toEqual(['CISE_X']);
    expect(r.size).toBe(1);
  });

  it('gives up a message larger than the limit, or with an impossible sequence number', () => {
    const r = new Reassembler({ groups: 10, ageMs: 1000, segments: 4, chars: 10 });
    const given: string[] = [];
    expect(r.add('a', readSegment('CISE_X', '1 2 0 a=123456789012,')!, 0, (c) => given.push(c))).toBeUndefined();
    expect(r.add('b', readSegment('CISE_X', '2 2 5 a=1,')!, 0, (c) => given.push(c))).toBeUndefined();
    expect(r.add('c', readSegment('CISE_X', '3 9 0 a=1,')!, 0, (c) => given.push(c))).toBeUndefined();
    expect(given).toEqual(['CISE_X', 'CISE_X', 'CISE_X']);
    expect(r.size).toBe(0);
  });
});

describe('cisco-ise RADIUS accounting and authentications', () => {
  const radius = (status: string, serviceType: string): string =>
    ise(
      'CISE_RADIUS_Accounting', '0000005001', 1, 0,
      `${STAMP} 0000223456 ${status === 'Start' ? 3000 : 3001} NOTICE Radius-Accounting: RADIUS Accounting ${status.toLowerCase()} request, ` +
        `ConfigVersionId=12, Device IP Address=10.0.0.2, UserName=erin, NetworkDeviceName=fw-edge, User-Name=erin, ` +
        `NAS-IP-Address=10.0.0.2, Service-Type=${serviceType}, Calling-Station-ID=10.9.9.11, Acct-Status-Type=${status}, ` +
        `Acct-Session-Id=00000A1B, Response={RadiusPacketType=AccountingResponse; AuthenticationResult=Passed; }`,
    );

  it('yields session start and stop for an administrative session', () => {
    const run = recogniser(recognise, P);
    const who = { kind: 'session', platform: P, time: T, device: 'fw-edge', actor: 'erin', actorAddress: '10.9.9.11', path: 'radius', session: '00000A1B' };
    expect(run(radius('Start', 'NAS Prompt')).records).toEqual([{ ...who, action: 'session.start' }]);
    expect(run(radius('Stop', 'Administrative')).records).toEqual([{ ...who, action: 'session.stop' }]);
  });

  it('yields nothing for network access (802.1X, VPN, MAB)', () => {
    expect(recogniser(recognise, P)(radius('Start', 'Framed')).records).toEqual([]);
    expect(recogniser(recognise, P)(radius('Stop', 'Call Check')).records).toEqual([]);
  });

  const auth = (category: string, code: number, cls: string, text: string, extra: string): string =>
    ise(
      category, '0000006001', 1, 0,
      `${STAMP} 0000323456 ${code} NOTICE ${cls}: ${text}, ConfigVersionId=12, Device IP Address=10.0.0.3, UserName=frank, ` +
        `Protocol=${extra}, NetworkDeviceName=dist-sw3, Remote-Address=10.9.9.12, Privilege-Level=15, Response={Type=Authentication; }`,
    );

  it('yields login for a passed and login.failed for a failed device-administration authentication', () => {
    const base = { kind: 'session', platform: P, time: T, device: 'dist-sw3', actor: 'frank', actorAddress: '10.9.9.12', path: 'tacacs', privilege: '15' };
    expect(recogniser(recognise, P)(auth('CISE_Passed_Authentications', 5200, 'Passed-Authentication', 'Authentication succeeded', 'Tacacs')).records)
      .toEqual([{ ...base, action: 'login' }]);
    expect(recogniser(recognise, P)(auth('CISE_Failed_Attempts', 5400, 'Failed-Attempt', 'Authentication failed', 'Tacacs')).records)
      .toEqual([{ ...base, action: 'login.failed' }]);
  });

  it('yields nothing for a framed (network access) authentication', () => {
    const line = auth('CISE_Passed_Authentications', 5200, 'Passed-Authentication', 'Authentication succeeded', 'Radius').replace(
      'Privilege-Level=15',
      'Service-Type=Framed',
    );
    expect(recogniser(recognise, P)(line).records).toEqual([]);
  });
});

describe('cisco-ise other traffic', () => {
  it('ignores other ISE categories and other senders without reporting them', () => {
    const run = recogniser(recognise, P);
    expect(run('<181>Nov 21 22:10:01 ise01 CISE_Profiler 0000000001 1 0 2026-11-21 22:10:01.000 +00:00 0000000001 80002 INFO Profiler: x')).toEqual({ records: [], unknown: [] });
    expect(run('<189>Nov 21 22:10:01 sw1 %SYS-5-CONFIG_I: Configured from console by vty0')).toEqual({ records: [], unknown: [] });
  });

  it('reports a TACACS+ accounting line it cannot read', () => {
    expect(recogniser(recognise, P)('<181>Nov 21 22:10:01 ise01 CISE_TACACS_Accounting 0000000001 1 0 garbled').unknown).toEqual([
      'CISE_TACACS_Accounting',
    ]);
    expect(recogniser(recognise, P)('<181>Nov 21 22:10:01 ise01 CISE_TACACS_Accounting no-header').unknown).toEqual(['CISE_TACACS_Accounting']);
  });

  it('reads the attributes after 64 KB of `, ` with no name or `=` (each `, ` is read once: looking for its `=` read to the end from each)', () => {
    const line = tacacsCommand('CmdAV=show CmdArgAV=version CmdArgAV=<cr>').replace('with Command, ', `with Command${', '.repeat(32_000)}`);
    expect(recogniser(recognise, P)(line).records).toEqual([
      { kind: 'command', action: 'command', platform: P, time: T, device: 'core-sw1', actor: 'alice', actorAddress: '10.9.9.9', path: 'tacacs', command: 'show version', privilege: '15' },
    ]);
  });

  it('never throws on hostile input', () => {
    const run = recogniser(recognise, P);
    for (const text of [
      'CISE_TACACS_Accounting 1 1 0 2026-11-21 22:10:01 +00:00 1 3300 NOTICE A: x, CmdSet=[ CmdAV=username',
      'CISE_TACACS_Accounting 1 1 0 2026-11-21 22:10:01 +00:00 1 3300 NOTICE A: x, __proto__=1, constructor=2, User=<script>',
      `CISE_RADIUS_Accounting 1 9999 0 ${'x'.repeat(100_000)}`,
      'CISE_Passed_Authentications 99999999999999999999 1 0',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
