// Entra ID (Azure AD) and Office 365: users, guests and service principals created, credentials
// added to service principals, MFA methods registered, role and group memberships granted, groups
// made and removed, roles taken away (MITRE T1136.003, T1098.001, T1098.003, T1098.005, T1098.007), from the
// directory audit log in any of its JSON shapes (shapes.ts).

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { parseJsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';
import type { ActorChange as Change } from '../lib/record.js';
import { readAuditEvent, type AuditEvent, type Target } from './shapes.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'azure-entra';

const SUCCESS = new Set(['success', 'succeeded', 'true']);

/** `Update user` properties that are the account's second factor (methods added, removed, required). */
const MFA_PROPERTIES = new Set(['StrongAuthenticationMethod', 'StrongAuthenticationRequirement', 'StrongAuthenticationPhoneAppDetail']);
/** `Update user` properties that enable or disable the account or relax its password rules. */
const ACCESS_PROPERTIES = new Set(['AccountEnabled', 'PasswordPolicies']);

const ofType = (e: AuditEvent, type: string): Target | undefined => e.targets.find((t) => t.type === type);
const nameOf = (t: Target | undefined): string | undefined => t?.upn ?? t?.name ?? t?.id;

/** The user acted on: a User target (by UPN, else name), else the O365 ObjectId. */
function userTarget(e: AuditEvent): string | undefined {
  return nameOf(ofType(e, 'User')) ?? e.objectId;
}

function servicePrincipal(e: AuditEvent): string | undefined {
  return nameOf(ofType(e, 'ServicePrincipal') ?? ofType(e, 'Application') ?? e.targets[0]);
}

/** The role granted: a Role target (PIM), else the user target's `Role.DisplayName` change. */
function roleOf(e: AuditEvent): string | undefined {
  return ofType(e, 'Role')?.name ?? e.targets.map((t) => t.modified.get('Role.DisplayName')).find((r) => r);
}

/** The role taken away: a Role target, else the user target's former `Role.DisplayName`, else (Azure RBAC) the `RoleName` detail. */
function removedRoleOf(e: AuditEvent): string | undefined {
  return ofType(e, 'Role')?.name ?? e.targets.map((t) => t.previous.get('Role.DisplayName')).find((r) => r) ?? e.details.get('RoleName');
}

function groupOf(e: AuditEvent): string | undefined {
  return ofType(e, 'Group')?.name ?? e.targets.map((t) => t.modified.get('Group.DisplayName')).find((g) => g);
}

/** The group made or removed: the Group target (name, else id), else (O365) its DisplayName, else the object acted on. */
function groupItself(e: AuditEvent): string | undefined {
  const g = ofType(e, 'Group');
  return g?.name ?? g?.id ?? e.targets.map((t) => t.modified.get('DisplayName')).find((n) => n) ?? e.objectId;
}

/**
 * Azure rotating a managed identity's own certificate: the actor is Azure's managed-identity
 * service (`initiatedBy.app` `Managed Service Identity`) and the target is a managed identity (its
 * service principal names hold `https://identity.azure.net/…`, which no other principal holds). It
 * runs on its own for every managed identity (Elastic's azure audit sample: one `Add service
 * principal credentials` a rotation); read as a credential added, each was a person backdooring an
 * account. Both marks: an application anyone registers may call itself `Managed Service Identity`.
 */
function managedIdentityRotation(e: AuditEvent): boolean {
  return e.actorApp === 'Managed Service Identity'
    && e.targets.some((t) => t.type === 'ServicePrincipal' && t.modified.get('TargetId.ServicePrincipalNames')?.includes('https://identity.azure.net/') === true);
}

const change = (action: Change['action'], target: string | undefined, extra: Partial<Change> = {}): Change[] =>
  target ? [{ action, target, ...extra }] : [];

function changes(e: AuditEvent): Change[] {
  const op = e.operation;
  switch (op) {
    case 'Add user':
      return change('account.create', userTarget(e), { technique: 'T1136.003' });
    case 'New-MsolUser':
      return change('account.create', e.details.get('UserPrincipalName') ?? e.objectId, { technique: 'T1136.003' });
    case 'Invite external user':
      return change('account.create', e.details.get('invitedUserEmailAddress') ?? userTarget(e), { technique: 'T1136.003' });
    case 'Delete user':
      return change('account.delete', userTarget(e), { technique: 'T1531' });
    // A password set by an administrator, or by the user (`Change user password`; self-service
    // password reset's own two, logged by `Self-service Password Management`): either way the
    // credential that signs in as the account is another one now.
    case 'Change user password':
    case 'Reset user password':
    case 'Reset password (by admin)':
    case 'Reset password (self-service)':
    case 'Change password (self-service)':
      return change('password.change', userTarget(e), { technique: 'T1098' });
    case 'Disable account':
    case 'Enable account':
      return change('account.modify', userTarget(e), { technique: 'T1098' });
    // Most `Update user` records change attributes (licences, names, the refresh-token stamp),
    // not access: a record only when a property that signs in or keeps out is among the modified.
    case 'Update user': {
      const props = e.targets.flatMap((t) => [...t.modified.keys()]);
      if (props.some((p) => MFA_PROPERTIES.has(p))) return change('account.modify', userTarget(e), { technique: 'T1098.005' });
      if (props.some((p) => ACCESS_PROPERTIES.has(p))) return change('account.modify', userTarget(e), { technique: 'T1098' });
      return [];
    }
    case 'Add service principal':
      return change('account.create', servicePrincipal(e), { technique: 'T1136.003' });
    case 'Add service principal credentials':
    case 'Update application – Certificates and secrets management':
      if (managedIdentityRotation(e)) return [];
      return change('account.modify', servicePrincipal(e), { technique: 'T1098.001' });
    case 'Add member to group':
      return change('group.add_member', userTarget(e), { group: groupOf(e), technique: 'T1098.007' });
    case 'Remove member from group':
      return change('group.remove_member', userTarget(e), { group: groupOf(e) });
    // A group made or removed; no technique (ATT&CK maps none to creating a group, its members are T1098.007).
    case 'Add group': {
      const group = groupItself(e);
      return change('group.create', group, { group });
    }
    case 'Delete group': {
      const group = groupItself(e);
      return change('group.delete', group, { group });
    }
    // An MFA method (authenticator app, phone, FIDO2 key) registered to an account: device registration.
    case 'User registered security info':
    case 'Admin registered security info':
      return change('account.modify', userTarget(e), { technique: 'T1098.005' });
    case 'User has elevated their access to User Access Administrator for their Azure Resources':
      return change('privilege.change', e.actor, { role: 'User Access Administrator', technique: 'T1098.003' });
  }
  // `Add member to role`, and PIM's `Add member to role in PIM completed (permanent|timebound)` /
  // `… completed (PIM activation)`. A PIM request, or an eligible assignment, grants nothing yet.
  if (op === 'Add member to role' || (op.startsWith('Add member to role') && op.includes('completed'))) {
    return change('privilege.change', userTarget(e), { role: roleOf(e), technique: 'T1098.003' });
  }
  // The same taken away (`Remove member from role`, PIM's `… completed`), and an Azure RBAC role
  // assignment deleted. An eligible assignment removed took nothing the account could use yet.
  if (op === 'Remove member from role' || (op.startsWith('Remove member from role') && op.includes('completed')) || op === 'Delete role assignment') {
    return change('privilege.revoke', userTarget(e), { role: removedRoleOf(e) });
  }
  return [];
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  if (s.charCodeAt(0) !== 123) return NONE;
  if (!s.includes('"operationName"') && !s.includes('"activityDisplayName"') && !s.includes('"Operation"')) return NONE;
  const o = parseJsonObject(s);
  const e = o && readAuditEvent(o);
  if (!e || (e.result !== undefined && !SUCCESS.has(e.result))) return NONE;
  const found = changes(e);
  if (found.length === 0) return NONE;
  const origin: Origin = {
    time: recordTime(msg, parseIsoLike(e.stamp)),
    device: e.tenant ? `entra:${e.tenant}` : 'entra',
    platform: PLATFORM,
  };
  const who: Who = { actor: e.actor, actorAddress: address(e.actorAddress), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const azureEntra: Platform = {
  id: 'azure-entra',
  name: 'Entra ID / Office 365',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  // The directory roles that control every other role assignment (Microsoft's "privileged" built-in roles).
  privileges: { superuser: /^(?:global administrator|company administrator|privileged role administrator|user access administrator)$/i },
};
