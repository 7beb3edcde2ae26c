// Every line of test/corpus/syslog/huawei-vrp/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and huawei-vrp.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const USG = 'syslog/huawei-vrp/wazuh-huawei_usg.ini.relevant';
const NOTES = 'syslog/huawei-vrp/public-lab-notes-usg.relevant';
const RELAY = 'syslog/huawei-vrp/public-parser-test-relay-prefixed.relevant';

export const files = [USG, NOTES, RELAY];

const P = { platform: 'huawei-vrp' } as const;
const cmd = (device: string, actor: string, actorAddress: string, command: string, path?: 'gui') =>
  ({ ...P, kind: 'command', action: 'command', device, actor, actorAddress, command, path }) as const;

export const cases: CorpusCase[] = [
  ...none(USG, [1, 2, 3], 'USG firewall URL filter, policy and session logs: traffic, no account record'),

  { file: NOTES, line: 1, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'USG2110', time: '2019-10-30T17:43:53.000Z', actor: undefined, path: 'cli', session: 'con0' }],
    note: 'a failed console login names the line, not a user' },
  { file: NOTES, line: 2, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'USG2110', actor: 'admin', actorAddress: '192.168.100.249', path: 'gui', session: '321' }] },
  { file: NOTES, line: 3, expect: [], note: 'CPU and memory health behind a relay header: no account record' },
  { file: NOTES, line: 4, expect: [{ ...cmd('USG2110', 'gwadmin', '192.168.0.3', 'undo info-center loghost source'), time: '2020-09-16T22:01:53.000Z', path: undefined }],
    note: 'the older task:/ip:/user:/vrf:/command: form; the final full stop is the message\'s, not the command\'s; task HTPR names no path' },
  { file: NOTES, line: 5, expect: [{ ...cmd('USG6300', 'FXML-ADMIN', '192.168.100.249', 'acl 3000'), path: undefined, time: '2019-12-13T18:56:09.000Z' }] },
  { file: NOTES, line: 6, expect: [{ ...P, kind: 'session', action: 'login', device: 'USG6300', actor: 'FXML-ADMIN', actorAddress: '192.168.50.249', path: 'gui', session: '418' }] },
  { file: NOTES, line: 7, expect: [{ ...P, kind: 'session', action: 'logout', device: 'USG6300', actor: 'FXML-ADMIN', actorAddress: '192.168.50.249', path: 'gui', session: '412' }] },
  { file: NOTES, line: 8, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'USG6300', actor: 'FXML-ADMIN', path: 'gui', session: '410' }] },
  { file: NOTES, line: 9, expect: [{ ...cmd('USG6300', 'FXML-ADMIN', '192.168.50.249', 'save'), path: undefined }] },
  { file: NOTES, line: 10, expect: [{ ...cmd('ZBS-TQYB-FIREWALL', 'ZBS-ADMIN', '192.168.0.3', 'undo rule name 123'), path: undefined }] },
  { file: NOTES, line: 11, expect: [{ ...cmd('ZBS-TQYB-FIREWALL', 'ZBS-ADMIN', '192.168.0.2', 'security-policy'), path: undefined }] },

  { file: RELAY, line: 1, expect: [{ ...cmd('HUAWEI', 'admin', '192.168.1.122', 'display license state', 'gui'), time: '2020-10-23T03:17:45.000Z' }],
    note: 'relay prefix (relay address, facility, severity) skipped by the header quirk; a display command is on the trail too; Task=We0 is the web UI' },
  { file: RELAY, line: 2, expect: [cmd('HUAWEI', 'admin', '192.168.1.122', 'quit', 'gui')] },
  { file: RELAY, line: 3, expect: [], note: 'an HTTP handshake timeout is no login' },
  { file: RELAY, line: 4, expect: [], note: 'a NAC user going offline (CM module) is an access user, not an administrator' },
  { file: RELAY, line: 5, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'HUAWEI', actor: 'admin', actorAddress: '192.168.1.122', path: 'gui' }] },
  { file: RELAY, line: 6, expect: [cmd('HUAWEI', 'admin', '192.168.1.122', 'quit', 'gui')] },
];
