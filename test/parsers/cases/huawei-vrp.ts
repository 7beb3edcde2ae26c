// Every line of test/corpus/syslog/huawei-vrp/ and what it must yield (see types.ts). Huawei VRP
// declares only its header forms so far (parsers/huawei-vrp/index.ts): no line yields a record
// yet; test/parsers/huawei-vrp.test.ts checks that each keeps its hostname and time.

import { none } from '../../tools/corpus-cases.js';
import type { CorpusCase } from './types.js';

const F = 'syslog/huawei-vrp/wazuh-huawei_usg.ini.relevant';

export const files = [F];

export const cases: CorpusCase[] = [
  ...none(F, [1, 2, 3], 'USG firewall URL filter, policy and session logs: traffic, no account record'),
];
