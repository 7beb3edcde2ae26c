// The reconciliation itself, without I/O: every account every device holds, held against the
// roster (authorised here? at this privilege? still valid?), its last login (dormant?), every
// must-exist account (present?), and every device's telemetry (still sending? auditable?). The
// result is the set of conditions that hold now; src/reconcile/run.ts turns it into findings,
// raising new ones and resolving those whose condition is gone.

import type { AuditCheckName } from './auditability.js';
import type { FindingKind, NewFinding, Severity } from './findings.js';
import type { DeviceInfo, LastLogin, PresentAccount } from './model.js';
import { allowanceOf, exceeding, grantsSuperuser, isAdministrative, privilegeOf, type Allowance, type Facet, type PrivilegeLevel } from './privilege.js';
import type { Roster, RosterActor, RosterEntry } from './roster.js';
import { compileScope, type DeviceRef, type ScopeTest } from './scope.js';
import { DAY_MS, dayUtc, HOUR_MS, minuteUtc, printable } from './text.js';

export interface Settings {
  dormantDays: number;
  silentHours: number;
  /** Auditability checks that must pass (reconcile.telemetry.require). */
  requiredChecks: readonly AuditCheckName[];
}

/** How an account stands against the roster (the report's "roster match" column). */
export type RosterMatch = 'authorised' | 'not on roster' | 'privilege above roster' | 'expired' | 'not yet valid' | 'no roster';

/** The roster, indexed for matching many accounts: entries by name with compiled scopes. */
/**
 * Platforms whose account names are the same in any case: Windows (SAM and Active Directory compare
 * names without regard to case) and Entra ID (user principal names). Their accounts and actors are
 * matched with the roster so — `bob` on the roster is the `Bob` a 4720 made, `ADMIN.KIM` the
 * administrator `admin.kim`; every other platform's names as written, as the devices compare them.
 */
const CASELESS_NAMES: ReadonlySet<string> = new Set(['windows', 'azure-entra']);
const sameName = (platform: string, a: string, b: string): boolean => a === b || (CASELESS_NAMES.has(platform) && a.toLowerCase() === b.toLowerCase());

export class RosterIndex {
  private readonly byName = new Map<string, Array<{ entry: RosterEntry; test: ScopeTest }>>();
  /** The same entries by lower-case name, for CASELESS_NAMES platforms. */
  private readonly byFoldedName = new Map<string, Array<{ entry: RosterEntry; test: ScopeTest }>>();
  private readonly admins: Array<{ actor: RosterActor; test: ScopeTest }>;
  private readonly automation: Array<{ actor: RosterActor; test: ScopeTest }>;
  readonly mustExist: Array<{ entry: RosterEntry; test: ScopeTest }> = [];

  constructor(readonly roster: Roster) {
    const tests = new Map<string, ScopeTest>();
    // Many entries share a scope (`groups: [core]`): compile each distinct one once.
    const compiled = (s: RosterEntry['scope']): ScopeTest => {
      const key = JSON.stringify(s);
      let t = tests.get(key);
      if (!t) tests.set(key, (t = compileScope(s)));
      return t;
    };
    for (const entry of roster.entries) {
      const item = { entry, test: compiled(entry.scope) };
      const list = this.byName.get(entry.name);
      if (list) list.push(item);
      else this.byName.set(entry.name, [item]);
      const folded = this.byFoldedName.get(entry.name.toLowerCase());
      if (folded) folded.push(item);
      else this.byFoldedName.set(entry.name.toLowerCase(), [item]);
      if (entry.mustExist) this.mustExist.push(item);
    }
    this.admins = roster.administrators.map((actor) => ({ actor, test: compiled(actor.scope) }));
    this.automation = roster.automation.map((actor) => ({ actor, test: compiled(actor.scope) }));
  }

  /** Entries for this account name whose scope includes the device. */
  entriesFor(name: string, device: DeviceRef): RosterEntry[] {
    const list = CASELESS_NAMES.has(device.platform) ? this.byFoldedName.get(name.toLowerCase()) : this.byName.get(name);
    if (!list) return [];
    const out: RosterEntry[] = [];
    for (const { entry, test } of list) if (test(device)) out.push(entry);
    return out;
  }

  /** Entries for this name anywhere (to say "on the roster for other devices only"). */
  entriesNamed(name: string): RosterEntry[] {
    return (this.byName.get(name) ?? []).map((x) => x.entry);
  }

  isAdministrator(name: string | undefined, device: DeviceRef): boolean {
    return name !== undefined && this.admins.some((a) => sameName(device.platform, a.actor.name, name) && a.test(device));
  }

  isAutomation(name: string | undefined, device: DeviceRef): boolean {
    return name !== undefined && this.automation.some((a) => sameName(device.platform, a.actor.name, name) && a.test(device));
  }
}

export interface Assessment {
  account: PresentAccount;
  device: DeviceInfo;
  held: PrivilegeLevel;
  match: RosterMatch;
  /** The entry that governs it: a valid one (highest allowance), else the latest expired, else one not yet valid. */
  entry?: RosterEntry;
  allowed?: Allowance;
  /** What it holds beyond the roster's allowance. */
  exceeding: Facet[];
  lastLogin?: LastLogin;
  /** Days since the last login, or, with none seen, since aaawatch could first have seen one. */
  inactiveDays?: number;
  dormant: boolean;
}

const valid = (e: RosterEntry, now: number): boolean => (e.start === undefined || e.start <= now) && (e.expires === undefined || e.expires >= now);

const NONE: Facet[] = [];

/**
 * What one evaluation works out once and reuses: most of 200,000 accounts share a handful of
 * privilege combinations and roster entries, so each is turned into a level or allowance once.
 */
export class Memo {
  private readonly levels = new Map<string, PrivilegeLevel>();
  private readonly allowances = new Map<RosterEntry, Map<string, Allowance>>();

  held(platform: string, privilege: string | undefined, roles: readonly string[]): PrivilegeLevel {
    const key = `${platform}\u0000${privilege ?? ''}\u0000${roles.join('\u0001')}`;
    let level = this.levels.get(key);
    if (!level) this.levels.set(key, (level = privilegeOf(platform, privilege, roles)));
    return level;
  }

  allowance(platform: string, entries: readonly RosterEntry[]): Allowance {
    if (entries.length > 1) return allowanceOf(platform, entries);
    const entry = entries[0]!;
    let byPlatform = this.allowances.get(entry);
    if (!byPlatform) this.allowances.set(entry, (byPlatform = new Map()));
    let a = byPlatform.get(platform);
    if (!a) byPlatform.set(platform, (a = allowanceOf(platform, entries)));
    return a;
  }
}

/** How an account stands against the roster: the match, the entry that governs it, what it allows and what is held beyond. */
export interface Standing {
  match: RosterMatch;
  entry?: RosterEntry;
  allowed?: Allowance;
  exceeding: Facet[];
}

/** One account name holding `held` on `device`, against the roster at `now`. */
export function rosterStanding(roster: RosterIndex | undefined, name: string, device: DeviceRef, held: PrivilegeLevel, now: number, memo: Memo = new Memo()): Standing {
  if (!roster) return { match: 'no roster', exceeding: NONE };
  const entries = roster.entriesFor(name, device);
  const active = entries.length === 1 ? (valid(entries[0]!, now) ? entries : NONE_ENTRIES) : entries.filter((e) => valid(e, now));
  if (active.length) {
    const allowed = memo.allowance(device.platform, active);
    const beyond = exceeding(held, allowed);
    return { match: beyond.length ? 'privilege above roster' : 'authorised', entry: active[0], allowed, exceeding: beyond.length ? beyond : NONE };
  }
  if (entries.length) {
    const expired = entries.filter((e) => e.expires !== undefined && e.expires < now).sort((a, b) => b.expires! - a.expires!);
    return { match: expired.length ? 'expired' : 'not yet valid', entry: expired[0] ?? entries[0], exceeding: NONE };
  }
  return { match: 'not on roster', exceeding: NONE };
}

/** One account against the roster and its logins. */
function assessAccount(
  account: PresentAccount,
  device: DeviceInfo,
  roster: RosterIndex | undefined,
  now: number,
  dormantDays: number,
  memo: Memo = new Memo(),
): Assessment {
  const login = account.lastLogin;
  const held = memo.held(device.platform, account.privilege, account.roles);
  const { match, entry, allowed, exceeding: over } = rosterStanding(roster, account.name, device, held, now, memo);
  // Without a login seen, count from when one could have been seen: the account's first pull or
  // the device's first syslog, whichever is later. A device that never sent syslog cannot tell.
  let inactiveDays: number | undefined;
  if (login) inactiveDays = Math.floor((now - login.time) / DAY_MS);
  else if (device.firstSyslog !== undefined) inactiveDays = Math.floor((now - Math.max(account.firstSeen, device.firstSyslog)) / DAY_MS);
  // Break-glass accounts are meant to sit unused.
  const dormant = inactiveDays !== undefined && inactiveDays >= dormantDays && entry?.type !== 'break-glass';
  return { account, device, held, match, entry, allowed, exceeding: over, lastLogin: login, inactiveDays, dormant };
}

const NONE_ENTRIES: RosterEntry[] = [];

export interface Condition extends NewFinding {
  kind: FindingKind;
  account: string;
  /** The account holds full administration (made critical by an unauthorised or unlogged creation). */
  superuser?: boolean;
  /** When a pull first showed the account: its making is judged once the skew after that has passed (run.ts withOrigins). */
  firstPulled?: number;
}

export interface EvaluationInput {
  now: number;
  /** Undefined when no roster is configured: roster findings are then not evaluated. */
  roster: RosterIndex | undefined;
  /** Inventory devices by name. */
  devices: ReadonlyMap<string, DeviceInfo>;
  /** Every account the devices hold (read once, in any order). */
  accounts: Iterable<PresentAccount>;
  settings: Settings;
}

export interface Evaluation {
  conditions: Condition[];
  /** The assessments `keep` asked for (all by default). */
  assessments: Assessment[];
  /** Accounts assessed. */
  accounts: number;
}

const sev = (admin: boolean, high: Severity, otherwise: Severity): Severity => (admin ? high : otherwise);

const NO_CONDITIONS: Condition[] = [];

/**
 * The conditions on one account. Their attribution (who created the account) is added by the
 * caller from the store, for the few accounts that have a condition.
 */
function accountConditions(a: Assessment, roster: RosterIndex | undefined, now: number, dormantDays: number): Condition[] {
  if (!a.dormant && (a.match === 'authorised' || a.match === 'no roster')) return NO_CONDITIONS;
  const { account, device, held } = a;
  const name = printable(account.name);
  const where = printable(device.name);
  const admin = isAdministrative(held) || grantsSuperuser(device.platform, account.privilege, account.roles);
  const base = { device: device.name, account: account.name, at: now, superuser: admin, firstPulled: account.firstSeen };
  const evidence = { accounts: [account.id], snapshots: [...new Set([account.firstSnapshotId, account.lastSnapshotId])] };
  const out: Condition[] = [];
  const ref = a.entry ? ` (${a.entry.ref}${a.entry.approval ? `, approval ${printable(a.entry.approval)}` : ''})` : '';
  if (a.match === 'not on roster') {
    const elsewhere = roster?.entriesNamed(account.name) ?? [];
    out.push({
      ...base, kind: 'unauthorised-account', severity: sev(admin, 'high', 'medium'), technique: 'T1136.001',
      summary: elsewhere.length
        ? `${name} (${held.label}) on ${where} is on the roster only for other devices (${elsewhere.map((e) => e.ref).join(', ')})`
        : `${name} (${held.label}) on ${where} is not on the roster`,
      evidence: { ...evidence, ...(elsewhere.length ? { roster: elsewhere.map((e) => e.ref) } : {}) },
    });
  } else if (a.match === 'not yet valid') {
    out.push({
      ...base, kind: 'unauthorised-account', severity: sev(admin, 'high', 'medium'), technique: 'T1136.001',
      summary: `${name} (${held.label}) on ${where} is present before its authorisation starts on ${dayUtc(a.entry!.start!)}${ref}`,
      evidence: { ...evidence, roster: [a.entry!.ref] },
    });
  } else if (a.match === 'expired') {
    out.push({
      ...base, kind: 'expired-authorisation', severity: sev(admin, 'high', 'medium'), technique: 'T1078.003',
      summary: `${name} (${held.label}) on ${where} is still present; its authorisation expired ${dayUtc(a.entry!.expires!)}${ref}`,
      evidence: { ...evidence, roster: [a.entry!.ref] },
    });
  } else if (a.match === 'privilege above roster') {
    out.push({
      ...base, kind: 'privilege-mismatch', severity: sev(admin, 'high', 'medium'), technique: 'T1098',
      summary: `${name} on ${where} holds ${a.exceeding.map((f) => printable(f.label)).join(', ')}; the roster allows ${printable(a.allowed!.label)}${ref}`,
      evidence: { ...evidence, roster: [a.entry!.ref], held: held.label, allowed: a.allowed!.label },
    });
  }
  if (a.dormant) {
    out.push({
      ...base, kind: 'dormant-account', severity: sev(admin, 'medium', 'low'), technique: 'T1078.003',
      summary: a.lastLogin
        ? `${name} (${held.label}) on ${where}: no login for ${a.inactiveDays} days (last ${minuteUtc(a.lastLogin.time)}; limit ${dormantDays})`
        : `${name} (${held.label}) on ${where}: no login seen in ${a.inactiveDays} days of records (limit ${dormantDays})`,
      evidence: { accounts: [account.id], snapshots: [account.lastSnapshotId], ...(a.lastLogin ? { events: [a.lastLogin.eventId] } : {}) },
    });
  }
  return out;
}

function deviceConditions(d: DeviceInfo, present: ReadonlySet<string> | undefined, roster: RosterIndex | undefined, s: Settings, now: number): Condition[] {
  const out: Condition[] = [];
  const where = printable(d.name);
  if (roster && d.lastPull !== undefined) {
    for (const { entry, test } of roster.mustExist) {
      if (present?.has(entry.name) || !test(d)) continue;
      out.push({
        kind: 'missing-account', severity: 'medium', device: d.name, account: entry.name, at: now, technique: 'T1531',
        summary: `${printable(entry.name)} (${entry.type}, must exist, ${entry.ref}) is not on ${where} as of the pull at ${minuteUtc(d.lastPull)}`,
        evidence: { snapshots: d.snapshotId !== undefined ? [d.snapshotId] : [], roster: [entry.ref] },
      });
    }
  }
  const gaps: string[] = [];
  let severity: Severity | undefined;
  // A device that reports its accounting here natively (TACACS+, RADIUS) is heard without syslog,
  // and needs no logging host pointing here to be auditable.
  const native = d.lastNative !== undefined && now - d.lastNative <= s.silentHours * HOUR_MS;
  let silent = false;
  if (native) {
    // Heard: its accounting arrives directly.
  } else if (d.lastSyslog === undefined) {
    gaps.push('no syslog received from it');
    severity = 'medium';
    silent = true;
  } else if (now - d.lastSyslog > s.silentHours * HOUR_MS) {
    gaps.push(`no syslog for ${Math.floor((now - d.lastSyslog) / HOUR_MS)} hours (last ${minuteUtc(d.lastSyslog)})`);
    severity = 'medium';
    silent = true;
  }
  const failing = (d.audit ?? []).filter((c) => !c.ok && s.requiredChecks.includes(c.check) && !(native && c.check === 'logging-host'));
  for (const c of failing) gaps.push(`${c.check}: ${c.detail}`);
  if (failing.length && severity === undefined) severity = failing.some((c) => c.check === 'logging-host') ? 'medium' : 'low';
  if (gaps.length) {
    out.push({
      kind: 'telemetry-gap', severity: severity!, device: d.name, account: '', at: now,
      summary: `${where} is a blind spot: ${gaps.join('; ')}`,
      evidence: {
        snapshots: d.snapshotId !== undefined && failing.length ? [d.snapshotId] : [],
        checks: failing.map((c) => ({ check: c.check, detail: c.detail })),
        ...(d.lastSyslog !== undefined ? { lastSyslog: new Date(d.lastSyslog).toISOString() } : {}),
        // The gap is the device's silence: serve looks for it being heard (heard.ts) and runs then.
        ...(silent ? { silent: true } : {}),
      },
    });
  }
  return out;
}

/**
 * Every condition that holds now, and how each account stands. `keep` chooses the assessments
 * returned: a full run needs only those of accounts with open findings, the report all of them.
 */
export function evaluate(input: EvaluationInput, keep: (a: Assessment) => boolean = () => true): Evaluation {
  const { now, roster, devices, settings } = input;
  const conditions: Condition[] = [];
  const assessments: Assessment[] = [];
  // Presence matters only for accounts that must exist.
  const mustExist = new Set(roster?.mustExist.map((m) => m.entry.name) ?? []);
  const present = new Map<string, Set<string>>();
  const memo = new Memo();
  let count = 0;
  for (const account of input.accounts) {
    const device = devices.get(account.device);
    if (!device) continue;
    count++;
    if (mustExist.has(account.name)) {
      let names = present.get(account.device);
      if (!names) present.set(account.device, (names = new Set()));
      names.add(account.name);
    }
    const a = assessAccount(account, device, roster, now, settings.dormantDays, memo);
    if (keep(a)) assessments.push(a);
    for (const c of accountConditions(a, roster, now, settings.dormantDays)) conditions.push(c);
  }
  for (const d of devices.values()) for (const c of deviceConditions(d, present.get(d.name), roster, settings, now)) conditions.push(c);
  return { conditions, assessments, accounts: count };
}

/** Kinds whose findings describe a standing condition: resolved automatically when it no longer holds. */
export const CONDITION_KINDS: ReadonlySet<FindingKind> = new Set([
  'unauthorised-account', 'privilege-mismatch', 'expired-authorisation', 'missing-account', 'dormant-account', 'telemetry-gap',
]);

/** Kinds that need a device's accounts (a successful pull) to be judged. */
export const ACCOUNT_KINDS: ReadonlySet<FindingKind> = new Set([
  'unauthorised-account', 'privilege-mismatch', 'expired-authorisation', 'missing-account', 'dormant-account',
]);
