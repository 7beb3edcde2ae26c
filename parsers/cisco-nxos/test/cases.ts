// Every line of test/corpus/syslog/cisco-nxos/ and what it must yield (see test/parsers/cases/types.ts).
// Sekoia's NX-OS intake test messages (probe 5, test/corpus/README.md), most without the header the
// switch sent; parsers/cisco-nxos/test/cisco-nxos.test.ts covers each message type with fixtures
// written from the vendor's documented formats as well.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { lines, none } from '../../../test/tools/corpus-cases.js';

const SEKOIA = 'syslog/cisco-nxos/sekoia-cisco-nx-os.relevant';

// probe-syslog3 (2026-12-07): Elastic's Nexus pipeline test log, whole (test/corpus/README.md).
const ELASTIC = 'syslog/cisco-nxos/elastic-test-nexus.log';

export const files: string[] = [SEKOIA, ELASTIC];

export const cases: CorpusCase[] = [
  ...none(SEKOIA, [1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 'ARP, interface, port-channel and platform messages: no AAA content'),
  { file: SEKOIA, line: 2, expect: [{kind: 'session', time: '2023-01-14T23:31:52.000Z', device: 'unknown', action: 'login.failed', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 3, expect: [{kind: 'session', time: '2023-01-14T23:31:52.000Z', device: 'unknown', action: 'login.failed', actor: 'USERID', actorAddress: '4.3.6.5', path: 'cli'}] },
  { file: SEKOIA, line: 4, note: 'the accounting start of a vsh session; the header as the switch sent it (`<190>HOSTNAME: 2025 Mar 13 …`)',  expect: [{kind: 'session', time: '2025-03-13T17:07:57.000Z', device: 'HOSTNAME', action: 'session.start', actor: 'admin'}] },
  { file: SEKOIA, line: 15, note: '`VSHD_SYSLOG_CMD_EXEC`: a command a user ran, as vshd logs it',  expect: [{kind: 'command', time: '2023-01-11T18:06:23.000Z', device: 'unknown', action: 'command', command: 'securityd', actor: 'jdoe', path: 'cli'}] },
  { file: SEKOIA, line: 16, expect: [{kind: 'command', time: '2023-01-11T18:00:56.000Z', device: 'unknown', action: 'command', command: 'Configured from vty by jdoe on 1.2.3.4@pts/0', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 17, expect: [{kind: 'command', time: '2023-01-11T18:00:56.000Z', device: 'unknown', action: 'command', command: 'Configured from vty by jdoe on console', actor: 'jdoe', path: 'cli'}] },

  ...none(ELASTIC, lines(1, 65, [11, 17, 23, 26, 32, 35, 40, 58, 59, 60]), 'interface, parity, LLDP, CDP, ARP, TACACS+ name lookup and platform messages: no AAA content'),
  ...none(ELASTIC, [11, 35], 'sudo run by NX-OS itself (vsh\'s image check, sysmgr): no login, no command a person typed'),
  {
    file: ELASTIC, line: 17, expect: [],
    note: '`pam_unix(aaa:auth): authentication failure … user=admin - aaad`: aaad\'s local check behind a failed login that pam_aaa\'s line records',
  },
  {
    file: ELASTIC, line: 23, note: 'a failed SSH login; the stamp is AEST (UTC+10)',
    expect: [{ kind: 'session', time: '2023-05-03T03:55:35.928Z', device: '10.100.0.35', action: 'login.failed', actor: 'admin', actorAddress: '172.20.240.105', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 26,
    expect: [{ kind: 'command', time: '2023-05-03T03:55:35.928Z', device: 'ac2106-pesr1-eps-vdi-7k-data', action: 'command', command: 'Configured from vty by admin on 172.20.240.105@pts/0', actor: 'admin', actorAddress: '172.20.240.105', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 32, expect: [],
    note: '`Login failed for user admin - sshd[10021]`: sshd\'s own line for the attempt pam_aaa\'s line 23 (same pid) records with its address; one failed attempt is one record (parsers/cisco-nxos/syslog.ts authpriv)',
  },
  {
    file: ELASTIC, line: 40,
    expect: [{ kind: 'session', time: '2023-05-02T15:21:27.206Z', device: '10.100.0.33', action: 'login.failed', actor: 'admin', actorAddress: '172.20.240.105', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 58, note: 'an SSH session\'s accounting stop: the terminal is `ssh.26046`',
    expect: [{ kind: 'session', time: '2023-05-01T22:58:09.000Z', device: 'switchname', action: 'session.stop', actor: 'SRVC_A00A12_0006_PRD', actorAddress: '10.63.12.105', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 59, note: 'a read-only show: a command record, no account record',
    expect: [{ kind: 'command', time: '2026-05-09T14:40:12.903Z', device: '10.100.0.36', action: 'command', command: 'show ip route vrf all', actor: 'SRVC_A00A12_0006_PRD', actorAddress: '10.63.12.105', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 60,
    expect: [{ kind: 'command', time: '2026-05-09T14:40:12.903Z', device: 'switchname', action: 'command', command: 'show ip ospf neighbors detail vrf all', actor: 'SRVC_A00A12_0006_PRD', actorAddress: '10.63.12.105', path: 'cli' }],
  },
];
