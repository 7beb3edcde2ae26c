// Privilege per platform, on one scale so "higher than the roster allows" can be decided: 0 is no
// access, 15 is full administration. Numeric privilege levels are their own rank; named roles are
// ranked from the vendor's documented built-in roles, which the platform module describes (its
// `privileges`). A custom role, one someone defined on the device, has no rank: it is allowed
// only when the roster names it.

import { platformById } from '../../parsers/index.js';
import type { PrivilegeScheme } from '../types.js';

/** One thing that gives an account privilege: its level, or one of its roles. */
export interface Facet {
  /** `privilege 15`, `role network-admin`, `class super-user`. */
  label: string;
  /** The level or role name as the device gives it. */
  value: string;
  /** 0–15, or undefined for a role this platform does not define (a custom one). */
  rank: number | undefined;
  /** A resolved custom role's own name (`ops` of `ops (permissions all)`): the roster allows it by that name. */
  name?: string;
}

export interface PrivilegeLevel {
  facets: Facet[];
  /** The highest rank among the facets, if any is ranked. */
  rank: number | undefined;
  /** For sentences: `privilege 15`, `role network-admin, privilege 15`, `no privilege stated`. */
  label: string;
}

function numericRank(value: string): number | undefined {
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 15 ? n : undefined;
}

/** What a platform says about its privilege; a platform that says nothing has numeric levels only. */
function schemeOf(platform: string): PrivilegeScheme {
  return platformById(platform)?.privileges ?? {};
}

function rankIn(scheme: PrivilegeScheme, value: string): number | undefined {
  const n = numericRank(value);
  if (n !== undefined) return n;
  // Own properties only: a custom role named `constructor` must not rank as an inherited value.
  const ranks = scheme.roleRanks;
  if (ranks && Object.hasOwn(ranks, value)) return ranks[value];
  const numbered = scheme.numberedRole?.exec(value);
  if (numbered) return numericRank(numbered[1]!);
  const resolved = scheme.resolvedRole?.exec(value);
  return resolved && ranks && Object.hasOwn(ranks, resolved[2]!) ? ranks[resolved[2]!] : undefined;
}

/**
 * What a role is for the question aaawatch answers, as a key: the name the roster allows it by (a
 * resolved role's own name) and its rank. `ops (permissions all)` and `ops (permissions
 * admin-control)` read alike (ops, 15); `ops` and `ops (permissions all)` do not (unranked, 15).
 */
export function roleReading(platform: string): (role: string) => string {
  const scheme = schemeOf(platform);
  return (role) => `${scheme.resolvedRole?.exec(role)?.[1] ?? role}\u0000${rankIn(scheme, role) ?? ''}`;
}

/**
 * One platform's rule for roles given and taken away, by what they are: every fold of
 * an account's records (the held check, held.ts; the population's row, population.ts; a rename's
 * making, judge.ts) holds and drops roles by it, on both engines (PostgreSQL's rows are read by the
 * same population code over a copy).
 */
export interface RoleRule {
  /**
   * Whether a role a record states restates one the account held (pulled or recorded): the same text,
   * or the same name the roster allows it by (a resolved role's own name) unless both are ranked and
   * the stated one ranks higher. A pull reads a custom role with its grant (FortiOS `helpdesk (admin
   * read-write)`, Junos `ops (permissions all)`) where syslog names it bare (`accprofile[helpdesk]`,
   * `class ops`): compared as text, re-stating the pulled profile read as a grant (account-created),
   * added a second role beside it on the Accounts row, and a revocation of it took nothing.
   * Another name, or the same class ranked higher, is still one.
   */
  restates(stated: string, held: string): boolean;
  /**
   * The roles held once `stated` is given, and the one it is held as: the held role it restates
   * (kept as held: a pull's `helpdesk (admin read-write)` says more than syslog's bare `helpdesk`;
   * the stated one in its place when only it is ranked, `ops (permissions all)` stated over a bare
   * `ops` held), else `stated` added (in place of the one held where the platform holds one role at
   * a time: PrivilegeScheme.oneRole). `roles` itself when nothing changes.
   */
  given(roles: readonly string[], stated: string): { roles: readonly string[]; as: string };
  /**
   * Whether taking `taken` away takes `held`: either restates the other (a bare `helpdesk` revoked
   * takes the pulled `helpdesk (admin read-write)`, and a resolved one taken takes a bare one held).
   */
  takes(taken: string, held: string): boolean;
}

// Made once a platform the registry knows: the population folds every record of every row through
// it (the rule's closures are kept, not remade per record). A platform it does not know (a record's
// text) compares roles as text and is not kept, so hostile names cannot grow the map.
const RULES = new Map<string, RoleRule>();
let textRule: RoleRule | undefined;

export function roleRule(platform: string): RoleRule {
  const known = RULES.get(platform);
  if (known) return known;
  if (platformById(platform) === undefined) return (textRule ??= makeRule({}));
  const rule = makeRule(schemeOf(platform));
  RULES.set(platform, rule);
  return rule;
}

function makeRule(scheme: PrivilegeScheme): RoleRule {
  const resolved = scheme.resolvedRole;
  const nameOf = (role: string): string => resolved?.exec(role)?.[1] ?? role;
  const restates = (stated: string, held: string): boolean => {
    if (stated === held) return true;
    // A platform that resolves no role compares the text (the common case, no regular expression run).
    if (!resolved || nameOf(stated) !== nameOf(held)) return false;
    const a = rankIn(scheme, stated);
    const b = rankIn(scheme, held);
    return a === undefined || b === undefined || a <= b;
  };
  return {
    restates,
    given(roles, stated) {
      const i = roles.findIndex((x) => restates(stated, x));
      // FortiOS `accprofile[auditor->helpdesk]` after a pull read `auditor (read only)`: one profile held, not two.
      if (i < 0) return { roles: scheme.oneRole ? [stated] : [...roles, stated], as: stated };
      const held = roles[i]!;
      if (held === stated || rankIn(scheme, held) !== undefined || rankIn(scheme, stated) === undefined) return { roles, as: held };
      return { roles: roles.map((x, j) => (j === i ? stated : x)), as: stated };
    },
    takes: (taken, held) => restates(taken, held) || restates(held, taken),
  };
}

/** The privilege a platform's account holds when its configuration states neither privilege nor role (IOS: 1), if any. */
export function defaultPrivilegeOf(platform: string): string | undefined {
  return schemeOf(platform).defaultPrivilege;
}

/** The rank of a level or role name on a platform. */
export function rankOf(platform: string, value: string): number | undefined {
  return rankIn(schemeOf(platform), value);
}

/** The privilege an account holds on its platform, from its configuration's privilege and roles. */
export function privilegeOf(platform: string, privilege: string | undefined, roles: readonly string[]): PrivilegeLevel {
  const scheme = schemeOf(platform);
  const roleWord = scheme.roleWord ?? 'role';
  const facets: Facet[] = [];
  const level = privilege ?? (roles.length === 0 ? scheme.defaultPrivilege : undefined);
  if (level !== undefined) facets.push({ label: `privilege ${level}`, value: level, rank: numericRank(level) });
  const effectiveRoles = roles.length ? roles : privilege === undefined && scheme.defaultRole ? [scheme.defaultRole] : [];
  for (const r of effectiveRoles) {
    const name = scheme.resolvedRole?.exec(r)?.[1];
    facets.push({ label: `${roleWord} ${r}`, value: r, rank: rankIn(scheme, r), ...(name === undefined ? {} : { name }) });
  }
  let rank: number | undefined;
  for (const f of facets) if (f.rank !== undefined && (rank === undefined || f.rank > rank)) rank = f.rank;
  return { facets, rank, label: facets.length ? facets.map((f) => f.label).join(', ') : 'no privilege stated' };
}

/** What the roster allows on one platform: a rank from levels and built-in roles, and names allowed as they are. */
export interface Allowance {
  rank: number | undefined;
  names: Set<string>;
  /** For sentences: `privilege 1`, `role network-operator`. */
  label: string;
}

export function allowanceOf(platform: string, grants: ReadonlyArray<{ privilege: string; roles: readonly string[] }>): Allowance {
  const scheme = schemeOf(platform);
  const roleWord = scheme.roleWord ?? 'role';
  let rank: number | undefined;
  const names = new Set<string>();
  const labels: string[] = [];
  for (const g of grants) {
    const r = rankIn(scheme, g.privilege);
    if (r !== undefined) {
      if (rank === undefined || r > rank) rank = r;
    }
    names.add(g.privilege);
    labels.push(numericRank(g.privilege) !== undefined ? `privilege ${g.privilege}` : `${roleWord} ${g.privilege}`);
    for (const role of g.roles) {
      names.add(role);
      labels.push(`${roleWord} ${role}`);
    }
  }
  return { rank, names, label: [...new Set(labels)].join(' or ') || 'nothing' };
}

/** A group recorded with its SID (Windows member events: `Administratoren (S-1-5-32-544)`): its name, its SID. */
const WITH_SID = /^(.*) \((S-1-[0-9-]+)\)$/i;

/**
 * The facets that exceed what is allowed: a ranked facet above the allowed rank (or ranked when
 * the roster allows only named custom roles), and any unranked facet the roster does not name (a
 * group recorded with its SID is named by either, a resolved custom role by its own name).
 */
export function exceeding(held: PrivilegeLevel, allowed: Allowance): Facet[] {
  return held.facets.filter((f) => {
    if (allowed.names.has(f.value) || (f.name !== undefined && allowed.names.has(f.name))) return false;
    const sid = WITH_SID.exec(f.value);
    if (sid && (allowed.names.has(sid[1]!) || allowed.names.has(sid[2]!))) return false;
    if (f.rank === undefined) return true;
    return allowed.rank === undefined || f.rank > allowed.rank;
  });
}

/** Full administration: the top of the platform's scale. */
export function isAdministrative(level: PrivilegeLevel): boolean {
  return level.rank !== undefined && level.rank >= 15;
}

/**
 * Whether a privilege and roles or groups give full administration on a platform: rank 15, a level
 * at or above the platform's administrative level (Huawei VRP 3), or a value the platform lists as a
 * superuser grant (Linux `uid=0`, Windows Administrators, IOS-XR root-lr).
 */
export function grantsSuperuser(platform: string, privilege: string | undefined, values: readonly string[]): boolean {
  if (isAdministrative(privilegeOf(platform, privilege, values))) return true;
  const scheme = schemeOf(platform);
  if (scheme.administrativeLevel !== undefined && privilege !== undefined) {
    const level = numericRank(privilege);
    if (level !== undefined && level >= scheme.administrativeLevel) return true;
  }
  const superuser = scheme.superuser;
  if (!superuser) return false;
  if (privilege !== undefined && superuser.test(privilege)) return true;
  return values.some((v) => superuser.test(v));
}
