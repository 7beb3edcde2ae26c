// Every line of test/corpus/syslog/cisco-nxos/ and what it must yield (see test/parsers/cases/types.ts).
// Sekoia's NX-OS intake test messages (probe 5, test/corpus/README.md), most without the header the
// switch sent; parsers/cisco-nxos/test/cisco-nxos.test.ts covers each message type with fixtures
// written from the vendor's documented formats as well.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const SEKOIA = 'syslog/cisco-nxos/sekoia-cisco-nx-os.relevant';

export const files: string[] = [SEKOIA];

export const cases: CorpusCase[] = [
  ...none(SEKOIA, [1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 'ARP, interface, port-channel and platform messages: no AAA content'),
  { file: SEKOIA, line: 2, expect: [{kind: 'session', time: '2023-01-14T23:31:52.000Z', device: 'unknown', action: 'login.failed', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 3, expect: [{kind: 'session', time: '2023-01-14T23:31:52.000Z', device: 'unknown', action: 'login.failed', actor: 'USERID', actorAddress: '4.3.6.5', path: 'cli'}] },
  { file: SEKOIA, line: 4, note: 'the accounting start of a vsh session; the header as the switch sent it (`<190>HOSTNAME: 2025 Mar 13 …`)',  expect: [{kind: 'session', time: '2025-03-13T17:07:57.000Z', device: 'HOSTNAME', action: 'session.start', actor: 'admin'}] },
  { file: SEKOIA, line: 15, note: '`VSHD_SYSLOG_CMD_EXEC`: a command a user ran, as vshd logs it',  expect: [{kind: 'command', time: '2023-01-11T18:06:23.000Z', device: 'unknown', action: 'command', command: 'securityd', actor: 'jdoe', path: 'cli'}] },
  { file: SEKOIA, line: 16, expect: [{kind: 'command', time: '2023-01-11T18:00:56.000Z', device: 'unknown', action: 'command', command: 'Configured from vty by jdoe on 1.2.3.4@pts/0', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 17, expect: [{kind: 'command', time: '2023-01-11T18:00:56.000Z', device: 'unknown', action: 'command', command: 'Configured from vty by jdoe on console', actor: 'jdoe', path: 'cli'}] },
];
