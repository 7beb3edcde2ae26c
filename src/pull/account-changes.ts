// How the local accounts of a device differ between the last pull and this one.

import type { CredentialKind, LocalAccount } from '../types.js';

/** What is compared: an account's name, privilege, roles and credential kinds (not line layout). */
export interface AccountFacts {
  privilege?: string;
  roles: string[];
  credentials: CredentialKind[];
}

export interface KnownAccount extends AccountFacts {
  id: number;
  name: string;
}

export type AccountChange =
  | { kind: 'added'; account: LocalAccount }
  | { kind: 'removed'; previous: KnownAccount }
  | { kind: 'changed'; previous: KnownAccount; account: LocalAccount }
  | { kind: 'same'; previous: KnownAccount; account: LocalAccount };

export function facts(a: AccountFacts): AccountFacts {
  return { ...(a.privilege !== undefined ? { privilege: a.privilege } : {}), roles: a.roles, credentials: a.credentials };
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * How two pulls' accounts are compared. `roleKey`: what a role is for the question aaawatch answers
 * (its rank and the name the roster allows it by, src/reconcile/privilege.ts `roleReading`), so a
 * role spelt otherwise that ranks the same is no change. `reread`: the configuration text is the
 * same as the last pull's (its hash), so a privilege or role read otherwise is this version of
 * aaawatch reading it better (an upgrade resolving `ops` as `ops (permissions all)`), not the device
 * changing: no change is recorded for it, and the account's stored values take the new reading.
 * Credential kinds are compared whatever the text: a secret's value is redacted before hashing.
 */
export interface Comparison {
  roleKey(role: string): string;
  reread: boolean;
}

const AS_WRITTEN: Comparison = { roleKey: (role) => role, reread: false };

function sameFacts(a: AccountFacts, b: AccountFacts, how: Comparison): boolean {
  if (!sameSet(a.credentials, b.credentials)) return false;
  if (how.reread) return true;
  return (a.privilege ?? null) === (b.privilege ?? null) && sameSet(a.roles.map(how.roleKey), b.roles.map(how.roleKey));
}

/**
 * Whether two readings of an account are the same as written: an account compared as the same
 * (a role ranked alike, or the same text read better) may still be read otherwise, and then its
 * latest change row takes the new reading (src/pull/record.ts).
 */
export function readAlike(a: AccountFacts, b: AccountFacts): boolean {
  return sameFacts(a, b, AS_WRITTEN);
}

export function compareAccounts(previous: readonly KnownAccount[], current: readonly LocalAccount[], how: Comparison = AS_WRITTEN): AccountChange[] {
  const before = new Map(previous.map((a) => [a.name, a]));
  const out: AccountChange[] = [];
  for (const account of current) {
    const prev = before.get(account.name);
    before.delete(account.name);
    if (!prev) out.push({ kind: 'added', account });
    else out.push({ kind: sameFacts(prev, account, how) ? 'same' : 'changed', previous: prev, account });
  }
  for (const prev of before.values()) out.push({ kind: 'removed', previous: prev });
  return out;
}
