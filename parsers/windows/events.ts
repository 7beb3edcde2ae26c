// The Security-log account-management events aaawatch reads, whatever carried them (Snare tab
// format, Winlogbeat or NXLog JSON), and the change each one means.

import type { Technique } from '../../src/types.js';
import type { AccountChange } from '../lib/record.js';
import { meaningful } from '../lib/json-fields.js';

/** One event reduced to the fields the changes need (names as Windows' event data calls them). */
export interface WinEvent {
  id: number;
  /** False for a Failure Audit: nothing changed. */
  success: boolean;
  computer?: string | undefined;
  subjectUserName?: string | undefined;
  /** The account acted on (4720–4738), or the group (4727–4758: created, deleted, or whose member changed). */
  targetUserName?: string | undefined;
  targetSid?: string | undefined;
  memberName?: string | undefined;
  memberSid?: string | undefined;
}

/** What the event's target is: an account, a member of the group named, or the group itself. */
type Kind = 'account' | 'member' | 'group';

const EVENTS: ReadonlyMap<number, { kind: Kind; action: AccountChange['action']; technique?: Technique }> = new Map([
  [4720, { kind: 'account', action: 'account.create', technique: 'T1136.001' }], // A user account was created
  [4722, { kind: 'account', action: 'account.modify' }], // A user account was enabled
  [4723, { kind: 'account', action: 'password.change' }], // An attempt was made to change an account's password
  [4724, { kind: 'account', action: 'password.change' }], // An attempt was made to reset an account's password
  [4725, { kind: 'account', action: 'account.modify' }], // A user account was disabled
  [4726, { kind: 'account', action: 'account.delete', technique: 'T1531' }], // A user account was deleted
  [4738, { kind: 'account', action: 'account.modify' }], // A user account was changed
  [4728, { kind: 'member', action: 'group.add_member', technique: 'T1098.007' }], // … added to a security-enabled global group
  [4729, { kind: 'member', action: 'group.remove_member' }], // … removed from a security-enabled global group
  [4732, { kind: 'member', action: 'group.add_member', technique: 'T1098.007' }], // … added to a security-enabled local group
  [4733, { kind: 'member', action: 'group.remove_member' }], // … removed from a security-enabled local group
  [4756, { kind: 'member', action: 'group.add_member', technique: 'T1098.007' }], // … added to a security-enabled universal group
  [4757, { kind: 'member', action: 'group.remove_member' }], // … removed from a security-enabled universal group
  // Security groups made or removed. ATT&CK names no technique for creating a group; what grants
  // access is membership, and that is 4728/4732/4756. Distribution (security-disabled) groups
  // grant nothing and are not read.
  [4727, { kind: 'group', action: 'group.create' }], // A security-enabled global group was created
  [4731, { kind: 'group', action: 'group.create' }], // A security-enabled local group was created
  [4754, { kind: 'group', action: 'group.create' }], // A security-enabled universal group was created
  [4730, { kind: 'group', action: 'group.delete' }], // A security-enabled global group was deleted
  [4734, { kind: 'group', action: 'group.delete' }], // A security-enabled local group was deleted
  [4758, { kind: 'group', action: 'group.delete' }], // A security-enabled universal group was deleted
]);

export function isAccountEvent(id: number): boolean {
  return EVENTS.has(id);
}

/** The change an event made, with the Subject as actor; undefined when it made none. */
export function winChange(e: WinEvent): (AccountChange & { actor?: string | undefined }) | undefined {
  const def = EVENTS.get(e.id);
  if (!def || !e.success) return undefined;
  // A member or account Windows could not name (`-`) is still identified by its SID.
  const target =
    def.kind === 'member'
      ? meaningful(e.memberName) ?? meaningful(e.memberSid)
      : meaningful(e.targetUserName) ?? meaningful(e.targetSid);
  if (target === undefined) return undefined;
  const change: AccountChange & { actor?: string | undefined } = { action: def.action, target, actor: meaningful(e.subjectUserName) };
  // A group made or removed is its own target, and the group as well.
  if (def.kind === 'member') change.group = meaningful(e.targetUserName);
  else if (def.kind === 'group') change.group = target;
  if (def.technique) change.technique = def.technique;
  return change;
}
