// Every record of the corpus's CloudTrail rule tests (panther-analysis, with `ExpectedResult`) and
// what it must yield (see test/parsers/cases/types.ts). Where panther's rule means what our records mean (an account
// created, a credential added, a privilege granted) the two agree; a note starting with
// DISAGREES says why they do not, and parsers/aws-cloudtrail/test/aws-cloudtrail.test.ts checks that every
// disagreement is one of these.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const ATTACH = 'cloud/aws_iam_attach_admin_user_policy.tests.jsonl';
const BACKDOOR = 'cloud/aws_iam_backdoor_role.tests.jsonl';
const ROLE = 'cloud/aws_iam_create_role.tests.jsonl';
const USER = 'cloud/aws_iam_create_user.tests.jsonl';
const NO_CFN = 'cloud/aws_iam_entity_created_without_cloudformation.tests.jsonl';
const KEY = 'cloud/aws_iam_user_key_created.tests.jsonl';
const ROOT_KEY = 'cloud/aws_root_access_key_created.tests.jsonl';
const NEW_USER = 'cloud/new_user_account_logging.tests.jsonl';

const ROOT_PASSWORD = 'cloud/aws_root_password_changed.tests.jsonl';
const LOGIN_PROFILE = 'cloud/aws_user_login_profile_modified.tests.jsonl';
// Probe 5 (test/corpus/README.md): Sekoia's intake test messages, no panther verdict beside them.
const SEKOIA = 'cloud/sekoia-aws-cloudtrail.relevant';
// probe-cloud (2026-12-07): records as an EventBridge rule's target receives them (cloud-buddy's
// tests), and IAM records Elastic's pipeline tests keep as `event.original`; no verdict beside them.
const EVENTBRIDGE = 'cloud/cloud-buddy-eventbridge-iam.relevant';
const ELASTIC_IAM = 'cloud/elastic-cloudtrail-iam-original.relevant';

export const files = [ATTACH, BACKDOOR, ROLE, USER, NO_CFN, KEY, ROOT_KEY, NEW_USER, ROOT_PASSWORD, LOGIN_PROFILE];
// probe-cloud2 (2026-12-07): one console session's IAM Identity Center events, as a write-up printed them.
const IDENTITY_CENTER = 'cloud/public-identity-center-cloudtrail.relevant.multiline';
export const probeFiles = [SEKOIA, EVENTBRIDGE, ELASTIC_IAM, IDENTITY_CENTER];

const T = '2019-01-01T00:00:00.000Z';
const ACCOUNT = 'aws:123456789012';
const TESTER = 'arn:aws:sts::123456789012:assumed-role/tester';
const via = { kind: 'account', time: T, device: ACCOUNT, actor: TESTER, actorAddress: '111.111.111.111', path: 'cloud' } as const;
const ADMIN_ATTACHED = { ...via, action: 'privilege.change', target: 'new-user', privilege: 'AdministratorAccess', technique: 'T1098.003' } as const;
const BUS_MFA = { kind: 'account', device: 'aws:012345678901', action: 'account.modify', target: 'user1', actor: 'arn:aws:iam::012345678901:root', actorAddress: '192.42.83.150', path: 'cloud', technique: 'T1098.005' } as const;
const CENTER = { kind: 'account', device: 'aws:<MANAGEMENT_ACCT_ID>', actor: 'arn:aws:iam::<MANAGEMENT_ACCT_ID>:root', actorAddress: undefined, path: 'cloud' } as const;
const CENTER_SERVICE = { ...CENTER, actor: 'arn:aws:sts::<MANAGEMENT_ACCT_ID>:assumed-role/AWSServiceRoleForSSO/AWS-SSO' } as const;
const CENTER_GROUP = '34887428-4081-7042-c3c6-928d413009e7';
const KEYS = { kind: 'account', time: '2022-09-27T17:09:18.000Z', device: 'aws:123456789', path: 'cloud', action: 'account.modify', technique: 'T1098.001', actorAddress: undefined } as const;

export const cases: CorpusCase[] = [
  { file: ATTACH, line: 1, expect: [ADMIN_ATTACHED], note: 'AttachUserPolicy AdministratorAccess' },
  { file: ATTACH, line: 2, expect: [], note: 'AttachUserPolicy ReadOnlyAccess: not administrator rights' },

  {
    file: BACKDOOR, line: 1, expect: [],
    note: 'DISAGREES with panther: the trust policy opens the role to any principal, but this test record has no requestParameters.roleName (real UpdateAssumeRolePolicy events do), so there is no account to name; the logic is tested with a documented-format fixture',
  },
  { file: BACKDOOR, line: 2, expect: [], note: 'trust policy for ec2.amazonaws.com only' },
  { file: BACKDOOR, line: 3, expect: [], note: 'no policy document' },

  { file: ROLE, line: 1, expect: [{ ...via, action: 'account.create', target: 'new-role', technique: 'T1136.003' }], note: 'CreateRole' },
  {
    file: ROLE, line: 2, expect: [ADMIN_ATTACHED],
    note: 'DISAGREES with panther: its rule is about CreateRole only; the record is AttachUserPolicy AdministratorAccess, a privilege granted',
  },

  { file: USER, line: 1, expect: [{ ...via, action: 'account.create', target: 'new-user', technique: 'T1136.003' }], note: 'CreateUser' },
  {
    file: USER, line: 2, expect: [ADMIN_ATTACHED],
    note: 'DISAGREES with panther: its rule is about CreateUser only; the record is AttachUserPolicy AdministratorAccess, a privilege granted',
  },

  {
    file: NO_CFN, line: 1, expect: [{ ...via, action: 'account.create', target: 'user', technique: 'T1136.003' }],
    note: 'DISAGREES with panther: the user was created all the same; that CloudFormation made it (invokedBy) is its path, not a reason to drop it',
  },
  {
    file: NO_CFN, line: 2, expect: [{ ...via, action: 'account.create', target: 'user', technique: 'T1136.003' }],
    note: 'CreateUser made by hand',
  },
  {
    file: NO_CFN, line: 3, expect: [{ ...via, action: 'account.create', target: 'user', technique: 'T1136.003' }],
    note: 'DISAGREES with panther: its rule allows roles matching an approved pattern; whether a creator was approved is the roster\'s question, not the parser\'s',
  },
  { file: NO_CFN, line: 4, expect: [{ ...via, action: 'account.create', target: 'user', technique: 'T1136.003' }], note: 'CreateUser' },
  { file: NO_CFN, line: 5, expect: [], note: '`NotCreateUser`: no such IAM call' },
  { file: NO_CFN, line: 6, expect: [], note: 'errorCode EntityAlreadyExists: the call failed, nothing was created' },

  {
    file: KEY, line: 1, expect: [{ ...KEYS, actor: 'arn:aws:iam::123456789:user/user1', target: 'user1' }],
    note: 'DISAGREES with panther: its rule only flags keys made for someone else; a user adding a key to itself is still a credential added (T1098.001). sourceIPAddress is a service name, not an address',
  },
  { file: KEY, line: 2, expect: [{ ...KEYS, actor: 'arn:aws:iam::123456789:user/user1', target: 'user2' }], note: 'CreateAccessKey for another user' },
  { file: KEY, line: 3, expect: [{ ...KEYS, actor: 'arn:aws:iam::123456789:user/jackson', target: 'jack' }], note: 'actor from userIdentity.arn (its userName field says user1)' },
  { file: KEY, line: 4, expect: [{ ...KEYS, actor: 'arn:aws:iam::123456789:user/jack', target: 'jackson' }] },
  { file: KEY, line: 5, expect: [], note: 'errorCode LimitExceededException: no key was created' },

  {
    file: ROOT_KEY, line: 1,
    expect: [{ ...via, actor: 'arn:aws:iam::123456789012:root', action: 'account.modify', target: 'root', technique: 'T1098.001' }],
    note: 'CreateAccessKey without userName: the key is the caller\'s own, here the root user',
  },
  {
    file: ROOT_KEY, line: 2,
    expect: [{ ...via, actor: 'arn:aws:iam::123456789012:root', action: 'account.modify', target: 'example-user', technique: 'T1098.001' }],
    note: 'DISAGREES with panther: its rule is about keys for the root user; a key created for example-user is a credential added',
  },

  { file: NEW_USER, line: 1, expect: [], note: 'DISAGREES with panther: a OneLogin event; aaawatch has no OneLogin platform' },
  { file: NEW_USER, line: 2, expect: [], note: 'OneLogin login' },
  {
    file: NEW_USER, line: 3, expect: [],
    note: 'DISAGREES with panther: a CloudTrail fragment panther normalised (no eventSource, userIdentity, account or eventTime): not a record CloudTrail emits, and no account to name the device by',
  },
  { file: NEW_USER, line: 4, expect: [], note: 'ConsoleLogin: a login, not an account change' },
  { file: NEW_USER, line: 5, expect: [], note: 'DISAGREES with panther: a Zoom event; aaawatch has no Zoom platform' },

  {
    file: ROOT_PASSWORD, line: 1,
    expect: [{ kind: 'account', time: T, device: ACCOUNT, action: 'password.change', target: 'root', actor: 'arn:aws:iam::123456789012:root', actorAddress: '111.111.111.111', path: 'cloud', technique: 'T1098.001' }],
    note: '`PasswordUpdated` from signin.amazonaws.com: the root user changed its password at the sign-in page',
  },
  { file: ROOT_PASSWORD, line: 2, expect: [], note: '`responseElements.PasswordUpdated` is Failure: nothing changed' },
  ...[1, 2, 3].map((line): CorpusCase => ({
    file: LOGIN_PROFILE, line,
    expect: [{ kind: 'account', time: '2022-09-15T13:45:24.000Z', device: 'aws:987654321', action: 'password.change', target: line === 1 ? 'alice' : 'bob', actor: 'arn:aws:sts::98765432:assumed-role/IAM/alice', path: 'cloud', technique: 'T1098.001' }],
    note: line === 1
      ? 'DISAGREES with panther: its rule is about another user\'s password; a user setting its own console password through UpdateLoginProfile is a password change all the same'
      : line === 3
        ? 'DISAGREES with panther: its rule skips a reset that forces a new password at next sign-in; the password was set by alice all the same'
        : 'UpdateLoginProfile: alice set bob\'s console password',
  })),
  ...none(SEKOIA, [1, 3], 'an EC2 call, not IAM'),
  { file: SEKOIA, line: 2, expect: [], note: 'LookupEvents: CloudTrail read' },
  {
    file: SEKOIA, line: 4,
    expect: [{ kind: 'account', time: '2020-08-12T12:16:24.000Z', device: 'aws:1111111111', action: 'account.create', target: 'user', actor: 'arn:aws:iam::1111111111:root', actorAddress: '1.2.3.4', path: 'cloud', technique: 'T1136.003' }],
    note: 'CreateUser by the root user',
  },
  ...none(SEKOIA, [5, 6, 8], 'KMS Decrypt, AssumeRole: no account changed'),
  { file: SEKOIA, line: 7, expect: [], note: 'ConsoleLogin: a sign-in' },

  // EventBridge: the record in `detail`; the device is the event's `account` (the records carry no
  // recipientAccountId, and the caller's accountId in line 1 has 13 digits, not the bus's 12).
  {
    file: EVENTBRIDGE, line: 1,
    expect: [{ kind: 'account', time: '2018-06-08T15:31:37.000Z', device: 'aws:012345678901', action: 'password.change', target: 'Cli1', actor: 'arn:aws:iam::0123456789012:user/CanCreateBuddyAccount', actorAddress: '131.228.197.7', path: 'cloud', technique: 'T1098.001' }],
    note: 'CreateLoginProfile inside an EventBridge event',
  },
  { file: EVENTBRIDGE, line: 2, expect: [{ ...BUS_MFA, time: '2018-06-09T18:48:30.000Z' }], note: 'CreateVirtualMFADevice' },
  { file: EVENTBRIDGE, line: 3, expect: [{ ...BUS_MFA, time: '2018-06-09T18:49:06.000Z' }], note: 'EnableMFADevice' },
  { file: EVENTBRIDGE, line: 5, expect: [{ ...BUS_MFA, time: '2018-06-09T18:54:20.000Z' }], note: 'DeactivateMFADevice: user1 signs in with one factor again' },
  { file: EVENTBRIDGE, line: 4, expect: [], note: 'DeleteVirtualMFADevice: the device was deactivated first (line 5), which is the account\'s change' },

  { file: ELASTIC_IAM, line: 1, expect: [], note: 'ChangePassword with errorCode AccessDeniedException: nothing changed' },
  {
    file: ELASTIC_IAM, line: 2,
    expect: [{ kind: 'account', time: '2020-01-09T00:03:36.000Z', device: 'aws:0123456789012', action: 'password.change', target: 'Alice', actor: 'arn:aws:iam::0123456789012:user/Alice', actorAddress: '127.0.0.1', path: 'cloud', technique: 'T1098.001' }],
    note: 'ChangePassword: Alice changed her own console password through IAM',
  },
  {
    file: ELASTIC_IAM, line: 3,
    expect: [{ kind: 'account', time: '2020-01-08T19:09:36.000Z', device: 'aws:0123456789012', action: 'account.modify', target: 'Bob', actor: 'arn:aws:iam::0123456789012:user/Alice', actorAddress: '127.0.0.1', path: 'cloud', technique: undefined }],
    note: 'DeleteAccessKey: a credential of Bob\'s taken away',
  },
  {
    file: ELASTIC_IAM, line: 4,
    expect: [{ kind: 'account', time: '2020-01-10T00:34:02.000Z', device: 'aws:0123456789012', action: 'account.modify', target: 'Alice', actor: 'arn:aws:iam::0123456789012:user/Alice', path: 'cloud', technique: 'T1098.005' }],
    note: 'DeactivateMFADevice',
  },

  // The management account's id is `<MANAGEMENT_ACCT_ID>` in the source, as printed.
  {
    file: IDENTITY_CENTER, line: 1, expect: [{ ...CENTER, action: 'group.create', time: '2023-04-25T00:46:02.000Z', target: 'admin-test-group', group: 'admin-test-group', technique: undefined }],
    note: 'sso-directory CreateGroup: the group by its display name (logged since July 2025 as HIDDEN_DUE_TO_SECURITY_REASONS, then by its id)',
  },
  {
    file: IDENTITY_CENTER, line: 2,
    expect: [{ ...CENTER, action: 'group.add_member', time: '2023-04-25T00:46:15.000Z', target: '94e80458-9021-70ea-08fa-c3a10a1d8a92', group: CENTER_GROUP, technique: 'T1098.003' }],
    note: 'sso-directory AddMemberToGroup: the user and the group by their directory ids (the event names neither)',
  },
  { file: IDENTITY_CENTER, line: 3, expect: [], note: 'CreatePermissionSet: what a permission set allows, held by no one yet' },
  {
    file: IDENTITY_CENTER, line: 4,
    expect: [{ ...CENTER, action: 'privilege.change', time: '2023-04-25T19:24:49.000Z', target: CENTER_GROUP, group: CENTER_GROUP, privilege: 'arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-ae5d1fa1f80b684e', technique: 'T1098.003' }],
    note: 'CreateAccountAssignment: the group given the permission set on the target account (here the management account itself)',
  },
  {
    file: IDENTITY_CENTER, line: 5,
    expect: [{ ...CENTER, action: 'privilege.change', time: '2023-04-25T19:24:50.000Z', target: 'AWSReservedSSO_AdministratorAccess-test_c194f596bcea55cc', privilege: 'AdministratorAccess', technique: 'T1098.003' }],
    note: 'the IAM role Identity Center provisions for the permission set, given AdministratorAccess: the root user\'s call, made through Identity Center (invokedBy sso.amazonaws.com)',
  },
  {
    file: IDENTITY_CENTER, line: 6,
    expect: [{ ...CENTER, action: 'privilege.change', time: '2023-04-25T19:25:55.000Z', target: CENTER_GROUP, group: CENTER_GROUP, privilege: 'arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-a1b9e6bd2d4fb336', technique: 'T1098.003' }],
    note: 'CreateAccountAssignment of a second permission set to the group, then (line 7) the first taken away',
  },
  {
    file: IDENTITY_CENTER, line: 7,
    expect: [{ ...CENTER, action: 'privilege.revoke', time: '2023-04-25T19:25:56.000Z', target: CENTER_GROUP, group: CENTER_GROUP, privilege: 'arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-ae5d1fa1f80b684e', technique: undefined }],
    note: 'DeleteAccountAssignment: the permission set taken from the group',
  },
  {
    file: IDENTITY_CENTER, line: 8,
    expect: [{ ...CENTER_SERVICE, action: 'privilege.revoke', time: '2023-04-25T19:26:10.000Z', target: 'AWSReservedSSO_AdministratorAccess-test_c194f596bcea55cc', privilege: 'AdministratorAccess' }],
    note: 'Identity Center\'s service role detaching the policy from the role it provisioned, no longer assigned',
  },
  {
    file: IDENTITY_CENTER, line: 9,
    expect: [{ ...CENTER_SERVICE, action: 'account.delete', time: '2023-04-25T19:26:10.000Z', target: 'AWSReservedSSO_AdministratorAccess-test_c194f596bcea55cc', technique: 'T1531' }],
    note: 'and deleting the role',
  },
];
