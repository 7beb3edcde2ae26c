// Every record of the corpus's GitHub audit log entries and what it must yield (see
// test/parsers/cases/types.ts): panther-analysis rule tests (`ExpectedResult` beside them; a note
// starting with DISAGREES says why our record and the rule part ways) and Sekoia's intake tests
// (probe 5).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const ROLE = 'cloud/github_user_role_updated.tests.jsonl';
const MODERATORS = 'cloud/github_org_moderators_add.tests.jsonl';
const TEAM = 'cloud/github_team_modified.tests.jsonl';
const COLLABORATOR = 'cloud/github_repo_collaborator_change.tests.jsonl';
const KEY = 'cloud/github_user_access_key_created.tests.jsonl';
const SEKOIA = 'cloud/sekoia-github-audit-logs.relevant';

// probe-cloud2 (2026-12-07): panther's organisation membership and authentication rules.
const ORG = 'cloud/github_org_modified.tests.jsonl';
const ORG_AUTH = 'cloud/github_org_auth_modified.tests.jsonl';

/** Files with panther's verdict beside each record. */
export const pantherFiles = [ROLE, MODERATORS, TEAM, COLLABORATOR, KEY, ORG, ORG_AUTH];
export const files = [...pantherFiles, SEKOIA];

const T = '2021-05-18T02:31:58.553Z';
const base = { kind: 'account', path: 'cloud', time: T, device: 'github:my-org' } as const;

export const cases: CorpusCase[] = [
  {
    file: ROLE, line: 1, expect: [{ ...base, action: 'privilege.change', target: 'bob', actor: 'cat', technique: 'T1098.003', role: undefined }],
    note: 'org.update_member: a member\'s role changed (the entry names no permission); the org from the repository\'s owner; created_at in epoch ms',
  },
  { file: ROLE, line: 2, expect: [], note: 'org.invite_member: an invitation grants nothing until accepted' },
  {
    file: MODERATORS, line: 1,
    expect: [{ ...base, action: 'privilege.change', time: '2022-12-11T05:17:28.078Z', device: 'github:example-io', target: 'john1987', actor: 'sarah78', role: 'moderator', technique: 'T1098.003' }],
  },
  {
    file: MODERATORS, line: 2,
    expect: [{ ...base, action: 'privilege.revoke', time: '2022-12-11T05:17:28.078Z', device: 'github:example-io', target: 'john1987', actor: 'sarah78', role: 'moderator', technique: undefined }],
    note: 'DISAGREES with panther (whose rule is a moderator added): organization_moderators.remove_user, the moderator role taken away from a member who stays',
  },
  { file: TEAM, line: 1, expect: [{ ...base, action: 'group.delete', target: 'my-org/my-team', actor: 'cat', group: 'my-org/my-team' }] },
  { file: TEAM, line: 2, expect: [{ ...base, action: 'group.create', target: 'my-org/my-team', actor: 'cat', group: 'my-org/my-team' }] },
  { file: TEAM, line: 3, expect: [], note: 'DISAGREES with panther: a repository given to a team changes what the team reaches, not who is in it' },
  {
    file: COLLABORATOR, line: 1,
    expect: [{ ...base, action: 'group.add_member', target: 'cat', actor: 'bob', group: 'my-org/my-repo', technique: 'T1098.007' }],
    note: 'repo.add_member: a collaborator given access to one repository, read as membership of it',
  },
  { file: COLLABORATOR, line: 2, expect: [{ ...base, action: 'group.remove_member', target: 'cat', actor: 'bob', group: 'my-org/my-repo' }] },
  { file: COLLABORATOR, line: 3, expect: [], note: 'repo.enable: no account' },
  {
    file: KEY, line: 1, expect: [{ ...base, action: 'account.modify', target: 'cat', actor: 'cat', technique: 'T1098.001' }],
    note: 'public_key.create: an SSH key that signs in as its owner, the actor',
  },
  { file: KEY, line: 2, expect: [], note: 'a key removed: a credential taken away' },
  { file: SEKOIA, line: 1, expect: [], note: 'org.block_user: a user kept out of the organisation, no member changed' },
  ...none(SEKOIA, [2, 3, 4], 'an organisation setting'),

  {
    file: ORG, line: 1, expect: [{ ...base, action: 'group.delete', target: 'my-org/my-team', actor: 'cat', group: 'my-org/my-team' }],
    note: 'DISAGREES with panther (whose rule is the organisation\'s members only): team.destroy, a team removed',
  },
  {
    file: ORG, line: 2, expect: [{ ...base, action: 'account.create', target: 'cat', actor: 'cat', technique: 'T1136.003' }],
    note: 'org.add_member: a member of the organisation, the account there',
  },
  { file: ORG, line: 3, expect: [{ ...base, action: 'account.delete', target: 'bob', actor: 'cat', technique: 'T1531' }], note: 'org.remove_member' },
  ...none(ORG_AUTH, [1, 2, 3, 4, 5, 6, 7], 'DISAGREES with panther: SAML, the 2FA requirement and OAuth app restrictions set for the whole organisation, no one account (the members a 2FA requirement removes come as org.remove_member)'),
  { file: ORG_AUTH, line: 8, expect: [], note: '`invite_member` without its `org.` prefix: no GitHub action' },
  { file: ORG_AUTH, line: 9, expect: [], note: 'repo.create' },
];
