// Every record of the corpus's Azure / Entra ID rule tests (panther-analysis, with
// `ExpectedResult`) and what it must yield (see test/parsers/cases/types.ts). A note starting with DISAGREES says
// why our record and panther's rule part ways; parsers/azure-entra/test/azure-entra.test.ts checks that every
// disagreement is one of these.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const ELEVATE = 'cloud/azure_elevate_user_access_admin.tests.jsonl';
const INVITE = 'cloud/azure_invite_external_users.tests.jsonl';
const PIM = 'cloud/azure_role_changed_pim.tests.jsonl';
const SP = 'cloud/azure_service_principal_credentials_added.tests.jsonl';

const MFA = 'cloud/microsoft365_mfa_disabled.tests.jsonl';
// Probe 5 (test/corpus/README.md): Sekoia's intake test messages, no panther verdict beside them.
const AD = 'cloud/sekoia-azure-ad.relevant';
const O365 = 'cloud/sekoia-o365.relevant';

// probe-cloud2 (2026-12-07): Azure RBAC role assignments as the Activity log writes them.
const RBAC = 'cloud/azure_role_assignment_privileged_or_elevated.tests.jsonl';
// probe-syslog3 (2026-12-07): Elastic's azure audit sample, a managed identity's certificate rotated by Azure.
const MSI = 'cloud/elastic-azure-audit-logs-sample.log';
export const files = [ELEVATE, INVITE, PIM, SP, MFA, RBAC];
export const probeFiles = [AD, O365, MSI];

const base = { kind: 'account', path: 'cloud' } as const;
const INVITED = { ...base, action: 'account.create', time: '2024-09-23T14:33:09.049Z', device: 'entra:123456789', actor: 'denethor@lotr.com', actorAddress: '1.2.3.4', technique: 'T1136.003' } as const;
const ROLE = {
  ...base, action: 'privilege.change', time: '2024-12-16T16:32:16.087Z', device: 'entra:12345', actor: 'Radahn@Starscourge.onmicrosoft.com',
  target: 'Malenia', role: 'Application Administrator', technique: 'T1098.003', actorAddress: undefined,
} as const;

export const cases: CorpusCase[] = [
  {
    file: ELEVATE, line: 1,
    expect: [{
      ...base, action: 'privilege.change', time: '2025-01-15T08:45:30.123Z', device: 'entra:tenant-123', actor: 'denethor@lotr.com',
      actorAddress: '2.2.2.2', target: 'denethor@lotr.com', role: 'User Access Administrator', technique: 'T1098.003',
    }],
    note: 'a Global Administrator elevating their own access: actor and target are the same person; time from properties.activityDateTime',
  },
  {
    file: ELEVATE, line: 2,
    expect: [{
      ...base, action: 'privilege.revoke', time: '2025-01-15T14:15:35.345Z', device: 'entra:tenant-def', actor: 'secadmin@company.com',
      actorAddress: '198.51.100.150', target: 'former@company.com', role: 'Reader', technique: undefined,
    }],
    note: 'DISAGREES with panther (whose rule is the elevation only): `Delete role assignment`, an Azure RBAC role (additionalDetails RoleName) taken away: a privilege removed, with who removed it',
  },

  {
    file: INVITE, line: 1, expect: [{ ...INVITED, target: 'john@justice.org' }],
    note: 'a guest account created; target from additionalDetails invitedUserEmailAddress (the target resource holds only a display name); time from activityDateTime, not the export time',
  },
  {
    file: INVITE, line: 2, expect: [{ ...INVITED, target: 'aragorn@lotr.com' }],
    note: 'DISAGREES with panther: its rule skips invitees in the inviter\'s own domain; a guest account is created either way',
  },
  { file: INVITE, line: 3, expect: [], note: 'result failed: nothing was created' },
  { file: INVITE, line: 4, expect: [], note: '`Invite Internal User`: not an operation Entra logs' },

  { file: PIM, line: 1, expect: [ROLE], note: 'PIM permanent assignment completed; the role from the Role target, the account from the User target' },
  { file: PIM, line: 2, expect: [], note: 'a PIM request: nothing granted yet' },
  {
    file: PIM, line: 3, expect: [ROLE],
    note: 'DISAGREES with panther: its rule covers PIM only; `Add member to role` outside PIM grants the role all the same',
  },

  {
    file: SP, line: 1,
    expect: [{
      ...base, action: 'account.modify', time: '2025-01-15T09:30:20.123Z', device: 'entra:tenant-123', actor: 'frodo@lotr.com',
      actorAddress: '2.2.2.2', target: 'Production API Service', technique: 'T1098.001',
    }],
    note: 'a client secret added to a service principal (T1098.001)',
  },
  {
    file: SP, line: 2,
    expect: [{
      ...base, action: 'account.create', time: '2025-01-15T15:05:25.678Z', device: 'entra:tenant-ghi', actor: 'cloudadmin@company.com',
      actorAddress: '192.0.2.250', target: 'New Automation Service', technique: 'T1136.003',
    }],
    note: 'DISAGREES with panther: its rule is about credentials; this record is a service principal created, which is an account created (T1136.003)',
  },

  ...[1, 2].map((line): CorpusCase => ({
    file: MFA, line,
    expect: [{
      ...base, action: 'account.modify', time: '2022-12-12T17:28:35.000Z', device: 'entra:111-222-333', actor: 'ServicePrincipal_aa-bb-ccc',
      target: 'sample.user@yourorg.onmicrosoft.com', technique: 'T1098.005',
    }],
    note: line === 1
      ? 'DISAGREES with panther: its rule is about MFA removed; a method added (StrongAuthenticationMethod) changes the account all the same (T1098.005)'
      : 'MFA methods removed: `Update user.` with StrongAuthenticationMethod modified',
  })),

  ...none(AD, [1, 13], 'an unverified domain added or removed: no account'),
  { file: AD, line: 4, expect: [], note: 'Add service principal that failed: nothing was created' },
  { file: AD, line: 6, expect: [], note: 'an app role assigned to a service principal: a permission of an application, not a directory role (not read)' },
  ...none(AD, [8, 15, 16, 17, 18, 19, 20, 21], 'a sign-in'),
  ...none(AD, [9, 10, 11], 'a Graph API request log'),
  { file: AD, line: 12, expect: [], note: 'a device\'s local administrator password read (LAPS): read, not changed' },
  { file: AD, line: 22, expect: [], note: '`Update StsRefreshTokenValidFrom Timestamp`: sessions revoked, the account unchanged' },
  ...none(AD, [23, 24, 25], 'a risk detection'),
  {
    file: AD, line: 2,
    expect: [{ ...base, action: 'group.add_member', time: '2020-01-02T13:36:37.951Z', device: 'entra:22222222-2222-2222-2222-222222222222', target: 'user1', actor: 'user1', group: 'NEWCORP', technique: 'T1098.007' }],
    note: 'the actor is an application (initiatedBy.app); the group from the user target\'s Group.DisplayName',
  },
  {
    file: AD, line: 3,
    expect: [{ ...base, action: 'group.add_member', time: '2025-01-29T17:07:02.586Z', device: 'entra:22222222-2222-2222-2222-222222222222', target: 'user1', actor: 'user1', actorAddress: '1.2.3.4', group: 'PRODUCT Marketing Effectiveness - Test ABC', technique: 'T1098.007' }],
  },
  { file: AD, line: 5, expect: [{ ...base, action: 'account.create', time: '2019-06-24T09:29:28.624Z', device: 'entra:11111111-1111-1111-1111-111111111111', target: 'user1', actor: 'user1', technique: 'T1136.003' }] },
  {
    file: AD, line: 7,
    expect: [{ ...base, action: 'password.change', time: '2019-06-24T09:32:07.463Z', device: 'entra:22222222-2222-2222-2222-222222222222', target: 'user1', actor: 'user1', technique: 'T1098' }],
    note: '`Change user password`: the target and the actor are the same user here',
  },
  { file: AD, line: 14, expect: [{ ...base, action: 'group.remove_member', time: '2025-01-29T16:53:43.276Z', device: 'entra:44444444-4444-4444-4444-444444444444', target: 'user1', actor: 'user1', actorAddress: '1.2.3.4', technique: undefined }] },

  {
    file: O365, line: 4,
    expect: [{ ...base, action: 'privilege.change', time: '2024-07-10T14:25:49.000Z', device: 'entra:ANONYMIZED', target: 'john.doe@example.com', actor: 'user1', role: 'Global Administrator', technique: 'T1098.003' }],
  },
  {
    file: O365, line: 49,
    expect: [{ ...base, action: 'privilege.revoke', time: '2024-07-10T14:31:24.000Z', device: 'entra:ANONYMIZED', target: 'john.doe@example.com', actor: 'user1', role: 'Global Administrator', technique: undefined }],
    note: '`Remove member from role.`: the role line 4 gave, taken away (its former `Role.DisplayName`, the OldValue)',
  },
  ...none(O365, [69, 70], '`Update user.` naming no modified property: attributes, not access (as envelopes/wazuh/office365.ini.relevant line 5)'),
  { file: O365, line: 68, expect: [], note: '`Update group.`: the group\'s attributes; its members are `Add member to group.`' },
  ...none(O365, [1, 2, 65, 71, 72, 73], 'a sign-in'),
  { file: O365, line: 3, expect: [], note: '`Consent to application.`: an application granted a permission, no account' },
  { file: O365, line: 16, expect: [], note: '`Add application.`: an application registered, no account (a service principal is `Add service principal`)' },
  ...none(O365, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 66, 67],
    'mail, files, Teams, alerts, investigations, reports: no account'),

  {
    file: MSI, line: 1, expect: [],
    note: '`Add service principal credentials` by Azure\'s `Managed Service Identity` to a managed identity (its names hold https://identity.azure.net/): the platform rotating the identity\'s certificate, no person changing an account (it was account.modify at every rotation)',
  },
  ...none(MSI, [2, 3], '`Update service principal`: the names and key list written with the rotation, no access given'),

  // Not read yet (the report of probe-cloud2): no real Activity log record of a role assignment was
  // found, and panther's are written by hand (their `evidence.role` is the caller's own role, which
  // let it write the assignment; the role given is only a role definition's GUID in `requestbody`).
  ...none(RBAC, [1, 3], 'DISAGREES with panther: Microsoft.Authorization/roleAssignments/write, an Azure RBAC role given to a principal on a scope, is not read from the Activity log yet (no real record found to read it against)'),
  { file: RBAC, line: 2, expect: [], note: 'roleAssignments/write of Reader (acdd72a7-…): not administration' },
  {
    file: RBAC, line: 4, expect: [],
    note: 'DISAGREES with panther: Microsoft.Authorization/elevateAccess/action as the Activity log writes it (`operationName` an object, `value` and `localizedValue`) is not read yet; its directory audit form (ELEVATE above) is',
  },
];
