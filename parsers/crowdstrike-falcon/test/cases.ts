// Every record of the corpus's Falcon Event Streams events (panther-analysis rule tests, probe 5;
// Beats' module test input, probe-host) and what it must yield (see test/parsers/cases/types.ts). A note starting with
// DISAGREES says why our record and panther's rule part ways.

import { none } from '../../../test/tools/corpus-cases.js';
import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const CREATED = 'cloud/crowdstrike_new_user_created.tests.jsonl';
const DELETED = 'cloud/crowdstrike_user_deleted.tests.jsonl';
const PASSWORD = 'cloud/crowdstrike_password_change.tests.jsonl';
const ROLES = 'cloud/crowdstrike_admin_role_assigned.tests.jsonl';

const BEATS = 'cloud/elastic-beats-falcon-audit-events.log.multiline';

/** The panther rule tests, each line with its `ExpectedResult`. */
export const pantherFiles = [CREATED, DELETED, PASSWORD, ROLES];
export const files = [...pantherFiles, BEATS];

const base = { kind: 'account', path: 'cloud', device: 'falcon:fake_customer_id' } as const;
const GRANT = { ...base, action: 'privilege.change', time: '2024-07-22T21:32:49.000Z', target: 'merry.brandybuck@hobbiton.co', actor: 'peregrin.took@hobbiton.co', actorAddress: '1.1.1.1', technique: 'T1098.003' } as const;
const PASSWORD_SET = { ...base, action: 'password.change', time: '2024-07-22T16:15:36.535Z', target: 'peregrin.took@hobbiton.co', actorAddress: '1.1.1.1', technique: 'T1098' } as const;

export const cases: CorpusCase[] = [
  {
    file: CREATED, line: 1,
    expect: [{ ...base, action: 'account.create', time: '2024-07-22T15:50:16.923Z', device: 'falcon:face_customer_id', target: 'frodo.baggins@hobbiton.co', actor: 'bilbo.baggins@hobbiton.co', actorAddress: '1.1.1.1', technique: 'T1136.003' }],
    note: 'createUser: the new user from AuditKeyValues target_name, the actor from UserId; the customer id as the test spells it',
  },
  { file: CREATED, line: 2, expect: [], note: 'userAuthenticate: a sign-in' },
  {
    file: DELETED, line: 1,
    expect: [{ ...base, action: 'account.delete', time: '2024-07-22T15:50:16.923Z', target: 'frodo.baggins@hobbiton.co', actor: 'sharkey@hobbiton.co', actorAddress: '192.0.2.100', technique: 'T1531' }],
  },
  { file: DELETED, line: 2, expect: [], note: 'Success false: nothing deleted' },
  { file: DELETED, line: 3, expect: [], note: 'userAuthenticate: a sign-in' },
  { file: PASSWORD, line: 1, expect: [{ ...PASSWORD_SET, actor: 'peregrin.took@hobbiton.co' }], note: 'changePassword: a user setting its own' },
  { file: PASSWORD, line: 2, expect: [{ ...PASSWORD_SET, actor: 'bilbo.baggins@hobbiton.co' }], note: 'changePassword of another user' },
  { file: PASSWORD, line: 3, expect: [], note: 'Success false: nothing changed' },
  { file: PASSWORD, line: 4, expect: [], note: 'userAuthenticate: a sign-in' },
  { file: ROLES, line: 1, expect: [{ ...GRANT, role: 'billing_dashboard_admin' }], note: 'grantUserRoles: the roles as AuditKeyValues lists them; the actor from actor_user' },
  { file: ROLES, line: 2, expect: [{ ...GRANT, role: 'custom_non_admin_role,billing_dashboard_admin,falconhost_admin' }] },
  {
    file: ROLES, line: 3, expect: [{ ...GRANT, role: 'custom_non_admin_role' }],
    note: 'DISAGREES with panther: its rule is about administrator roles; any role granted changes what the account may do',
  },

  // The Event Streams JSON as the SIEM connector forwards it: epoch stamps, not panther's UTC text.
  ...none(BEATS, [1, 2], 'RemoteResponseSessionStartEvent / EndEvent: a remote shell on a host, no console account change'),
  ...none(BEATS, [3], 'streamStarted: an API client opened the event stream'),
  ...none(BEATS, [4, 5, 8, 11], 'twoFactorAuthenticate: a sign-in'),
  ...none(BEATS, [6], 'UserActivityAuditEvent update_group add_group_member: a host group (group_id), not a console user'),
  ...none(BEATS, [7], 'requestResetPassword: alice asked for a reset of her own password; nothing changed yet'),
  {
    file: BEATS, line: 9,
    expect: [{
      ...base, device: 'falcon:8f69fe9e-b995-4204-95ad-44f9bcf75b6b', action: 'password.change', time: '2020-02-13T13:45:20.236Z',
      target: 'first.last@company.com', actor: 'alice@company.com', actorAddress: '192.168.6.8', technique: 'T1098',
    }],
    note: 'changePassword: UTCTimestamp 1581601520236 is epoch milliseconds (Elastic\'s @timestamp agrees); read as text it was no stamp and the record took the receive time',
  },
  ...none(BEATS, [10], 'userAuthenticate: a sign-in'),
  ...none(BEATS, [12], 'selfAcceptEula'),
  ...none(BEATS, [13], 'detection_update: a detection assigned, no account change'),
];
