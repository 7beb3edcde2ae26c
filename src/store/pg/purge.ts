// Purging a secret found later from a shared PostgreSQL store (`aaawatch purge-secret` with
// store.url): SQLite's purge (src/store/purge.ts: the same selections, the same rewriting, the same
// purge entries and their hashes) over every collector's chain that holds it. The records of each
// such collector are re-chained from the first one changed to its head, under its head row's lock,
// and a purge entry is chained in that collector's purge log (chain_purges, which `verify` checks
// against its records, as it checks a migrated one); the rows outside the chains (messages,
// unknowns, rejected input; snapshots, accounts, findings and the estate's other tables) are
// rewritten in the same transaction. All or nothing: one transaction, so there is no purge
// half-done to finish (SQLite's purge_progress), at the cost of holding those collectors' writes
// for its length (their store threads wait, or are held and retry as in an outage).

import type pg from 'pg';
import { chainBody, GENESIS, hashBody } from '../chain.js';
import { bytesAsText, PLAIN, purgeBody, PurgeRefused, RECORD_TEXT, snapshotHash, type Place, type PurgeEntry, type PurgeRow, type RecordText, type Selection } from '../purge.js';
import { unescapeBytes } from '../raw-bytes.js';
import { createTables } from './migrate.js';
import { pgText } from './multi-insert.js';
import { chainMaintenanceLock } from './retention.js';
import { CHAIN_PURGES, RECORD_COLUMNS } from '../schema/ingest.js';
import { inTransaction } from './transaction.js';
import { verifyChains, verifyPurgeLogs } from './verify.js';

/** What a purge changes (or would change) in one collector's chain and its own ingest rows. */
export interface CollectorPurge {
  collector: string;
  /** Record ids whose content changes. */
  records: number[];
  /** The records re-chained: ids from the first changed to the chain's last. */
  rechain: { from: number; to: number } | null;
  /** Rows changed per table outside the chain (with the estate's, in the running collector's entry). */
  tables: Record<string, number>;
  /** The purge entry written (not in a dry run). */
  entry?: PurgeEntry;
}

export interface PgPurgeResult {
  collectors: CollectorPurge[];
  /** Rows of the estate's tables (pulls, findings, alerts) changed. */
  estate: Record<string, number>;
}

/**
 * Another hash-chained log outside the records whose entries may hold the text (the web's activity
 * log, src/web/data/pg-access.ts activityLogPg): SQLite's ChainedLog (src/store/purge.ts) on a
 * transaction's client, handed in by the caller so the store does not reach into the web's tables.
 */
export interface PgChainedLog {
  table: string;
  /** Hold its writers until the purge's transaction ends. */
  lock(c: pg.ClientBase): Promise<void>;
  /** Ids of the entries `rewrite` changes. */
  changed(c: pg.ClientBase, rewrite: (text: string, place: Place) => string): Promise<number[]>;
  /** Rewrite those entries and re-chain the log from the first of them. */
  rewrite(c: pg.ClientBase, rewrite: (text: string, place: Place) => string): Promise<void>;
  /** Where its chain is broken already, in words; undefined when it verifies. */
  broken(c: pg.ClientBase): Promise<string | undefined>;
}

/** Only one purge at a time for the whole database; its transaction holds it. */
const PURGE_LOCK: [string, string[]] = ['SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(['purge-secret'])]];

const PAGE = 2000;

interface EventRow {
  id: number;
  collector: string;
  seq: number;
  body: string | null;
  raw_bytes: Buffer | null;
  prev_hash: Buffer;
  hash: Buffer;
  [column: string]: unknown;
}

/** A record's chain values (RECORD_COLUMNS order): its exact body when kept, else its columns. */
function valuesOf(r: EventRow): Array<string | number | null> {
  if (r.body !== null) return JSON.parse(r.body) as Array<string | number | null>;
  return RECORD_COLUMNS.map((c) => (c === 'time' ? Number(r[c]) : (r[c] as string | null)));
}

const TEXT_AT = new Map<RecordText, number>(RECORD_TEXT.map((c) => [c, RECORD_COLUMNS.indexOf(c)]));

/** The record's values as the selection leaves them, and whether any changed. */
function rewriteValues(values: Array<string | number | null>, s: Selection): { values: Array<string | number | null>; changed: boolean } {
  const out = [...values];
  let changed = false;
  const platform = (values[RECORD_COLUMNS.indexOf('platform')] as string | null) ?? undefined;
  for (const [column, at] of TEXT_AT) {
    const v = out[at];
    if (typeof v !== 'string') continue;
    const next = s.rewrite(v, { table: 'events', column, platform });
    if (next !== v) {
      out[at] = next;
      changed = true;
    }
  }
  return { values: out, changed };
}

const prefilterSql = (s: Selection, column: string, first: number): { sql: string; args: string[] } => {
  if (!s.prefilter) return { sql: '', args: [] };
  const args = s.prefilter.args;
  return { sql: `AND (${args.map((_, i) => `strpos(${column}, $${first + i}) > 0`).join(' OR ')})`, args };
};

/** Each collector's first record (by its place in the chain) the selection changes. */
async function firstChanged(c: pg.ClientBase, s: Selection): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const text = s.prefilter ? `AND (${RECORD_TEXT.map((col) => prefilterSql(s, col, 3).sql.slice(4)).join(' OR ')})` : '';
  const args = s.prefilter ? s.prefilter.args : [];
  const heads = (await c.query<{ collector: string }>('SELECT collector FROM chain_heads ORDER BY collector')).rows.map((r) => r.collector);
  for (const collector of heads) {
    for (let after = 0; ;) {
      const { rows } = await c.query<EventRow>(
        `SELECT id, collector, seq, ${RECORD_COLUMNS.join(', ')}, body, raw_bytes, prev_hash, hash FROM events
          WHERE collector = $1 AND seq > $2 ${text} ORDER BY seq LIMIT ${PAGE}`,
        [collector, after, ...args],
      );
      const hit = rows.find((r) => rewriteValues(valuesOf(r), s).changed);
      if (hit) {
        found.set(collector, Number(hit.seq));
        break;
      }
      if (rows.length < PAGE) break;
      after = Number(rows.at(-1)!.seq);
    }
  }
  return found;
}

interface TableSpec {
  table: string;
  column: string;
  bytes: boolean;
  /** Per collector (its ingest rows) or the estate's. */
  collector: boolean;
  platform?: string;
}

/** The tables outside the chains whose text may hold it: SQLite's (PLAIN, rejects) with PostgreSQL's byte columns. */
function plainSpecs(): TableSpec[] {
  const ingest = new Set(['messages', 'unknowns']);
  const specs: TableSpec[] = PLAIN.flatMap((t) =>
    t.columns.map((column) => ({
      table: t.table, column, bytes: false, collector: ingest.has(t.table),
      ...(t.table === 'snapshots' ? { platform: 'platform' } : t.table === 'accounts' ? { platform: '(SELECT platform FROM snapshots s WHERE s.device = accounts.device ORDER BY s.id DESC LIMIT 1)' } : {}),
    })),
  );
  // Bytes kept beside a message's text (not UTF-8, or a NUL) and rejected input: read as SQLite reads them.
  specs.push({ table: 'messages', column: 'raw_bytes', bytes: true, collector: true }, { table: 'rejects', column: 'raw', bytes: true, collector: true });
  return specs;
}

interface PlainChange {
  spec: TableSpec;
  ctid: string;
  collector: string | undefined;
  value: string | Buffer;
}

async function changedPlain(c: pg.ClientBase, s: Selection): Promise<PlainChange[]> {
  const out: PlainChange[] = [];
  const present = new Set((await c.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
  )).rows.map((r) => r.relname));
  for (const spec of plainSpecs()) {
    if (!present.has(spec.table)) continue;
    const filter = spec.bytes ? { sql: '', args: [] } : prefilterSql(s, spec.column, 2);
    const extra = `${spec.collector ? ', collector' : ''}${spec.platform ? `, ${spec.platform} AS platform` : ''}`;
    for (let after = '(0,0)'; ;) {
      const { rows } = await c.query<{ k: string; v: string | Buffer; collector?: string; platform?: string | null }>(
        `SELECT ctid::text AS k, ${spec.column} AS v${extra} FROM ${spec.table}
          WHERE ctid > $1::tid AND ${spec.column} IS NOT NULL ${filter.sql} ORDER BY ctid LIMIT ${PAGE}`,
        [after, ...filter.args],
      );
      for (const r of rows) {
        const place: Place = { table: spec.table, column: spec.column === 'raw_bytes' ? 'raw' : spec.column, platform: r.platform ?? undefined };
        let value: string | Buffer;
        if (Buffer.isBuffer(r.v)) {
          const { text, encoding } = bytesAsText(r.v);
          const next = s.rewrite(text, place);
          if (next === text) continue;
          value = Buffer.from(next, encoding);
        } else {
          value = s.rewrite(r.v, place);
          if (value === r.v) continue;
        }
        out.push({ spec, ctid: r.k, collector: r.collector, value });
      }
      if (rows.length < PAGE) break;
      after = rows.at(-1)!.k;
    }
  }
  return out;
}

/** Distinct rows changed, per table. */
function rowCounts(changes: readonly PlainChange[]): Record<string, number> {
  const seen = new Set<string>();
  const out: Record<string, number> = {};
  for (const ch of changes) {
    const key = `${ch.spec.table}:${ch.ctid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[ch.spec.table] = (out[ch.spec.table] ?? 0) + 1;
  }
  return out;
}

/** Re-chain `collector` from its record `fromSeq` to its head, rewriting what the selection changes; its head locked by the caller. */
async function rechain(c: pg.ClientBase, collector: string, fromSeq: number, s: Selection): Promise<{ records: number[]; from: number; to: number; anchor: Buffer; head: Buffer; hashes: Array<[number, string]> }> {
  const changed: number[] = [];
  const hashes: Array<[number, string]> = [];
  let prev: Buffer | undefined;
  let anchor: Buffer | undefined;
  let from = 0;
  let to = 0;
  for (let after = fromSeq - 1; ;) {
    const { rows } = await c.query<EventRow>(
      `SELECT id, collector, seq, ${RECORD_COLUMNS.join(', ')}, body, raw_bytes, prev_hash, hash FROM events
        WHERE collector = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [collector, after],
    );
    if (rows.length === 0) break;
    if (prev === undefined) {
      prev = anchor = rows[0]!.prev_hash;
      from = Number(rows[0]!.id);
    }
    const updates: Array<{ id: number; values: Array<string | number | null>; body: string | null; rawBytes: Buffer | null; prev: Buffer; hash: Buffer }> = [];
    for (const r of rows) {
      const { values, changed: differs } = rewriteValues(valuesOf(r), s);
      const body = JSON.stringify(values);
      const hash = hashBody(prev, body);
      const id = Number(r.id);
      const raw = values[RECORD_COLUMNS.indexOf('raw')] as string | null;
      // The exact bytes follow the text they were kept beside (verify holds them to it).
      const rawBytes = r.raw_bytes !== null && differs && raw !== null ? unescapeBytes(raw) : r.raw_bytes;
      updates.push({ id, values, body: r.body !== null && body.includes('\\u0000') ? body : null, rawBytes, prev, hash });
      if (differs) {
        changed.push(id);
        hashes.push([id, hash.toString('hex')]);
      }
      prev = hash;
      to = id;
    }
    const textColumns = [...TEXT_AT.keys()];
    await c.query(
      `UPDATE events e SET ${textColumns.map((col, i) => `${col} = v.c${i}`).join(', ')}, body = v.body, raw_bytes = v.raw_bytes, prev_hash = v.prev_hash, hash = v.hash
         FROM unnest($1::bigint[], ${textColumns.map((_, i) => `$${i + 2}::text[]`).join(', ')}, $${textColumns.length + 2}::text[], $${textColumns.length + 3}::bytea[], $${textColumns.length + 4}::bytea[], $${textColumns.length + 5}::bytea[])
           AS v(id, ${textColumns.map((_, i) => `c${i}`).join(', ')}, body, raw_bytes, prev_hash, hash)
        WHERE e.id = v.id`,
      [
        updates.map((u) => u.id),
        ...textColumns.map((col) => updates.map((u) => {
          const v = u.values[TEXT_AT.get(col)!];
          return typeof v === 'string' ? pgText(v) : null;
        })),
        updates.map((u) => u.body), updates.map((u) => u.rawBytes), updates.map((u) => u.prev), updates.map((u) => u.hash),
      ],
    );
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)!.seq);
  }
  await c.query('UPDATE chain_heads SET hash = $2 WHERE collector = $1', [collector, prev]);
  return { records: changed, from, to, anchor: anchor!, head: prev!, hashes };
}

/** The purge entry chained after `collector`'s last one. */
async function writeEntry(
  c: pg.ClientBase, collector: string, who: { by: string; reason: string; at: number }, selection: string,
  records: number[], tables: Record<string, number>, chain: Awaited<ReturnType<typeof rechain>> | undefined,
): Promise<PurgeEntry> {
  const last = (await c.query<{ id: number; hash: Buffer }>('SELECT id, hash FROM chain_purges WHERE collector = $1 ORDER BY id DESC LIMIT 1', [collector])).rows[0];
  const prevHash = last?.hash ?? GENESIS;
  const row: Omit<PurgeRow, 'id' | 'prev_hash' | 'hash'> = {
    at: who.at, by: who.by, reason: who.reason, selection,
    rows: JSON.stringify({ records, tables }),
    from_id: chain?.from ?? null, to_id: chain?.to ?? null, anchor: chain?.anchor ?? null,
    new_hashes: JSON.stringify(chain?.hashes ?? []), new_head: chain?.head ?? null,
  };
  const hash = hashBody(prevHash, purgeBody(row));
  const id = (last ? Number(last.id) : 0) + 1;
  await c.query(
    `INSERT INTO chain_purges (collector, id, at, by, reason, selection, rows, from_id, to_id, anchor, new_hashes, new_head, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [collector, id, row.at, row.by, row.reason, row.selection, row.rows, row.from_id, row.to_id, row.anchor, row.new_hashes, row.new_head, prevHash, hash],
  );
  return { id, at: row.at, by: row.by, reason: row.reason, selection, records, tables, fromId: row.from_id, toId: row.to_id, hash: hash.toString('hex') };
}

/**
 * Purge what `s` selects from every collector's chain and the rows outside them; `dryRun`: count
 * only. `self`: the collector running it, whose purge entry carries the estate's rows. Refused,
 * changing nothing, when a chain or purge log to be re-chained does not verify. The pool must read
 * bigint as numbers (PG_NUMBERS), as purge entries' hashes cover their numbers.
 */
export async function purgePg(
  pool: pg.Pool, s: Selection, who: { by: string; reason: string; at: number }, self: string, dryRun: boolean, logs: readonly PgChainedLog[] = [],
): Promise<PgPurgeResult | undefined> {
  if (!dryRun) await createTables(pool, [CHAIN_PURGES]);
  const rewrite = (t: string, p: Place): string => s.rewrite(t, p);
  return inTransaction(pool, async (c) => {
    await c.query(...PURGE_LOCK);
    const first = await firstChanged(c, s);
    const plain = await changedPlain(c, s);
    // Each log's entries the selection changes, by table (the estate's rows: in the running collector's entry).
    const logChanges = async (): Promise<Map<PgChainedLog, number>> => {
      const out = new Map<PgChainedLog, number>();
      for (const l of logs) {
        const n = (await l.changed(c, rewrite)).length;
        if (n) out.set(l, n);
      }
      return out;
    };
    let changedLogs = await logChanges();
    if (first.size === 0 && plain.length === 0 && changedLogs.size === 0) return undefined;
    const byCollector = new Map<string, PlainChange[]>();
    const estate: PlainChange[] = [];
    for (const ch of plain) {
      if (ch.collector === undefined) estate.push(ch);
      else byCollector.set(ch.collector, [...(byCollector.get(ch.collector) ?? []), ch]);
    }
    if (!dryRun) {
      // The chains to re-chain locked in name order (a writer locks only its own head); re-chaining
      // runs to each head as it stands under the lock, so records stored meanwhile are covered too.
      const locked = [...first.keys()].sort();
      for (const collector of locked) {
        await c.query(...chainMaintenanceLock(collector));
        await c.query('SELECT 1 FROM chain_heads WHERE collector = $1 FOR UPDATE', [collector]);
      }
      const chains = await verifyChains(c);
      for (const chain of chains.filter((r) => first.has(r.collector) && !r.ok)) {
        throw new PurgeRefused(`collector ${chain.collector}'s chain is broken at number ${chain.broken!.seq} (${chain.broken!.reason}); a purge would re-chain over it, so nothing was changed`);
      }
      for (const log of (await verifyPurgeLogs(c)).filter((l) => !l.ok)) {
        throw new PurgeRefused(`collector ${log.collector}'s purge log does not verify at entry ${log.broken!.id} (${log.broken!.reason}); nothing was changed`);
      }
      // Each log's writers held, then it is read again: an entry written meanwhile is rewritten too.
      for (const l of logs) await l.lock(c);
      for (const l of logs) {
        const broken = await l.broken(c);
        if (broken) throw new PurgeRefused(`the ${l.table} chain ${broken}; a purge would re-chain over it, so nothing was changed`);
      }
      changedLogs = await logChanges();
    }
    const logCounts = Object.fromEntries([...changedLogs].map(([l, n]) => [l.table, n]));
    const collectors = [...new Set([...first.keys(), ...byCollector.keys(), ...(estate.length || changedLogs.size ? [self] : [])])].sort();
    const out: CollectorPurge[] = [];
    for (const collector of collectors) {
      const own = byCollector.get(collector) ?? [];
      const tables = { ...rowCounts(own), ...(collector === self ? { ...rowCounts(estate), ...logCounts } : {}) };
      const from = first.get(collector);
      if (dryRun) {
        out.push({ collector, records: from === undefined ? [] : await changedIds(c, collector, from, s), rechain: null, tables });
        continue;
      }
      await applyPlain(c, [...own, ...(collector === self ? estate : [])]);
      if (collector === self) for (const l of changedLogs.keys()) await l.rewrite(c, rewrite);
      const chain = from === undefined ? undefined : await rechain(c, collector, from, s);
      const entry = await writeEntry(c, collector, who, s.describe, chain?.records ?? [], tables, chain);
      out.push({ collector, records: chain?.records ?? [], rechain: chain ? { from: chain.from, to: chain.to } : null, tables, entry });
    }
    return { collectors: out, estate: rowCounts(estate) };
  });
}

/** The ids of a collector's records the selection changes, from `fromSeq` on (a dry run). */
async function changedIds(c: pg.ClientBase, collector: string, fromSeq: number, s: Selection): Promise<number[]> {
  const ids: number[] = [];
  for (let after = fromSeq - 1; ;) {
    const { rows } = await c.query<EventRow>(
      `SELECT id, collector, seq, ${RECORD_COLUMNS.join(', ')}, body, raw_bytes, prev_hash, hash FROM events WHERE collector = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`,
      [collector, after],
    );
    for (const r of rows) if (rewriteValues(valuesOf(r), s).changed) ids.push(Number(r.id));
    if (rows.length < PAGE) return ids;
    after = Number(rows.at(-1)!.seq);
  }
}

/**
 * The rows outside the chains rewritten, each row's columns in one statement (an update moves a
 * row, so its ctid names it once); a snapshot's change-detection hash with its text. A row changed
 * by someone else since it was read has moved: refused, to be run again, rather than left holding it.
 */
async function applyPlain(c: pg.ClientBase, changes: readonly PlainChange[]): Promise<void> {
  const rows = new Map<string, PlainChange[]>();
  for (const ch of changes) rows.set(`${ch.spec.table}\n${ch.ctid}`, [...(rows.get(`${ch.spec.table}\n${ch.ctid}`) ?? []), ch]);
  for (const row of rows.values()) {
    const { table } = row[0]!.spec;
    const sets = row.map((ch) => [ch.spec.column, ch.value] as [string, string | Buffer]);
    if (table === 'snapshots') {
      const platform = (await c.query<{ platform: string }>('SELECT platform FROM snapshots WHERE ctid = $1::tid', [row[0]!.ctid])).rows[0]?.platform;
      const config = sets.find(([col]) => col === 'config');
      if (config) sets.push(['hash', snapshotHash(config[1] as string, platform)]);
    }
    const done = await c.query(`UPDATE ${table} SET ${sets.map(([col], i) => `${col} = $${i + 2}`).join(', ')} WHERE ctid = $1::tid`, [row[0]!.ctid, ...sets.map(([, v]) => v)]);
    if (done.rowCount !== 1) throw new PurgeRefused(`a row of ${table} changed while the purge read it; nothing was changed: run it again`);
  }
}
