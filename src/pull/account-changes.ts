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

function sameFacts(a: AccountFacts, b: AccountFacts): boolean {
  return (a.privilege ?? null) === (b.privilege ?? null) && sameSet(a.roles, b.roles) && sameSet(a.credentials, b.credentials);
}

export function compareAccounts(previous: readonly KnownAccount[], current: readonly LocalAccount[]): AccountChange[] {
  const before = new Map(previous.map((a) => [a.name, a]));
  const out: AccountChange[] = [];
  for (const account of current) {
    const prev = before.get(account.name);
    before.delete(account.name);
    if (!prev) out.push({ kind: 'added', account });
    else out.push({ kind: sameFacts(prev, account) ? 'same' : 'changed', previous: prev, account });
  }
  for (const prev of before.values()) out.push({ kind: 'removed', previous: prev });
  return out;
}
