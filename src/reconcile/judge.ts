// The decisions of the record-reading steps of a reconciliation (account-created, change
// attribution and unlogged-change, late explanations, sender checks), apart from any engine:
// src/reconcile/run.ts (SQLite, synchronous, in its own thread) and src/reconcile/estate.ts (any
// EstateStore, asynchronous: PostgreSQL's leader) read the records these name, call these, and
// write what they return. One copy of each rule, so both engines raise the same findings.

import { createAllowList } from '../ingest/allow.js';
import { attributeChange, attributeRecord, type Attribution, type Candidates, type ObservedChange } from './attribution.js';
import { creationFinding, isCreation, recordGrantsSuperuser } from './created.js';
import type { RosterIndex } from './evaluate.js';
import { mergeEvidence, SEVERITY_RANK, type FindingEvidence, type NewFinding, type Reattribution } from './findings.js';
import type { OpenFinding } from './sync.js';
import type { StoredRecord } from './model.js';
import { placedAt, STAMP_MARGIN_MS } from './held.js';
import { grantsSuperuser, roleRule, type RoleRule } from './privilege.js';
import type { DeviceRef } from './scope.js';
import type { SenderMismatch, SenderRow } from './senders.js';
import type { OldLife } from './renames.js';
import { criticalBecause } from './severity.js';
import type { ActorAt, AttributionRow, PendingChange } from './store.js';
import { DAY_MS } from './text.js';

/** Look-back for the session that gives an actor's address. */
export const SESSION_LOOKBACK_MS = 12 * 3_600_000;
import { SAME_CHANGE_MS } from './attribution.js';
export { SAME_CHANGE_MS };
/** Commands of one actor kept as corroboration on each side of a record: evidence for a reviewer, not a log dump. */
export const CORROBORATING_PER_SIDE = 3;
/** Records stored from each foreign sender, cited as evidence: a few of the latest. */
export const SENDER_EVIDENCE = 5;

export function deviceRefFor(devices: ReadonlyMap<string, DeviceRef>, name: string, platform: string): DeviceRef {
  return devices.get(name) ?? { name, platform, groups: [] };
}

/** A look-up sessionsFor asks the store for: an actor's login before `time`, and (`commands`) the actor's commands around it. */
export interface SessionLookup {
  actor: string;
  time: number;
  commands: boolean;
}

/**
 * The sessions that give the actors of `records` their address (the latest login or AAA session
 * start before each), and the command records around them (the AAA server's accounting): what to
 * look up. An actor's records here are one change as the device and the AAA server logged it, so
 * the commands around its first stand for all; past five actors, others are not looked up.
 */
export function sessionLookups(records: readonly StoredRecord[]): SessionLookup[] {
  const out: SessionLookup[] = [];
  const actors = new Set<string>();
  for (const r of records) {
    if (!r.actor || (actors.size >= 5 && !actors.has(r.actor))) continue;
    const first = !actors.has(r.actor);
    actors.add(r.actor);
    out.push({ actor: r.actor, time: r.time, commands: first });
  }
  return out;
}

/** What one look-up read: the actor's latest login that gives an address, and its commands around the time. */
export interface SessionRead {
  login?: StoredRecord;
  commands: StoredRecord[];
}

/**
 * The span in which the commands of an account record's change are looked for by the account's
 * name (store commandsNaming; the Accounts row's population.ts `commandsAround`), as (from, to]:
 * within SAME_CHANGE_MS either side, as attribution.ts `sameChange` takes them. 10 s here left a
 * 111010 stamped 30 s after its 502101 unread by the finding while the row, reading everyone's
 * commands within a minute, named its maker. Read by the name (not every command of the span up
 * to a cap), so a burst of other users' commands between them pushes nothing out.
 */
export function namingSpan(at: number): { from: number; to: number } {
  return { from: at - SAME_CHANGE_MS - 1, to: at + SAME_CHANGE_MS };
}

/**
 * Account records naming no actor (an ASA's 502101 as the syslog guide prints it, without
 * `Executed by:`; shadow-utils' useradd): the spans around them (namingSpan) in which the commands
 * holding the account's name, by whoever, are read (store commandsNaming), so attribution can name
 * the one whose command names the account (attribution.ts namedBy). As sessionLookups, a handful per call.
 */
export function unnamedSpans(records: readonly StoredRecord[]): Array<{ account: string; from: number; to: number }> {
  const out: Array<{ account: string; from: number; to: number }> = [];
  for (const r of records) {
    if (r.actor !== undefined || r.target === undefined) continue;
    out.push({ account: r.target, ...namingSpan(r.time) });
    if (out.length >= 5) break;
  }
  return out;
}

/**
 * The look-ups of each of `records` alone (sessionLookups of `[record]`), to be read together
 * (store.sessionsAt, EstateStore.sessionsAt: account-created attributes a step's findings at once),
 * and each record's sessions from what they read, given in the keys' order.
 */
export function lookupsOfEach(records: readonly StoredRecord[]): { keys: ActorAt[]; sessions: (read: readonly SessionRead[]) => StoredRecord[][] } {
  const lookups = records.map((r) => sessionLookups([r]));
  const keys = lookups.flatMap((ls, i) => ls.map((l) => ({ device: records[i]!.device, actor: l.actor, time: l.time })));
  const sessions = (read: readonly SessionRead[]): StoredRecord[][] => {
    let next = 0;
    return lookups.map((ls) => {
      const out = new Map<number, StoredRecord>();
      for (const l of ls) {
        const { login, commands } = read[next++]!;
        if (login) out.set(login.id, login);
        if (!l.commands) continue;
        for (const c of commands) out.set(c.id, c);
      }
      return [...out.values()];
    });
  };
  return { keys, sessions };
}

/** The account records one account-created finding is raised for, and the one it is judged on (creationGroups). */
export interface CreationGroup {
  judged: StoredRecord;
  ids: number[];
}

/**
 * One finding per account and device among account records, with every one's id as evidence,
 * judged on one of them (`judged`): the latest, unless an earlier one granted full administration
 * and the latest does not. `usermod -aG sudo,docker sam` writes sudo's line, then docker's; judged
 * on the latest alone, the pass's finding was high (medium without a roster), the sudo grant by no
 * authorised administrator never critical, and a UID 0 account deleted and made again without it
 * within a pass the same (aud15k). A later pass's refresh never lowers a severity (findings.ts).
 */
export function creationGroups(records: readonly StoredRecord[], devices: ReadonlyMap<string, DeviceRef>): CreationGroup[] {
  const byAccount = new Map<string, CreationGroup>();
  const grants = (r: StoredRecord): boolean => recordGrantsSuperuser(r, deviceRefFor(devices, r.device, r.platform));
  for (const r of records) {
    if (!isCreation(r)) continue;
    const key = r.device + '\u0000' + r.target;
    const seen = byAccount.get(key);
    if (seen) {
      if (grants(r) || !grants(seen.judged)) seen.judged = r;
      seen.ids.push(r.id);
    } else byAccount.set(key, { judged: r, ids: [r.id] });
  }
  return [...byAccount.values()];
}

/**
 * Whether two records may tell one making: the same action on the account within SAME_CHANGE_MS, and
 * neither stating a privilege, role, group or path the other states otherwise. Another change near it
 * (an automation account's grant a minute before an unnamed one) tells someone else's making: taking
 * its actor judged the unnamed grant by them (an automation's: low, not high).
 */
function sameMaking(r: StoredRecord, j: StoredRecord): boolean {
  const agree = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;
  return r.action === j.action && Math.abs(r.time - j.time) <= SAME_CHANGE_MS
    && agree(r.privilege, j.privilege) && agree(r.role, j.role) && agree(r.group, j.group) && agree(r.path, j.path);
}

/**
 * Of records of one making, the one that names who made it: on Linux, useradd's own line names no
 * one, and auditd's ADD_USER of the same making does (AUID); the two (or a relay pair's copies) may be
 * received by different collectors, in one creation pass or in two. A group whose judged record names
 * no actor takes the actor (with that record's address, and its path when the judged names none) of
 * the account's creation records within SAME_CHANGE_MS of it (`near`: the group's own and those stored
 * before it) when they name one person; its grant stays the judged record's, and the record naming
 * the maker is cited. Judged on the latest record alone, carol's `useradd bob` read "by an unnamed
 * actor", on the finding and the Accounts row of both engines (found with two collectors, pgpop20).
 */
export function namedMaking(group: CreationGroup, near: readonly StoredRecord[]): CreationGroup {
  const j = group.judged;
  if (j.actor !== undefined) return group;
  const named = near.filter((r) => r.actor !== undefined && r.device === j.device && r.target === j.target && sameMaking(r, j));
  if (!named.length || new Set(named.map((r) => r.actor)).size !== 1) return group;
  const by = named.reduce((a, b) => (b.time > a.time || (b.time === a.time && b.id > a.id) ? b : a));
  const address = j.actorAddress ?? by.actorAddress;
  const path = j.path ?? by.path;
  return {
    judged: { ...j, actor: by.actor, ...(address !== undefined ? { actorAddress: address } : {}), ...(path !== undefined ? { path } : {}) },
    ids: group.ids.includes(by.id) ? group.ids : [...group.ids, by.id],
  };
}

/**
 * A rename's making (`usermod -l`, 4781, UpdateUser newUserName: the new name's account.create,
 * T1098) judged on what its old names held just before it: `lives`, the old names behind it
 * (renames.ts renameLives: newest first, each one's records before its rename and what a pull said
 * it held then), folded oldest first, a pull's holding replacing what came before it. Judged on the
 * making alone, `useradd -o -u 0 toor; usermod -l backup toor` raised backup's account-created
 * high, never critical, though backup is UID 0 (issue 15); judged on the last old name alone,
 * a→b→c→d with the grant on a raised d's high, and a pulled UID 0 account renamed, whose grant no
 * record shows, the same. Returns the group judged on a copy of the making carrying the old names'
 * superuser grant, citing the record that gave it (none for a pull's); the group as it was when
 * they held none.
 */
export function judgedAsRenamed(
  group: CreationGroup,
  lives: ReadonlyArray<OldLife<StoredRecord>>,
  devices: ReadonlyMap<string, DeviceRef>,
): CreationGroup {
  const making = group.judged;
  const device = deviceRefFor(devices, making.device, making.platform);
  if (recordGrantsSuperuser(making, device)) return group;
  const rule = roleRule(making.platform);
  // What the old names held: the privilege and each role and group, with the record that gave it.
  let privilege: [string, number | undefined] | undefined;
  let values = new Map<string, { field: 'role' | 'group'; id: number | undefined }>();
  for (const old of [...lives].reverse()) {
    let records = old.records;
    if (old.pulled) {
      // A pull knew it: what it held then, and the records since.
      const facts = old.pulled.facts;
      const since = old.pulled.at;
      privilege = facts?.privilege !== undefined ? [facts.privilege, undefined] : undefined;
      values = new Map((facts?.roles ?? []).map((role) => [role, { field: 'role' as const, id: undefined }]));
      records = records.filter((r) => r.time > since);
    }
    for (const r of records) {
      // A making clears what was held, but a life's first, a rename's making, which keeps the name before's.
      if (r.action === 'account.create' && r !== old.records[0]) {
        privilege = undefined;
        values = new Map();
      }
      // Roles taken away and re-stated by what they are (privilege.ts roleRule), as the population's row folds them.
      if (r.action === 'privilege.revoke') {
        if (r.privilege !== undefined && privilege?.[0] === r.privilege) privilege = undefined;
        if (r.role !== undefined) takeAway(values, r.role, rule);
        continue;
      }
      if (r.action === 'group.remove_member') {
        if (r.group !== undefined) takeAway(values, r.group, rule);
        continue;
      }
      if (r.privilege !== undefined) privilege = [r.privilege, r.id];
      if (r.role !== undefined) {
        const held = [...values.keys()].find((v) => values.get(v)!.field === 'role' && rule.restates(r.role!, v));
        const as = held === undefined ? r.role : rule.given([held], r.role).as;
        if (held !== undefined && as !== held) values.delete(held);
        values.set(as, { field: 'role', id: r.id });
      }
      if (r.group !== undefined && r.action === 'group.add_member') values.set(r.group, { field: 'group', id: r.id });
    }
  }
  const cite = (id: number | undefined): number[] => (id === undefined ? group.ids : [...group.ids, id]);
  if (privilege) {
    const copy: StoredRecord = { ...making, privilege: privilege[0] };
    if (recordGrantsSuperuser(copy, device)) return { judged: copy, ids: cite(privilege[1]) };
  }
  for (const [value, { field, id }] of values) {
    const copy: StoredRecord = { ...making, [field]: value };
    if (recordGrantsSuperuser(copy, device)) return { judged: copy, ids: cite(id) };
  }
  return group;
}

/** Drops from what old names held every value `taken` takes (privilege.ts roleRule): a bare class takes the pulled one. */
function takeAway(values: Map<string, unknown>, taken: string, rule: RoleRule): void {
  for (const v of [...values.keys()]) if (rule.takes(taken, v)) values.delete(v);
}

/** The `account-created` finding for a group of creation records, attributed with its actor's sessions. */
export function creationFindingFor(
  group: CreationGroup,
  devices: ReadonlyMap<string, DeviceRef>,
  index: RosterIndex | undefined,
  sessions: readonly StoredRecord[],
): NewFinding {
  const r = group.judged;
  const device = deviceRefFor(devices, r.device, r.platform);
  const attribution = attributeRecord(r, device, { sessions: [...sessions] }, index?.roster.windows ?? []);
  const finding = creationFinding(r, device, index, attribution);
  finding.evidence.events = [...new Set([...group.ids, ...(finding.evidence.events ?? [])])];
  return finding;
}

/**
 * How far back an open `account-created` naming no maker is looked at again by a full run
 * (namedLater): its change's command (an ASA's 111008/111010 for a 502101 without `Executed by:`)
 * may be received any time within the skew after it; a day also covers a device clock off by hours.
 */
export const NAMED_LATER_MS = DAY_MS;

/**
 * Of the records an `account-created` finding cites, the one its attribution came from when that
 * record names neither its actor nor its path: the latest creation record of the account
 * (creationGroups' `latest`), which takes both from its change's command (an ASA's 502101 without
 * `Executed by:`; attribution.ts namedBy). Undefined otherwise (its attribution cannot change).
 */
export function unnamedMaker(records: readonly StoredRecord[], device: string, account: string): StoredRecord | undefined {
  let latest: StoredRecord | undefined;
  for (const r of records) if (isCreation(r) && r.device === device && r.target === account && (!latest || r.id > latest.id)) latest = r;
  return latest && latest.actor === undefined && latest.path === undefined ? latest : undefined;
}

/**
 * An open `account-created` finding attributed again (`fresh`, creationFindingFor of its maker now
 * that the same change's command may have arrived): what to write, or undefined when the sentence
 * is the same. Its severity follows who is named now, either way; an escalation is alerted.
 */
export function renamed(f: Pick<OpenFinding, 'severity' | 'attribution' | 'evidence'>, fresh: NewFinding): Reattribution | undefined {
  if (fresh.attribution === undefined || fresh.attribution === f.attribution) return undefined;
  return {
    severity: fresh.severity, summary: fresh.summary, attribution: fresh.attribution,
    evidence: mergeEvidence(JSON.parse(f.evidence) as FindingEvidence, fresh.evidence), escalated: SEVERITY_RANK[fresh.severity] > SEVERITY_RANK[f.severity],
  };
}

/**
 * Of an account's records each carrying its receipt (store.ts allAccountRecords), those that may
 * explain a change in (from, to], as store.ts accountRecordsFor reads them: by the device's stamp,
 * else by the receipt (kept on the record: model.ts receivedAt) when only that lies inside.
 */
export function recordsInSpan(records: readonly StoredRecord[], from: number, to: number): StoredRecord[] {
  const stamped: StoredRecord[] = [];
  const received: StoredRecord[] = [];
  for (const r of records) {
    if (r.time > from && r.time <= to) {
      const { receivedAt: _, ...rest } = r;
      stamped.push(rest);
    } else if (r.receivedAt !== undefined && r.receivedAt > from && r.receivedAt <= to) received.push(r);
  }
  return [...stamped, ...received];
}

/**
 * The span of records that may explain a change: since the previous pull (less the skew) to the
 * change's pull (plus it), by a record's device stamp, or by its receipt when the stamp lies outside
 * (a device clock off by more than the skew: store.ts accountRecordsFor).
 */
export function changeSpan(previous: number | undefined, at: number, skewMs: number): { from: number; to: number } {
  return { from: previous === undefined ? Number.MIN_SAFE_INTEGER : previous - skewMs, to: at + skewMs };
}

const TECHNIQUE_FOR_CHANGE = { added: 'T1136.001', removed: 'T1531', changed: 'T1098' } as const;

/** An account that appeared with, or changed to, full administration it did not have. */
export function grantedSuperuser(c: PendingChange, platform: string): boolean {
  if (c.change === 'removed' || !c.after) return false;
  if (!grantsSuperuser(platform, c.after.privilege, c.after.roles)) return false;
  return !(c.change === 'changed' && c.before && grantsSuperuser(platform, c.before.privilege, c.before.roles));
}

function observed(c: PendingChange, device: DeviceRef, previous: number | undefined, snapshots: number[]): ObservedChange {
  return {
    changeId: c.id, accountId: c.accountId, kind: c.change, device, account: c.name, before: c.before, after: c.after,
    seenAt: c.at, previousPullAt: previous, snapshots,
  };
}

/** The change_attribution row for a change and its attribution. */
export function attributionRow(c: PendingChange, a: Attribution, explained = a.explained): AttributionRow {
  return {
    changeId: c.id, accountId: c.accountId, device: c.device, name: c.name, change: c.change, explained, ambiguous: a.ambiguous,
    at: a.at, actor: a.actor, actorAddress: a.actorAddress, path: a.path, window: a.window?.name, sentence: a.sentence, evidence: a.evidence,
  };
}

/**
 * Whether a pulled change is no change the device made: the account was there at the device's first
 * pull (its baseline), or a configuration text already stored was read otherwise (from and to the
 * same snapshot: the text's hash had not changed, and an account's name is never redacted, so an
 * account found or no longer found is this version's readers reading it better, src/pull/record.ts).
 * Either is judged, never unlogged. A credential change on the same text stays a change: a secret
 * is redacted before the text is hashed (src/pull/account-changes.ts).
 */
export function readNotMade(c: Pick<PendingChange, 'change' | 'fromSnapshotId' | 'toSnapshotId'>): boolean {
  return c.fromSnapshotId === null || (c.fromSnapshotId === c.toSnapshotId && c.change !== 'changed');
}

/** Whether a change needs no judging: no change the device made (readNotMade), and no record of its making. */
export function baselineWithoutRecord(c: PendingChange, account: readonly StoredRecord[]): boolean {
  return readNotMade(c) && account.length === 0;
}

/**
 * Judge one change between pulls: its attribution, and `unlogged-change` when no record explains
 * it (a device's first pull is its baseline: nothing there is unlogged).
 */
export function judgeChange(
  c: PendingChange,
  devices: ReadonlyMap<string, DeviceRef>,
  index: RosterIndex | undefined,
  previous: number | undefined,
  candidates: Candidates,
  now: number,
): { attribution: AttributionRow; finding?: NewFinding } {
  const device = deviceRefFor(devices, c.device, c.platform);
  const baseline = readNotMade(c);
  const a = attributeChange(
    observed(c, device, previous, [...new Set([c.fromSnapshotId, c.toSnapshotId].filter((s): s is number => s !== null))]),
    candidates,
    index?.roster.windows ?? [],
  );
  const attribution = attributionRow(c, a);
  if (a.explained || baseline) return { attribution };
  const evidence = { changes: [c.id], accounts: [c.accountId], snapshots: a.evidence.snapshots, events: a.evidence.events };
  return { attribution, finding: unloggedFinding(c.device, c.name, c.change, a, grantedSuperuser(c, device.platform), candidates.configuration.length > 0, evidence, now) };
}

/** `unlogged-change` for a change no record explains (`a`): a pulled change, or a syslog-made account a pull lacks. */
function unloggedFinding(
  device: string, account: string, change: keyof typeof TECHNIQUE_FOR_CHANGE, a: Attribution, superuser: boolean, configured: boolean, evidence: FindingEvidence, now: number,
): NewFinding {
  const critical = criticalBecause({ superuser, logged: false, byAdministrator: undefined, inWindow: false });
  return {
    kind: 'unlogged-change', severity: critical ? 'critical' : configured ? 'medium' : 'high', device, account, at: now,
    technique: TECHNIQUE_FOR_CHANGE[change],
    summary: `${a.sentence}: a logging blind spot or tampering${critical ? ` (${critical})` : ''}`,
    attribution: a.sentence,
    evidence,
  };
}

/** A successful pull (a row of pull_runs), as the syslog-made accounts it lacks are judged against it. */
export interface PullRun {
  id: number;
  device: string;
  startedAt: number;
  finishedAt: number;
  snapshotId: number | null;
}

/**
 * The account records a pull judges, [from, to): those whose skew ends from the previous
 * successful pull's start to this one's. Each record is judged by one pull, the first started more
 * than the skew after it, as the Accounts row finds the pull that no longer shows a syslog-only
 * account (population.ts PULL_AFTER_SQL); a device's first pull judges every record before it.
 */
export function vanishedSpan(previousStart: number | undefined, startedAt: number, skewMs: number): { from: number; to: number } {
  return { from: previousStart === undefined ? Number.MIN_SAFE_INTEGER : previousStart - skewMs, to: startedAt - skewMs };
}

/**
 * After when a successful pull must have started to judge a record (vanishedSpan: the first one
 * started after this judges it): where the record is placed (placedAt), plus the skew. The
 * Accounts row finds the pull that no longer shows a syslog-only account by it (population.ts), so
 * the row says removed at the pull that raised the unlogged-change; placed by the device's stamp
 * alone, a clock 3 h behind made the row say removed at a pull made before the record was received.
 */
export function judgedAfter(time: number, receivedAt: number, skewMs: number): number {
  return placedAt(time, receivedAt, skewMs) + skewMs;
}

/**
 * How far from a pull's span (vanishedSpan) a logged creation's stamp is looked for, to be placed
 * by its receipt (placedAt): held.ts STAMP_MARGIN_MS, the margin a review period's end looks past too.
 */
export const CREATIONS_STAMP_MARGIN_MS = STAMP_MARGIN_MS;

/**
 * Of account records read with their receipt (store.ts loggedCreationsOn), the latest logged
 * creation (`account.create`) of each account placed (placedAt) in [from, to): what a pull that
 * lacks the account says vanished; a record placed by its receipt keeps it (model.ts receivedAt).
 * A record giving privilege or a group is not one: it may name an account a pull of local accounts
 * never shows (a domain account in a local group).
 */
export function loggedCreations(records: ReadonlyArray<StoredRecord & { receivedAt: number }>, from: number, to: number, skewMs: number): StoredRecord[] {
  const latest = new Map<string, { r: StoredRecord; at: number }>();
  for (const r of records) {
    if (r.kind !== 'account' || r.action !== 'account.create' || r.target === undefined) continue;
    const at = placedAt(r.time, r.receivedAt, skewMs);
    if (at < from || at >= to) continue;
    const seen = latest.get(r.target);
    if (seen && (at < seen.at || (at === seen.at && r.id < seen.r.id))) continue;
    const { receivedAt: _, ...stamped } = r;
    latest.set(r.target, { r: at === r.time ? stamped : r, at });
  }
  return [...latest.values()].map((x) => x.r);
}

/**
 * An account whose creation was logged (`make`) and that a later successful pull does not hold:
 * judged as a pulled account that vanished between two pulls is (attributeChange, 'removed'),
 * from its creation to the pull. `unlogged-change` unless a removal record (`candidates.account`:
 * the account's records from its creation to the pull, plus the skew) explains it; citing the
 * creating record and the pull's snapshot.
 */
export function vanishedFinding(
  make: StoredRecord,
  pull: PullRun,
  devices: ReadonlyMap<string, DeviceRef>,
  candidates: Pick<Candidates, 'account' | 'configuration'>,
  now: number,
): NewFinding | undefined {
  const device = deviceRefFor(devices, make.device, make.platform);
  const snapshots = pull.snapshotId === null ? [] : [pull.snapshotId];
  const before = { ...(make.privilege !== undefined ? { privilege: make.privilege } : {}), roles: make.role ? [make.role] : [], credentials: [] };
  const a = attributeChange(
    { changeId: 0, accountId: 0, kind: 'removed', device, account: make.target!, before, seenAt: pull.finishedAt, loggedCreationAt: make.receivedAt ?? make.time, snapshots },
    { account: [...candidates.account], sessions: [], configuration: [...candidates.configuration] },
    [],
  );
  if (a.explained) return undefined;
  const evidence = { pulls: [pull.id], snapshots, events: [...new Set([make.id, ...a.evidence.events])].sort((x, y) => x - y) };
  return unloggedFinding(make.device, make.target!, 'removed', a, false, candidates.configuration.length > 0, evidence, now);
}

/** A change an open `unlogged-change` finding names, as a late record now explains it. */
export function lateAttribution(
  c: PendingChange,
  devices: ReadonlyMap<string, DeviceRef>,
  index: RosterIndex | undefined,
  previous: number | undefined,
  candidates: Pick<Candidates, 'account' | 'sessions'>,
): Attribution {
  const device = deviceRefFor(devices, c.device, c.platform);
  return attributeChange(observed(c, device, previous, [c.toSnapshotId]), { ...candidates, configuration: [] }, index?.roster.windows ?? []);
}

/** Why an unlogged-change finding is over, from the attributions of its changes. */
export function lateReason(attributions: readonly Attribution[]): { reason: string; events: number[] } {
  return {
    reason: `a record that arrived later explains it: ${attributions.map((a) => a.sentence).join('; ')}`,
    events: attributions.flatMap((a) => a.evidence.events),
  };
}

/**
 * Rows of device_senders as one per device and address: a shared store keeps one per collector
 * that heard it, and a sender is one sender however many collectors heard it.
 */
export function mergeSenderRows(rows: readonly SenderRow[]): SenderRow[] {
  const out = new Map<string, SenderRow>();
  for (const r of rows) {
    const key = r.device + '\u0000' + r.source;
    const seen = out.get(key);
    if (!seen) out.set(key, { device: r.device, source: r.source, first_seen: r.first_seen, last_seen: r.last_seen });
    else {
      seen.first_seen = Math.min(seen.first_seen, r.first_seen);
      seen.last_seen = Math.max(seen.last_seen, r.last_seen);
    }
  }
  return [...out.values()];
}

/** Whether an address is a configured relay (ingest.relays), which sends for other devices. */
export function relayCheck(relays: readonly string[]): (address: string) => boolean {
  return relays.length ? createAllowList(relays) : () => false;
}

/**
 * Where to look for the records a device's foreign senders sent, cited as the finding's evidence
 * (its five latest senders, SENDER_EVIDENCE records each). Records carry their event time,
 * messages their receive time: a day either side covers clock skew.
 */
export function senderEvidenceSpans(m: SenderMismatch): Array<{ device: string; source: string; from: number; to: number }> {
  return m.senders.slice(0, 5).map((r) => ({ device: m.device, source: r.source, from: r.first_seen - DAY_MS, to: r.last_seen + DAY_MS }));
}
