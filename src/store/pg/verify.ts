// `verify` over PostgreSQL: every collector's hash chain, checked with the hashing of
// src/store/chain.ts, read in pages by sequence number so that a large table is never held whole.
// A chain must also end where its collector's head row says, so rows cut from its end are found;
// one whose front retention removed starts at its first record, which must follow the head's anchor.

import type pg from 'pg';
import { GENESIS, chainBody, hashBody, type ChainedFields } from '../chain.js';
import { pgText } from './multi-insert.js';
import { checkPurges, type PurgeReport, type PurgeRow, type RecordHashes } from '../purge.js';
import { unescapeBytes } from '../raw-bytes.js';
import { RECORD_COLUMNS } from '../schema/ingest.js';

export interface CollectorChainReport {
  collector: string;
  ok: boolean;
  checked: number;
  /** The last good hash, hex. */
  head: string;
  /** The number in its chain of the first record kept, when retention removed those before it. */
  from?: number;
  /** The first record whose stored hashes do not follow. */
  broken?: { id: number | null; seq: number; reason: string };
}

const PAGE = 5_000;

/** A chain body as its columns read back from PostgreSQL, NUL as U+FFFD. */
const pgBody = (body: string): string => JSON.stringify((JSON.parse(body) as unknown[]).map((v) => (typeof v === 'string' ? pgText(v) : v)));

interface EventRow extends Omit<ChainedFields, 'time'> {
  id: string;
  seq: string;
  time: string;
  body: string | null;
  raw_bytes: Buffer | null;
  prev_hash: Buffer;
  hash: Buffer;
}

/** Check every collector's chain; one report per collector, in name order. */
export async function verifyChains(db: pg.Pool | pg.ClientBase): Promise<CollectorChainReport[]> {
  const { rows } = await db.query<{ collector: string; seq: string; hash: Buffer; anchor: Buffer | null }>(
    `SELECT h.collector, h.seq, h.hash, h.anchor FROM chain_heads h
     UNION ALL SELECT DISTINCT e.collector, -1::bigint, NULL::bytea, NULL::bytea FROM events e WHERE NOT EXISTS (SELECT 1 FROM chain_heads h WHERE h.collector = e.collector)
     ORDER BY 1`,
  );
  const reports: CollectorChainReport[] = [];
  for (const r of rows) {
    reports.push(r.hash === null
      ? { collector: r.collector, ok: false, checked: 0, head: GENESIS.toString('hex'), broken: { id: null, seq: 0, reason: 'records without a chain head for their collector' } }
      : await verifyChain(db, r.collector, { seq: Number(r.seq), hash: r.hash, anchor: r.anchor ?? GENESIS, start: r.anchor === null ? 1 : await firstSeq(db, r.collector, Number(r.seq)) }));
  }
  return reports;
}

/**
 * Where an anchored chain starts: its first record, the anchor being the hash that one follows (or,
 * every record removed, the head's: the chain ends where it starts). A record removed from the front
 * without the anchor moving is found by the next not following it.
 */
async function firstSeq(db: pg.Pool | pg.ClientBase, collector: string, headSeq: number): Promise<number> {
  const { rows } = await db.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM events WHERE collector = $1', [collector]);
  return rows[0]!.seq === null ? headSeq + 1 : Number(rows[0]!.seq);
}

async function verifyChain(db: pg.Pool | pg.ClientBase, collector: string, recorded: { seq: number; hash: Buffer; anchor: Buffer; start: number }): Promise<CollectorChainReport> {
  let expectedPrev: Buffer = recorded.anchor;
  let expectedSeq = recorded.start;
  let checked = 0;
  const report = (broken?: CollectorChainReport['broken']): CollectorChainReport =>
    ({ collector, ok: !broken, checked, head: expectedPrev.toString('hex'), ...(recorded.start > 1 ? { from: recorded.start } : {}), ...(broken ? { broken } : {}) });
  for (;;) {
    const { rows } = await db.query<EventRow>(
      `SELECT id, seq, ${RECORD_COLUMNS.join(', ')}, body, raw_bytes, prev_hash, hash FROM events
        WHERE collector = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
      [collector, expectedSeq],
    );
    for (const row of rows) {
      const at = { id: Number(row.id), seq: Number(row.seq) };
      if (at.seq !== expectedSeq) return report({ ...at, reason: `record ${expectedSeq} of this collector is missing (removed)` });
      if (!row.prev_hash.equals(expectedPrev)) {
        return report({ ...at, reason: checked === 0 ? 'does not follow the chain start' : 'does not follow the record before it (a record was removed or reordered)' });
      }
      const stored = chainBody({ ...row, time: Number(row.time) });
      // A record kept with its exact body (a NUL in its text): the body is hashed, and its columns
      // must be the body's values as PostgreSQL holds them.
      if (row.body !== null && stored !== pgBody(row.body)) return report({ ...at, reason: 'its content or message was changed' });
      const h = hashBody(expectedPrev, row.body ?? stored);
      if (!h.equals(row.hash)) return report({ ...at, reason: 'its content or message was changed' });
      const raw = row.body === null ? row.raw : (JSON.parse(row.body) as Array<string | null>)[16]!;
      if (row.raw_bytes !== null && (raw === null || !unescapeBytes(raw).equals(row.raw_bytes))) {
        return report({ ...at, reason: 'its message bytes were changed' });
      }
      expectedPrev = h;
      expectedSeq++;
      checked++;
    }
    if (rows.length < PAGE) break;
  }
  const last = expectedSeq - 1;
  if (last !== recorded.seq || !expectedPrev.equals(recorded.hash)) {
    return report({ id: null, seq: last + 1, reason: `the chain ends at record ${last} but its head says ${recorded.seq}: records were removed from its end, or the head was changed` });
  }
  return report();
}

/**
 * Each collector's purge log (copied from SQLite by migrate, CHAIN_PURGES), checked as SQLite's
 * verify checks it, against that collector's records: by collector, only those that have one.
 * The pool must read bigint as numbers (PG_NUMBERS), as the entries' hashes cover their numbers.
 */
export async function verifyPurgeLogs(db: pg.Pool | pg.ClientBase): Promise<Array<{ collector: string } & PurgeReport>> {
  // Made by the first migrate: a database no store was migrated into has no purge log.
  if ((await db.query<{ t: string | null }>("SELECT to_regclass('chain_purges') AS t")).rows[0]!.t === null) return [];
  const { rows } = await db.query<PurgeRow & { collector: string }>('SELECT * FROM chain_purges ORDER BY collector, id');
  const reports: Array<{ collector: string } & PurgeReport> = [];
  for (const collector of [...new Set(rows.map((r) => r.collector))]) {
    const log = rows.filter((r) => r.collector === collector);
    const ids = log.flatMap((p) => [...(JSON.parse(p.new_hashes) as Array<[number, string]>).map(([id]) => id), p.from_id, p.to_id].filter((id): id is number => id !== null));
    const found = await db.query<RecordHashes & { id: number }>('SELECT id, prev_hash, hash FROM events WHERE collector = $1 AND id = ANY($2)', [collector, ids]);
    const hashes = new Map(found.rows.map((r) => [Number(r.id), r]));
    reports.push({ collector, ...checkPurges(log, (id) => hashes.get(id)) });
  }
  return reports;
}
