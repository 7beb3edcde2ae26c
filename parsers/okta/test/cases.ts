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
// probe-cloud2 (2026-12-07): panther's other Okta rules about a user's credentials and access.
const SUSPEND = 'cloud/okta_user_mfa_factor_suspend.tests.jsonl';
const RESET = 'cloud/okta_user_mfa_reset.tests.jsonl';
const RESET_ALL = 'cloud/okta_user_mfa_reset_all.tests.jsonl';
const SUPPORT_RESET = 'cloud/okta_support_reset.tests.jsonl';
const TOKEN_REVOKED = 'cloud/okta_api_key_revoked.tests.jsonl';
const ORG_MFA = 'cloud/okta_admin_disabled_mfa.tests.jsonl';
const SUPPORT_ACCESS = 'cloud/okta_account_support_access.tests.jsonl';

/** Files with panther's verdict beside each record. */
export const pantherFiles = [ADMIN, GROUP_ADMIN, TOKEN, LOCKED, SUSPEND, RESET, RESET_ALL, SUPPORT_RESET, TOKEN_REVOKED, ORG_MFA, SUPPORT_ACCESS];
export const files = [...pantherFiles, SEKOIA];

const base = { kind: 'account', path: 'cloud', device: 'okta' } as const;
const FACTOR = { ...base, time: '2022-06-22T18:18:29.015Z', target: 'peter.griffin@company.com', actor: 'homer.simpson@duff.com', actorAddress: '1.3.2.4' } as const;
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

  {
    file: SUSPEND, line: 1, expect: [{ ...FACTOR, action: 'account.modify', technique: 'T1098.005' }],
    note: 'user.mfa.factor.suspend: a factor taken off the user until unsuspended, as a deactivation',
  },
  {
    file: SUSPEND, line: 2, expect: [{ ...FACTOR, action: 'account.modify', technique: 'T1098.005' }],
    note: 'DISAGREES with panther: its rule is about a suspension only; the record is user.mfa.factor.reset_all, every factor taken off the user',
  },
  {
    file: RESET, line: 1,
    expect: [{ ...base, action: 'account.modify', time: '2026-11-21T23:00:00.000Z', target: 'homer@springfield.gov', actor: 'homer@springfield.gov', actorAddress: '1.1.1.1', technique: 'T1098.005' }],
    note: 'user.mfa.factor.deactivate by the user themself; the test record has no `published`, so the receive time',
  },
  { file: RESET, line: 2, expect: [], note: 'a rate limit: no account' },
  { file: RESET_ALL, line: 1, expect: [{ ...FACTOR, action: 'account.modify', technique: 'T1098.005' }], note: 'user.mfa.factor.reset_all' },
  { file: RESET_ALL, line: 2, expect: [], note: 'a rate limit: no account' },
  {
    file: SUPPORT_RESET, line: 1,
    expect: [{ ...base, action: 'password.change', time: '2021-11-29T18:56:40.014Z', target: 'homer@springfield.gov', actor: 'system@okta.com', actorAddress: '1.1.1.1', technique: 'T1098' }],
    note: 'user.account.reset_password by Okta support (system@okta.com)',
  },
  {
    file: SUPPORT_RESET, line: 2,
    expect: [{ ...base, action: 'password.change', time: '2026-11-21T23:00:00.000Z', target: 'homer@springfield.gov', actor: 'marge@springfield.gov', actorAddress: '1.1.1.1', technique: 'T1098' }],
    note: 'DISAGREES with panther: its rule is about resets by Okta support only; an administrator resetting a password is a change all the same',
  },
  {
    file: TOKEN_REVOKED, line: 1, expect: [],
    note: 'DISAGREES with panther: system.api_token.revoke names the token (`test_key`) but not whose it was, and its revoker need not be its owner: no account to name',
  },
  { file: ORG_MFA, line: 1, expect: [], note: 'DISAGREES with panther: system.mfa.factor.deactivate turns a factor type off for the organization, no one account' },
  { file: ORG_MFA, line: 2, expect: [], note: 'a sign-in' },
  { file: SUPPORT_ACCESS, line: 1, expect: [], note: 'DISAGREES with panther: user.session.impersonation.grant lets Okta support into the organization for a while, no account changed' },
  { file: SUPPORT_ACCESS, line: 2, expect: [], note: 'a sign-in' },
];
