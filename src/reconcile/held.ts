// What an account held just before a record about it: the state the latest pull before the record
// showed, carried forward by the account records stored since. An IOS `username jdoe privilege 15
// secret …` re-issued for an account that already holds privilege 15 (a password change, a
// template pasted again) is stored as `account.modify` with privilege 15; it grants nothing, so it
// is no `account-created` ("account given privilege") finding. Only a record that states a
// privilege or role the account did not hold is one.

import type { AccountFacts } from '../pull/account-changes.js';
import type { StoredRecord } from './model.js';

/** The privilege and roles an account holds; `undefined` where nothing says. */
export interface Held {
  privilege?: string;
  roles: string[];
}

/** The pulled state as of a time: the latest account change at or before it (`facts` null: the pull showed it removed). */
export interface PulledState {
  at: number;
  facts: AccountFacts | null;
}

/** Records that may restate what an account holds (the others are judged as they are). */
export function mayRestate(r: StoredRecord): boolean {
  return (r.action === 'account.modify' || r.action === 'privilege.change') && (r.privilege !== undefined || r.role !== undefined);
}

/**
 * What the account held just before `r`: the pulled state, then each earlier record (oldest first,
 * after the pull) applied to it. Undefined when nothing is known (never pulled, nothing recorded)
 * or the account was gone.
 */
export function heldBefore(r: StoredRecord, pulled: PulledState | undefined, records: readonly StoredRecord[]): Held | undefined {
  let held: Held | undefined = pulled?.facts ? { ...(pulled.facts.privilege !== undefined ? { privilege: pulled.facts.privilege } : {}), roles: [...pulled.facts.roles] } : undefined;
  for (const e of records) {
    if (e.id === r.id || e.time > r.time || (e.time === r.time && e.id > r.id)) continue;
    if (pulled && e.time < pulled.at) continue;
    if (e.action === 'account.delete') held = undefined;
    else if (e.action === 'account.create') held = { ...(e.privilege !== undefined ? { privilege: e.privilege } : {}), roles: e.role !== undefined ? [e.role] : [] };
    else if (e.action === 'account.modify' || e.action === 'privilege.change') {
      held ??= { roles: [] };
      if (e.privilege !== undefined) held.privilege = e.privilege;
      if (e.role !== undefined && !held.roles.includes(e.role)) held.roles.push(e.role);
    } else if (e.action === 'privilege.revoke' && held) {
      // What was taken away is no longer held; a revocation that does not say what is taken leaves nothing certain.
      if (e.role !== undefined) held.roles = held.roles.filter((x) => x !== e.role);
      if (e.privilege !== undefined || e.role === undefined) delete held.privilege;
      if (e.role === undefined && e.privilege === undefined) held = undefined;
    }
  }
  return held;
}

/** Whether `r` states only what the account already held: every privilege and role it names. */
export function restatesHeld(r: StoredRecord, held: Held | undefined): boolean {
  if (!held || !mayRestate(r)) return false;
  if (r.privilege !== undefined && r.privilege !== held.privilege) return false;
  if (r.role !== undefined && !held.roles.includes(r.role)) return false;
  return true;
}
