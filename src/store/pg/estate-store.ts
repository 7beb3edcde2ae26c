// The estate's reconciliation reads and writes in a shared PostgreSQL store (EstateStore,
// src/reconcile/estate-store.ts). The statements are SQLite's (src/reconcile/store.ts, sync.ts,
// lifecycle.ts) where SQL allows; where it does not:
//   - syslog activity is kept per collector (device_activity's key includes it): a device's first
//     and last syslog are the earliest and latest over every collector;
//   - an account's last login is a LATERAL subquery (SQLite names its partial index instead);
//   - bigint comes back as text and is read with Number (epoch ms and ids, well within a double).
//   - account records come from every collector's chain, and are read per collector after a position
//     in its chain (events.created@<collector>, a chain sequence): ids are given out when a
//     collector's transaction inserts, so a record with a lower id can commit after one with a
//     higher id that was already read, and a single "last id read" would skip it; each collector's
//     transactions commit in its chain's order;
//   - senders are read likewise after a position per collector (senders.seen@<collector>);
//   - account changes are read up to the highest id committed, found under a SHARE lock on
//     account_changes (it waits for the pulls inserting changes at that moment, and holds the next
//     ones back for the one statement), for the same reason: pulls on several collectors insert them;
//     successful pull runs (the syslog-made accounts a pull lacks) likewise under one on pull_runs.
// Only the leader writes here (src/reconcile/leader.ts); findings that pulls raise meanwhile are of
// other kinds (pull-failed, host-key-changed), and those it resolves it updates by id; findings it
// raises go through raiseFindingsPg (a step's at once), under raiseFindingPg's locks, which pulls on
// other collectors may take at once.

import type pg from 'pg';
import type { Condition } from '../../reconcile/evaluate.js';
import type { EstateStore, Positions, StepWrite } from '../../reconcile/estate-store.js';
import { byTimeThenId, HELD_ACTIONS, historyRanges, pulledBeforeMaking, type Candidate, type HeldHistory, type HeldRecord, type PulledState } from '../../reconcile/held.js';
import { reattributedReason, type FindingEvidence, type FindingStatus, type Reattribution, type Severity } from '../../reconcile/findings.js';
import { SENDER_EVIDENCE, type PullRun } from '../../reconcile/judge.js';
import { HEARD_GAPS_SQL, type GapRow } from '../../reconcile/heard.js';
import { resolvedEvidence, SYSTEM_ACTOR } from '../../reconcile/lifecycle.js';
import type { DeviceInfo, Origin, PresentAccount, StoredRecord } from '../../reconcile/model.js';
import { RENAME_PARTNER_SQL } from '../../reconcile/population.js';
import type { RenamePartner } from '../../reconcile/renames.js';
import type { PinnedKey, PullStateLike } from '../../reconcile/run.js';
import type { DeviceRef } from '../../reconcile/scope.js';
import type { SenderRow } from '../../reconcile/senders.js';
import type { PullsUnderWay } from '../../reconcile/under-way.js';
import {
  type ActorAt, byReceipt, CHANGE_SELECT, MAKING_PULLS_SQL, makingPulls, type MakingPullRow, changeFromRow, COMMANDS_NAMING, CONFIGURATION_RECORDS, PREVIOUS_PULL_START, PULL_READ_SQL, PULLS_UNDER_WAY_SQL, pullReadFrom, pullRunFrom, PULLED_STATE_SQL, pulledStateFromRow, configurationChanges, deviceInfoFrom, EVENT_COLUMNS, LATEST_SNAPSHOT_AUDITS, ORIGIN_SELECT, originFrom,
  RECEIPT_SQL, recordFromRow, UNNAMED_CHANGES, UNNAMED_CREATIONS, type AttributionRow, type ChangeRow, type EventRow, type OriginRow, type PendingChange, type StoredAudit,
} from '../../reconcile/store.js';
import { planSync, SYNC_CHUNK, tally, type OpenFinding, type Resolution, type SyncResult, type SyncStep } from '../../reconcile/sync.js';
import { addHistoryPg, raiseFindingsPg, reopenEndedPg } from './findings.js';
import { keyEquals, keyHashEquals, prefixEquals } from './text-keys.js';
import { inTransaction } from './transaction.js';
import { isoSeconds } from '../../reconcile/text.js';

const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** `?` parameters as PostgreSQL's `$n`, for a statement shared with SQLite. */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const HEARD_GAPS_PG = numbered(HEARD_GAPS_SQL);

/** SQLite's statement ($1 the device), with the device's prefix stated for the prefix index (text-keys.ts). */
const CONFIGURATION_RECORDS_PG = numbered(CONFIGURATION_RECORDS).replace(' WHERE ', ` WHERE ${prefixEquals('device', '$1::text')} AND `);
const COMMANDS_NAMING_PG = numbered(COMMANDS_NAMING).replace(' WHERE ', ` WHERE ${prefixEquals('device', '$1::text')} AND `);

type PgEventRow = Omit<EventRow, 'id' | 'time'> & { id: string; time: string };
const record = (r: PgEventRow): StoredRecord => recordFromRow({ ...r, id: num(r.id), time: num(r.time) } as EventRow);

type PgChangeRow = Record<keyof ChangeRow, string | null>;
const change = (r: PgChangeRow): PendingChange =>
  changeFromRow({
    ...r, id: num(r.id!), account_id: num(r.account_id!), at: num(r.at!), from_snapshot_id: numOrNull(r.from_snapshot_id), to_snapshot_id: num(r.to_snapshot_id!),
  } as ChangeRow);

const LOGIN = `kind = 'session' AND action IN ('login', 'session.start')`;
const CREATED = 'events.created';
const createdAt = (collector: string): string => `${CREATED}@${collector}`;

async function savePositions(c: pg.ClientBase, positions: Positions): Promise<void> {
  const names = Object.keys(positions);
  if (!names.length) return;
  await c.query(
    'INSERT INTO reconcile_state (name, value) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    [names, names.map((n) => positions[n])],
  );
}

async function saveAttribution(c: pg.ClientBase, a: AttributionRow): Promise<void> {
  await c.query(
    `INSERT INTO change_attribution (change_id, account_id, device, name, change, explained, ambiguous, at, actor, actor_address, path, change_window, sentence, evidence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (change_id) DO UPDATE SET explained = excluded.explained, ambiguous = excluded.ambiguous, at = excluded.at, actor = excluded.actor,
       actor_address = excluded.actor_address, path = excluded.path, change_window = excluded.change_window, sentence = excluded.sentence, evidence = excluded.evidence`,
    [
      a.changeId, a.accountId, a.device, a.name, a.change, a.explained ? 1 : 0, a.ambiguous ? 1 : 0, a.at ?? null, a.actor ?? null,
      a.actorAddress ?? null, a.path ?? null, a.window ?? null, a.sentence, JSON.stringify(a.evidence),
    ],
  );
}


/**
 * Start account-created at `now` unless it was (`aaawatch migrate` starts it where it copies an
 * estate, or the leader before its first pass). The start is a time (the run's clock, the
 * leader's; collectors keep NTP): every chain's records stored before it raise nothing, and so do
 * those of a chain that comes later with an older history (a SQLite store copied in by
 * `aaawatch migrate --records-only`), while a new collector's records raise from its first. A
 * chain with a position already keeps it (one `migrate` translated from SQLite's).
 */
export async function startCreationsAt(c: pg.ClientBase, now: number): Promise<void> {
  const started = await c.query(`SELECT 1 FROM reconcile_state WHERE name = $1 FOR UPDATE`, [CREATED]);
  if (started.rows.length) return;
  await c.query(`INSERT INTO reconcile_state (name, value) SELECT $1 || '@' || collector, seq FROM chain_heads ON CONFLICT (name) DO NOTHING`, [CREATED]);
  await c.query(`INSERT INTO reconcile_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [CREATED, now]);
}

export class PgEstateStore implements EstateStore {
  constructor(private readonly pool: pg.Pool) {}

  async reopenExpired(now: number): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<{ id: string; severity: Severity; accepted_until: string }>(
        `SELECT id, severity, accepted_until FROM findings WHERE status = 'accepted' AND accepted_until IS NOT NULL AND accepted_until <= $1 ORDER BY id FOR UPDATE`,
        [now],
      );
      for (const f of rows) await reopenEndedPg(c, { id: num(f.id), severity: f.severity, accepted_until: num(f.accepted_until) }, now);
      return rows.length;
    });
  }

  /** Set once the start is known to be stored: the leader asks before every pass, a second apart. */
  private creationsStarted = false;

  async startCreationsHere(now: number): Promise<void> {
    if (this.creationsStarted) return;
    await inTransaction(this.pool, (c) => startCreationsAt(c, now));
    this.creationsStarted = true;
  }

  async pullsUnderWay(now: number): Promise<PullsUnderWay> {
    const { rows } = await this.pool.query<{ device: string; started: string }>(numbered(PULLS_UNDER_WAY_SQL), [now]);
    return new Map(rows.map((r) => [r.device, num(r.started)]));
  }

  async newAccountRecords(limit: number, before?: number): Promise<{ records: StoredRecord[]; positions: Positions }> {
    // Each collector's head first: its records up to it are committed (the head moves in the records' transaction).
    const heads = (
      await this.pool.query<{ collector: string; seq: string; after: string | null; start: string | null }>(
        `SELECT h.collector, h.seq, s.value AS after, (SELECT value FROM reconcile_state WHERE name = $1) AS start
         FROM chain_heads h LEFT JOIN reconcile_state s ON s.name = $1 || '@' || h.collector`,
        [CREATED],
      )
    ).rows
      // A chain without a position (new since the start) is read from its beginning, its records received since the start.
      .map((h) => ({ collector: h.collector, upto: num(h.seq), after: num(h.after ?? 0), since: h.after === null ? num(h.start ?? 0) : 0 }))
      .filter((h) => h.upto > h.after);
    if (!heads.length) return { records: [], positions: {} };
    const { rows } = await this.pool.query<PgEventRow & { from_collector: string; seq: string }>(
      `SELECT e.collector AS from_collector, e.seq, ${EVENT_COLUMNS}
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS h(c, after, upto, since)
       CROSS JOIN LATERAL (
         SELECT * FROM events e WHERE e.collector = h.c AND e.seq > h.after AND e.seq <= h.upto AND e.kind = 'account'
           AND (h.since = 0 OR e.received_at >= h.since) AND ($6::bigint IS NULL OR e.id < $6) ORDER BY e.seq LIMIT $5
       ) e
       ORDER BY e.id LIMIT $5`,
      [heads.map((h) => h.collector), heads.map((h) => h.after), heads.map((h) => h.upto), heads.map((h) => h.since), limit, before ?? null],
    );
    // A collector's records in id order are in its chain's order, so what was read of each is a prefix of what waits.
    // Cut before a waiting creation, a chain is read up to its last record before it, not to its head.
    const positions: Record<string, number> = {};
    if (rows.length < limit && before === undefined) for (const h of heads) positions[createdAt(h.collector)] = h.upto;
    else for (const r of rows) positions[createdAt(r.from_collector)] = Math.max(positions[createdAt(r.from_collector)] ?? 0, num(r.seq));
    return { records: rows.map(record), positions };
  }

  async lastLoginOf(device: string, actor: string, from: number, to: number): Promise<StoredRecord | undefined> {
    const { rows } = await this.pool.query<PgEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${LOGIN} AND ${keyEquals('device', '$1::text')} AND ${keyEquals('actor', '$2::text')} AND time >= $3 AND time <= $4 AND actor_address IS NOT NULL ORDER BY time DESC, id DESC LIMIT 1`,
      [device, actor, from, to],
    );
    return rows[0] && record(rows[0]);
  }

  /** Stamps that tie are taken in id order, as SQLite's commandsNear takes them (and a step's look-ups, sessionsAt, alike). */
  async commandsNear(device: string, actor: string, at: number, span: number, perSide: number): Promise<StoredRecord[]> {
    const where = `FROM events WHERE ${keyEquals('device', '$1::text')} AND ${keyEquals('actor', '$2::text')} AND kind = 'command'`;
    const [before, after] = await Promise.all([
      this.pool.query<PgEventRow>(`SELECT ${EVENT_COLUMNS} ${where} AND time <= $3 AND time >= $4 ORDER BY time DESC, id DESC LIMIT $5`, [device, actor, at, at - span, perSide]),
      this.pool.query<PgEventRow>(`SELECT ${EVENT_COLUMNS} ${where} AND time > $3 AND time <= $4 ORDER BY time, id LIMIT $5`, [device, actor, at, at + span, perSide]),
    ]);
    return [...before.rows.reverse(), ...after.rows].map(record);
  }

  /**
   * lastLoginOf and commandsNear of a step's keys in three statements over arrays (a LATERAL look-up
   * a key, the same WHERE and ORDER BY as theirs), where they took three round trips a key: a
   * 10,000-account burst's attributions waited on ~2 ms round trips under load (#14).
   */
  async sessionsAt(keys: readonly ActorAt[], lookback: number, span: number, perSide: number): Promise<Array<{ login?: StoredRecord; commands: StoredRecord[] }>> {
    const out = keys.map((): { login?: StoredRecord; commands: StoredRecord[] } => ({ commands: [] }));
    if (!keys.length) return out;
    // A nested loop over unnest gives each key's rows in its look-up's order, keys in order.
    const keyed = (lo: string, hi: string, where: string, order: string): string =>
      `SELECT k.i, e.* FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[]) AS k(i, device, actor, at)
       CROSS JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} AND ${keyEquals('device', 'k.device')} AND ${keyEquals('actor', 'k.actor')}
         AND time >= ${lo} AND time <= ${hi} ORDER BY ${order}) e`;
    const args = [keys.map((_, i) => i), keys.map((k) => k.device), keys.map((k) => k.actor), keys.map((k) => k.time)];
    const [logins, before, after] = await Promise.all([
      this.pool.query<PgEventRow & { i: number }>(keyed('k.at - $5::bigint', 'k.at', `${LOGIN} AND actor_address IS NOT NULL`, 'time DESC, id DESC LIMIT 1'), [...args, lookback]),
      this.pool.query<PgEventRow & { i: number }>(keyed('k.at - $5::bigint', 'k.at', `kind = 'command'`, 'time DESC, id DESC LIMIT $6'), [...args, span, perSide]),
      // commandsNear's `time > at`: a bigint's successor, as the look-ups take whole milliseconds.
      this.pool.query<PgEventRow & { i: number }>(keyed('k.at + 1', 'k.at + $5::bigint', `kind = 'command'`, 'time, id LIMIT $6'), [...args, span, perSide]),
    ]);
    for (const { i, ...r } of logins.rows) out[i]!.login = record(r);
    for (const { i, ...r } of before.rows) out[i]!.commands.unshift(record(r));
    for (const { i, ...r } of after.rows) out[i]!.commands.push(record(r));
    return out;
  }

  async changesToJudge(limit: number): Promise<PendingChange[]> {
    const bound = await inTransaction(this.pool, async (c) => {
      await c.query('LOCK TABLE account_changes IN SHARE MODE');
      return num((await c.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM account_changes')).rows[0]!.id);
    });
    const { rows } = await this.pool.query<PgChangeRow>(
      `${CHANGE_SELECT} WHERE c.id > coalesce((SELECT value FROM reconcile_state WHERE name = 'changes.judged'), 0) AND c.id <= $1 ORDER BY c.id LIMIT $2`,
      [bound, limit],
    );
    return rows.map(change);
  }

  async changeById(id: number): Promise<PendingChange | undefined> {
    const r = (await this.pool.query<PgChangeRow>(`${CHANGE_SELECT} WHERE c.id = $1`, [id])).rows[0];
    return r && change(r);
  }

  async previousPullAt(device: string, at: number, fromSnapshotId: number): Promise<number | undefined> {
    const run = (await this.pool.query<{ t: string | null }>(`SELECT max(finished_at) AS t FROM pull_runs WHERE device = $1 AND outcome <> 'failed' AND finished_at < $2`, [device, at])).rows[0]!;
    if (run.t !== null) return num(run.t);
    const snap = (await this.pool.query<{ taken_at: string }>('SELECT taken_at FROM snapshots WHERE id = $1', [fromSnapshotId])).rows[0];
    return snap && num(snap.taken_at);
  }

  /** Successful runs up to the highest id committed, found under a SHARE lock as changesToJudge's (pulls on several collectors insert them). */
  async pullsToJudge(limit: number): Promise<PullRun[]> {
    const bound = await inTransaction(this.pool, async (c) => {
      await c.query('LOCK TABLE pull_runs IN SHARE MODE');
      return num((await c.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM pull_runs')).rows[0]!.id);
    });
    const { rows } = await this.pool.query<Parameters<typeof pullRunFrom>[0]>(
      `SELECT id, device, started_at, finished_at, snapshot_id FROM pull_runs
        WHERE id > coalesce((SELECT value FROM reconcile_state WHERE name = 'pulls.vanished'), 0) AND id <= $1 AND outcome <> 'failed' ORDER BY id LIMIT $2`,
      [bound, limit],
    );
    return rows.map(pullRunFrom);
  }

  async previousPullStart(device: string, startedAt: number): Promise<number | undefined> {
    const t = (await this.pool.query<{ t: string | null }>(numbered(PREVIOUS_PULL_START), [device, startedAt, device, startedAt])).rows[0]!.t;
    return t === null ? undefined : num(t);
  }

  /** By the (device hash, kind, time) index, as a device's latest account record is read (schema/ingest.ts events_device_kind_hash). */
  async loggedCreationsOn(device: string, from: number, to: number): Promise<Array<StoredRecord & { receivedAt: number }>> {
    const { rows } = await this.pool.query<PgEventRow & { received_at: string }>(
      `SELECT ${EVENT_COLUMNS}, ${RECEIPT_SQL('')} FROM events WHERE ${keyHashEquals('device', '$1::text')} AND kind = 'account' AND time >= $2 AND time < $3 AND action = 'account.create'
          AND received_at IS NOT NULL ORDER BY time, id`,
      [device, from, to],
    );
    return rows.map((r) => byReceipt({ ...r, id: num(r.id), time: num(r.time) } as EventRow & { received_at: string }) as StoredRecord & { receivedAt: number });
  }

  async pullKnew(device: string, name: string, at: number): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM accounts WHERE device = $1 AND ${keyEquals('name', '$2::text')} AND first_seen <= $3 AND (removed_at IS NULL OR removed_at >= $3) LIMIT 1`,
      [device, name, at],
    );
    return rows.length > 0;
  }

  async renamePartner(id: number): Promise<RenamePartner | undefined> {
    const { rows } = await this.pool.query<{ id: string; time: string; target: string }>(numbered(RENAME_PARTNER_SQL), [id]);
    return rows[0] && { id: num(rows[0].id), time: num(rows[0].time), target: rows[0].target };
  }

  async accountRecordsFor(device: string, target: string, from: number, to: number): Promise<StoredRecord[]> {
    const { rows } = await this.pool.query<PgEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${keyEquals('target', '$1::text')} AND ${keyEquals('device', '$2::text')} AND kind = 'account' AND time > $3 AND time <= $4 ORDER BY time, id`,
      [target, device, from, to],
    );
    // Then those picked by their receipt, as SQLite's (src/reconcile/store.ts accountRecordsFor).
    const received = await this.pool.query<PgEventRow & { received_at: string }>(
      `SELECT ${EVENT_COLUMNS}, received_at FROM events WHERE ${keyEquals('target', '$1::text')} AND ${keyEquals('device', '$2::text')} AND kind = 'account'
          AND (time <= $3 OR time > $4) AND received_at > $3 AND received_at <= $4 AND transport <> 'file' ORDER BY received_at, id`,
      [target, device, from, to],
    );
    return [...rows.map(record), ...received.rows.map((r) => byReceipt({ ...r, id: num(r.id), time: num(r.time) } as EventRow & { received_at: string }))];
  }

  async pullRead(device: string, at: number): Promise<number> {
    return pullReadFrom((await this.pool.query<{ read_at: string }>(numbered(PULL_READ_SQL), [device, at, at])).rows[0], at);
  }

  async receipts(ids: readonly number[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map();
    const { rows } = await this.pool.query<{ id: string; received_at: string }>(`SELECT id, ${RECEIPT_SQL('')} FROM events WHERE id = ANY($1::bigint[])`, [ids]);
    return new Map(rows.map((r) => [num(r.id), num(r.received_at)]));
  }

  async pulledStateAt(device: string, name: string, at: number): Promise<PulledState | undefined> {
    return pulledStateFromRow((await this.pool.query<{ at: string; after: string | null }>(numbered(PULLED_STATE_SQL), [device, name, at])).rows[0]);
  }

  /**
   * The held check's reads for a step's candidates: two statements over arrays (unnest), where one
   * pair a candidate was two round trips each; a third for its creations (store.ts MAKING_PULLS_SQL).
   */
  async heldHistory(candidates: readonly Candidate[], skewMs: number): Promise<HeldHistory> {
    const pulled: Array<PulledState | undefined> = [];
    const makings = candidates.flatMap((r, i) => (r.action === 'account.create' ? [i] : []));
    if (makings.length) {
      const m = await this.pool.query<MakingPullRow>({
        text: `WITH k AS (SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[]) AS k(i, id, device, name)) ${MAKING_PULLS_SQL}`,
        values: [makings.map((_, k) => k), makings.map((i) => candidates[i]!.id), makings.map((i) => candidates[i]!.device), makings.map((i) => candidates[i]!.target)],
        rowMode: 'array',
      });
      for (const [k, made] of makingPulls(m.rows)) {
        const r = candidates[makings[k]!]!;
        pulled[makings[k]!] = pulledBeforeMaking(r.time, made.receivedAt, made.changes, skewMs);
      }
    }
    const others = candidates.flatMap((r, i) => (r.action === 'account.create' ? [] : [i]));
    const p = await this.pool.query<{ i: number; at: string; after: string | null }>(
      `SELECT k.i, c.at, c.after FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[]) AS k(i, device, name, at)
       CROSS JOIN LATERAL (SELECT at, after FROM account_changes WHERE device = k.device AND name = k.name AND at <= k.at ORDER BY at DESC, id DESC LIMIT 1) c`,
      [others, others.map((i) => candidates[i]!.device), others.map((i) => candidates[i]!.target), others.map((i) => candidates[i]!.time)],
    );
    for (const row of p.rows) pulled[row.i] = pulledStateFromRow(row);
    const ranges = [...historyRanges(candidates, pulled).entries()];
    const records = new Map<string, HeldRecord[]>(ranges.map(([key]) => [key, []]));
    const r = await this.pool.query<{ i: number; id: string; time: string; action: string; privilege: string | null; role: string | null }>(
      `SELECT k.i, e.id, e.time, e.action, e.privilege, e.role
         FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS k(i, device, target, lo, hi, hi_id)
        CROSS JOIN LATERAL (
          SELECT id, time, action, privilege, role FROM events
           WHERE ${keyEquals('target', 'k.target')} AND ${keyEquals('device', 'k.device')} AND kind = 'account' AND time > k.lo AND time <= k.hi
             AND (time < k.hi OR id < k.hi_id) AND action = ANY($7::text[])) e`,
      [
        ranges.map((_, i) => i), ranges.map(([, x]) => x.device), ranges.map(([, x]) => x.target), ranges.map(([, x]) => x.lo),
        ranges.map(([, x]) => x.hi), ranges.map(([, x]) => x.hiId), [...HELD_ACTIONS],
      ],
    );
    for (const row of r.rows) {
      const e: HeldRecord = { id: num(row.id), time: num(row.time), action: row.action };
      if (row.privilege !== null) e.privilege = row.privilege;
      if (row.role !== null) e.role = row.role;
      records.get(ranges[row.i]![0])!.push(e);
    }
    for (const list of records.values()) list.sort(byTimeThenId);
    return { pulled, records };
  }

  async configurationRecords(device: string, from: number, to: number): Promise<StoredRecord[]> {
    return configurationChanges((await this.pool.query<PgEventRow>(CONFIGURATION_RECORDS_PG, [device, from, to])).rows.map(record));
  }

  async commandsNaming(device: string, account: string, from: number, to: number): Promise<StoredRecord[]> {
    return (await this.pool.query<PgEventRow>(COMMANDS_NAMING_PG, [device, from, to, account])).rows.map(record);
  }

  async newSenders(): Promise<{ rows: SenderRow[]; positions: Positions }> {
    const { rows } = await this.pool.query<{ collector: string; device: string; source: string; first_seen: string; last_seen: string }>(
      `SELECT d.collector, d.device, d.source, d.first_seen, d.last_seen FROM device_senders d
       LEFT JOIN reconcile_state s ON s.name = 'senders.seen@' || d.collector WHERE d.last_seen > coalesce(s.value, 0)`,
    );
    const positions: Record<string, number> = {};
    for (const r of rows) positions[`senders.seen@${r.collector}`] = Math.max(positions[`senders.seen@${r.collector}`] ?? 0, num(r.last_seen));
    return { rows: rows.map((r) => ({ device: r.device, source: r.source, first_seen: num(r.first_seen), last_seen: num(r.last_seen) })), positions };
  }

  async senderEvents(device: string, source: string, from: number, to: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM events WHERE ${keyEquals('device', '$1::text')} AND time >= $2 AND time <= $3 AND source = $4 ORDER BY time DESC LIMIT ${SENDER_EVIDENCE}`,
      [device, from, to, source],
    );
    return rows.map((r) => num(r.id));
  }

  async write(w: StepWrite): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      for (const a of w.attributions ?? []) await saveAttribution(c, a);
      await raiseFindingsPg(c, w.findings ?? []);
      await savePositions(c, w.positions);
    });
  }

  async unnamedCreations(since: number): Promise<OpenFinding[]> {
    const { rows } = await this.pool.query<OpenFinding & { id: string }>(numbered(UNNAMED_CREATIONS), [since]);
    return rows.map((r) => ({ ...r, id: num(r.id) }));
  }

  async recordsById(ids: readonly number[]): Promise<StoredRecord[]> {
    const { rows } = await this.pool.query<PgEventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
    return rows.map(record);
  }

  async unnamedChanges(device: string, name: string): Promise<PendingChange[]> {
    return (await this.pool.query<PgChangeRow>(numbered(UNNAMED_CHANGES), [device, name])).rows.map(change);
  }

  /** findings.ts reattribute in PostgreSQL's SQL, under raiseFindingPg's lock on the finding's key (a pull may raise on the same key). */
  async reattribute(f: OpenFinding, update: Reattribution, attributions: readonly AttributionRow[], now: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['finding', f.kind, f.device, f.account])]);
      await c.query('UPDATE findings SET summary = $1, attribution = $2, severity = $3, evidence = $4, updated_at = $5 WHERE id = $6', [
        update.summary, update.attribution, update.severity, JSON.stringify(update.evidence), now, f.id,
      ]);
      if (update.escalated) await addHistoryPg(c, { findingId: f.id, at: now, from: f.status, to: f.status, reason: reattributedReason(f.severity, update.severity), severity: update.severity });
      for (const a of attributions) await saveAttribution(c, a);
    });
  }

  async explain(finding: OpenFinding, attributions: readonly AttributionRow[], why: Resolution, now: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      for (const a of attributions) await saveAttribution(c, a);
      await resolveOne(c, finding, why, now);
    });
  }

  async snapshotsToAudit(collectors: readonly string[]): Promise<Array<{ id: number; platform: string }>> {
    const want = JSON.stringify([...collectors]);
    const { rows } = await this.pool.query<{ id: string; platform: string; checks: string | null }>(LATEST_SNAPSHOT_AUDITS);
    return rows.filter((r) => r.checks === null || JSON.stringify((JSON.parse(r.checks) as StoredAudit).collectors) !== want).map((r) => ({ id: num(r.id), platform: r.platform }));
  }

  async snapshotConfig(id: number): Promise<string | undefined> {
    return (await this.pool.query<{ config: string }>('SELECT config FROM snapshots WHERE id = $1', [id])).rows[0]?.config;
  }

  async saveAudit(snapshotId: number, audit: StoredAudit): Promise<void> {
    await this.pool.query('INSERT INTO snapshot_audit (snapshot_id, checks) VALUES ($1, $2) ON CONFLICT (snapshot_id) DO UPDATE SET checks = excluded.checks', [snapshotId, JSON.stringify(audit)]);
  }

  async deviceInfo(inventory: readonly DeviceRef[]): Promise<Map<string, DeviceInfo>> {
    const [pulls, activity, audits, native] = await Promise.all([
      this.pool.query<{ device: string; last_success: string | null; snapshot_id: string | null }>('SELECT device, last_success, snapshot_id FROM pull_state'),
      this.pool.query<{ device: string; first_seen: string; last_seen: string }>('SELECT device, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM device_activity GROUP BY device'),
      this.pool.query<{ snapshot_id: string; checks: string }>('SELECT snapshot_id, checks FROM snapshot_audit'),
      this.pool.query<{ device: string; last: string }>('SELECT device, max(last_accepted) AS last FROM native_senders WHERE last_accepted IS NOT NULL GROUP BY device'),
    ]);
    return deviceInfoFrom(inventory, {
      pulls: new Map(pulls.rows.map((r) => [r.device, { last_success: numOrNull(r.last_success), snapshot_id: numOrNull(r.snapshot_id) }])),
      activity: new Map(activity.rows.map((r) => [r.device, { first_seen: num(r.first_seen), last_seen: num(r.last_seen) }])),
      audits: new Map(audits.rows.map((r) => [num(r.snapshot_id), r.checks])),
      native: new Map(native.rows.map((r) => [r.device, num(r.last)])),
    });
  }

  async presentAccounts(): Promise<PresentAccount[]> {
    const { rows } = await this.pool.query<{
      id: string; device: string; name: string; privilege: string | null; roles: string; first_seen: string; last_seen: string;
      first_snapshot_id: string; last_snapshot_id: string; login_time: string | null; login_id: string | null;
    }>(
      `SELECT a.id, a.device, a.name, a.privilege, a.roles, a.first_seen, a.last_seen, a.first_snapshot_id, a.last_snapshot_id,
         l.time AS login_time, l.id AS login_id
       FROM accounts a LEFT JOIN LATERAL (
         SELECT e.time, e.id FROM events e
         WHERE e.kind = 'session' AND e.action IN ('login', 'session.start') AND ${keyEquals('e.device', 'a.device')} AND ${keyEquals('e.actor', 'a.name')}
         ORDER BY e.time DESC LIMIT 1
       ) l ON true
       WHERE a.removed_at IS NULL ORDER BY a.id`,
    );
    return rows.map((r) => {
      const a: PresentAccount = {
        id: num(r.id), device: r.device, name: r.name, roles: r.roles === '[]' ? [] : (JSON.parse(r.roles) as string[]),
        firstSeen: num(r.first_seen), lastSeen: num(r.last_seen), firstSnapshotId: num(r.first_snapshot_id), lastSnapshotId: num(r.last_snapshot_id),
      };
      if (r.privilege !== null) a.privilege = r.privilege;
      if (r.login_time !== null) a.lastLogin = { time: num(r.login_time), eventId: num(r.login_id!) };
      return a;
    });
  }

  async origins(): Promise<Map<number, Origin>> {
    const { rows } = await this.pool.query<Record<keyof OriginRow, string | null>>(`${ORIGIN_SELECT} WHERE change = 'added' ORDER BY change_id`);
    const out = new Map<number, Origin>();
    for (const r of rows) {
      out.set(num(r.account_id!), originFrom({ ...r, account_id: num(r.account_id!), explained: num(r.explained!), at: numOrNull(r.at) } as OriginRow));
    }
    return out;
  }

  async openFindings(kinds: ReadonlySet<string>): Promise<OpenFinding[]> {
    const { rows } = await this.pool.query<OpenFinding & { id: string }>(
      `SELECT id, kind, device, account, severity, status, summary, attribution, evidence FROM findings WHERE status <> 'resolved' AND kind = ANY($1)`,
      [[...kinds]],
    );
    return rows.map((r) => ({ ...r, id: num(r.id) }));
  }

  async heardGaps(since: number): Promise<GapRow[]> {
    const { rows } = await this.pool.query<{ id: string; evidence: string }>(HEARD_GAPS_PG, [since, since]);
    return rows.map((r) => ({ id: num(r.id), evidence: r.evidence }));
  }

  async syncConditions(
    kinds: ReadonlySet<string>,
    conditions: readonly Condition[],
    resolution: (f: OpenFinding) => Resolution | undefined,
    now: number,
  ): Promise<SyncResult> {
    const steps = planSync(await this.openFindings(kinds), conditions, resolution);
    const write = async (c: pg.ClientBase, s: SyncStep): Promise<void> => {
      if (s.do === 'raise') {
        const cond = s.condition;
        const { rows } = await c.query<{ id: string }>(
          `INSERT INTO findings (kind, severity, device, account, status, summary, technique, evidence, attribution, first_seen, last_seen, occurrences, updated_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $9, 1, $9) RETURNING id`,
          [cond.kind, cond.severity, cond.device, cond.account, cond.summary, cond.technique ?? null, s.evidence, cond.attribution ?? null, now],
        );
        await addHistoryPg(c, { findingId: num(rows[0]!.id), at: now, from: null, to: 'open', severity: cond.severity });
      } else if (s.do === 'touch') await c.query('UPDATE findings SET last_seen = $1 WHERE id = $2', [now, s.finding.id]);
      else if (s.do === 'update') {
        const { finding: f, condition: cond } = s;
        await c.query(
          'UPDATE findings SET severity = $1, summary = $2, evidence = $3, attribution = $4, last_seen = $5, occurrences = occurrences + 1, updated_at = $5 WHERE id = $6',
          [cond.severity, cond.summary, s.evidence, cond.attribution ?? null, now, f.id],
        );
        if (s.escalated) {
          await addHistoryPg(c, { findingId: f.id, at: now, from: f.status, to: f.status, reason: `severity raised from ${f.severity} to ${cond.severity}`, severity: cond.severity });
        }
      } else await resolveOne(c, s.finding, s.why, now);
    };
    for (let i = 0; i < steps.length; i += SYNC_CHUNK) {
      const slice = steps.slice(i, i + SYNC_CHUNK);
      await inTransaction(this.pool, async (c) => {
        for (const s of slice) await write(c, s);
      });
    }
    return tally(steps);
  }

  async pullStates(): Promise<Map<string, PullStateLike>> {
    const { rows } = await this.pool.query<{ device: string; last_success: string | null; failures: string; snapshot_id: string | null }>(
      'SELECT device, last_success, failures, snapshot_id FROM pull_state',
    );
    return new Map(rows.map((r) => [r.device, { last_success: numOrNull(r.last_success), failures: num(r.failures), snapshot_id: numOrNull(r.snapshot_id) }]));
  }

  async keysWaiting(): Promise<Set<string>> {
    return new Set((await this.pool.query<{ device: string }>('SELECT device FROM host_key_changes')).rows.map((r) => r.device));
  }

  async pinnedKeys(): Promise<Map<string, PinnedKey>> {
    const { rows } = await this.pool.query<{ device: string; fingerprint: string; pinned_by: string | null; pinned_at: string }>('SELECT device, fingerprint, pinned_by, pinned_at FROM host_keys');
    return new Map(rows.map((r) => [r.device, { fingerprint: r.fingerprint, pinned_by: r.pinned_by, pinned_at: num(r.pinned_at) }]));
  }

  async resolve(items: ReadonlyArray<{ finding: OpenFinding; why: Resolution }>, now: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      for (const { finding, why } of items) await resolveOne(c, finding, why, now);
    });
  }

  async openByKind(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM findings WHERE status <> 'resolved' GROUP BY kind`);
    return Object.fromEntries(rows.map((r) => [r.kind, num(r.n)]));
  }
}

/**
 * lifecycle.ts's autoResolve. Only a finding still unresolved is resolved: a person may have
 * resolved it from the web since it was read, and their entry stands.
 */
async function resolveOne(c: pg.ClientBase, f: { id: number; severity: Severity; evidence: string }, why: Resolution, now: number): Promise<void> {
  // The status as it is now, under the row's lock (a decision may have moved it since it was read).
  const current = (await c.query<{ status: FindingStatus }>(`SELECT status FROM findings WHERE id = $1 FOR UPDATE`, [f.id])).rows[0];
  if (!current || current.status === 'resolved') return;
  const kept = resolvedEvidence(JSON.parse(f.evidence) as FindingEvidence, why, now);
  await c.query(`UPDATE findings SET status = 'resolved', accepted_until = NULL, evidence = $1, updated_at = $2 WHERE id = $3`, [JSON.stringify(kept), now, f.id]);
  await addHistoryPg(c, { findingId: f.id, at: now, from: current.status, to: 'resolved', reason: why.reason, severity: f.severity });
}
