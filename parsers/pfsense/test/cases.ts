// Every line of test/corpus/syslog/pfsense/ and test/corpus/syslog/opnsense/ and what it must
// yield (see test/parsers/cases/types.ts). Read by `npm run corpus` and pfsense.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { lines } from '../../../test/tools/corpus-cases.js';

const CROWDSEC_PF = 'syslog/pfsense/crowdsec-pfsense-gui-auth.log';
const ELASTIC_PF = 'syslog/pfsense/elastic-test-pfsense-phpfpm.log';
const CROWDSEC_OPN = 'syslog/opnsense/crowdsec-opnsense-gui-auth.log';

export const files = [CROWDSEC_PF, ELASTIC_PF, CROWDSEC_OPN];

const failed = (actor: string, actorAddress: string, device?: string): CorpusCase['expect'] =>
  [{ platform: 'pfsense', kind: 'session', action: 'login.failed', actor, actorAddress, path: 'gui', ...(device ? { device } : {}) }];

export const cases: CorpusCase[] = [
  ...lines(1, 9).map((line) => ({ file: CROWDSEC_PF, line, expect: failed('toto', '10.0.0.1', 'pfSense') })),
  { file: ELASTIC_PF, line: 1, expect: [{ platform: 'pfsense', kind: 'session', action: 'login', actor: 'admin', actorAddress: '10.150.150.77', path: 'gui' }],
    note: 'no hostname before the tag: the record falls back to the sender; the RADIUS source in parentheses is not kept' },
  { file: ELASTIC_PF, line: 2, expect: [{ platform: 'pfsense', kind: 'session', action: 'login', actor: 'admin', actorAddress: '10.150.150.77', path: 'gui' }] },
  { file: ELASTIC_PF, line: 3, expect: failed('asdf', '175.16.199.1') },
  ...lines(1, 6).map((line) => ({ file: CROWDSEC_OPN, line, expect: failed('toto', '1.2.3.4', 'OPNsense.localdomain') })),
];
