// Every line of the corpus's GitLab logs and what it must yield (see test/parsers/cases/types.ts):
// Wazuh's GitLab ruleset tests (probe 5) and Elastic's pipeline test logs.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { lines, none } from '../../../test/tools/corpus-cases.js';

const WAZUH = 'syslog/gitlab/wazuh-gitlab.ini.relevant';
const APPLICATION = 'syslog/gitlab/elastic-gitlab-application.log.relevant';
const AUDIT = 'syslog/gitlab/elastic-gitlab-audit.log';

export const files = [WAZUH, APPLICATION, AUDIT];

const base = { kind: 'account', platform: 'gitlab', device: 'gitlab' } as const;

export const cases: CorpusCase[] = [
  ...none(WAZUH, [1, 2, 3, 26, 27], 'a request in production_json.log / api_json.log'),
  {
    file: WAZUH, line: 4,
    expect: [{ ...base, action: 'account.create', time: '2014-10-06T11:56:00.000Z', target: 'admin@example.com', actor: undefined, path: undefined, technique: 'T1136.001' }],
    note: 'application.log: a user created, named by display name and e-mail (the e-mail is the target: unique per account); the stamp has no zone (UTC unless one is configured); the text names no one who did it',
  },
  { file: WAZUH, line: 5, expect: [], note: 'a project created' },
  {
    file: WAZUH, line: 6,
    expect: [{ ...base, action: 'account.delete', time: '2014-10-06T11:56:00.000Z', target: 'dummy@gmail.com', actor: undefined, technique: 'T1531' }],
  },
  { file: WAZUH, line: 7, expect: [], note: 'a project removed' },
  ...none(WAZUH, lines(8, 11), 'integrations_json.log / kubernetes.log: services and errors'),
  { file: WAZUH, line: 12, expect: [], note: 'an exception in exceptions_json.log' },
  ...none(WAZUH, [13, 14, 15], 'audit_json.log: a project\'s visibility, name and path changed, no member'),
  ...none(WAZUH, lines(16, 25), 'sidekiq, gitlab-shell and unicorn lines, a GraphQL query'),

  ...none(APPLICATION, lines(1, 16), 'project statistics, jobs, database partitions, project changes, sign-ins and sign-outs'),
  {
    file: APPLICATION, line: 17,
    expect: [{ ...base, action: 'account.create', time: '2024-05-31T18:42:57.560Z', target: 'test23@elastic.co', actor: 'root', actorAddress: '192.168.65.1', path: 'gui', technique: 'T1136.001' }],
    note: 'application_json.log: the same sentence in `message`, with who was signed in (meta.user) from where (meta.remote_ip) through which page (Admin::UsersController#create)',
  },
  {
    file: APPLICATION, line: 18,
    expect: [{ ...base, action: 'account.delete', time: '2024-05-31T18:50:04.450Z', target: 'test@elastci.co', actor: undefined, path: undefined, technique: 'T1531' }],
    note: 'two spaces before `was removed`; removed by a background job (no meta.user), as GitLab finishes a deletion an administrator asked for',
  },
  ...none(APPLICATION, [19, 20], 'a group created, removed: no member named'),
  { file: AUDIT, line: 1, expect: [], note: 'audit_json.log: a sign-in (`with: standard`)' },
  { file: AUDIT, line: 2, expect: [], note: 'audit_json.log: a project\'s visibility changed' },
];
