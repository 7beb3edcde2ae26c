// Every line of test/corpus/syslog/fortinet-fortimanager/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and fortinet-fortimanager.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/fortinet-fortimanager/elastic-test-fortimanager.log.relevant';

export const files = [F];

const P = { platform: 'fortinet-fortimanager', device: 'ABC-XYZ-FMG-VM64' } as const;

export const cases: CorpusCase[] = [
  { file: F, line: 1, expect: [{ ...P, kind: 'session', action: 'login', actor: '__docker_fortiportal', actorAddress: '169.254.255.50', path: 'rest', privilege: 'Super_User', session: '11203', time: '2023-02-23T17:49:29.000Z' }],
    note: 'JSON(…) is the JSON-RPC API; the body\'s own time with its zone (+0500), the header has none' },
  { file: F, line: 2, expect: [{ ...P, kind: 'session', action: 'logout', actor: '__docker_fortiportal', path: 'rest', session: '7772' }] },
  { file: F, line: 3, expect: [], note: 'a policy package status change made by the system' },
  { file: F, line: 4, expect: [], note: 'a debug message' },
  { file: F, line: 5, expect: [{ ...P, kind: 'command', command: 'add fw_vip TEST-xyz', actor: 'admin', actorAddress: '89.160.20.128', path: 'gui' }],
    note: 'an object added from the GUI: named by type and key, its attribute list left in the stored line' },
  { file: F, line: 6, expect: [{ ...P, kind: 'command', command: "Update CLI script 'Configuratin Change' in adom 'root' by user 'admin'", actor: 'admin', path: undefined }] },
];
