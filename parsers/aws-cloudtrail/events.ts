// The IAM API calls that create identities, give them credentials, register MFA devices to them,
// or grant them privileges, and the change each one means (MITRE T1136.003, T1098.001, T1098.003,
// T1098.005); the calls that take those away again; and the groups made and removed. A call that failed (`errorCode`) changed nothing
// and yields no record.

import { field, objectAt, textAt, type JsonObject } from '../lib/json-fields.js';
import type { ActorChange as Change } from '../lib/record.js';
import { grantsAdmin, isAdminPolicyArn, policyDocument, trustsAnyone } from './policy.js';

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** The user a call acts on: `userName`, else the caller itself (CreateAccessKey without a user name). */
function userOrCaller(req: JsonObject | undefined, record: JsonObject): string | undefined {
  const named = textAt(req, 'userName');
  if (named) return named;
  const identity = objectAt(record, 'userIdentity');
  if (textAt(identity, 'type') === 'Root') return 'root';
  return textAt(identity, 'userName');
}

type Handler = (req: JsonObject | undefined, record: JsonObject) => Change[];

const created = (target: string | undefined): Change[] =>
  target ? [{ action: 'account.create', target, technique: 'T1136.003' }] : [];

function attach(kind: 'user' | 'role' | 'group'): Handler {
  return (req) => {
    const arn = textAt(req, 'policyArn');
    const target = textAt(req, `${kind}Name`);
    if (!target || !isAdminPolicyArn(arn)) return [];
    return [{ action: 'privilege.change', target, privilege: policyName(arn!), group: kind === 'group' ? target : undefined, technique: 'T1098.003' }];
  };
}

/** An administrator policy detached: the privilege its attach gave is taken away. */
function detach(kind: 'user' | 'role' | 'group'): Handler {
  return (req) => {
    const arn = textAt(req, 'policyArn');
    const target = textAt(req, `${kind}Name`);
    if (!target || !isAdminPolicyArn(arn)) return [];
    return [{ action: 'privilege.revoke', target, privilege: policyName(arn!), group: kind === 'group' ? target : undefined }];
  };
}

function putInline(kind: 'user' | 'role' | 'group'): Handler {
  return (req) => {
    const target = textAt(req, `${kind}Name`);
    if (!target || !grantsAdmin(policyDocument(field(req, 'policyDocument')))) return [];
    const privilege = textAt(req, 'policyName') ?? 'inline';
    return [{ action: 'privilege.change', target, privilege, group: kind === 'group' ? target : undefined, technique: 'T1098.003' }];
  };
}

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['CreateUser', (req, r) => created(textAt(req, 'userName') ?? textAt(objectAt(r, 'responseElements'), 'user', 'userName'))],
  ['CreateRole', (req) => created(textAt(req, 'roleName'))],
  [
    'CreateServiceLinkedRole',
    (req, r) => created(textAt(objectAt(r, 'responseElements'), 'role', 'roleName') ?? textAt(req, 'aWSServiceName')),
  ],
  ['DeleteUser', (req) => {
    const target = textAt(req, 'userName');
    return target ? [{ action: 'account.delete', target, technique: 'T1531' }] : [];
  }],
  // A role is made as an account is (CreateRole above), so its removal is one's removal.
  ['DeleteRole', (req) => {
    const target = textAt(req, 'roleName');
    return target ? [{ action: 'account.delete', target, technique: 'T1531' }] : [];
  }],
  // A user renamed (`UpdateUser` with `newUserName`): IAM keeps its policies, groups, keys and
  // password under the new name, and the old name no longer exists. The normalised records have no
  // rename, so it is both, as `usermod -l` and Windows 4781 are: the old name deleted, the new one
  // made by changing an account (T1098). Read as nothing before, the population kept the old name
  // present with its AdministratorAccess and the new name made by no one. A new path alone changes
  // no access.
  ['UpdateUser', (req) => {
    const from = textAt(req, 'userName');
    const to = textAt(req, 'newUserName');
    if (!from || !to || to === from) return [];
    return [{ action: 'account.delete', target: from }, { action: 'account.create', target: to, technique: 'T1098' }];
  }],
  // A console password for a user that had none (Create) or a new one (Update).
  ['CreateLoginProfile', (req, r) => credential(userOrCaller(req, r), 'password.change')],
  ['UpdateLoginProfile', (req, r) => credential(userOrCaller(req, r), 'password.change')],
  ['CreateAccessKey', (req, r) => credential(userOrCaller(req, r), 'account.modify')],
  // A user's own console password changed through IAM (the console's "change password" page, or
  // `aws iam change-password`): no user is named, the caller is the account.
  ['ChangePassword', (_req, r) => credential(userOrCaller(undefined, r), 'password.change')],
  // A key taken away: a credential the account signed in with is gone, not one added (no technique).
  ['DeleteAccessKey', (req, r) => {
    const target = userOrCaller(req, r);
    return target ? [{ action: 'account.modify', target }] : [];
  }],
  // The console password taken away, likewise.
  ['DeleteLoginProfile', (req, r) => {
    const target = userOrCaller(req, r);
    return target ? [{ action: 'account.modify', target }] : [];
  }],
  // A key switched on again is a credential given back (T1098.001, as CreateAccessKey); switched
  // off, one taken away.
  ['UpdateAccessKey', (req, r) => {
    const target = userOrCaller(req, r);
    if (!target) return [];
    return textAt(req, 'status') === 'Active' ? credential(target, 'account.modify') : [{ action: 'account.modify', target }];
  }],
  // MFA device registration (T1098.005, as Elastic's "AWS Virtual MFA Device Registration" rule
  // maps it). A virtual device is named, not yet bound to a user; by convention the name is the user's.
  ['CreateVirtualMFADevice', (req) => {
    const target = textAt(req, 'virtualMFADeviceName');
    return target ? [{ action: 'account.modify', target, technique: 'T1098.005' }] : [];
  }],
  ['EnableMFADevice', (req, r) => {
    const target = userOrCaller(req, r);
    return target ? [{ action: 'account.modify', target, technique: 'T1098.005' }] : [];
  }],
  // The device taken off the user: its sign-in asks for one factor again (as Okta's
  // user.mfa.factor.deactivate is read). A device must be deactivated before it can be deleted,
  // so DeleteVirtualMFADevice says nothing more about the account.
  ['DeactivateMFADevice', (req, r) => {
    const target = userOrCaller(req, r);
    return target ? [{ action: 'account.modify', target, technique: 'T1098.005' }] : [];
  }],
  // A group made or removed: the group is the target. No technique (ATT&CK maps none to creating a
  // group; AddUserToGroup and Attach/PutGroupPolicy below are what grant access).
  ['CreateGroup', (req, r) => {
    const group = textAt(req, 'groupName') ?? textAt(objectAt(r, 'responseElements'), 'group', 'groupName');
    return group ? [{ action: 'group.create', target: group, group }] : [];
  }],
  ['DeleteGroup', (req) => {
    const group = textAt(req, 'groupName');
    return group ? [{ action: 'group.delete', target: group, group }] : [];
  }],
  ['AddUserToGroup', (req) => {
    const target = textAt(req, 'userName');
    const group = textAt(req, 'groupName');
    return target && group ? [{ action: 'group.add_member', target, group, technique: 'T1098.003' }] : [];
  }],
  ['RemoveUserFromGroup', (req) => {
    const target = textAt(req, 'userName');
    const group = textAt(req, 'groupName');
    return target && group ? [{ action: 'group.remove_member', target, group }] : [];
  }],
  ['AttachUserPolicy', attach('user')],
  ['AttachRolePolicy', attach('role')],
  ['AttachGroupPolicy', attach('group')],
  ['DetachUserPolicy', detach('user')],
  ['DetachRolePolicy', detach('role')],
  ['DetachGroupPolicy', detach('group')],
  ['PutUserPolicy', putInline('user')],
  ['PutRolePolicy', putInline('role')],
  ['PutGroupPolicy', putInline('group')],
  // A role whose trust policy lets any principal assume it is a backdoor into the account.
  ['UpdateAssumeRolePolicy', (req) => {
    const target = textAt(req, 'roleName');
    return target && trustsAnyone(policyDocument(field(req, 'policyDocument')))
      ? [{ action: 'account.modify', target, privilege: 'sts:AssumeRole by *', technique: 'T1098' }]
      : [];
  }],
]);

function credential(target: string | undefined, action: 'password.change' | 'account.modify'): Change[] {
  return target ? [{ action, target, technique: 'T1098.001' }] : [];
}

/**
 * A console user's own password changed at the sign-in page (`PasswordUpdated` from
 * signin.amazonaws.com, the root user's included): no IAM call is logged for it. A failure says so
 * in `responseElements.PasswordUpdated`, not in `errorCode`.
 */
export function signinChanges(record: JsonObject): Change[] {
  if (textAt(record, 'eventName') !== 'PasswordUpdated') return [];
  if (textAt(objectAt(record, 'responseElements'), 'PasswordUpdated') !== 'Success') return [];
  return credential(userOrCaller(undefined, record), 'password.change');
}

export function iamChanges(record: JsonObject): Change[] {
  if (field(record, 'errorCode') !== undefined) return [];
  const handler = HANDLERS.get(textAt(record, 'eventName') ?? '');
  return handler ? handler(objectAt(record, 'requestParameters'), record) : [];
}
