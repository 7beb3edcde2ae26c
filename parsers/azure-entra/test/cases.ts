// Every record of the corpus's Azure / Entra ID rule tests (panther-analysis, with
// `ExpectedResult`) and what it must yield (see test/parsers/cases/types.ts). A note starting with DISAGREES says
// why our record and panther's rule part ways; parsers/azure-entra/test/azure-entra.test.ts checks that every
// disagreement is one of these.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const ELEVATE = 'cloud/azure_elevate_user_access_admin.tests.jsonl';
const INVITE = 'cloud/azure_invite_external_users.tests.jsonl';
const PIM = 'cloud/azure_role_changed_pim.tests.jsonl';
const SP = 'cloud/azure_service_principal_credentials_added.tests.jsonl';

export const files = [ELEVATE, INVITE, PIM, SP];

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
  { file: ELEVATE, line: 2, expect: [], note: 'Delete role assignment: a privilege removed, not granted' },

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
];
