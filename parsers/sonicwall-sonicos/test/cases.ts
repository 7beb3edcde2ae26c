// Every line of test/corpus/syslog/sonicwall-sonicos/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and sonicwall-sonicos.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/sonicwall-sonicos/wazuh-SonicWall.ini.relevant';

export const files = [F];

export const cases: CorpusCase[] = [
  ...none(F, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11], 'NAT, dropped packets, connections, VPN and content-filter events'),
  { file: F, line: 8, expect: [{ platform: 'sonicwall-sonicos', kind: 'session', action: 'login.failed', device: '192.168.5.1', actor: undefined, actorAddress: '2.2.2.2' }],
    note: 'm=30: no user named on this release; the relay header\'s address is the device' },
];
