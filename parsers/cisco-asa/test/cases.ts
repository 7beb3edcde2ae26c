// Every line of test/corpus/syslog/cisco-asa/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { ChangePath } from '../../../src/types.js';
import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/cisco-asa/elastic-additional-messages.log';
const WAZUH_ASA = 'syslog/cisco-asa/wazuh-cisco_asa.ini.relevant';
const WAZUH_FTD = 'syslog/cisco-asa/wazuh-cisco_ftd.ini.relevant';

const SEKOIA = 'syslog/cisco-asa/sekoia-cisco-secure-firewall-asa.relevant';
const RU = 'syslog/cisco-asa/ru-soc-normalizer-asa-mapper.relevant';
const RELAY_FILE = 'syslog/cisco-asa/public-parser-test-relay-file.relevant';
const KIWI = 'syslog/cisco-asa/public-fwsm-parser-kiwi-file.relevant';

export const files = [F, WAZUH_ASA, WAZUH_FTD, SEKOIA, RU, RELAY_FILE, KIWI];

// Wazuh's lines are the guide's format strings (`Uname: user Priv: privilege_level`) without a
// header: no device name, so the record is counted against the sender (none, for a file).
const wazuh = { platform: 'cisco-asa', device: 'unknown', time: '2026-11-21T23:00:00.000Z' };

const AAA_ONLY = 'an AAA transaction for any service (VPN, cut-through, management): not a device login';

const ruLogin = (time: string, device: string, actor: string, actorAddress: string | undefined, path: ChangePath | undefined) =>
  ({ kind: 'session', action: 'login', time, device, actor, actorAddress, path }) as const;
const ruCommand = (time: string, device: string, command: string) =>
  ({ kind: 'command', action: 'command', time, device, actor: 'somebody', command, actorAddress: undefined, path: undefined }) as const;

export const cases: CorpusCase[] = [
  {
    file: F, line: 1,
    expect: [{ kind: 'command', action: 'command', time: '2026-05-05T19:03:27.000Z', device: 'dev01', actor: 'aaaa', command: 'show access-list fw211111_access_out brief', path: undefined }],
    note: 'a user named aaaa running a show command: no account record',
  },
  {
    file: F, line: 2,
    expect: [{ kind: 'command', action: 'command', time: '2026-05-05T19:02:26.000Z', device: 'dev01', actor: 'aaaa', command: 'show access-list aaa_out brief' }],
    note: '`aaa` in a command argument changes nothing',
  },
  { file: F, line: 3, expect: [], note: '111004 (write net finished): no user, no command text' },
  {
    file: F, line: 4,
    expect: [{ kind: 'command', action: 'command', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actor: 'enable_15', actorAddress: '10.10.0.87', path: 'cli', command: 'clear' }],
  },
  {
    file: F, line: 5,
    expect: [{ kind: 'session', action: 'session.start', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actor: 'enable_15', privilege: '15' }],
    note: 'enable_15 is the pseudo-user of an enable-password session, not an account: a privileged session started',
  },
  {
    file: F, line: 6,
    expect: [{ kind: 'session', action: 'login.failed', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actorAddress: '10.10.1.212', path: 'gui', actor: undefined }],
    note: 'the name is masked (*****) by the device: no actor',
  },
  {
    file: F, line: 7,
    expect: [{ kind: 'session', action: 'login.failed', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actor: 'admin', actorAddress: '10.10.0.87' }],
  },
  {
    file: F, line: 8,
    expect: [{ kind: 'session', action: 'login', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actor: 'admin', actorAddress: '10.10.0.87', path: 'cli' }],
  },
  {
    file: F, line: 9,
    expect: [{ kind: 'session', action: 'login', time: '2026-04-27T02:03:03.000Z', device: 'dev01', actor: 'admin', actorAddress: '10.10.0.87' }],
  },
  { file: F, line: 10, expect: [], note: AAA_ONLY },
  {
    file: F, line: 11,
    expect: [{ kind: 'session', action: 'login.failed', time: '2026-05-05T19:02:25.000Z', device: 'dev01', actor: 'eve', path: 'cli' }],
    note: '113021: a console login refused for lack of admin rights',
  },
  { file: F, line: 12, expect: [], note: AAA_ONLY },
  { file: F, line: 13, expect: [], note: AAA_ONLY },
  { file: F, line: 14, expect: [], note: AAA_ONLY },
  { file: F, line: 15, expect: [], note: AAA_ONLY },
  { file: F, line: 16, expect: [], note: 'a VPN group policy lookup' },
  {
    file: F, line: 17,
    expect: [{ kind: 'session', action: 'logout', time: '2023-10-03T16:40:40.000Z', device: 'myAsaHostname', actor: 'user-test', actorAddress: '10.1.2.3', path: 'cli' }],
    note: '315011: an SSH management session ended',
  },
  { file: F, line: 18, expect: [], note: AAA_ONLY },
  { file: F, line: 19, expect: [], note: AAA_ONLY },
  {
    file: WAZUH_ASA, line: 1,
    expect: [{ ...wazuh, kind: 'session', action: 'session.start', actor: 'impssnagios', privilege: '15' }],
    note: '502103 is a session raised by `enable` or `login`, not an account privilege change',
  },
  { file: WAZUH_ASA, line: 2, expect: [{ ...wazuh, kind: 'command', action: 'command', actor: 'impssnagios', command: 'enable' }] },
  {
    file: WAZUH_ASA, line: 3,
    expect: [{ ...wazuh, kind: 'account', action: 'account.set', target: 'user', privilege: undefined, technique: 'T1136.001' }],
    note: 'a `Priv:` that is not a level (the guide\'s placeholder): the user is still added, with no privilege',
  },
  { file: WAZUH_ASA, line: 4, expect: [{ ...wazuh, kind: 'account', action: 'account.delete', target: 'user', technique: 'T1531' }] },
  {
    file: WAZUH_FTD, line: 1,
    expect: [{ ...wazuh, kind: 'session', action: 'session.start', actor: 'user', privilege: undefined }],
    note: 'FTD shares the catalogue; a level that is not a number is left out',
  },
  { file: WAZUH_FTD, line: 2, expect: [{ ...wazuh, kind: 'account', action: 'account.set', target: 'user', privilege: undefined }] },
  { file: WAZUH_FTD, line: 3, expect: [{ ...wazuh, kind: 'account', action: 'account.delete', target: 'user' }] },

  // Probe 5 (test/corpus/README.md): Sekoia's ASA intake test messages, without the header the device sent.
  ...none(SEKOIA, [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50], 'connections, VPN sessions, ACL hits, failed or third-party authentication: no account changed'),
  { file: SEKOIA, line: 7, expect: [{kind: 'command', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'command', command: 'login', actor: 'admin'}] },
  { file: SEKOIA, line: 8, expect: [{kind: 'command', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'command', command: 'show logging', actor: 'admin'}] },
  { file: SEKOIA, line: 28, expect: [{kind: 'session', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'login', actor: 'admin', actorAddress: '1.1.1.1'}] },
  { file: SEKOIA, line: 29, expect: [{kind: 'session', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'logout', actor: 'admin'}] },
  // A Russian SOC normalizer's ASA, PIX and FWSM test lines: most relayed with the empty field glued
  // to the stamp (`<166>:Jan 13 15:51:28 MSK: %ASA-…`), whose header the scanner did not read; the
  // MSK stamps are +03:00, the others the device's wall clock (no zone: UTC here).
  ...none(RU, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], AAA_ONLY),
  { file: RU, line: 12, expect: [ruLogin('2013-11-07T09:59:27.000Z', 'unknown', 'someone', '42.42.42.42', 'cli')] },
  { file: RU, line: 13, expect: [ruLogin('2026-08-14T15:04:34.000Z', 'unknown', 'someone', '10.10.10.10', 'gui')], note: 'FWSM, the class in the tag (`FWSM-sys-6-605005`)' },
  { file: RU, line: 14, expect: [ruLogin('2026-01-09T06:01:19.000Z', '10.20.30.40', 'someone', '10.9.8.7', 'cli')], note: 'PIX, a host after the zone' },
  { file: RU, line: 15, expect: [{ ...ruLogin('2014-12-30T13:42:09.000Z', 'unknown', 'someone', undefined, 'cli'), actorAddress: undefined }], note: 'a console login: `from serial to console`, no address' },
  ...[16, 17, 18].map((line, k) => ({
    file: RU, line, note: 'the release prints no address: `User authentication succeeded: Uname: someone`',
    expect: [{ ...ruLogin(['2026-01-14T23:19:08.000Z', '2013-11-07T09:59:32.000Z', '2026-07-02T19:28:29.000Z'][k]!, k === 2 ? '10.20.30.40' : 'unknown', 'someone', undefined, undefined), actorAddress: undefined, path: undefined }],
  })),
  { file: RU, line: 19, expect: [ruCommand('2013-11-14T11:23:36.000Z', 'unknown', 'write memory')] },
  { file: RU, line: 20, expect: [ruCommand('2026-10-02T12:20:37.000Z', 'unknown', 'write')] },
  { file: RU, line: 21, expect: [ruCommand('2026-01-14T15:10:27.000Z', '10.20.30.40', 'policy-map POLICY_test_2')] },
  { file: RU, line: 22, expect: [ruCommand('2026-01-14T15:10:27.000Z', 'unknown', 'logging host inside 192.168.0.2')], note: 'the stamp\'s colon spaced off and glued to the tag: `MSK :%ASA-5-111008:`' },
  { file: RU, line: 23, expect: [{ ...ruCommand('2013-11-08T10:18:30.000Z', '10.20.30.40', 'logging on'), actorAddress: '42.42.42.42', path: 'cli' }] },
  { file: RU, line: 24, expect: [{ ...ruCommand('2013-11-08T10:18:30.000Z', 'unknown', 'logging host inside 192.168.0.2'), actorAddress: '147.148.149.150', path: undefined }], note: '`running \'N/A\'`: no path' },
  {
    file: RELAY_FILE, line: 1,
    note: "a relay's file line: its `YYYY-MM-DD hh:mm:ss` stamp, the sender's address, then the name the firewall gave; the name is the device",
    expect: [{ kind: 'session', action: 'session.start', actor: 'enable_15', privilege: '15', time: '2014-11-07T11:18:33.000Z', device: 'FW-LZQ-MGJZZS-ASA5505-01' }],
  },
  ...[1, 2, 3, 4, 5].map((line) => ({ file: KIWI, line, expect: [], note: 'FWSM connection messages in a Kiwi Syslog Server file: no account, command or session' })),
];
