// The Security-log account-management events aaawatch reads, whatever carried them (Snare tab
// format, Winlogbeat or NXLog JSON, event XML, Wazuh), and the changes each one means, every
// account named as the account events name it (names.ts).

import type { Technique } from '../../src/types.js';
import type { ActorChange, AccountChange } from '../lib/record.js';
import { meaningful } from '../lib/json-fields.js';
import type { AccountNames } from './names.js';

/** One event reduced to the fields the changes need (names as Windows' event data calls them). */
export interface WinEvent {
  id: number;
  /** False for a Failure Audit: nothing changed. */
  success: boolean;
  computer?: string | undefined;
  subjectUserName?: string | undefined;
  /** The account acted on (4720–4738, 4767), or the group (4727–4758: created, deleted, or whose member changed). */
  targetUserName?: string | undefined;
  targetSid?: string | undefined;
  /** The target's domain: the account's (its computer's name for a local one), or the group's (`Builtin` …). */
  targetDomainName?: string | undefined;
  /** 4781: the account's name before and after. */
  oldTargetUserName?: string | undefined;
  newTargetUserName?: string | undefined;
  memberName?: string | undefined;
  memberSid?: string | undefined;
}

/** What the event's target is: an account, a member of the group named, the group itself, or an account's two names. */
type Kind = 'account' | 'member' | 'group' | 'rename';

const EVENTS: ReadonlyMap<number, { kind: Kind; action: AccountChange['action']; technique?: Technique }> = new Map([
  [4720, { kind: 'account', action: 'account.create', technique: 'T1136.001' }], // A user account was created
  [4722, { kind: 'account', action: 'account.modify' }], // A user account was enabled
  [4723, { kind: 'account', action: 'password.change' }], // An attempt was made to change an account's password
  [4724, { kind: 'account', action: 'password.change' }], // An attempt was made to reset an account's password
  [4725, { kind: 'account', action: 'account.modify' }], // A user account was disabled
  [4726, { kind: 'account', action: 'account.delete', technique: 'T1531' }], // A user account was deleted
  [4738, { kind: 'account', action: 'account.modify' }], // A user account was changed
  // A user account was unlocked: someone (the Subject) let a locked-out account in again, as
  // `usermod -U` and auditd's ACCT_UNLOCK are read on Linux. 4740 (locked out) is not read: Windows
  // locks an account itself after failed logons (its Subject is the computer), no one changed it.
  [4767, { kind: 'account', action: 'account.modify' }],
  // The name of an account was changed: as `usermod -l`, the old name deleted and the new one made
  // (the normalised records have no rename), both an account manipulated (T1098).
  [4781, { kind: 'rename', action: 'account.create', technique: 'T1098' }],
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

/** Built-in local groups (`S-1-5-32-…`, Administrators is -544) are named in 4781 too, never renamed as accounts. */
const BUILTIN = /^S-1-5-32-/i;

/**
 * 4781: the old name gone, the new one made. Undefined when a name is missing; none when nothing
 * changed — Windows writes 4781 with the same name twice for its built-in groups during setup —
 * or the account is a built-in group or a computer (`PC01$`: computer accounts, 4741–4743, are
 * not read).
 */
function renamed(e: WinEvent, device: string, names: AccountNames, actor: string | undefined): ActorChange[] | undefined {
  const given = meaningful(e.oldTargetUserName);
  const name = meaningful(e.newTargetUserName);
  if (given === undefined || name === undefined) return undefined;
  const sid = meaningful(e.targetSid);
  const old = names.spelt(device, given, meaningful(e.targetDomainName));
  if (old === name || (sid !== undefined && BUILTIN.test(sid)) || old.endsWith('$')) return [];
  names.renamed(device, old, name, sid, meaningful(e.targetDomainName));
  return [
    { action: 'account.delete', target: old, actor, technique: 'T1098' },
    { action: 'account.create', target: name, actor, technique: 'T1098' },
  ];
}

/**
 * The group a member joined or left: its name with its SID, `Administratoren (S-1-5-32-544)`. The
 * name is the host's language and a domain's admins may rename their groups; the SID is what says
 * the group administers (S-1-5-32-544, a domain's -512/-518/-519: the platform's `superuser`), so
 * it stays on the record beside the name the auditor reads. A group Windows could not name is its SID.
 */
function memberGroup(name: string | undefined, sid: string | undefined): string | undefined {
  if (sid === undefined || !/^S-1-[0-9-]+$/i.test(sid)) return name;
  return name === undefined ? sid : `${name} (${sid})`;
}

/**
 * The changes an event made on `device` (the computer it names), with the Subject as actor:
 * undefined when its account cannot be read, none when it made no change. `names` learns the
 * accounts' SIDs and domains from the account events and names the members of the others.
 */
export function winChanges(e: WinEvent, device: string, names: AccountNames): ActorChange[] | undefined {
  const def = EVENTS.get(e.id);
  if (!def || !e.success) return [];
  const actor = meaningful(e.subjectUserName);
  if (def.kind === 'rename') return renamed(e, device, names, actor);
  const sid = meaningful(e.targetSid);
  let target: string | undefined;
  if (def.kind === 'member') {
    target = names.member(device, meaningful(e.memberName), meaningful(e.memberSid));
  } else {
    const given = meaningful(e.targetUserName);
    const name = given === undefined || def.kind !== 'account' ? given : names.spelt(device, given, meaningful(e.targetDomainName));
    // An account Windows could not name (`-`) is still identified by its SID.
    target = name ?? (sid === undefined ? undefined : names.canonical(device, sid));
    if (def.kind === 'account' && name !== undefined) names.learn(device, name, sid, meaningful(e.targetDomainName));
  }
  if (target === undefined) return undefined;
  const change: ActorChange = { action: def.action, target, actor };
  // A group made or removed is its own target, and the group as well.
  if (def.kind === 'member') change.group = memberGroup(meaningful(e.targetUserName), sid);
  else if (def.kind === 'group') change.group = target;
  if (def.technique) change.technique = def.technique;
  return [change];
}
