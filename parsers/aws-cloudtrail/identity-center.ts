// AWS IAM Identity Center (formerly AWS SSO): its directory's groups and their members
// (`sso-directory.amazonaws.com`, the Identity Store API's `identitystore.amazonaws.com`), and the
// permission sets assigned to a user or group on an AWS account (`sso.amazonaws.com`). A permission
// set's own definition (CreatePermissionSet, AttachManagedPolicyToPermissionSet) changes what it
// allows, not who holds it; on each account it is assigned to, Identity Center provisions it as an
// IAM role (`AWSReservedSSO_…`), whose policies events.ts reads from the IAM calls it makes.
// The portal's, the sign-in's and the OIDC events (Authenticate, ListAccounts, CreateToken …)
// change no account. Users and groups are named by their directory ids: the events carry no user
// name, and since July 2025 a group's display name is logged as HIDDEN_DUE_TO_SECURITY_REASONS.

import { field, objectAt, textAt, type JsonObject } from '../lib/json-fields.js';
import type { ActorChange as Change } from '../lib/record.js';

export const IDENTITY_CENTER_SOURCES: ReadonlySet<string> = new Set([
  'sso-directory.amazonaws.com', 'identitystore.amazonaws.com', 'sso.amazonaws.com',
]);

/** What CloudTrail logs in place of a value it keeps back. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

const shown = (v: string | undefined): string | undefined => (v === HIDDEN ? undefined : v);

type Handler = (req: JsonObject | undefined, record: JsonObject) => Change[];

function member(action: 'group.add_member' | 'group.remove_member', target: string | undefined, group: string | undefined): Change[] {
  if (!target || !group) return [];
  return [action === 'group.add_member' ? { action, target, group, technique: 'T1098.003' } : { action, target, group }];
}

/**
 * A permission set assigned to (or taken from) a user or group on an account: the principal's
 * privilege there, named by the permission set's ARN (the event does not say what it allows).
 */
function assignment(action: 'privilege.change' | 'privilege.revoke'): Handler {
  return (req) => {
    const target = textAt(req, 'principalId');
    const privilege = textAt(req, 'permissionSetArn');
    if (!target || !privilege) return [];
    const group = textAt(req, 'principalType') === 'GROUP' ? target : undefined;
    return [action === 'privilege.change' ? { action, target, privilege, group, technique: 'T1098.003' } : { action, target, privilege, group }];
  };
}

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['CreateGroup', (req, r) => {
    const made = objectAt(objectAt(r, 'responseElements'), 'group');
    const group = shown(textAt(made, 'displayName')) ?? shown(textAt(req, 'displayName')) ?? textAt(made, 'groupId');
    return group ? [{ action: 'group.create', target: group, group }] : [];
  }],
  ['DeleteGroup', (req) => {
    const group = textAt(req, 'groupId');
    return group ? [{ action: 'group.delete', target: group, group }] : [];
  }],
  // sso-directory's calls (the console) name the member in `member.memberId`; the Identity Store
  // API's CreateGroupMembership in `memberId.userId`. Its DeleteGroupMembership names only the
  // membership's id, neither member nor group: nothing to record.
  ['AddMemberToGroup', (req) => member('group.add_member', textAt(objectAt(req, 'member'), 'memberId'), textAt(req, 'groupId'))],
  ['RemoveMemberFromGroup', (req) => member('group.remove_member', textAt(objectAt(req, 'member'), 'memberId'), textAt(req, 'groupId'))],
  ['CreateGroupMembership', (req) => member('group.add_member', textAt(objectAt(req, 'memberId'), 'userId'), textAt(req, 'groupId'))],
  ['CreateAccountAssignment', assignment('privilege.change')],
  ['DeleteAccountAssignment', assignment('privilege.revoke')],
]);

/** A call that failed (`errorCode`) changed nothing. */
export function identityCenterChanges(record: JsonObject): Change[] {
  if (field(record, 'errorCode') !== undefined) return [];
  const handler = HANDLERS.get(textAt(record, 'eventName') ?? '');
  return handler ? handler(objectAt(record, 'requestParameters'), record) : [];
}

/** The account an assignment gives access on, when it is one (`targetType` AWS_ACCOUNT). */
export function assignedAccount(record: JsonObject): string | undefined {
  const req = objectAt(record, 'requestParameters');
  return textAt(req, 'targetType') === 'AWS_ACCOUNT' ? textAt(req, 'targetId') : undefined;
}
