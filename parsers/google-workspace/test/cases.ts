// Every record of the corpus's Google Workspace activity records and what it must yield (see
// test/parsers/cases/types.ts): Sekoia's intake tests (probe 5), and panther-analysis rule tests
// (`ExpectedResult` beside them; a note starting with DISAGREES says why our record and the rule
// part ways).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const REPORT = 'cloud/sekoia-google-report.relevant';
const SUSPENDED = 'cloud/gsuite_user_suspended.tests.jsonl';
const BANNED = 'cloud/gsuite_group_banned_user.tests.jsonl';
const ROLE = 'cloud/google_workspace_admin_custom_role.tests.jsonl';

// probe-cloud2 (2026-12-07): panther's other Workspace rules about a user's sign-in and its protection.
const TWO_STEP = 'cloud/gsuite_two_step_verification.tests.jsonl';
const LEAKED = 'cloud/gsuite_leaked_password.tests.jsonl';
const ADVANCED = 'cloud/gsuite_advanced_protection.tests.jsonl';
const ADVANCED_PROGRAM = 'cloud/google_workspace_advanced_protection_program.tests.jsonl';
const GOOGLE_ACCESS = 'cloud/gsuite_google_access.tests.jsonl';
const GOV_ATTACK = 'cloud/gsuite_gov_attack.tests.jsonl';
const SUSPICIOUS = 'cloud/gsuite_suspicious_logins.tests.jsonl';
const LOGIN_TYPE = 'cloud/gsuite_login_type.tests.jsonl';

/** Files with panther's verdict beside each record. */
export const pantherFiles = [SUSPENDED, BANNED, ROLE, TWO_STEP, LEAKED, ADVANCED, ADVANCED_PROGRAM, GOOGLE_ACCESS, GOV_ATTACK, SUSPICIOUS, LOGIN_TYPE];
// probe-cloud (2026-12-07): Elastic's pipeline tests' `event.original`, one event a record, `events` an object.
const ELASTIC = 'cloud/elastic-google-workspace-admin-user-original.relevant';
export const files = [REPORT, ...pantherFiles, ELASTIC];

const base = { kind: 'account', path: 'cloud' } as const;
/** Panther's test records without a time or customer: the receive time, device `google`. */
const SELF = { ...base, time: '2026-11-21T23:00:00.000Z', device: 'google' } as const;
const ELASTIC_BY = { ...base, time: '2020-10-02T15:00:00.000Z', device: 'google:1', target: 'user@example.com', actor: 'foo@bar.com', actorAddress: '67.43.156.13' } as const;

export const cases: CorpusCase[] = [
  {
    file: REPORT, line: 25,
    expect: [{ ...base, action: 'account.delete', time: '2025-03-18T13:32:31.497Z', device: 'google:ANONYMIZED', target: 'janedoe@example.com', actor: 'johndoe@example.com', actorAddress: '1.2.3.4', technique: 'T1531' }],
    note: 'DELETE_USER (admin application): the user from USER_EMAIL',
  },
  {
    file: REPORT, line: 32,
    expect: [{ ...base, action: 'group.remove_member', time: '2025-02-18T16:00:24.311Z', device: 'google:ANONYMIZED', target: 'john.doe@example.com', actor: 'SYSTEM', group: 'team@example.com', technique: undefined }],
    note: 'Groups logs the one removal twice (remove_user, remove_member): one record; the actor is a key (callerType KEY)',
  },
  {
    file: REPORT, line: 33,
    expect: [{ ...base, action: 'group.delete', time: '2024-03-11T15:20:33.157Z', device: 'google:ANONYMIZED', target: 'testgroup@test.com', actor: 'jane.doe@test.com', group: 'testgroup@test.com' }],
  },
  {
    file: REPORT, line: 34,
    expect: [{ ...base, action: 'group.add_member', time: '2025-12-30T22:07:36.945Z', device: 'google:123456789', target: 'user1@example.org', actor: 'user.name@example.com', actorAddress: '192.0.2.1', group: 'group@example.org', technique: 'T1098.007' }],
    note: 'add_user with member_id and group_id, whatever application the record names (this test says calendar); the calendar subscription beside it is no account',
  },
  {
    file: REPORT, line: 42,
    expect: [{ ...base, action: 'account.modify', time: '2024-07-09T14:05:42.528Z', device: 'google:ANONYMIZED', target: 'jdoe@example.net', actor: 'john.doe@example.net', actorAddress: '1.2.3.4', technique: 'T1531' }],
    note: 'SUSPEND_USER: the account kept, its access removed (T1531)',
  },
  ...none(REPORT, [9, 23], 'a ChromeOS device user profile added or removed (the device\'s, not a Workspace account)'),
  ...none(REPORT, [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 26, 27, 28, 29, 30, 31, 35, 36, 37, 38, 39, 40, 41, 43, 44, 45, 46, 47],
    'sign-ins, Drive, Calendar, Chat, Meet, Chrome devices, tokens, rules, Vault, settings: no account changed'),

  { file: SUSPENDED, line: 1, expect: [], note: 'a sign-in' },
  { file: SUSPENDED, line: 2, expect: [], note: 'a suspicious sign-in warning: the account untouched' },
  {
    file: SUSPENDED, line: 3,
    expect: [{ ...base, action: 'account.modify', time: '2026-11-21T23:00:00.000Z', device: 'google', target: 'bobert@ext.runpanther.io', technique: 'T1531' }],
    note: 'account_disabled_spamming: Google disabled the account; the test record has no time, so the receive time',
  },
  { file: BANNED, line: 1, expect: [], note: 'add_member, but the test record names neither member nor group: nothing to record' },
  { file: BANNED, line: 2, expect: [], note: 'DISAGREES with panther: a member banned, but the test record names neither member nor group: nothing to record' },
  { file: ROLE, line: 1, expect: [], note: 'a custom administrator role deleted: a role, not an account' },
  { file: ROLE, line: 2, expect: [], note: 'DISAGREES with panther: a custom administrator role defined is a role, not an account; its holders come with ASSIGN_ROLE' },
  { file: ROLE, line: 3, expect: [], note: 'a Drive rename' },

  { file: ELASTIC, line: 1, expect: [], note: 'DELETE_2SV_SCRATCH_CODES: backup codes, not the account' },
  { file: ELASTIC, line: 2, expect: [{ ...ELASTIC_BY, action: 'privilege.change', role: 'Super Admin', technique: 'T1098.003' }], note: 'GRANT_ADMIN_PRIVILEGE' },
  { file: ELASTIC, line: 3, expect: [{ ...ELASTIC_BY, action: 'privilege.revoke', role: 'Super Admin', technique: undefined }], note: 'REVOKE_ADMIN_PRIVILEGE' },
  { file: ELASTIC, line: 4, expect: [], note: 'CHANGE_USER_LANGUAGE: no access changed' },
  { file: ELASTIC, line: 5, expect: [{ ...ELASTIC_BY, action: 'account.modify', technique: 'T1531' }], note: 'ARCHIVE_USER: the user can no longer sign in, as when suspended' },
  { file: ELASTIC, line: 6, expect: [{ ...ELASTIC_BY, action: 'account.create', technique: 'T1136.003' }], note: 'CREATE_USER' },
  { file: ELASTIC, line: 7, expect: [{ ...ELASTIC_BY, action: 'account.delete', technique: 'T1531' }], note: 'DELETE_USER' },

  {
    file: TWO_STEP, line: 1, expect: [{ ...SELF, target: 'some.user@somedomain.com', actor: 'some.user@somedomain.com', action: 'account.modify', technique: 'T1098.005' }],
    note: 'DISAGREES with panther (whose rule is the turning off): 2sv_enroll, a second factor registered to the user\'s own account (as Okta\'s user.mfa.factor.activate)',
  },
  {
    file: TWO_STEP, line: 2, expect: [{ ...SELF, target: 'some.user@somedomain.com', actor: 'some.user@somedomain.com', action: 'account.modify', technique: 'T1098.005' }],
    note: '2sv_disable (application user_accounts): the user turned their second factor off; the account is the actor',
  },
  { file: LEAKED, line: 1, expect: [], note: 'a sign-out' },
  {
    file: LEAKED, line: 2, expect: [{ ...SELF, target: 'homer.simpson@example.com', action: 'account.modify', technique: 'T1531' }],
    note: 'DISAGREES with panther (whose rule is a leaked password only): account_disabled_spamming, Google disabling the account all the same',
  },
  {
    file: LEAKED, line: 3, expect: [{ ...SELF, target: 'homer.simpson@example.com', action: 'account.modify', technique: 'T1531' }],
    note: 'account_disabled_password_leak: Google disabled the account',
  },
  { file: ADVANCED, line: 1, expect: [], note: 'titanium_enroll: the user joined Advanced Protection, stricter sign-in checks, no factor or access of its own' },
  { file: ADVANCED, line: 2, expect: [], note: 'DISAGREES with panther: titanium_unenroll, the user left Advanced Protection; its factors stay as they were (a 2sv change is its own event)' },
  { file: ADVANCED_PROGRAM, line: 1, expect: [], note: 'recovery_email_edit: where a reset link goes, not a credential' },
  ...none(ADVANCED_PROGRAM, [2, 3], 'DISAGREES with panther: an application setting (Advanced Protection\'s enrolment, security codes) for the organization, no one account'),
  { file: ADVANCED_PROGRAM, line: 4, expect: [], note: 'CREATE_ROLE: a custom role defined, held by no one yet' },
  { file: ADVANCED_PROGRAM, line: 5, expect: [], note: 'a Drive rename' },
  { file: GOOGLE_ACCESS, line: 1, expect: [], note: 'a sign-out' },
  { file: GOOGLE_ACCESS, line: 2, expect: [], note: 'DISAGREES with panther: Google staff reading a resource (Access Transparency), no account changed' },
  { file: GOV_ATTACK, line: 1, expect: [], note: 'a sign-out' },
  { file: GOV_ATTACK, line: 2, expect: [], note: 'DISAGREES with panther: a warning of a government-backed attack, the account untouched' },
  { file: SUSPICIOUS, line: 1, expect: [], note: 'an account warning for a sign-in' },
  {
    file: SUSPICIOUS, line: 2, expect: [{ ...SELF, target: 'bobert@ext.runpanther.io', action: 'account.modify', technique: 'T1531' }],
    note: 'DISAGREES with panther (whose rule is a suspicious sign-in only): account_disabled_spamming, the account disabled',
  },
  { file: SUSPICIOUS, line: 3, expect: [], note: 'DISAGREES with panther: suspicious_login, a warning, the account untouched' },
  ...none(LOGIN_TYPE, [1, 3, 4], 'sign-ins and a sign-out: no account changed'),
  { file: LOGIN_TYPE, line: 2, expect: [], note: 'DISAGREES with panther: a sign-in of a type the organization does not allow is still a sign-in, no account changed' },
];
