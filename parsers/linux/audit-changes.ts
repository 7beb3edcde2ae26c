// What an account-management audit record changed. shadow-utils and PAM write these record
// types (audit-userspace lib/libaudit.h); the `op` text differs between versions (`adding user`
// in older shadow, `add-user` in newer), so ops are matched on their words.

import { type AuditRecord, value } from './audit-record.js';
import type { ActorChange as Change } from '../lib/record.js';

/** Record types that carry account changes, and the ones watched for direct edits. */
export const ACCOUNT_TYPES = new Set([
  'ADD_USER', 'DEL_USER', 'ADD_GROUP', 'DEL_GROUP', 'USER_CHAUTHTOK', 'USER_MGMT', 'ACCT_LOCK', 'ACCT_UNLOCK',
  'GRP_MGMT', 'GRP_CHAUTHTOK',
]);

/** Members read from one record's list, as gpasswd's syslog line's (shadow.ts). */
const MAX_MEMBERS = 256;

/** auditd's "not set" login uid (4294967295, or -1 as some versions print it). */
const UNSET_ID = new Set(['4294967295', '-1']);

/**
 * What a record naming its account by UID 0 alone names. shadow-utils gives libaudit the name and
 * the UID, and libaudit then writes the UID only (`id=`, audit_log_acct_message): `useradd -o -u 0
 * toor` before shadow 4.6 (`op=adding user id=0`), `usermod -o -u 0 bob` in every version
 * (`op=changing-uid id=0`, the new UID). UID 0 is root's and every alias's, so the name auditd adds
 * (`ID="root"`) is the first holder in /etc/passwd, not the account changed: read as `root` created
 * or changed, the UID 0 account made for someone else was no superuser and raised nothing critical.
 */
export const UID0 = 'UID 0';

/** The account (or, for ADD_GROUP/DEL_GROUP, the group) acted on: the ENRICHED name, else `acct`, else the numeric `id` (UID0 for `id=0`). */
function targetOf(r: AuditRecord): string | undefined {
  if (value(r, 'acct') === undefined && value(r, 'id') === '0' && !r.type.endsWith('GROUP')) return UID0;
  const enriched = value(r, 'ID');
  if (enriched !== undefined && !enriched.startsWith('unknown(')) return enriched;
  const acct = value(r, 'acct');
  if (acct !== undefined) return acct;
  const id = value(r, 'id');
  return id !== undefined && !UNSET_ID.has(id) ? id : undefined;
}

/** Who ran the tool: the login user (`auid`, by name when the log is ENRICHED), else `uid`. */
export function actorOf(r: AuditRecord): string | undefined {
  const name = value(r, 'AUID');
  if (name !== undefined && !name.startsWith('unknown(') && name !== 'unset') return name;
  const auid = value(r, 'auid');
  if (auid !== undefined && !UNSET_ID.has(auid)) return auid;
  return value(r, 'UID') ?? value(r, 'uid');
}

function words(op: string): string {
  return op.toLowerCase().replace(/[-_:]/g, ' ');
}

/** The change a USER_CHAUTHTOK / USER_MGMT op makes to `target`, or undefined for side effects. */
function opChange(op: string, target: string, group: string | undefined, mgmt: boolean): Change | undefined {
  const w = words(op);
  // A program that only shows what is there still writes its op: `chage -l` writes
  // `display aging info` (shadow-utils' chage.c), with a success.
  if (/^display\b/.test(w)) return undefined;
  if (/\bto (?:shadow )?group\b/.test(w) || /\badd(?:ing)? (?:group )?member\b/.test(w)) {
    return { action: 'group.add_member', target, group, technique: 'T1098.007' };
  }
  if (/\bfrom (?:shadow )?group\b/.test(w) || /\b(?:delet|remov)\w* (?:group )?member\b/.test(w)) {
    return { action: 'group.remove_member', target, group };
  }
  // The password's aging, not the password: `passwd -n/-x/-w/-i` writes `changed-password-aging
  // min=… max=…` and `passwd -e` (expire: change it at the next login) `expired-password`, both
  // USER_MGMT, in shadow-utils' passwd.c and in the passwd of RHEL and Fedora alike.
  if (/\bpassword aging\b|\bexpired password\b/.test(w)) return { action: 'account.modify', target };
  // `PAM:chauthtok`, `updating-password`, `changing password`; `updating passwd` is the /etc/passwd entry.
  if (/\bchauthtok\b|\bpassword\b/.test(w)) return { action: 'password.change', target };
  // useradd and userdel report their home, mail spool and group side effects as USER_MGMT.
  if (mgmt && /\bhome\b|\bmail\b|\bgroup\b|\badd(?:ing)? user\b|\bdelet/.test(w)) return undefined;
  return { action: 'account.modify', target };
}

export function auditChanges(r: AuditRecord): Change[] {
  const res = value(r, 'res');
  if (res !== 'success' && res !== '1') return [];
  const target = targetOf(r);
  const actor = actorOf(r);
  const group = value(r, 'grp');
  const op = value(r, 'op') ?? '';
  let change: Change | undefined;
  switch (r.type) {
    case 'ADD_USER':
      change = target === undefined ? undefined : { action: 'account.create', target, technique: 'T1136.001', ...(target === UID0 ? { privilege: 'uid=0' } : {}) };
      break;
    case 'DEL_USER':
      change = target === undefined ? undefined : { action: 'account.delete', target, technique: 'T1531' };
      break;
    // groupadd/groupdel (and useradd/userdel for a private group) write one record per group
    // database and a closing one (`op=`): each is a record, as with the shadow-utils syslog lines.
    // The group is named like an account: ENRICHED `ID`, else `acct`, else the numeric gid.
    case 'ADD_GROUP':
      change = target === undefined ? undefined : { action: 'group.create', target, group: target };
      break;
    case 'DEL_GROUP':
      change = target === undefined ? undefined : { action: 'group.delete', target, group: target };
      break;
    case 'USER_CHAUTHTOK':
    case 'USER_MGMT':
      // usermod's new UID: 0 makes the account a second root (as its syslog line says, shadow.ts).
      if (target === UID0 && /\bchanging uid\b/.test(words(op))) change = { action: 'privilege.change', target, privilege: 'uid=0', technique: 'T1098' };
      else change = target === undefined ? undefined : opChange(op, target, group, r.type === 'USER_MGMT');
      break;
    case 'GRP_MGMT':
    case 'GRP_CHAUTHTOK': {
      // Group records name a member only when the op adds or removes one (gpasswd).
      const member = value(r, 'acct');
      const c = member === undefined || group === undefined ? undefined : opChange(op, member, group, true);
      change = c && c.action.startsWith('group.') ? c : undefined;
      break;
    }
    case 'ACCT_LOCK':
    case 'ACCT_UNLOCK':
      change = target === undefined ? undefined : { action: 'account.modify', target };
      break;
    default:
      change = undefined;
  }
  if (!change) return [];
  if (actor !== undefined) change.actor = actor;
  return change.action === 'group.add_member' ? eachMember(change) : [change];
}

/**
 * `gpasswd -M alice,bob wheel` names the members it sets in one `acct`: `op=add-users-to-group
 * grp="wheel" acct="alice,bob"` (shadow-utils since 4.17.4, upstreamed from Fedora's patches). A
 * name holds no comma (the group file separates members with them), so each is an account, as
 * gpasswd's syslog line is read (shadow.ts).
 */
function eachMember(change: Change): Change[] {
  if (!change.target.includes(',')) return [change];
  return change.target
    .split(',')
    .filter((name) => name.length > 0)
    .slice(0, MAX_MEMBERS)
    .map((name) => ({ ...change, target: name }));
}
