// The envelope layer (src/ingest/envelopes) over the real header parser and the full platform
// registry: each shape opened to the event inside, read as if it had arrived bare.
//
// Fixtures written for these tests, each in the shape its source documents: Wazuh alerts and
// archives as wazuh/wazuh src/analysisd/format/to_json.c writes them (`timestamp`, `rule`,
// `agent`, `manager`, `full_log`, `predecoder`, `decoder`, `data`, `location`); ECS as Elastic's
// pipeline test inputs carry it (`@timestamp`, `host.name`, `event.original`, `message`,
// `process.name`); NXLog `to_json()` records with the im_msvistalog and parse_syslog() field names of
// NXLog's reference manual; GELF 1.1 from Graylog's specification, with the `_`-prefixed fields
// NXLog's xm_gelf writes. Names, hosts and addresses invented. The real public samples are in
// test/corpus/envelopes (checked by test/parsers/corpus-report.test.ts).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { MAX_ENVELOPE, readMessage } from '../../src/ingest/envelopes/index.js';
import { parseSyslog } from '../../src/ingest/header.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import type { AaaRecord } from '../../src/types.js';
import { corpusMessages, corpusInput, corpusLogFiles } from '../tools/corpus-cases.js';
import { corpusLines } from '../support/corpus.js';

const RECEIVED = Date.parse('2026-11-21T23:00:00Z');
const ctx = { receivedAt: RECEIVED, transport: 'tcp' as const, source: '192.0.2.50' };
const read = (line: string) => readMessage(line, ctx);
const recognise = createRecogniser(platforms);
const records = (line: string): AaaRecord[] => recognise(read(line)).records;

const winEvent = (id: string, data: Record<string, string>, keywords = '0x8020000000000000') => ({
  win: {
    system: { providerName: 'Microsoft-Windows-Security-Auditing', eventID: id, keywords, systemTime: '2026-11-21T22:10:01.1234567Z', channel: 'Security', computer: 'DC01.corp.example', severityValue: 'AUDIT_SUCCESS' },
    eventdata: data,
  },
});
const CREATED = { targetUserName: 'mallory', targetSid: 'S-1-5-21-1-2-3-1203', subjectUserName: 'admin.kim', subjectDomainName: 'CORP' };

const alert = (extra: Record<string, unknown>) => JSON.stringify({
  timestamp: '2026-11-21T22:10:02.500+0000',
  rule: { level: 8, description: 'test', id: '60109' },
  agent: { id: '003', name: 'dc01' },
  manager: { name: 'wazuh-manager' },
  id: '1763763002.1234',
  decoder: { name: 'windows_eventchannel' },
  location: 'EventChannel',
  ...extra,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ordinary syslog', () => {
  it('passes through untouched, with no JSON parsed', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const line = '<189>1: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 secret *';
    const msg = read(line);
    expect(msg).toEqual(parseSyslog(line, ctx));
    expect(msg.envelope).toBeUndefined();
    const json = read('<14>Nov 21 22:10:01 host app: {"level":"info","msg":"a JSON application log"}');
    expect(json.envelope).toBeUndefined();
    expect(json.malformed).toBeUndefined();
    expect(parse).not.toHaveBeenCalled();
  });

  it('leaves JSON the platforms read themselves (CloudTrail, Winlogbeat, NXLog Windows) as it stands', () => {
    const trail = '{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"requestParameters":{"userName":"bob"},"eventTime":"2026-11-21T22:10:01Z","recipientAccountId":"111122223333"}';
    expect(read(trail).envelope).toBeUndefined();
    expect(records(trail)).toMatchObject([{ platform: 'aws-cloudtrail', action: 'account.create', target: 'bob' }]);
    const nxlogWin = JSON.stringify({
      EventTime: '2026-11-21 22:10:01', Hostname: 'DC01.corp.example', EventType: 'AUDIT_SUCCESS', EventID: 4726, SourceName: 'Microsoft-Windows-Security-Auditing',
      TargetUserName: 'mallory', SubjectUserName: 'admin.kim', EventReceivedTime: '2026-11-21 22:10:02', SourceModuleName: 'eventlog', SourceModuleType: 'im_msvistalog',
    });
    expect(read(nxlogWin).envelope).toBeUndefined();
    expect(records(nxlogWin)).toMatchObject([{ platform: 'windows', action: 'account.delete', target: 'mallory', actor: 'admin.kim', device: 'DC01.corp.example' }]);
  });
});

describe('Wazuh', () => {
  it('opens an alert whose full_log is a device syslog line: the device header is read, the ASA line recognised', () => {
    const line = alert({
      agent: { id: '000', name: 'wazuh-manager' },
      full_log: 'Nov 21 2026 22:10:01 fw1 : %ASA-5-502101: New user added to local dbase: Uname: vendor-tac Priv: 15 Encpass: ***** Executed by: jdoe',
      predecoder: { hostname: 'fw1', timestamp: 'Nov 21 2026 22:10:01' },
      decoder: { name: 'cisco-asa' },
      location: '192.0.2.1',
    });
    const msg = read(line);
    expect(msg).toMatchObject({ envelope: 'wazuh', hostname: 'fw1', tag: 'ASA-5-502101', timeText: 'Nov 21 2026 22:10:01' });
    expect(records(line)).toMatchObject([{ platform: 'cisco-asa', action: 'account.set', target: 'vendor-tac', actor: 'jdoe', privilege: '15', device: 'fw1' }]);
  });

  it('opens an alert carrying a Windows event in data.win, behind a syslog header', () => {
    const line = `<132>Nov 21 22:10:03 wazuh-manager ossec: ${alert({ data: winEvent('4720', CREATED) })}`;
    expect(read(line)).toMatchObject({ envelope: 'wazuh', hostname: 'dc01' });
    expect(records(line)).toEqual([{
      kind: 'account', platform: 'windows', action: 'account.create', target: 'mallory', actor: 'admin.kim', path: 'os',
      device: 'DC01.corp.example', time: '2026-11-21T22:10:01.123Z', technique: 'T1136.001',
    }]);
  });

  it('opens an archive line whose full_log is the event JSON (no rule, no data)', () => {
    const line = JSON.stringify({
      timestamp: '2026-11-21T22:10:02.500+0000', agent: { id: '003', name: 'dc01' }, manager: { name: 'wazuh-manager' },
      full_log: JSON.stringify(winEvent('4732', { memberSid: 'S-1-5-21-1-2-3-1299', targetUserName: 'Administrators', subjectUserName: 'admin.kim' })),
      decoder: { name: 'windows_eventchannel' }, location: 'EventChannel',
    });
    // A SID no account event named (mallory's, -1203, is named by the 4720 above) stays a SID.
    expect(records(line)).toMatchObject([{ platform: 'windows', action: 'group.add_member', target: 'S-1-5-21-1-2-3-1299', group: 'Administrators' }]);
  });

  it('reads an audit failure as no change', () => {
    expect(records(JSON.stringify(winEvent('4720', CREATED, '0x8010000000000000')))).toEqual([]);
  });

  it('opens the Office 365 and AWS module events inside an alert', () => {
    const o365 = alert({
      data: {
        integration: 'office365',
        office365: { Operation: 'Add user.', OrganizationId: 'tenant-1', CreationTime: '2026-11-21T22:10:01', ResultStatus: 'Success', UserId: 'admin@corp.example', ObjectId: 'bob@corp.example' },
      },
    });
    expect(records(o365)).toMatchObject([{ platform: 'azure-entra', action: 'account.create', target: 'bob@corp.example', device: 'entra:tenant-1' }]);
    const aws = alert({
      data: {
        integration: 'aws',
        aws: {
          source: 'cloudtrail', eventVersion: '1.08', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2026-11-21T22:10:01Z',
          userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' }, requestParameters: { userName: 'bob' },
        },
      },
    });
    expect(records(aws)).toMatchObject([{ platform: 'aws-cloudtrail', action: 'account.create', target: 'bob', device: 'aws:111122223333' }]);
  });
});

describe('ECS', () => {
  it('opens event.original (an O365 record shipped by Elastic Agent)', () => {
    const line = JSON.stringify({
      '@timestamp': '2026-11-21T22:10:01.000Z', host: { name: 'agent-1' },
      event: { original: JSON.stringify({ Operation: 'Delete user.', OrganizationId: 'tenant-1', CreationTime: '2026-11-21T22:10:01', ResultStatus: 'Success', UserId: 'admin@corp.example', ObjectId: 'bob@corp.example' }) },
    });
    expect(read(line).envelope).toBe('ecs');
    expect(records(line)).toMatchObject([{ platform: 'azure-entra', action: 'account.delete', target: 'bob@corp.example' }]);
  });

  it('opens message with the program ECS split off (Filebeat after its pipeline)', () => {
    const line = JSON.stringify({
      '@timestamp': '2026-11-21T22:10:01.000Z', host: { hostname: 'web01' }, process: { name: 'useradd', pid: 6995 },
      message: 'new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash',
    });
    const msg = read(line);
    expect(msg).toMatchObject({ envelope: 'ecs', hostname: 'web01', appName: 'useradd', timeQuality: 'exact' });
    expect(new Date(msg.time).toISOString()).toBe('2026-11-21T22:10:01.000Z');
    expect(records(line)).toMatchObject([{ platform: 'linux', action: 'account.create', target: 'bob', device: 'web01' }]);
  });
});

describe('NXLog', () => {
  it('opens a parse_syslog() record: Message with Hostname and SourceName beside it', () => {
    const line = JSON.stringify({
      EventReceivedTime: '2026-11-21 22:10:02', SourceModuleName: 'in', SourceModuleType: 'im_file', SyslogFacility: 'AUTHPRIV', Hostname: 'web01',
      EventTime: '2026-11-21 22:10:01', SourceName: 'useradd', ProcessID: '6995', Message: 'new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash',
    });
    expect(read(line)).toMatchObject({ envelope: 'nxlog', hostname: 'web01', appName: 'useradd', procId: '6995', timeQuality: 'inferred' });
    expect(records(line)).toMatchObject([{ platform: 'linux', action: 'account.create', target: 'bob', device: 'web01' }]);
  });
});

describe('GELF', () => {
  it('opens a Windows event NXLog sent as GELF (`_`-prefixed fields)', () => {
    const line = JSON.stringify({
      version: '1.1', host: 'DC01.corp.example', short_message: 'A user account was deleted.', timestamp: 1795299001.5, level: 6,
      _EventID: 4726, _EventType: 'AUDIT_SUCCESS', _SourceName: 'Microsoft-Windows-Security-Auditing', _TargetUserName: 'mallory', _SubjectUserName: 'admin.kim',
    });
    expect(read(line)).toMatchObject({ envelope: 'gelf', hostname: 'DC01.corp.example', timeQuality: 'exact' });
    expect(records(line)).toMatchObject([{ platform: 'windows', action: 'account.delete', target: 'mallory', device: 'DC01.corp.example' }]);
    const renamed = JSON.stringify({
      version: '1.1', host: 'DC01.corp.example', short_message: 'The name of an account was changed:', timestamp: 1795299001.5, level: 6,
      _EventID: 4781, _EventType: 'AUDIT_SUCCESS', _SourceName: 'Microsoft-Windows-Security-Auditing', _OldTargetUserName: 'mallory', _NewTargetUserName: 'm.jones',
      _TargetDomainName: 'CORP', _TargetSid: 'S-1-5-21-1-2-3-1203', _SubjectUserName: 'admin.kim', _SubjectDomainName: 'CORP',
    });
    expect(records(renamed)).toMatchObject([
      { platform: 'windows', action: 'account.delete', target: 'mallory', actor: 'admin.kim', technique: 'T1098', device: 'DC01.corp.example' },
      { platform: 'windows', action: 'account.create', target: 'm.jones', actor: 'admin.kim', technique: 'T1098', device: 'DC01.corp.example' },
    ]);
  });

  it('opens a device line carried in full_message, its own header read', () => {
    const line = JSON.stringify({ version: '1.1', host: 'relay', short_message: 'x', full_message: '<166>Nov 21 2026 22:10:01 fw1 : %ASA-5-502102: User deleted from local dbase: Uname: bob Executed by: jdoe', timestamp: 1795299001 });
    expect(records(line)).toMatchObject([{ platform: 'cisco-asa', action: 'account.delete', target: 'bob', actor: 'jdoe', device: 'fw1' }]);
  });

  it('keeps host and time of the specification example', () => {
    const [payload] = [corpusLines('envelopes', 'gelf', 'graylog-netcat-udp.json')[0]!];
    expect(read(payload)).toMatchObject({ envelope: 'gelf', hostname: 'example.org', message: 'A short message' });
  });
});

describe('Windows event XML', () => {
  const xml = (id: string, keywords = '0x8020000000000000') =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>${id}</EventID>` +
    `<Keywords>${keywords}</Keywords><TimeCreated SystemTime='2026-11-21T22:10:01.000Z'/><Channel>Security</Channel><Computer>DC01.corp.example</Computer></System>` +
    `<EventData><Data Name='TargetUserName'>mallory</Data><Data Name='TargetSid'>S-1-5-21-1-2-3-1203</Data><Data Name='SubjectUserName'>admin&amp;kim</Data></EventData></Event>`;

  it('opens a bare event (no syslog header: what looked like a bad PRI is the envelope)', () => {
    const msg = read(xml('4720'));
    expect(msg).toMatchObject({ envelope: 'windows-xml', malformed: undefined, hostname: 'DC01.corp.example' });
    expect(records(xml('4720'))).toMatchObject([{ platform: 'windows', action: 'account.create', target: 'mallory', actor: 'admin&kim' }]);
  });

  it('opens one behind a syslog header, and reads an audit failure as no change', () => {
    expect(records(`<13>Nov 21 22:10:01 wec01 WEC: ${xml('4726')}`)).toMatchObject([{ action: 'account.delete', device: 'DC01.corp.example' }]);
    expect(records(xml('4720', '0x8010000000000000'))).toEqual([]);
  });

  // Microsoft's 4781 reference example as Event Viewer's XML view copies it (its `- ` markers kept),
  // then a 4732 naming the renamed account by SID alone, as a local account's member event does.
  const event = (id: number, data: Array<[string, string]>) =>
    `- <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\n- <System>\n <Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-A5BA-3E3B0328C30D}" /> \n` +
    ` <EventID>${id}</EventID> \n <Keywords>0x8020000000000000</Keywords> \n <TimeCreated SystemTime="2015-08-22T02:41:09.737420900Z" /> \n <Channel>Security</Channel> \n` +
    ` <Computer>DC01.contoso.local</Computer> \n </System>\n- <EventData>\n${data.map(([k, v]) => ` <Data Name="${k}">${v}</Data> \n`).join('')} </EventData>\n </Event>`;
  const SID = 'S-1-5-21-3457937927-2839227994-823803824-6117';
  const subject: Array<[string, string]> = [['SubjectUserSid', 'S-1-5-21-3457937927-2839227994-823803824-1104'], ['SubjectUserName', 'dadmin'], ['SubjectDomainName', 'CONTOSO'], ['SubjectLogonId', '0x30d5f']];

  it('reads 4781 as the old name deleted and the new one made (T1098), and names the SID by its new name after', () => {
    const recogniseOwn = createRecogniser(platforms);
    const own = (text: string) => recogniseOwn(read(text)).records;
    const renamed = event(4781, [['OldTargetUserName', 'Admin'], ['NewTargetUserName', 'MainAdmin'], ['TargetDomainName', 'CONTOSO'], ['TargetSid', SID], ...subject, ['PrivilegeList', '-']]);
    expect(read(renamed)).toMatchObject({ envelope: 'windows-xml', hostname: 'DC01.contoso.local' });
    const who = { kind: 'account', platform: 'windows', device: 'DC01.contoso.local', actor: 'dadmin', path: 'os', time: '2015-08-22T02:41:09.737Z' };
    expect(own(renamed)).toEqual([
      { ...who, action: 'account.delete', target: 'Admin', technique: 'T1098' },
      { ...who, action: 'account.create', target: 'MainAdmin', technique: 'T1098' },
    ]);
    expect(own(event(4732, [['MemberName', '-'], ['MemberSid', SID], ['TargetUserName', 'Administrators'], ['TargetDomainName', 'Builtin'], ['TargetSid', 'S-1-5-32-544'], ...subject])))
      .toEqual([{ ...who, action: 'group.add_member', target: 'MainAdmin', group: 'Administrators (S-1-5-32-544)', technique: 'T1098.007' }]);
  });
});

describe('Wazuh Windows events: one account, one name', () => {
  it('reads 4781 from eventdata, and names a 4720\'s SID in a later 4732 by the 4720\'s name', () => {
    const recogniseOwn = createRecogniser(platforms);
    const own = (data: Record<string, string>, id: string) => recogniseOwn(read(JSON.stringify(winEvent(id, data)))).records;
    expect(own({ oldTargetUserName: 'mallory', newTargetUserName: 'm.jones', targetDomainName: 'CORP', targetSid: 'S-1-5-21-1-2-3-1203', subjectUserName: 'admin.kim', subjectDomainName: 'CORP' }, '4781'))
      .toMatchObject([{ action: 'account.delete', target: 'mallory', actor: 'admin.kim', technique: 'T1098' }, { action: 'account.create', target: 'm.jones', actor: 'admin.kim', technique: 'T1098' }]);
    expect(own({ ...CREATED, targetUserName: 'eve', targetSid: 'S-1-5-21-1-2-3-1300', targetDomainName: 'CORP' }, '4720')).toMatchObject([{ action: 'account.create', target: 'eve' }]);
    expect(own({ memberSid: 'S-1-5-21-1-2-3-1300', memberName: 'CN=Eve Adams,OU=Staff,DC=corp,DC=example', targetUserName: 'Domain Admins', targetDomainName: 'CORP', subjectUserName: 'admin.kim' }, '4728'))
      .toMatchObject([{ action: 'group.add_member', target: 'eve', group: 'Domain Admins' }]);
    expect(own({ memberSid: 'S-1-5-21-1-2-3-1203', memberName: '-', targetUserName: 'Administrators', targetDomainName: 'Builtin', subjectUserName: 'admin.kim' }, '4732'))
      .toMatchObject([{ action: 'group.add_member', target: 'm.jones', group: 'Administrators' }]);
  });
});

describe('hostile and broken envelopes', () => {
  it('counts malformed JSON that claims a shape, and never throws', () => {
    const msg = read('<14>Nov 21 22:10:01 wazuh ossec: {"integration":"office365","office365":{"Operation":"Add us');
    expect(msg.malformed).toBe('envelope-json');
    expect(recognise(msg).records).toEqual([]);
    expect(read('<Event xmlns="x"><System><EventID>4720</Even').malformed).toBe('envelope-xml');
    const laughs = '<?xml version="1.0"?><!DOCTYPE Event [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<Event><System><EventID>4720</EventID></System><EventData><Data Name="TargetUserName">&b;</Data></EventData></Event>';
    expect(read(laughs).malformed).toBe('envelope-xml');
    expect(records(laughs)).toEqual([]);
  });

  it('refuses to open an envelope larger than the bound', () => {
    const big = JSON.stringify({ version: '1.1', host: 'h', short_message: 'x'.repeat(MAX_ENVELOPE) });
    const parse = vi.spyOn(JSON, 'parse');
    expect(read(big).malformed).toBe('envelope-too-large');
    expect(parse).not.toHaveBeenCalled();
  });

  it('is not fooled by prototype keys or nesting', () => {
    const proto = '{"integration":"__proto__","__proto__":{"Operation":"Add user."},"full_log":{"x":1}}';
    expect(() => records(proto)).not.toThrow();
    expect(records(proto)).toEqual([]);
    // An envelope inside an envelope inside an envelope: opened twice, then read as it stands.
    const inner = alert({ full_log: 'Nov 21 2026 22:10:01 fw1 : %ASA-5-502102: User deleted from local dbase: Uname: bob' });
    const ecs = JSON.stringify({ '@timestamp': '2026-11-21T22:10:01Z', message: inner });
    expect(records(ecs)).toMatchObject([{ platform: 'cisco-asa', action: 'account.delete', target: 'bob' }]);
    const third = JSON.stringify({ version: '1.1', host: 'h', short_message: ecs });
    expect(read(third).envelope).toBe('ecs');
    expect(records(third)).toEqual([]);
  });

  it('gives a hostile event no way around the platforms\' own checks', () => {
    const line = JSON.stringify(winEvent('4720', { targetUserName: '<script>alert(1)</script>', subjectUserName: '=cmd|calc' }));
    expect(records(line)).toMatchObject([{ target: '<script>alert(1)</script>', actor: '=cmd|calc' }]);
    expect(records(JSON.stringify(winEvent('not-a-number', CREATED)))).toEqual([]);
  });
});

describe('mutated envelopes', () => {
  it('never throw: every public sample cut, spliced and corrupted still reads and is offered to every platform', () => {
    let seed = 20261121;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const samples = corpusLogFiles().filter((f) => f.startsWith('envelopes/')).flatMap((f) => corpusMessages(f).map((m) => corpusInput(f, m.text)));
    expect(samples.length).toBeGreaterThan(30);
    const noise = ['{', '}', '"', '\\', '<', '>', '</Event>', '"win":', '"integration":"__proto__"', '\u0000', '&amp;', '<!ENTITY', '\n'];
    let opened = 0;
    for (let i = 0; i < 3000; i++) {
      let s = samples[Math.floor(rnd() * samples.length)]!;
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
        const at = Math.floor(rnd() * s.length);
        const op = rnd();
        s = op < 0.4 ? s.slice(0, at) : op < 0.7 ? s.slice(0, at) + noise[Math.floor(rnd() * noise.length)] + s.slice(at) : s.slice(0, at) + s.slice(at + Math.floor(rnd() * 64));
      }
      const msg = read(s);
      if (msg.envelope) opened++;
      expect(Number.isFinite(msg.time)).toBe(true);
      const { unknown } = recognise(msg);
      expect(unknown.filter((u) => u.type.endsWith(':error')), s.slice(0, 200)).toEqual([]);
    }
    expect(opened).toBeGreaterThan(0);
  });
});
