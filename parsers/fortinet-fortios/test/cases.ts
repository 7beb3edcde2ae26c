// Every line of test/corpus/syslog/fortinet-fortios/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/fortinet-fortios/psirt-admin-add.log';

const SEKOIA = 'syslog/fortinet-fortios/sekoia-fortigate.relevant';

export const files = [F, SEKOIA];

export const cases: CorpusCase[] = [
  {
    file: F, line: 1,
    expect: [{
      kind: 'account', action: 'account.create', time: '2026-11-21T23:00:00.000Z', device: 'unknown', target: 'vOcep', role: 'super_admin',
      actor: 'admin', actorAddress: '127.0.0.1', path: 'cli', technique: 'T1136.001', command: undefined,
    }],
    note: 'CVE-2024-55591: a super_admin created through the GUI\'s CLI console (jsconsole) from 127.0.0.1; the line as quoted has no header, date or devname',
  },

  // Probe 5: Sekoia's FortiGate intake test messages (key=value and CEF), most without a header.
  ...none(SEKOIA, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91], 'traffic, UTM, VPN, DHCP, HA, configuration of objects other than administrators: no account changed'),
  { file: SEKOIA, line: 8, expect: [{kind: 'session', time: '2021-04-28T14:48:00.000Z', device: 'abc', action: 'logout', actor: 'test', actorAddress: '1.1.1.1', path: 'cli'}] },
  { file: SEKOIA, line: 30, note: '`Add system.admin vOcep` (the CVE-2024-55591 indicator line, without its date fields): an administrator created with super_admin; the receive time, as the line has no date',  expect: [{kind: 'account', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'account.create', target: 'vOcep', actor: 'admin', actorAddress: '127.0.0.1', path: 'cli', role: 'super_admin', technique: 'T1136.001'}] },
  { file: SEKOIA, line: 31, expect: [{kind: 'session', time: '2026-11-21T23:00:00.000Z', device: 'unknown', action: 'login', actor: 'admin', actorAddress: '1.1.1.1', path: 'cli'}] },
  {
    file: SEKOIA, line: 32,
    note: 'the CEF rendering of logid 0100032002 (Admin login failed): user in `duser`, ui in `sproc`, status in `outcome`, the time from `FTNTFGTeventtime`; no devname, so no device',
    expect: [{kind: 'session', time: '2018-12-27T19:15:40.000Z', device: 'unknown', action: 'login.failed', actor: 'user1', actorAddress: '172.16.200.254', path: 'gui'}],
  },
  { file: SEKOIA, line: 47, expect: [{kind: 'session', time: '2025-03-06T12:39:07.895Z', device: 'testHostname', action: 'logout', actor: 'testUser', actorAddress: '3.4.5.6', path: 'gui'}] },
  { file: SEKOIA, line: 48, expect: [{kind: 'session', time: '2025-03-06T12:39:07.895Z', device: 'TESTDEVNAME', action: 'logout', actor: 'user1', actorAddress: '1.2.3.4', path: 'gui'}] },
];
