// Every line of test/corpus/syslog/juniper-junos/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const MX = 'syslog/juniper-junos/mx-cmdline.log';
const THIRD = 'syslog/juniper-junos/third-party-fixtures.log';

const NGFW = 'syslog/juniper-junos/sekoia-juniper-ngfw.relevant';
const SWITCHES = 'syslog/juniper-junos/sekoia-juniper-switches.relevant';

export const files = [MX, THIRD, NGFW, SWITCHES];

const command = (time: string, device: string, actor: string, text: string) => ({
  kind: 'command', action: 'command', time, device, actor, path: 'cli', command: text,
}) as const;

export const cases: CorpusCase[] = [
  {
    file: MX, line: 1,
    expect: [command('2020-11-10T12:21:25.510Z', 'BRMJ00', 'J-apnbng', 'set system processes general-authentication-service traceoptions file jtac-authd.log')],
    note: 'a `set system` command that is not under `system login user`: no account record',
  },
  { file: THIRD, line: 1, expect: [command('2026-03-01T10:00:00.000Z', 'router1', 'root', 'show version')] },
  { file: THIRD, line: 2, expect: [command('2026-01-01T00:00:01.000Z', 'mock-switch', 'testuser', 'show log messages')] },
  { file: THIRD, line: 3, expect: [command('2026-01-15T15:29:45.000Z', 'router', 'admin', 'show log messages')] },
  { file: THIRD, line: 4, expect: [], note: 'UI_COMMIT_COMPLETED: the UI_COMMIT line names the user' },
  {
    file: THIRD, line: 5,
    expect: [{ kind: 'command', action: 'command', time: '2026-01-15T15:25:10.000Z', device: 'router', actor: 'admin', command: 'commit', path: undefined }],
    note: 'a commit may come by CLI or NETCONF: no path',
  },

  // Probe 5: Sekoia's Junos intake test messages, without the header the device sent (so a
  // UI_ message arrives with its process name and no MSGID: not read as Junos).
  ...none(NGFW, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 'flows, screens, cron, rshd, sshd, and UI_ lines without the header that marks them Junos: no record'),
  ...none(SWITCHES, [1, 2, 3, 4], 'firewall filter logs and storm control: no account'),
];
