// Every sample of test/corpus/envelopes/ and what the event inside it must yield once opened
// (src/ingest/envelopes): the platforms read the inner event as if it had arrived bare.

import { lines, none } from '../../tools/corpus-cases.js';
import type { CorpusCase } from './types.js';

const O365 = 'envelopes/wazuh/office365.ini.relevant';
const WIN = 'envelopes/wazuh/win_security.ini.relevant';
const WIN_CHANNEL = 'envelopes/wazuh/win_event_channel.ini.relevant';
const AWS = 'envelopes/wazuh/aws_cloudtrail.ini.relevant';
const GRAPH = 'envelopes/wazuh/ms-graph.ini.relevant';
const ECS_4738 = 'envelopes/ecs/elastic-system-security-test-4738.json';
const ECS_4719 = 'envelopes/ecs/elastic-system-security-test-4719-windowssrv2016.json';
const ECS_JOURNALD = 'envelopes/ecs/elastic-system-auth-test-auth-debian11.ABRIDGED.json';
const ECS_SYSLOG = 'envelopes/ecs/elastic-system-auth-test-pam-chauthtok-actor.json';
const XML_4720 = 'envelopes/windows-xml/ms-docs-event-4720.xml';
const XML_4732 = 'envelopes/windows-xml/ms-docs-event-4732.xml';
const XML_4740 = 'envelopes/windows-xml/ms-docs-event-4740.xml';
const XML_4767 = 'envelopes/windows-xml/ms-docs-event-4767.xml';
const XML_4781 = 'envelopes/windows-xml/ms-docs-event-4781.xml';
const GELF_PAYLOAD = 'envelopes/gelf/graylog-example-payload.json';
const GELF_NETCAT = 'envelopes/gelf/graylog-netcat-udp.json';
const NXLOG = 'envelopes/nxlog/public-siem-normalizer-msvistalog.jsonl';

// Wazuh's Office 365 samples are sanitised: tenant, object and target ids all read `sanitized`.
const o365 = { platform: 'azure-entra', time: '2020-03-19T16:48:02.000Z', device: 'entra:sanitized', actor: 'wazuh@wazuh.com', path: 'cloud' as const, target: 'sanitized' };
const win = { platform: 'windows', device: 'apt29w1.xrisbarney.local', actor: 'itadmin', path: 'os' as const };
const msDocs = { platform: 'windows', kind: 'account', device: 'DC01.contoso.local', actor: 'dadmin', path: 'os' } as const;

export const cases: CorpusCase[] = [
  ...none(O365, [1, 2, 3, 10], 'an O365 audit record that grants no account anything (a rule, a download, a mailbox permission)'),
  { file: O365, line: 4, expect: [{ ...o365, kind: 'account', action: 'account.create', technique: 'T1136.003' }], note: 'Add user. inside {"integration":"office365","office365":{…}}' },
  { file: O365, line: 5, expect: [], note: '`Update user.` changes attributes, not access: azure-entra reads no change from it' },
  { file: O365, line: 6, expect: [{ ...o365, kind: 'account', action: 'privilege.change', technique: 'T1098.003', role: undefined }], note: 'Add member to role. with no role named in the sanitised record' },
  { file: O365, line: 7, expect: [{ ...o365, kind: 'account', action: 'group.create', group: 'sanitized' }] },
  { file: O365, line: 8, expect: [{ ...o365, kind: 'account', action: 'group.add_member', technique: 'T1098.007' }] },
  { file: O365, line: 9, expect: [{ ...o365, kind: 'account', action: 'account.modify', technique: 'T1098.001' }] },

  { file: WIN, line: 1, expect: [{ ...win, kind: 'account', action: 'account.modify', target: 'toby', time: '2021-11-08T18:09:47.436Z' }], note: '4722 (enabled) in Wazuh eventchannel JSON' },
  { file: WIN, line: 2, expect: [{ ...win, kind: 'account', action: 'account.modify', target: 'toby' }], note: '4738 (changed)' },
  {
    file: WIN, line: 4,
    expect: [{ ...win, kind: 'account', action: 'group.add_member', target: 'toby', group: 'None (S-1-5-21-184966080-802066075-2268707989-513)', technique: 'T1098.007' }],
    note: '4728 with no member name: its SID (…-1002) is the one lines 1 and 2 (4722, 4738 on the same computer) gave toby, so the member is toby (one account, one population row); `None` is the name Windows gives Domain Users outside a domain',
  },
  ...none(WIN, [3, 5, 6, 7, 8, 9], 'audit policy, device, scheduled task and directory-object events: no account record (5137 creates an AD object, 4720 reports the account)'),
  ...none(WIN_CHANNEL, lines(1, 8), 'eventchannel logons, a service install, a print driver error: no account record'),
  ...none(AWS, lines(1, 8), 'CloudTrail sign-ins and non-IAM calls inside {"integration":"aws",…}: no account record'),
  ...none(GRAPH, lines(1, 3), 'Microsoft Graph security alerts inside {"integration":"ms-graph",…}: no account record'),

  {
    file: ECS_4738, line: 1,
    expect: [{ platform: 'windows', kind: 'account', action: 'account.modify', target: 'anatest1', actor: 'at_adm', device: 'DC_TEST2k12', time: '2021-11-11T17:14:52.001Z' }],
    note: 'Winlogbeat/Elastic Agent ECS with winlog.*: read by parsers/windows as it stands',
  },
  { file: ECS_4719, line: 1, expect: [], note: '4719 (audit policy changed): no account record' },
  {
    file: ECS_JOURNALD, line: 1,
    expect: [{
      platform: 'linux', kind: 'account', action: 'account.create', target: 'systemd-journal-remote', device: 'bullseye',
      time: '2024-11-04T15:09:09.872Z', path: 'os', technique: 'T1136.001', actor: undefined,
    }],
    note: 'Filebeat\'s journald input: the body alone in `message`, the program in `syslog.identifier` (no `process.name`), so the useradd line went unread',
  },
  {
    file: ECS_SYSLOG, line: 1,
    expect: [{ platform: 'linux', kind: 'account', action: 'password.change', target: 'bob', device: 'host12345', time: '2026-05-17T17:57:47.009Z', path: 'os', actor: undefined }],
    note: 'Filebeat\'s syslog parser: the program in `log.syslog.appname`; the PAM line names no actor (Elastic\'s `user.name` alice is its own enrichment)',
  },
  ...none(ECS_SYSLOG, [2, 3], 'passwd\'s PAM failures (authentication failure, no such user): nothing changed'),
  {
    file: XML_4720, line: 1,
    expect: [{
      platform: 'windows', kind: 'account', action: 'account.create', target: 'ksmith', actor: 'dadmin', device: 'DC01.contoso.local',
      time: '2015-08-20T16:22:02.759Z', path: 'os' as const, technique: 'T1136.001',
    }],
    note: 'event XML as Event Viewer copies it (with its `- ` markers), from Microsoft\'s 4720 reference',
  },
  {
    file: XML_4732, line: 1,
    expect: [{
      ...msDocs, action: 'group.add_member', target: 'CN=eadmin,CN=Users,DC=contoso,DC=local', time: '2015-08-19T03:02:38.563Z',
      group: 'AccountOperators (S-1-5-21-3457937927-2839227994-823803824-6605)', technique: 'T1098.007',
    }],
    note: 'Microsoft\'s 4732 reference: the member by distinguished name, since no account event here gave its SID (…-500) a name',
  },
  { file: XML_4740, line: 1, expect: [], note: 'Microsoft\'s 4740 reference: an account locked out by the domain controller itself (Subject DC01$) after failed logons, no one changed it' },
  {
    file: XML_4767, line: 1,
    expect: [{ ...msDocs, action: 'account.modify', target: 'Auditor', time: '2015-08-21T22:31:01.871Z', technique: undefined }],
    note: 'Microsoft\'s 4767 reference: dadmin unlocked Auditor (read as `usermod -U` is on Linux); it was not read at all before',
  },
  {
    file: XML_4781, line: 1,
    expect: [
      { ...msDocs, action: 'account.delete', target: 'Admin', time: '2015-08-22T02:41:09.737Z', technique: 'T1098' },
      { ...msDocs, action: 'account.create', target: 'MainAdmin', time: '2015-08-22T02:41:09.737Z', technique: 'T1098' },
    ],
    note: 'Microsoft\'s 4781 reference: Admin renamed MainAdmin, the old name deleted and the new one made',
  },
  { file: GELF_PAYLOAD, line: 1, expect: [], note: 'the GELF specification\'s example: an application backtrace, no account record' },
  { file: GELF_NETCAT, line: 1, expect: [], note: 'the GELF documentation\'s netcat example: no account record' },

  ...none(NXLOG, [1, 2], 'NXLog field names without SourceModuleType (so no envelope is claimed): 4766/4765, SID history added or refused, which parsers/windows does not read as an account change'),
  ...none(NXLOG, [3, 4], 'NXLog im_msvistalog JSON: Kerberos service tickets (4769), no account record'),
  {
    file: NXLOG, line: 5,
    expect: [{ platform: 'windows', kind: 'account', action: 'account.modify', target: 'Гость', actor: 'WORKGROUP$', device: 'hostname4', time: '2021-04-05T06:58:08.946Z', path: 'os' as const }],
    note: 'NXLog im_msvistalog JSON of a Russian-language host: 4738 on the Guest account (Гость) by the machine (S-1-5-18); the event\'s own zone (+03:00) gives the time',
  },
  { file: NXLOG, line: 6, expect: [], note: 'NXLog im_msvistalog JSON: 4719 (audit policy changed), no account record' },
];
