// Every record of the corpus's Teleport audit events and what it must yield (see
// test/parsers/cases/types.ts): Elastic's pipeline test events and panther-analysis rule tests
// (`ExpectedResult` beside them; a note starting with DISAGREES says why our record and the rule
// part ways, for the files whose rules are about accounts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { lines, none } from '../../../test/tools/corpus-cases.js';

const ELASTIC = 'cloud/elastic-teleport-all-events.log.relevant';
const USERS = 'cloud/teleport_create_user_accounts.tests.jsonl';
const LOCK = 'cloud/teleport_lock_created.tests.jsonl';
const ROLE = 'cloud/teleport_role_created.tests.jsonl';
/** Panther's other Teleport rules: sign-ins, certificates, connectors and session commands, none an account change. */
const OTHER = [
  'cloud/teleport_auth_errors.tests.jsonl',
  'cloud/teleport_company_domain_login_without_saml.tests.jsonl',
  'cloud/teleport_local_user_login_without_mfa.tests.jsonl',
  'cloud/teleport_long_lived_certs.tests.jsonl',
  'cloud/teleport_network_scanning.tests.jsonl',
  'cloud/teleport_root_login.tests.jsonl',
  'cloud/teleport_saml_created.tests.jsonl',
  'cloud/teleport_saml_login_not_company_domain.tests.jsonl',
  'cloud/teleport_scheduled_jobs.tests.jsonl',
  'cloud/teleport_suspicious_commands.tests.jsonl',
];
const OTHER_LINES: Readonly<Record<string, number>> = {
  'cloud/teleport_auth_errors.tests.jsonl': 2,
  'cloud/teleport_company_domain_login_without_saml.tests.jsonl': 2,
  'cloud/teleport_local_user_login_without_mfa.tests.jsonl': 2,
  'cloud/teleport_long_lived_certs.tests.jsonl': 2,
  'cloud/teleport_network_scanning.tests.jsonl': 4,
  'cloud/teleport_root_login.tests.jsonl': 1,
  'cloud/teleport_saml_created.tests.jsonl': 1,
  'cloud/teleport_saml_login_not_company_domain.tests.jsonl': 2,
  'cloud/teleport_scheduled_jobs.tests.jsonl': 4,
  'cloud/teleport_suspicious_commands.tests.jsonl': 2,
};

/** Files with panther's verdict beside each record, whose rules are about accounts. */
export const pantherFiles = [USERS, LOCK, ROLE];
// probe-cloud2 (2026-12-07): a Teleport 17.5.4 cluster's audit events, with a Machine ID bot.
const CLUSTER = 'cloud/public-teleport-audit-mock-events.relevant.multiline';
export const files = [ELASTIC, ...pantherFiles, ...OTHER, CLUSTER];

const base = { kind: 'account', platform: 'teleport', path: 'cloud' } as const;
const CLUSTER_BY = { ...base, device: 'teleport:mycluster.local' } as const;

export const cases: CorpusCase[] = [
  { file: ELASTIC, line: 1, expect: [], note: 'access_request.search: roles searched as, none held' },
  {
    file: ELASTIC, line: 2, expect: [{ ...base, action: 'account.delete', time: '2020-06-05T16:24:05.000Z', device: 'teleport', target: 'bob', actor: 'benarent', technique: 'T1531' }],
    note: 'user.delete: `name` the user deleted, `user` who did it; no cluster_name, so the device is `teleport`',
  },
  {
    file: ELASTIC, line: 3,
    expect: [{ ...base, action: 'privilege.change', time: '2020-06-05T16:24:05.000Z', device: 'teleport', target: 'bob', actor: undefined, role: 'root', technique: 'T1098.003' }],
    note: 'user.update: the roles the user holds now; the event names no one who made the change',
  },
  ...none(ELASTIC, [4, 5, 6], 'a session\'s network, disk and command events: nothing that manages accounts'),
  ...none(ELASTIC, [7, 8, 9], 'an access request made, approved, removed: a role asked for for a while, the user\'s own roles unchanged'),
  { file: ELASTIC, line: 10, expect: [], note: 'session.data' },
  { file: ELASTIC, line: 11, expect: [], note: 'reset_password_token.create: a link to set a password, not the password set' },
  ...none(ELASTIC, [12, 13, 14, 15, 16], 'recovery and privilege tokens, recovery codes: a user\'s own sign-in help'),
  ...none(ELASTIC, lines(17, 25), 'an SSO connector made, removed, changed: how users sign in, no account'),
  {
    file: ELASTIC, line: 26,
    expect: [{ ...base, action: 'account.create', time: '2020-06-05T16:24:05.000Z', device: 'teleport', target: 'hello', actor: 'b331fb6c-85f9-4cb0-b308-3452420bf81e.one', role: 'admin', technique: 'T1136.003' }],
    note: 'user.create with its roles; the actor is the auth server\'s own identity (`tctl` on the auth server)',
  },
  {
    file: ELASTIC, line: 27, expect: [{ ...base, action: 'password.change', time: '2020-06-05T19:26:53.000Z', device: 'teleport', target: 'Ivan_Jordan', actor: 'Ivan_Jordan', technique: 'T1098' }],
    note: 'user.password_change: a user changing their own password',
  },
  { file: ELASTIC, line: 28, expect: [], note: 'session.data' },
  { file: ELASTIC, line: 29, expect: [], note: 'user.login: a sign-in, no change' },

  { file: USERS, line: 1, expect: [], note: '`echo` run in a session' },
  {
    file: USERS, line: 2,
    expect: [{
      ...base, action: 'account.delete', time: '2020-08-17T18:39:26.192Z', device: 'e75992b4-9e27-456f-b1c9-7a32da83c661', target: 'jacknew', actor: 'panther',
      path: 'cli', command: undefined, technique: 'T1531',
    }],
    note: '`userdel jacknew` typed in a session on the node (server_id, no hostname given) by the Teleport user, exit code 0',
  },
  {
    file: LOCK, line: 1,
    expect: [{ ...base, action: 'account.modify', time: '2023-09-21T00:00:00.000Z', device: 'teleport:teleport.example.com', target: 'user-to-disable', actor: 'max.mustermann@example.com', technique: 'T1531' }],
    note: 'lock.created on a user: kept out until the lock goes, as a suspension',
  },
  { file: ROLE, line: 1, expect: [], note: 'DISAGREES with panther: role.created defines what a role allows; who holds it changes with user.create/user.update' },
  ...OTHER.flatMap((file) => none(file, lines(1, OTHER_LINES[file]!), 'a sign-in, a certificate, an SSO connector or a session command that manages no account')),

  ...none(CLUSTER, [1, 6], 'the bot `bot-jarvis-bot` saving its own user at a certificate renewal (20 minutes apart), its one role as it was: no change'),
  { file: CLUSTER, line: 2, expect: [], note: 'user.login: a sign-in' },
  {
    file: CLUSTER, line: 3,
    expect: [{ ...CLUSTER_BY, action: 'account.create', time: '2025-08-16T16:14:52.468Z', target: 'yunhoch0i', actor: 'bot-jarvis-bot', role: 'basic-user', technique: 'T1136.003' }],
    note: 'user.create by the bot (it impersonates editor): a user it made, not its own record',
  },
  {
    file: CLUSTER, line: 4,
    expect: [{ ...CLUSTER_BY, action: 'privilege.change', time: '2025-08-16T14:09:58.293Z', target: 'CometWoo', actor: 'comet', role: 'basic-user', technique: 'T1098.003' }],
    note: 'user.update by another user: the roles CometWoo holds now (editor taken away since line 5)',
  },
  {
    file: CLUSTER, line: 5,
    expect: [{ ...CLUSTER_BY, action: 'privilege.change', time: '2025-08-16T14:09:17.568Z', target: 'CometWoo', actor: 'comet', role: 'basic-user, editor', technique: 'T1098.003' }],
    note: 'user.update giving editor',
  },
];
