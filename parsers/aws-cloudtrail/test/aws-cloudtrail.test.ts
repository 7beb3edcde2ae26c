import { describe, expect, it } from 'vitest';
import { awsCloudtrail } from '../index.js';
import { platformById } from '../../index.js';
import { redactSecrets } from '../../lib/secrets.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, probeFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';
import type { ImportItem } from '../../../src/types.js';

const P = 'aws-cloudtrail';
const run = (line: string) => recogniser(awsCloudtrail.recognise!, P)(line);

/** Panther's verdict agrees with whether we produce a record, except where a case says DISAGREES (and then it must disagree). */
describe('aws-cloudtrail corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(awsCloudtrail, [...files, ...probeFiles], cases)).toEqual([]);
  });

  it('agrees with panther\'s ExpectedResult wherever the meaning matches, and says why elsewhere', () => {
    expect(pantherAgreement(files, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(awsCloudtrail);
  });
});

// Fixtures written for these tests in CloudTrail's record format (AWS CloudTrail User Guide,
// "CloudTrail record contents"; the IAM API reference for each call's request parameters and
// response elements), one record per syslog message as an EventBridge/Firehose forwarder sends
// them. Account ids, names and addresses invented.
const ACCOUNT = '111122223333';
const ADMIN = `arn:aws:iam::${ACCOUNT}:user/ops-admin`;
function ct(eventName: string, requestParameters: unknown, extra: Record<string, unknown> = {}): string {
  return '<14>Nov 21 22:10:01 forwarder cloudtrail: ' + JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: ADMIN, accountId: ACCOUNT, userName: 'ops-admin' },
    eventTime: '2026-11-21T22:10:01Z', eventSource: 'iam.amazonaws.com', eventName, awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', requestParameters, responseElements: null,
    requestID: 'r-1', eventID: 'e-1', readOnly: false, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCOUNT,
    ...extra,
  });
}
const base = {
  kind: 'account', platform: P, time: '2026-11-21T22:10:01.000Z', device: `aws:${ACCOUNT}`, actor: ADMIN,
  actorAddress: '198.51.100.7', path: 'cloud',
} as const;
const adminDoc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

describe('aws-cloudtrail IAM calls', () => {
  it.each([
    ['CreateUser', { userName: 'eve' }, { action: 'account.create', target: 'eve', technique: 'T1136.003' }],
    ['CreateLoginProfile', { userName: 'eve', password: 'HIDDEN_DUE_TO_SECURITY_REASONS', passwordResetRequired: true }, { action: 'password.change', target: 'eve', technique: 'T1098.001' }],
    ['UpdateLoginProfile', { userName: 'eve' }, { action: 'password.change', target: 'eve', technique: 'T1098.001' }],
    ['CreateAccessKey', { userName: 'eve' }, { action: 'account.modify', target: 'eve', technique: 'T1098.001' }],
    ['CreateAccessKey', {}, { action: 'account.modify', target: 'ops-admin', technique: 'T1098.001' }],
    ['CreateRole', { roleName: 'ci-deploy', assumeRolePolicyDocument: '{}' }, { action: 'account.create', target: 'ci-deploy', technique: 'T1136.003' }],
    ['CreateVirtualMFADevice', { virtualMFADeviceName: 'eve', path: '/' }, { action: 'account.modify', target: 'eve', technique: 'T1098.005' }],
    ['EnableMFADevice', { userName: 'eve', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/eve` }, { action: 'account.modify', target: 'eve', technique: 'T1098.005' }],
    ['CreateGroup', { groupName: 'Admins', path: '/' }, { action: 'group.create', target: 'Admins', group: 'Admins' }],
    ['DeleteGroup', { groupName: 'Admins' }, { action: 'group.delete', target: 'Admins', group: 'Admins' }],
    ['AddUserToGroup', { groupName: 'Admins', userName: 'eve' }, { action: 'group.add_member', target: 'eve', group: 'Admins', technique: 'T1098.003' }],
    ['AttachRolePolicy', { roleName: 'ci-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { action: 'privilege.change', target: 'ci-deploy', privilege: 'AdministratorAccess', technique: 'T1098.003' }],
    ['AttachGroupPolicy', { groupName: 'Admins', policyArn: 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess' }, { action: 'privilege.change', target: 'Admins', group: 'Admins', privilege: 'AdministratorAccess', technique: 'T1098.003' }],
    ['PutUserPolicy', { userName: 'eve', policyName: 'everything', policyDocument: adminDoc }, { action: 'privilege.change', target: 'eve', privilege: 'everything', technique: 'T1098.003' }],
    ['PutRolePolicy', { roleName: 'ci-deploy', policyName: 'all', policyDocument: encodeURIComponent(JSON.stringify({ Statement: { Effect: 'Allow', Action: ['*:*'], Resource: ['*'] } })) }, { action: 'privilege.change', target: 'ci-deploy', privilege: 'all', technique: 'T1098.003' }],
    ['UpdateAssumeRolePolicy', { roleName: 'ci-deploy', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }) }, { action: 'account.modify', target: 'ci-deploy', privilege: 'sts:AssumeRole by *', technique: 'T1098' }],
    ['DeleteUser', { userName: 'eve' }, { action: 'account.delete', target: 'eve', technique: 'T1531' }],
    ['DeleteRole', { roleName: 'ci-deploy' }, { action: 'account.delete', target: 'ci-deploy', technique: 'T1531' }],
    ['DeleteLoginProfile', { userName: 'eve' }, { action: 'account.modify', target: 'eve' }],
    ['UpdateAccessKey', { userName: 'eve', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Active' }, { action: 'account.modify', target: 'eve', technique: 'T1098.001' }],
    ['UpdateAccessKey', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: 'Inactive' }, { action: 'account.modify', target: 'ops-admin' }],
    ['DetachUserPolicy', { userName: 'eve', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { action: 'privilege.revoke', target: 'eve', privilege: 'AdministratorAccess' }],
    ['DetachGroupPolicy', { groupName: 'Admins', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { action: 'privilege.revoke', target: 'Admins', group: 'Admins', privilege: 'AdministratorAccess' }],
  ])('%s %j', (eventName, params, want) => {
    expect(run(ct(eventName, params))).toEqual({ records: [{ ...base, ...want }], unknown: [] });
  });

  it('reads UpdateUser with a new name as the old name deleted and the new one made (T1098), as usermod -l is', () => {
    expect(run(ct('UpdateUser', { userName: 'bob', newUserName: 'robert' })).records).toEqual([
      { ...base, action: 'account.delete', target: 'bob' },
      { ...base, action: 'account.create', target: 'robert', technique: 'T1098' },
    ]);
    // A new path alone, or the same name, renames nothing.
    expect(run(ct('UpdateUser', { userName: 'bob', newPath: '/ops/' })).records).toEqual([]);
    expect(run(ct('UpdateUser', { userName: 'bob', newUserName: 'bob' })).records).toEqual([]);
  });

  it('names the service-linked role from the response', () => {
    const line = ct('CreateServiceLinkedRole', { aWSServiceName: 'elasticbeanstalk.amazonaws.com' }, {
      responseElements: { role: { roleName: 'AWSServiceRoleForElasticBeanstalk', path: '/aws-service-role/' } },
    });
    expect(run(line).records).toEqual([{ ...base, action: 'account.create', target: 'AWSServiceRoleForElasticBeanstalk', technique: 'T1136.003' }]);
  });

  it.each([
    ['GetUser', { userName: 'eve' }, {}],
    ['ListUsers', {}, {}],
    ['AttachUserPolicy', { userName: 'eve', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, {}],
    ['DetachRolePolicy', { roleName: 'ci-deploy', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, {}],
    ['AttachUserPolicy', { userName: 'eve', policyArn: `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` }, {}],
    ['PutUserPolicy', { userName: 'eve', policyName: 'read', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }) }, {}],
    ['PutUserPolicy', { userName: 'eve', policyName: 'deny', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }) }, {}],
    ['CreateUser', { userName: 'eve' }, { errorCode: 'AccessDenied', errorMessage: 'not authorized' }],
    ['CreateUser', { userName: 'eve' }, { eventSource: 's3.amazonaws.com' }],
  ])('yields nothing for %s %j %j', (eventName, params, extra) => {
    expect(run(ct(eventName, params, extra))).toEqual({ records: [], unknown: [] });
  });

  it('never copies request parameters into a record, and the raw text is redacted', () => {
    const line = ct('CreateLoginProfile', { userName: 'eve', password: 'Cleartext1!', passwordResetRequired: false });
    expect(JSON.stringify(run(line).records)).not.toContain('Cleartext1');
    expect(redactSecrets(line)).not.toContain('Cleartext1');
  });
});

describe('aws-cloudtrail log files', () => {
  const format = awsCloudtrail.importFormat!;
  /** The file read in pieces of `size` characters, as `aaawatch import` reads it. */
  const read = (text: string, size = 7, max = 1 << 20): ImportItem[] => {
    const reader = format.reader(max);
    const out: ImportItem[] = [];
    for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
    return [...out, ...reader.end()];
  };
  const a = JSON.parse(ct('CreateUser', { userName: 'eve' }).replace(/^[^{]*/, '')) as Record<string, unknown>;
  const b = JSON.parse(ct('GetUser', { userName: 'eve' }).replace(/^[^{]*/, '')) as Record<string, unknown>;

  it('reads a CloudTrail file record by record, however it is cut, each read like a message', () => {
    const file = JSON.stringify({ Records: [a, b, 42] }, null, 2);
    expect(format.claims(file.slice(0, 4096))).toBe(true);
    for (const size of [1, 3, 7, 64, file.length]) {
      const items = read(file, size);
      expect(items.map((i) => ('text' in i ? run(i.text).records.length : i.malformed))).toEqual([1, 0, 'not-a-record']);
      expect(items[0]).toEqual({ text: JSON.stringify(a) });
    }
  });

  it('finds element ends past strings with brackets, quotes and escapes, nested lists, and other keys', () => {
    const tricky = { ...a, requestParameters: { userName: 'e"v]e}', tags: [{ key: '[{', value: '\\"' }], note: 'a\\' } };
    const file = `\uFEFF {"Other": {"x": ["]", "}"], "n": -1.5e3, "t": true}, "Records" : [ ${JSON.stringify(tricky)} , ${JSON.stringify(b)} ], "Tail": null }`;
    expect(format.claims(file)).toBe(false); // Records is not the first key: not claimed by its head
    const items = read(file, 5);
    expect(items).toEqual([{ text: JSON.stringify(tricky) }, { text: JSON.stringify(b) }]);
  });

  it('reads files one after another in one stream (`cat *.json.gz | aaawatch import -`)', () => {
    const one = JSON.stringify({ Records: [a] });
    expect(read(`${one}\n${one}${one}`, 13)).toEqual([{ text: JSON.stringify(a) }, { text: JSON.stringify(a) }, { text: JSON.stringify(a) }]);
    expect(read(`${one} trailing`).map((i) => ('text' in i ? 'record' : i.malformed))).toEqual(['record', 'json-structure']);
  });

  it('counts what is not a record: a broken element, an oversize one, a file cut short', () => {
    const big = { ...a, requestParameters: { blob: 'x'.repeat(5000) } };
    const items = read(`{"Records": [${JSON.stringify(a)}, {"broken": tru}, ${JSON.stringify(big)}, ${JSON.stringify(b)}`, 11, 4096);
    expect(items.map((i) => ('text' in i ? 'record' : i.malformed))).toEqual(['record', 'json-syntax', 'oversize-record', 'record', 'json-structure']);
  });

  it('declines other files', () => {
    for (const head of ['<14>Nov 21 22:10:01 host sshd[1]: x\n', '{"Records": "no"}', '{"records": []}', '', '[{"Records": []}]']) {
      expect(format.claims(head), head).toBe(false);
    }
  });
});

describe('aws-cloudtrail hostile input', () => {
  it('never throws', () => {
    for (const text of [
      '{"eventSource":"iam.amazonaws.com","eventName":"CreateUser","requestParameters":{"userName":{"__proto__":1}}}',
      '{"eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy","requestParameters":{"userName":"x","policyDocument":"%7B%ZZ"}}',
      '{"eventSource":"iam.amazonaws.com","eventName":"constructor"}',
      '{"eventSource":"iam.amazonaws.com","eventName":"CreateUser","eventTime":"9999-99-99T99:99:99Z","requestParameters":{"userName":"x"}}',
      '{"eventSource":"iam.amazonaws.com"',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});

// IAM Identity Center's events in the shape AWS documents them ("Upcoming changes to IAM Identity
// Center CloudTrail events", AWS Security Blog, 2025: CreateGroup's display name logged as
// HIDDEN_DUE_TO_SECURITY_REASONS; the Identity Store API reference for CreateGroupMembership's
// request). Ids invented.
describe('aws-cloudtrail IAM Identity Center', () => {
  const GROUP = '11a1a111-1111-1010-aaa1-01111a1111a0';
  const USER = '94e80458-9021-70ea-08fa-c3a10a1d8a92';
  const center = (eventSource: string, eventName: string, requestParameters: unknown, extra: Record<string, unknown> = {}) =>
    ct(eventName, requestParameters, { eventSource, ...extra });

  it('names a group made with its display name hidden by its id', () => {
    const hidden = 'HIDDEN_DUE_TO_SECURITY_REASONS';
    const made = center('sso-directory.amazonaws.com', 'CreateGroup', { identityStoreId: 'd-1111111111', displayName: hidden }, {
      responseElements: { group: { groupId: GROUP, displayName: hidden, groupAttributes: { description: { stringValue: hidden } } } },
    });
    expect(run(made).records).toEqual([{ ...base, action: 'group.create', target: GROUP, group: GROUP }]);
  });

  it('reads a member added through the Identity Store API, and nothing for a call that failed', () => {
    const add = { identityStoreId: 'd-1111111111', groupId: GROUP, memberId: { userId: USER } };
    expect(run(center('identitystore.amazonaws.com', 'CreateGroupMembership', add)).records).toEqual([
      { ...base, action: 'group.add_member', target: USER, group: GROUP, technique: 'T1098.003' },
    ]);
    expect(run(center('identitystore.amazonaws.com', 'CreateGroupMembership', add, { errorCode: 'ConflictException' })).records).toEqual([]);
  });

  it('puts a permission set assigned to a user on the account it gives access to', () => {
    const assign = {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', targetId: '444455556666', targetType: 'AWS_ACCOUNT',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111', principalType: 'USER', principalId: USER,
    };
    expect(run(center('sso.amazonaws.com', 'CreateAccountAssignment', assign)).records).toEqual([
      { ...base, device: 'aws:444455556666', action: 'privilege.change', target: USER, privilege: assign.permissionSetArn, technique: 'T1098.003' },
    ]);
  });

  it('yields nothing for the portal\'s and sign-in\'s events', () => {
    for (const name of ['Authenticate', 'ListAccounts', 'GetRoleCredentials', 'CreateToken']) {
      expect(run(center('sso.amazonaws.com', name, {})).records, name).toEqual([]);
    }
  });

  it('holds an IAM administrator policy as full administration, not a permission set or an Identity Center group, whose grant the event does not say', () => {
    const superuser = awsCloudtrail.privileges!.superuser!;
    for (const v of ['AdministratorAccess', 'inline-admin', 'Admins']) expect(superuser.test(v), v).toBe(true);
    for (const v of ['arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111', GROUP, `906791299c-${USER}`]) expect(superuser.test(v), v).toBe(false);
  });
});
