// Every record of the corpus's Okta System Log events and what it must yield (see
// test/parsers/cases/types.ts): panther-analysis rule tests (`ExpectedResult` beside them, keys
// lower-cased by panther; a note starting with DISAGREES says why our record and the rule part
// ways) and Sekoia's intake tests (probe 5).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const ADMIN = 'cloud/okta_admin_role_assigned.tests.jsonl';
const GROUP_ADMIN = 'cloud/okta_group_admin_role_assigned.tests.jsonl';
const TOKEN = 'cloud/okta_api_key_created.tests.jsonl';
const LOCKED = 'cloud/okta_user_account_locked.tests.jsonl';
const SEKOIA = 'cloud/sekoia-okta-system-logs.relevant';

/** Files with panther's verdict beside each record. */
export const pantherFiles = [ADMIN, GROUP_ADMIN, TOKEN, LOCKED];
export const files = [...pantherFiles, SEKOIA];

const base = { kind: 'account', path: 'cloud', device: 'okta' } as const;
const GRANT = { ...base, action: 'privilege.change', time: '2020-11-25T21:27:03.496Z', target: 'alice@acme.io', actor: 'jack@acme.io', actorAddress: '136.24.229.58', technique: 'T1098.003' } as const;

export const cases: CorpusCase[] = [
  {
    file: ADMIN, line: 1, expect: [{ ...GRANT, role: 'Organization administrator, Application administrator (all)' }],
    note: 'user.account.privilege.grant: the roles from debugContext.debugData.privilegeGranted, as Okta lists them',
  },
  { file: ADMIN, line: 2, expect: [{ ...GRANT, role: 'Super administrator, Read only admin' }] },
  {
    file: GROUP_ADMIN, line: 1, expect: [],
    note: 'DISAGREES with panther: group.privilege.grant whose outcome is FAILURE granted nothing (and its only target is an application)',
  },
  { file: GROUP_ADMIN, line: 2, expect: [], note: 'app.token.reuse: no account' },
  {
    file: TOKEN, line: 1,
    expect: [{ ...base, action: 'account.modify', time: '2021-01-08T21:28:34.875Z', target: 'user@example.com', actor: 'user@example.com', technique: 'T1098.001' }],
    note: 'system.api_token.create: a token that acts as the administrator who made it, a credential of that account (as CloudTrail CreateAccessKey)',
  },
  {
    file: LOCKED, line: 1, expect: [],
    note: 'DISAGREES with panther: user.account.lock after failed sign-ins (outcome FAILURE, LOCKED_OUT) is Okta keeping someone out, not a change anyone made to the account',
  },
  { file: LOCKED, line: 2, expect: [], note: 'app.token.reuse: no account' },
  { file: SEKOIA, line: 1, expect: [], note: 'user.account.lock: the same automatic lock-out' },
];
