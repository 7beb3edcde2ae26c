import { describe, expect, it } from 'vitest';
import type { AaaRecord } from '../../../src/types.js';
import { platformById } from '../../index.js';
import { windows } from '../index.js';
import { fileLines, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'windows';
const run = (line: string) => recogniser(windows.recognise!, P)(line);

describe('windows corpus', () => {
  it('yields the expected records for every corpus line', () => {
    expect(platformCaseProblems(windows, files, cases)).toEqual([]);
  });

  it('reads a real 4720 whole', () => {
    const [first] = fileLines('syslog/windows/account_mgmt_events.relevant.log');
    expect(run(first!.text)).toEqual({
      records: [{
        kind: 'account', action: 'account.create', platform: P, time: '2021-09-17T16:37:26.000Z', device: 'WIN-5SB1I3G0V7U',
        actor: 'MINWINPC$', path: 'os', target: 'WDAGUtilityAccount', technique: 'T1136.001',
      }],
      unknown: [],
    });
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(windows);
  });
});

// Fixtures written for these tests in Snare's MSWinEventLog layout (as the corpus lines: tab
// fields, the rendered message with its labels and values separated by runs of spaces), with the
// message texts of Microsoft's event documentation for 4722–4758 ("Subject", "Target Account",
// "Member", "Group", "New Group", "Deleted Group" sections). Host, domain and account names invented.
const snare = (id: number, category: string, text: string, outcome = 'Success Audit') =>
  `<14>Nov 21 22:10:01 DC01 MSWinEventLog\t1\tSecurity\t1001\tSat Nov 21 22:10:01 2026\t${id}\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\t` +
  `${outcome}\tDC01.corp.example\t${category}\t\t${text}\t77`;
const SUBJECT = 'Subject:   Security ID:  S-1-5-21-1-2-3-1105   Account Name:  admin.kim   Account Domain:  CORP   Logon ID:  0x3E7    ';
const TARGET = 'Target Account:   Security ID:  S-1-5-21-1-2-3-1203   Account Name:  mallory   Account Domain:  CORP';
const member = (group: string, groupSid: string) =>
  `Member:   Security ID:  S-1-5-21-1-2-3-1203   Account Name:  CN=mallory,CN=Users,DC=corp,DC=example    ` +
  `Group:   Security ID:  ${groupSid}   Group Name:  ${group}   Group Domain:  CORP    Additional Information:   Privileges:  -`;
const T = '2026-11-21T22:10:01.000Z';
const rec = { kind: 'account', platform: P, time: T, device: 'DC01.corp.example', actor: 'admin.kim', path: 'os' } as const;
const DN = 'CN=mallory,CN=Users,DC=corp,DC=example';

describe('windows Snare events', () => {
  it.each([
    [4722, 'User Account Management', `A user account was enabled.    ${SUBJECT}${TARGET}`, { action: 'account.modify', target: 'mallory' }],
    [4723, 'User Account Management', `An attempt was made to change an account's password.    ${SUBJECT}${TARGET}`, { action: 'password.change', target: 'mallory' }],
    [4725, 'User Account Management', `A user account was disabled.    ${SUBJECT}${TARGET}`, { action: 'account.modify', target: 'mallory' }],
    [4726, 'User Account Management', `A user account was deleted.    ${SUBJECT}${TARGET}    Additional Information:   Privileges:  -`, { action: 'account.delete', target: 'mallory', technique: 'T1531' }],
    [4728, 'Security Group Management', `A member was added to a security-enabled global group.    ${SUBJECT}${member('Domain Admins', 'S-1-5-21-1-2-3-512')}`, { action: 'group.add_member', target: DN, group: 'Domain Admins (S-1-5-21-1-2-3-512)', technique: 'T1098.007' }],
    [4729, 'Security Group Management', `A member was removed from a security-enabled global group.    ${SUBJECT}${member('Domain Admins', 'S-1-5-21-1-2-3-512')}`, { action: 'group.remove_member', target: DN, group: 'Domain Admins (S-1-5-21-1-2-3-512)' }],
    [4733, 'Security Group Management', `A member was removed from a security-enabled local group.    ${SUBJECT}${member('Administrators', 'S-1-5-32-544')}`, { action: 'group.remove_member', target: DN, group: 'Administrators (S-1-5-32-544)' }],
    [4756, 'Security Group Management', `A member was added to a security-enabled universal group.    ${SUBJECT}${member('Enterprise Admins', 'S-1-5-21-1-2-3-519')}`, { action: 'group.add_member', target: DN, group: 'Enterprise Admins (S-1-5-21-1-2-3-519)', technique: 'T1098.007' }],
    [4757, 'Security Group Management', `A member was removed from a security-enabled universal group.    ${SUBJECT}${member('Enterprise Admins', 'S-1-5-21-1-2-3-519')}`, { action: 'group.remove_member', target: DN, group: 'Enterprise Admins (S-1-5-21-1-2-3-519)' }],
  ])('%i', (id, category, text, want) => {
    expect(run(snare(id, category, text))).toEqual({ records: [{ ...rec, ...want }], unknown: [] });
  });

  // Security groups made and removed, in the section layout of Microsoft's event messages
  // (Microsoft-Windows-Security-Auditing): `New Group:` (4727, 4731), `Group:` (4754, 4734, 4758),
  // `Deleted Group:` (4730). The group is the target; no ATT&CK technique.
  const madeOrRemoved = (heading: string, name: string, sid: string, attributes: boolean) =>
    `${SUBJECT}${heading}   Security ID:  ${sid}   Group Name:  ${name}   Group Domain:  CORP    ` +
    (attributes ? 'Attributes:   SAM Account Name: ' + name + '   SID History:  -    ' : '') + 'Additional Information:   Privileges:  -';
  it.each([
    [4727, 'A security-enabled global group was created.', 'New Group:', true, 'group.create'],
    [4731, 'A security-enabled local group was created.', 'New Group:', true, 'group.create'],
    [4754, 'A security-enabled universal group was created.', 'Group:', true, 'group.create'],
    [4730, 'A security-enabled global group was deleted.', 'Deleted Group:', false, 'group.delete'],
    [4734, 'A security-enabled local group was deleted.', 'Group:', false, 'group.delete'],
    [4758, 'A security-enabled universal group was deleted.', 'Group:', false, 'group.delete'],
  ] as const)('%i', (id, sentence, heading, attributes, action) => {
    const line = snare(id, 'Security Group Management', `${sentence}    ${madeOrRemoved(heading, 'Backup Ops', 'S-1-5-21-1-2-3-1301', attributes)}`);
    expect(run(line)).toEqual({ records: [{ ...rec, action, target: 'Backup Ops', group: 'Backup Ops' }], unknown: [] });
  });

  it('names a group Windows could not name by its SID', () => {
    const line = snare(4734, 'Security Group Management', `A security-enabled local group was deleted.    ${madeOrRemoved('Group:', '-', 'S-1-5-21-1-2-3-1301', false)}`);
    expect(run(line).records).toEqual([{ ...rec, action: 'group.delete', target: 'S-1-5-21-1-2-3-1301', group: 'S-1-5-21-1-2-3-1301' }]);
  });

  it('reads Snare\'s zoneless ctime in the zone configured for the host the event names', () => {
    const berlin = recogniser(windows.recognise!, P, { zoneFor: (host) => (host === 'DC01.corp.example' ? 'Europe/Berlin' : undefined) });
    const deleted = `A user account was deleted.    ${SUBJECT}${TARGET}`;
    // The header (host DC01, no zone configured) says 22:10:01 UTC; the event's own stamp is Berlin time.
    expect(berlin(snare(4726, 'User Account Management', deleted)).records[0]).toMatchObject({ time: '2026-11-21T21:10:01.000Z' });
    const summer = snare(4726, 'User Account Management', deleted).replace('Sat Nov 21 22:10:01 2026', 'Mon Jul 13 12:00:00 2026');
    expect(berlin(summer).records[0]).toMatchObject({ time: '2026-07-13T10:00:00.000Z' });
    // No zone configured: the wall clock is UTC.
    expect(run(summer).records[0]).toMatchObject({ time: '2026-07-13T12:00:00.000Z' });
  });

  it('reports an account event whose account it cannot read', () => {
    expect(run(snare(4720, 'User Account Management', 'A user account was created.    Something new:   Whatever:  x'))).toEqual({ records: [], unknown: ['windows:4720'] });
  });

  it('yields nothing for a Failure Audit', () => {
    expect(run(snare(4720, 'User Account Management', `A user account was created.    ${SUBJECT}New Account:   Account Name:  x`, 'Failure Audit')).records).toEqual([]);
  });

  it("reads NXLog's event type in Snare's outcome field: AUDIT_SUCCESS changed the account, AUDIT_FAILURE did not", () => {
    const unlocked = (outcome: string) => run(snare(4767, 'User Account Management', `A user account was unlocked.    ${SUBJECT}${TARGET}`, outcome)).records;
    expect(unlocked('AUDIT_SUCCESS')).toEqual([{ kind: 'account', action: 'account.modify', platform: P, time: T, device: 'DC01.corp.example', actor: 'admin.kim', path: 'os', target: 'mallory' }]);
    expect(unlocked('AUDIT_FAILURE')).toEqual([]);
  });

  // rsyslog escapes each control character it receives ($EscapeControlCharactersOnReceive, on by
  // default): a Snare line it relays or keeps has `#011` for every tab, and its Snare parser (pmsnare)
  // makes the first tab a space (rsyslog's tests parsertest-parse2.sh and pmsnare-*.sh show both).
  it('reads a Snare line rsyslog relayed, its tabs escaped `#011`, as the line Snare sent', () => {
    const sent = fileLines('syslog/windows/account_mgmt_events.relevant.log').map((l) => l.text);
    for (const line of sent) {
      const read = run(line);
      const escaped = line.replaceAll('\t', '#011');
      expect(run(escaped)).toEqual(read);
      expect(run(escaped.replace('MSWinEventLog#011', 'MSWinEventLog '))).toEqual(read);
      expect(run(line.replace('MSWinEventLog\t', 'MSWinEventLog '))).toEqual(read);
    }
    expect(sent.map((line) => run(line.replaceAll('\t', '#011')).records.length).reduce((a, b) => a + b)).toBeGreaterThan(10);
    // A logon relayed so is passed over as the tab form's is; text that only starts with the word is no Snare line.
    expect(run(snare(4624, 'Logon', `An account was successfully logged on.    ${SUBJECT}`).replaceAll('\t', '#011'))).toEqual({ records: [], unknown: [] });
    expect(run('<14>Nov 21 22:10:01 DC01 MSWinEventLog agent restarted#011ok').records).toEqual([]);
  });

  it('takes the RFC 5424 header\'s exact time over Snare\'s zoneless stamp', () => {
    const line = snare(4726, 'User Account Management', `A user account was deleted.    ${SUBJECT}${TARGET}`).replace(
      '<14>Nov 21 22:10:01 DC01 ',
      '<14>1 2026-11-21T21:10:01.500Z DC01 - - - - ',
    );
    expect(run(line).records[0]).toMatchObject({ time: '2026-11-21T21:10:01.500Z', action: 'account.delete' });
  });
});

// Fixtures written for these tests in the JSON the shippers document: Winlogbeat/Elastic Agent
// (`winlog.event_id`, `winlog.computer_name`, `winlog.event_data.*`, `@timestamp`) and NXLog
// im_msvistalog `to_json()` (`EventID`, `Hostname`, `EventTime`, `EventType`, event data at top level).
describe('windows JSON events', () => {
  const winlogbeat = (id: string | number, data: Record<string, string>, extra: Record<string, unknown> = {}) =>
    '<14>Nov 21 22:10:01 shipper winlogbeat: ' +
    JSON.stringify({
      '@timestamp': '2026-11-21T22:10:01.000Z',
      event: { code: String(id), outcome: 'success' },
      host: { name: 'dc01' },
      winlog: { channel: 'Security', event_id: id, computer_name: 'DC01.corp.example', provider_name: 'Microsoft-Windows-Security-Auditing', event_data: data },
      ...extra,
    });
  const nxlog = (data: Record<string, unknown>) =>
    JSON.stringify({ EventTime: '2026-11-21 22:10:01', Hostname: 'DC01.corp.example', EventType: 'AUDIT_SUCCESS', SourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', ...data });

  it('reads Winlogbeat 4720 and 4732', () => {
    expect(run(winlogbeat('4720', { TargetUserName: 'mallory', TargetSid: 'S-1-5-21-1-2-3-1203', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, action: 'account.create', target: 'mallory', technique: 'T1136.001' },
    ]);
    expect(run(winlogbeat(4732, { MemberName: '-', MemberSid: 'S-1-5-21-1-2-3-1203', TargetUserName: 'Administrators', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, action: 'group.add_member', target: 'S-1-5-21-1-2-3-1203', group: 'Administrators', technique: 'T1098.007' },
    ]);
  });

  it("reads Winlogbeat's pre-7.0 schema (fields at the top level), its Audit Failure a failure", () => {
    // Winlogbeat 5/6 as Logstash received it (`"type":"wineventlog"`), the keyword as it spells it.
    const legacy = (keyword: string) => JSON.stringify({
      '@timestamp': '2026-11-21T22:10:01.000Z', type: 'wineventlog', log_name: 'Security', source_name: 'Microsoft-Windows-Security-Auditing',
      computer_name: 'DC01.corp.example', event_id: 4726, keywords: [keyword], event_data: { TargetUserName: 'mallory', SubjectUserName: 'admin.kim' },
    });
    expect(run(legacy('Audit Success')).records).toEqual([{ ...rec, action: 'account.delete', target: 'mallory', technique: 'T1531' }]);
    expect(run(legacy('Audit Failure')).records).toEqual([]);
  });

  it('yields nothing for a failed Winlogbeat event or a logon', () => {
    expect(run(winlogbeat('4720', { TargetUserName: 'mallory' }, { event: { outcome: 'failure' } })).records).toEqual([]);
    expect(run(winlogbeat('4624', { TargetUserName: 'mallory', SubjectUserName: 'admin.kim' })).records).toEqual([]);
  });

  it('reads group creation and deletion from Winlogbeat and NXLog', () => {
    expect(run(winlogbeat(4731, { TargetUserName: 'Backup Ops', TargetDomainName: 'CORP', TargetSid: 'S-1-5-21-1-2-3-1301', SubjectUserName: 'admin.kim', SamAccountName: 'Backup Ops' })).records).toEqual([
      { ...rec, action: 'group.create', target: 'Backup Ops', group: 'Backup Ops' },
    ]);
    expect(run(nxlog({ EventID: 4758, TargetUserName: 'Backup Ops', TargetDomainName: 'CORP', TargetSid: 'S-1-5-21-1-2-3-1301', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, action: 'group.delete', target: 'Backup Ops', group: 'Backup Ops' },
    ]);
  });

  it('reads NXLog\'s zoneless EventTime in the zone configured for its Hostname', () => {
    const berlin = recogniser(windows.recognise!, P, { zoneFor: (host) => (host === 'DC01.corp.example' ? 'Europe/Berlin' : undefined) });
    expect(berlin(nxlog({ EventID: 4726, TargetUserName: 'mallory', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, time: '2026-11-21T21:10:01.000Z', action: 'account.delete', target: 'mallory', technique: 'T1531' },
    ]);
    // Winlogbeat's @timestamp says its zone (`Z`): no zone setting moves it.
    expect(berlin(winlogbeat('4720', { TargetUserName: 'mallory', SubjectUserName: 'admin.kim' })).records[0]).toMatchObject({ time: T });
  });

  it('reads NXLog 4726 and 4756, the zoneless EventTime read as UTC', () => {
    expect(run(nxlog({ EventID: 4726, TargetUserName: 'mallory', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, action: 'account.delete', target: 'mallory', technique: 'T1531' },
    ]);
    expect(run(nxlog({ EventID: 4756, MemberName: DN, TargetUserName: 'Enterprise Admins', SubjectUserName: 'admin.kim' })).records).toEqual([
      { ...rec, action: 'group.add_member', target: DN, group: 'Enterprise Admins', technique: 'T1098.007' },
    ]);
  });

  it('yields nothing for an NXLog failure or an unrelated event', () => {
    expect(run(nxlog({ EventID: 4726, EventType: 'AUDIT_FAILURE', TargetUserName: 'mallory' })).records).toEqual([]);
    expect(run(nxlog({ EventID: 4625, TargetUserName: 'mallory' })).records).toEqual([]);
  });
});

describe('windows other traffic', () => {
  it('ignores other JSON and other lines', () => {
    expect(run('{"eventName":"CreateUser","eventSource":"iam.amazonaws.com"}')).toEqual({ records: [], unknown: [] });
    expect(run('<14>Nov 21 22:10:01 DC01 MSWinEventLog\t1\tSecurity\t1\tx')).toEqual({ records: [], unknown: [] });
  });

  it('never throws on hostile input', () => {
    for (const text of [
      'MSWinEventLog\t1\tSecurity\t1\tx\t4720\t',
      `MSWinEventLog\t1\tSecurity\t1\tx\t4720\ta\tb\tc\tSuccess Audit\th\tc\t\t${'Account Name:  '.repeat(5000)}\t1`,
      '{"EventID":{"__proto__":1},"TargetUserName":[1]}',
      '{"winlog":{"event_id":"4720","event_data":null}}',
      '{"EventID":4720',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});

// One account, one name (parsers/windows/names.ts). Each test reads its events in order through one
// recogniser, as one sender's events arrive. Shapes: Snare's rendered message as the corpus holds it
// (4781's `Old Account Name: X   New Account Name: Y` as in sample-windows2022-security.data:144–153),
// with member Security IDs resolved to `DOMAIN\name` as Event Viewer renders them ("Event Viewer
// automatically tries to resolve SIDs and show the account name", Microsoft's 4732 and 4781
// references); event data named as those references name it (MemberName, MemberSid, TargetSid,
// TargetDomainName, OldTargetUserName, NewTargetUserName). Names, SIDs and hosts invented.
describe('windows: one account, one name', () => {
  const SID = 'S-1-5-21-1-2-3-1203';
  const snareOn = (computer: string, id: number, category: string, text: string) =>
    snare(id, category, text).replace('\tDC01.corp.example\t', `\t${computer}\t`);
  const created = (name: string, domain: string, sid = SID) =>
    `A user account was created.    ${SUBJECT}New Account:   Security ID:  ${sid}   Account Name:  ${name}   Account Domain:  ${domain}    ` +
    `Attributes:   SAM Account Name: ${name}   Display Name:  <value not set>    Additional Information:   Privileges  -`;
  const added = (memberSid: string, memberName: string, group = 'Administrators', groupDomain = 'Builtin') =>
    `A member was added to a security-enabled local group.    ${SUBJECT}Member:   Security ID:  ${memberSid}   Account Name:  ${memberName}    ` +
    `Group:   Security ID:  S-1-5-32-544   Group Name:  ${group}   Group Domain:  ${groupDomain}    Additional Information:   Privileges:  -`;
  const targets = (read: (l: string) => { records: AaaRecord[] }, ...lines: string[]) =>
    lines.flatMap((l) => read(l).records.map((r) => `${r.action} ${'target' in r ? r.target : ''}`));

  it('names a member rendered CORP\\x as the 4720 named it, when the 4720 gave CORP as its domain (computer CORP-DC1: not its NetBIOS name)', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read,
      snareOn('CORP-DC1.corp.example', 4720, 'User Account Management', created('mallory', 'CORP')),
      snareOn('CORP-DC1.corp.example', 4732, 'Security Group Management', added('CORP\\mallory', 'CN=Mallory Jones,OU=Staff,DC=corp,DC=example')),
    )).toEqual(['account.create mallory', 'group.add_member mallory']);
  });

  it('keeps CORP\\x qualified when nothing says CORP is this computer\'s or the account\'s domain', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read, snareOn('CORP-DC1.corp.example', 4732, 'Security Group Management', added('CORP\\mallory', 'CN=Mallory Jones,OU=Staff,DC=corp,DC=example'))))
      .toEqual(['group.add_member CORP\\mallory']);
  });

  it('names a local account WS01\\x on WS01 x, by the computer\'s NetBIOS name (its first label, cut to 15 characters)', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read, snareOn('WS01.corp.example', 4732, 'Security Group Management', added('ws01\\helpdesk', '-')))).toEqual(['group.add_member helpdesk']);
    expect(targets(read, snareOn('FINANCE-LAPTOP-0042.corp.example', 4732, 'Security Group Management', added('FINANCE-LAPTOP-\\svc', '-')))).toEqual(['group.add_member svc']);
  });

  it('keeps a member of another domain qualified: another principal, even with the same logon name', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read,
      snareOn('CORP-DC1.corp.example', 4720, 'User Account Management', created('mallory', 'CORP')),
      snareOn('CORP-DC1.corp.example', 4732, 'Security Group Management', added('PARTNER\\mallory', '-')),
    )).toEqual(['account.create mallory', 'group.add_member PARTNER\\mallory']);
  });

  it('names a member given by SID alone as the account whose 4720 carried that SID; an unknown SID stays a SID', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read,
      snareOn('WS01', 4720, 'User Account Management', created('backup1', 'WS01')),
      snareOn('WS01', 4732, 'Security Group Management', added(SID, '-')),
      snareOn('WS01', 4732, 'Security Group Management', added('S-1-5-21-1-2-3-1299', '-')),
      // Another computer's SID -1203 is another account (local SIDs are per computer).
      snareOn('WS02', 4732, 'Security Group Management', added(SID, '-')),
    )).toEqual(['account.create backup1', 'group.add_member backup1', `group.add_member S-1-5-21-1-2-3-1299`, `group.add_member ${SID}`]);
  });

  it('keeps a distinguished name whose SID nobody resolved: its CN is a display name, not the logon name', () => {
    const read = recogniser(windows.recognise!, P);
    expect(targets(read, snareOn('CORP-DC1.corp.example', 4728, 'Security Group Management', added(SID, DN, 'Domain Admins', 'CORP')))).toEqual([`group.add_member ${DN}`]);
  });

  it('gives 4722, 4725, 4738, 4726 and the removals 4733, 4729, 4757 the account the 4720 made, whatever names the member', () => {
    const read = recogniser(windows.recognise!, P);
    const target = (id: number, sentence: string) =>
      snareOn('CORP-DC1.corp.example', id, 'User Account Management', `${sentence}    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Name:  mallory   Account Domain:  CORP`);
    const removed = (kind: string, memberSid: string) => added(memberSid, DN).replace('was added to a security-enabled local', `was removed from a security-enabled ${kind}`);
    expect(targets(read,
      snareOn('CORP-DC1.corp.example', 4720, 'User Account Management', created('mallory', 'CORP')),
      target(4722, 'A user account was enabled.'),
      target(4738, 'A user account was changed.'),
      snareOn('CORP-DC1.corp.example', 4732, 'Security Group Management', added(SID, DN)),
      snareOn('CORP-DC1.corp.example', 4733, 'Security Group Management', removed('local', SID)),
      snareOn('CORP-DC1.corp.example', 4729, 'Security Group Management', removed('global', 'CORP\\mallory')),
      snareOn('CORP-DC1.corp.example', 4757, 'Security Group Management', removed('universal', SID)),
      target(4725, 'A user account was disabled.'),
      target(4726, 'A user account was deleted.'),
    )).toEqual([
      'account.create mallory', 'account.modify mallory', 'account.modify mallory', 'group.add_member mallory',
      'group.remove_member mallory', 'group.remove_member mallory', 'group.remove_member mallory', 'account.modify mallory', 'account.delete mallory',
    ]);
  });

  it('gives the account the 4720 made whatever case later account events and a 4781 spell it in (Windows names are the same in any case); another domain\'s keeps its own', () => {
    const read = recogniser(windows.recognise!, P);
    const on = (id: number, category: string, text: string) => snareOn('CORP-DC1.corp.example', id, category, text);
    const target = (id: number, sentence: string, name: string, domain = 'CORP') =>
      on(id, 'User Account Management', `${sentence}    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Name:  ${name}   Account Domain:  ${domain}`);
    expect(targets(read,
      on(4720, 'User Account Management', created('Bob3', 'CORP')),
      target(4722, 'A user account was enabled.', 'BOB3'),
      target(4738, 'A user account was changed.', 'bob3', 'corp'),
      on(4781, 'User Account Management', `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Domain:  CORP   Old Account Name: bob3   New Account Name: Robert3    Additional Information:   Privileges:  -`),
      target(4726, 'A user account was deleted.', 'ROBERT3'),
      target(4725, 'A user account was disabled.', 'robert3', 'PARTNER'),
    )).toEqual([
      'account.create Bob3', 'account.modify Bob3', 'account.modify Bob3',
      'account.delete Bob3', 'account.create Robert3', 'account.delete Robert3', 'account.modify robert3',
    ]);
  });

  it('reads a Snare 4781 as the old name deleted and the new one made (T1098), by the Subject, and names the SID by its new name after', () => {
    const read = recogniser(windows.recognise!, P);
    const renamed = snareOn('WS01', 4781, 'User Account Management',
      `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Domain:  WS01   Old Account Name: backup1   New Account Name: Administrator2    Additional Information:   Privileges:  -`);
    read(snareOn('WS01', 4720, 'User Account Management', created('backup1', 'WS01')));
    expect(read(renamed)).toEqual({
      records: [
        { ...rec, device: 'WS01', action: 'account.delete', target: 'backup1', technique: 'T1098' },
        { ...rec, device: 'WS01', action: 'account.create', target: 'Administrator2', technique: 'T1098' },
      ],
      unknown: [],
    });
    expect(targets(read, snareOn('WS01', 4732, 'Security Group Management', added(SID, '-')))).toEqual(['group.add_member Administrator2']);
  });

  it('moves the domain a domain controller learnt from the old name to the new one', () => {
    const read = recogniser(windows.recognise!, P);
    const on = (id: number, category: string, text: string) => snareOn('CORP-DC1.corp.example', id, category, text);
    expect(targets(read,
      on(4720, 'User Account Management', created('mallory', 'CORP')),
      on(4781, 'User Account Management', `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Domain:  CORP   Old Account Name: mallory   New Account Name: m.jones    Additional Information:   Privileges:  -`),
      on(4732, 'Security Group Management', added('CORP\\m.jones', '-')),
      // No account of CORP is named mallory now: CORP\mallory is a principal nothing here made.
      on(4732, 'Security Group Management', added('CORP\\mallory', '-')),
    )).toEqual(['account.create mallory', 'account.delete mallory', 'account.create m.jones', 'group.add_member m.jones', 'group.add_member CORP\\mallory']);
  });

  it('reads no change from a 4781 that keeps the name, names a built-in group or a computer, and reports one it cannot read', () => {
    const read = recogniser(windows.recognise!, P);
    const rename = (sid: string, old: string, name: string) => snareOn('DC01', 4781, 'User Account Management',
      `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${sid}   Account Domain:  CORP   ${old}${name}   Additional Information:   Privileges:  -`);
    expect(read(rename(SID, 'Old Account Name: bob   ', 'New Account Name: bob'))).toEqual({ records: [], unknown: [] });
    expect(read(rename('S-1-5-32-544', 'Old Account Name: Administrators   ', 'New Account Name: Administratoren'))).toEqual({ records: [], unknown: [] });
    expect(read(rename(SID, 'Old Account Name: PC01$   ', 'New Account Name: PC02$'))).toEqual({ records: [], unknown: [] });
    expect(read(rename(SID, '', 'New Account Name: bob'))).toEqual({ records: [], unknown: ['windows:4781'] });
  });
});

// The JSON shapes (Winlogbeat's winlog.event_data, NXLog's top-level fields) with Microsoft's 4781
// example (DC01.contoso.local: dadmin renames Admin to MainAdmin, TargetSid …-6117).
describe('windows JSON: one account, one name', () => {
  const SID6117 = 'S-1-5-21-3457937927-2839227994-823803824-6117';
  const RENAME = { OldTargetUserName: 'Admin', NewTargetUserName: 'MainAdmin', TargetDomainName: 'CONTOSO', TargetSid: SID6117, SubjectUserName: 'dadmin', SubjectDomainName: 'CONTOSO', PrivilegeList: '-' };
  const at = { kind: 'account', platform: P, time: T, device: 'DC01.contoso.local', actor: 'dadmin', path: 'os' } as const;
  const renamed = [
    { ...at, action: 'account.delete', target: 'Admin', technique: 'T1098' },
    { ...at, action: 'account.create', target: 'MainAdmin', technique: 'T1098' },
  ];

  it('reads Winlogbeat 4781, then names the renamed SID by its new name', () => {
    const read = recogniser(windows.recognise!, P);
    const beat = (id: number, data: Record<string, string>) =>
      JSON.stringify({ '@timestamp': T, event: { code: String(id), outcome: 'success' }, winlog: { channel: 'Security', event_id: id, computer_name: 'DC01.contoso.local', event_data: data } });
    expect(read(beat(4781, RENAME)).records).toEqual(renamed);
    expect(read(beat(4728, { MemberName: 'CN=Main Admin,CN=Users,DC=contoso,DC=local', MemberSid: SID6117, TargetUserName: 'Domain Admins', TargetDomainName: 'CONTOSO', SubjectUserName: 'dadmin' })).records)
      .toEqual([{ ...at, action: 'group.add_member', target: 'MainAdmin', group: 'Domain Admins', technique: 'T1098.007' }]);
  });

  it('reads NXLog 4781, and names a 4720\'s SID in a later 4732 by the 4720\'s name', () => {
    const read = recogniser(windows.recognise!, P);
    const nx = (data: Record<string, unknown>) => JSON.stringify({ EventTime: '2026-11-21 22:10:01', Hostname: 'DC01.contoso.local', EventType: 'AUDIT_SUCCESS', Channel: 'Security', ...data });
    expect(read(nx({ EventID: 4781, ...RENAME })).records).toEqual(renamed);
    expect(read(nx({ EventID: 4720, TargetUserName: 'ksmith', TargetDomainName: 'CONTOSO', TargetSid: 'S-1-5-21-3457937927-2839227994-823803824-6609', SubjectUserName: 'dadmin' })).records)
      .toMatchObject([{ action: 'account.create', target: 'ksmith' }]);
    expect(read(nx({ EventID: 4732, MemberName: '-', MemberSid: 'S-1-5-21-3457937927-2839227994-823803824-6609', TargetUserName: 'Administrators', TargetDomainName: 'Builtin', SubjectUserName: 'dadmin' })).records)
      .toEqual([{ ...at, action: 'group.add_member', target: 'ksmith', group: 'Administrators', technique: 'T1098.007' }]);
  });
});
