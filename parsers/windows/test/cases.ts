// Every line of the corpus's Windows Security files (Snare `MSWinEventLog`, RFC 3164 and RFC 5424
// wrapped) and what it must yield (see test/parsers/cases/types.ts).

import { lines, none } from '../../../test/tools/corpus-cases.js';
import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const RELEVANT = 'syslog/windows/account_mgmt_events.relevant.log';
const WS2022 = 'syslog/windows/sample-windows2022-security.data';
const WS2025 = 'syslog/windows/sample-windows2025-security.data';
const SAMPLES = 'syslog/windows/sample-events.data';
const GRAYLOG = 'syslog/windows/graylog2-output-syslog-readme-snare.log';
const HARFANGLAB = 'syslog/windows/sekoia-harfanglab-event-log.relevant';

export const files = [RELEVANT, WS2022, WS2025, SAMPLES, GRAYLOG, HARFANGLAB];

const HOST = 'WIN-5SB1I3G0V7U';
const SETUP = 'MINWINPC$'; // the computer account SYSTEM acts as during setup
const SELF = 'WIN-5SB1I3G0V7U$';
const base = { kind: 'account', device: HOST, path: 'os' } as const;
const T26 = '2021-09-17T16:37:26.000Z';
const T31 = '2021-09-17T16:37:31.000Z';
const T18 = '2021-09-17T16:38:18.000Z';

/** The account-management events, in the order account_mgmt_events.relevant.log holds them. */
const ACCOUNT_EVENTS: Array<Omit<CorpusCase, 'file' | 'line'>> = [
  {
    expect: [{ ...base, action: 'account.create', time: T26, actor: SETUP, target: 'WDAGUtilityAccount', technique: 'T1136.001' }],
    note: '4720; time from Snare\'s own stamp (the 3164 header has no year)',
  },
  {
    expect: [{ ...base, action: 'password.change', time: '2021-09-17T07:46:52.000Z', actor: SELF, target: 'Administrator' }],
    note: '4724 password reset',
  },
  {
    expect: [{ ...base, action: 'group.add_member', time: T26, actor: SETUP, target: 'WDAGUtilityAccount', group: 'None (S-1-5-21-3721521896-794654720-2687577520-513)', technique: 'T1098.007' }],
    note: '4728; the member has no name (`-`), but its SID is the one the 4720 before it gave WDAGUtilityAccount (`New Account: Security ID: …-504`): one account, one name; the global group is named `None`',
  },
  {
    expect: [{ ...base, action: 'group.add_member', time: T26, actor: SETUP, target: 'S-1-5-17', group: 'IIS_IUSRS (S-1-5-32-568)', technique: 'T1098.007' }],
    note: '4732 (T1098.007, not Wazuh\'s T1484); member by SID',
  },
  {
    expect: [{ ...base, action: 'group.add_member', time: T31, actor: SETUP, target: 'S-1-5-4', group: 'Users (S-1-5-32-545)', technique: 'T1098.007' }],
    note: '4732',
  },
  {
    expect: [{ ...base, action: 'group.add_member', time: T31, actor: SETUP, target: 'S-1-5-11', group: 'Users (S-1-5-32-545)', technique: 'T1098.007' }],
    note: '4732',
  },
  { expect: [{ ...base, action: 'account.modify', time: T26, actor: SETUP, target: 'WDAGUtilityAccount', technique: undefined }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T26, actor: SETUP, target: 'WDAGUtilityAccount' }], note: '4738 with no attribute shown as changed: still a change event' },
  { expect: [{ ...base, action: 'account.modify', time: T26, actor: SETUP, target: 'WDAGUtilityAccount' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'Administrator' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'Administrator' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'Guest' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'Guest' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'DefaultAccount' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'DefaultAccount' }], note: '4738' },
  { expect: [{ ...base, action: 'account.modify', time: T18, actor: SELF, target: 'WDAGUtilityAccount' }], note: '4738' },
];

/** Where those events sit in the full Windows Server 2022 sample. */
const WS2022_ACCOUNT_LINES = [94, 95, 97, 108, 109, 110, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132];

/** The 4727/4731 events of the Windows Server 2022 sample: built-in groups made during setup. */
const GROUPS_CREATED: Array<[number, string]> = [
  [96, 'Storage Replica Administrators'], [98, 'Print Operators'], [99, 'Remote Desktop Users'],
  [100, 'Network Configuration Operators'], [101, 'Performance Monitor Users'], [102, 'Performance Log Users'],
  [103, 'Distributed COM Users'], [104, 'IIS_IUSRS'], [105, 'Cryptographic Operators'], [106, 'Event Log Readers'],
  [107, 'Certificate Service DCOM Access'],
];

const OTHER =
  'not account management: startup/time change (4608, 4616), logon/logoff (4624, 4634, 4647, 4648, 4672, 4776), ' +
  'process (4688), token/rights (4696, 4717, 4718), group enumeration (4798, 4799), policy (4739, 4902, 4907, 6417), ' +
  'firewall and crypto (50xx, 53xx, 58xx)';

export const cases: CorpusCase[] = [
  ...ACCOUNT_EVENTS.map((c, i) => ({ file: RELEVANT, line: i + 1, ...c })),
  ...ACCOUNT_EVENTS.map((c, i) => ({ file: WS2022, line: WS2022_ACCOUNT_LINES[i]!, ...c })),
  ...GROUPS_CREATED.map(([line, group]) => ({
    file: WS2022, line,
    expect: [{ ...base, action: 'group.create', time: T26, actor: SETUP, target: group, group, technique: undefined }],
    note: `${line === 96 ? '4727 (global)' : '4731 (local)'}: a security group created during setup, under \`New Group:\`; the group is the target; no ATT&CK technique for creating a group`,
  }) as CorpusCase),
  ...none(WS2022, [...lines(111, 120), 121, 122], '4735/4737: a group changed (its attributes, not its members)'),
  ...none(WS2022, lines(144, 153), '4781: an account renamed; here built-in groups (`S-1-5-32-…`), old name = new name: no change'),
  ...none(WS2022, lines(1, 278, [...WS2022_ACCOUNT_LINES, 96, ...lines(98, 107), ...lines(111, 122), ...lines(144, 153)]), OTHER),
  ...none(WS2025, lines(1, 101), OTHER),
  ...none(SAMPLES, [1], '4624 logon (RFC 5424 wrapped): a session on a host, not an account change'),
  ...none(SAMPLES, [2, 3, 4], '5157 firewall drop, 6281 code integrity, 4769 Kerberos ticket'),
  {
    file: GRAYLOG, line: 1,
    expect: [{
      kind: 'account', action: 'account.delete', time: '2019-02-11T17:32:26.000Z', device: 'WIN-8F8OSAB5AMC.testwin.lan', path: 'os',
      actor: 'Administrator', target: 'admintest', technique: 'T1531',
    }],
    note: '4726 as Graylog\'s syslog output rebuilds Snare from NXLog\'s fields: the outcome is NXLog\'s `AUDIT_SUCCESS`, not Snare\'s `Success Audit` (read as a failure, it was dropped)',
  },
  {
    file: HARFANGLAB, line: 1,
    expect: [{
      kind: 'account', action: 'group.add_member', time: '2025-03-26T12:05:13.913Z', device: 'example.com', path: 'os', actor: 'user1',
      target: 'S-2-2-22-222222229-9999944444-3976126919-4444', group: 'user1 (S-1-2-3-4)', technique: 'T1098.007',
    }],
    note: '4732 in Winlogbeat\'s pre-7.0 schema (top-level event_id, event_data, computer_name, keywords `AuditSuccess`) as HarfangLab forwards it: not read before. Sekoia\'s sample is anonymised: its MemberSid is no S-1 SID, so it stands as sent (a resolved `DOMAIN\\name` would be read so too)',
  },
];
