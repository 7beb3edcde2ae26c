// Every line of test/corpus/syslog/aruba-aos/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and aruba-aos.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/aruba-aos/sekoia-aruba-os-controller.relevant';

export const files = [F];

export const cases: CorpusCase[] = [
  ...none(F, [1, 10], 'Instant AP wireless client authentication (stm)'),
  ...none(F, [2, 3, 4, 7], 'the internal user database also answers wireless and captive-portal users: no administrator login claimed'),
  ...none(F, [5, 8], 'user database internals'),
  ...none(F, [9], 'station update'),
  { file: F, line: 6, expect: [{ platform: 'aruba-aos', kind: 'session', action: 'login.failed', device: 'FR0002SR021', actor: 'admin', actorAddress: '1.2.3.4' }],
    note: 'no syslog header: the controller named in the body is the device' },
];
