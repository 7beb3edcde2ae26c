// Every line of test/corpus/syslog/huawei-vrp/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and huawei-vrp.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const USG = 'syslog/huawei-vrp/wazuh-huawei_usg.ini.relevant';
const NOTES = 'syslog/huawei-vrp/public-lab-notes-usg.relevant';
const RELAY = 'syslog/huawei-vrp/public-parser-test-relay-prefixed.relevant';
// Messages as Huawei's log references print them, placeholders and all, sent behind the
// references' example header (`Aug 6 2011 20:34:46 HUAWEI %%01`: test/tools/corpus-cases.ts).
const REF_AAA = 'syslog/huawei-vrp/huawei-logref-edoc1100126883.vrp-logref';
const REF_S = 'syslog/huawei-vrp/huawei-logref-s-series.vrp-logref';
const REF_NE = 'syslog/huawei-vrp/huawei-logref-ne8000-f1a.vrp-logref';

export const files = [USG, NOTES, RELAY, REF_AAA, REF_S, REF_NE];

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

  { file: REF_AAA, line: 1, expect: [], note: 'the password of a local account may not be changed (a policy state): no change was made' },
  { file: REF_AAA, line: 2, expect: [{ ...P, kind: 'account', action: 'password.change', device: 'HUAWEI', time: '2011-08-06T20:34:46.000Z', target: '[STRING3]', actor: '[STRING1]', actorAddress: undefined, path: 'gui', technique: 'T1098' }],
    note: 'the documented form, placeholders as printed: the target and the actor are read from their places; `[STRING2]` is no address' },
  { file: REF_AAA, line: 3, expect: [], note: 'an AAA domain (a group of access users) unblocked by its schedule: no account' },
  { file: REF_AAA, line: 4, expect: [], note: 'a user interface (line) switched to password authentication at level 15 at the first login: a line, not an account' },
  { file: REF_AAA, line: 5, expect: [], note: 'a terminal locked by its user (`lock`): not an account locked' },
  { file: REF_S, line: 1, expect: [], note: 'a password change that failed (too short, reused, wrong old password…): nothing changed' },
  { file: REF_S, line: 2, expect: [], note: 'the `super` elevation as printed: `LoginResult=[string]` says no success, so no session is raised (a success is platform.test.ts\'s)' },
  { file: REF_S, line: 3, expect: [{ ...P, kind: 'command', action: 'command', device: 'HUAWEI', command: '[string]', actor: '[string]', actorAddress: undefined, path: undefined }],
    note: 'the command record as printed: every recorded command is on the trail; `[string]` is neither an address nor a terminal name' },
  { file: REF_NE, line: 1, expect: [], note: 'a lockout after consecutive failed logins is the account\'s state, not a change to it (as Windows 4740 yields nothing)' },
];
