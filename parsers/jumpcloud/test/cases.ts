// Every record of the corpus's JumpCloud Directory Insights events (Sekoia's intake tests, probe 5)
// and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const SEKOIA = 'cloud/sekoia-jumpcloud.relevant';

export const files = [SEKOIA];

const base = { kind: 'account', path: 'cloud', actor: 'maurice.moss@sekoia.io' } as const;

export const cases: CorpusCase[] = [
  { file: SEKOIA, line: 1, expect: [], note: 'admin_login_attempt: a sign-in' },
  {
    file: SEKOIA, line: 2,
    expect: [{ ...base, action: 'account.create', time: '2023-06-21T14:34:21.089Z', device: 'JDOE-DESKTOP', target: 'john.doe', actorAddress: '176.161.221.161', technique: 'T1136.001' }],
    note: 'association_change, op add, system JDOE-DESKTOP to user john.doe: the agent makes the account on that system, so the system is the device',
  },
  ...none(SEKOIA, [3, 4], 'a RADIUS sign-in'),
  ...none(SEKOIA, [5, 6, 7], 'an SSO sign-in'),
  ...none(SEKOIA, [8, 9], 'user_update of attributes (division, addresses): no access changed'),
  {
    file: SEKOIA, line: 10,
    expect: [{ ...base, action: 'account.modify', time: '2023-06-19T17:11:10.381Z', device: 'jumpcloud:641b3db57090821c0b2f8183', target: 'john.wick', actorAddress: '10.11.12.13', technique: 'T1531' }],
    note: 'user_update through SCIM whose changes include suspended false → true: access taken away (the address changes beside it are no record)',
  },
];
