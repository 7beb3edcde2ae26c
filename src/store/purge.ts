// Purging a secret found in stored rows after the fact: the rows that hold it are re-redacted,
// the hash chain over records is recomputed from the first record that changed, and a purge entry
// (who, when, why, how the rows were chosen, which records changed and the hashes the chain
// carries since) is chained in `chain_purges` and mirrored in the activity log, so `verify` still
// passes and says what was purged.
//
// The old hashes of the records from the first one changed onwards are not kept anywhere: each
// was computed over text holding the secret, so with the rest of the row (which stays readable)
// it would let anyone test guesses of the secret. A head exported before the purge is matched by
// the purge entry's time and range instead.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { platformById } from '../../parsers/index.js';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { significantText } from '../pull/digest.js';
import { reappliedActivityDetail, reviewerText } from '../reconcile/reviewer-text.js';
import { chainBody, GENESIS, hashBody, verifyChain, type ChainedFields } from './chain.js';
import type { Db } from './db.js';
import { entriesRewritten } from './index-moves.js';
import { emptyWal } from './scrub.js';

/** Where a stored text stands: its table and column, and the platform that wrote it when known. */
export interface Place {
  table: string;
  column: string;
  platform?: string | undefined;
}

/** How rows are chosen, and what their text becomes. */
export interface Selection {
  /** In words, for the purge entry and the output; never the value itself. */
  describe: string;
  /** The text with what is selected replaced; the same string when it holds nothing selected. */
  rewrite(text: string, place: Place): string;
  /** A cheap SQL pre-filter for a column (`instr(col, ?) > 0`), when the selection has one. */
  prefilter?: { sql: (column: string) => string; args: string[] };
}

/**
 * The selection, adding to `into` each value it replaces where the replacement is the marker (a
 * pattern's or a newer redaction's values are known only as they are found): what to look for in
 * the file's free space afterwards.
 */
export function noting(s: Selection, into: Set<string>): Selection {
  return {
    ...s,
    rewrite: (text, place) => {
      const next = s.rewrite(text, place);
      if (next !== text) for (const v of replaced(text, next)) into.add(v);
      return next;
    },
  };
}

/** The stretches of `text` that `next` shows as the marker (the text between them is unchanged). */
export function replaced(text: string, next: string): string[] {
  const parts = next.split(REDACTED);
  const out: string[] = [];
  if (!text.startsWith(parts[0]!)) return out;
  let at = parts[0]!.length;
  for (let i = 1; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const end = last ? (text.endsWith(parts[i]!) ? text.length - parts[i]!.length : -1) : text.indexOf(parts[i]!, at);
    if (end < at) return out;
    const value = text.slice(at, end);
    if (value !== REDACTED && value.length > 0) out.push(value);
    at = end + parts[i]!.length;
  }
  return out;
}

/** Every occurrence of each value, wherever it stands. */
export function valueSelection(values: readonly string[]): Selection {
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return {
    describe: values.length === 1 ? `a value of ${values[0]!.length} characters` : `${values.length} values`,
    rewrite: (text) => sorted.reduce((t, v) => (t.includes(v) ? t.split(v).join(REDACTED) : t), text),
    prefilter: { sql: (c) => `(${sorted.map(() => `instr(${c}, ?) > 0`).join(' OR ')})`, args: sorted },
  };
}

/** What a regular expression matches: its group named `secret`, else its first group, else the whole match. */
export function patternSelection(pattern: RegExp): Selection {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  return {
    describe: `the pattern /${pattern.source}/${pattern.flags}`,
    rewrite: (text) =>
      text.replace(re, (...args: unknown[]) => {
        const whole = args[0] as string;
        const groups = args[args.length - 1] as Record<string, string | undefined> | undefined;
        const offset = args.findIndex((a) => typeof a === 'number');
        const captures = args.slice(1, offset) as Array<string | undefined>;
        const secret = (groups && typeof groups === 'object' ? groups.secret : undefined) ?? captures[0];
        if (secret === undefined || secret === '') return secret === '' ? whole : REDACTED;
        const at = whole.indexOf(secret);
        return at < 0 ? whole : whole.slice(0, at) + REDACTED + whole.slice(at + secret.length);
      }),
  };
}

/** A redaction: for text that came in a message, for configuration text of a platform, and for what a reviewer typed. */
export interface Redaction {
  message(text: string): string;
  configuration(text: string, platform: string | undefined): string;
  /** A decision's reason or ticket (finding_history), by reviewerText's rule, not the gate's. */
  reviewer(text: string): string;
  /** An activity entry's detail (JSON): its reviewer fields by reviewerText's rule, the rest as stored. */
  activityDetail(detail: string): string;
}

/** This version's: the generic gate for messages, each platform's own for its configurations. */
export const CURRENT_REDACTION: Redaction = {
  message: redactSecrets,
  configuration(text, platform) {
    const redact = platform ? platformById(platform)?.redact : undefined;
    return redact ? redact(text) : redactSecrets(text);
  },
  reviewer: (text) => reviewerText(text).text,
  activityDetail: reappliedActivityDetail,
};

/**
 * A redaction applied again to what ingest and pulls stored (records, messages, samples, rejected
 * input, snapshots, account lines) and to what reviewers typed (decisions' reasons and tickets,
 * the activity log's): a row stored before a form was known, or before reviewer text was redacted
 * at write, is rewritten as it would be stored now.
 */
export function reapplySelection(redaction: Redaction = CURRENT_REDACTION): Selection {
  return {
    describe: "this version's redaction, applied again",
    rewrite(text, place) {
      if (place.table === 'snapshots') return redaction.configuration(text, place.platform);
      if (place.table === 'accounts') {
        const lines = JSON.parse(text) as string[];
        const redone = lines.map((l) => redaction.configuration(l, place.platform));
        return redone.every((l, i) => l === lines[i]) ? text : JSON.stringify(redone);
      }
      if (REVIEWER.has(`${place.table}.${place.column}`)) return redaction.reviewer(text);
      if (place.table === 'web_audit' && place.column === 'detail') return redaction.activityDetail(text);
      return REAPPLIED.has(`${place.table}.${place.column}`) ? redaction.message(text) : text;
    },
  };
}
const REAPPLIED = new Set(['events.raw', 'events.command', 'messages.raw', 'unknowns.example', 'rejects.raw']);
const REVIEWER = new Set(['finding_history.reason', 'finding_history.ticket']);

/**
 * Another hash-chained log whose entries may hold the text (the activity log, src/web/store.ts):
 * it finds the entries a rewrite changes, and rewrites them and re-chains itself from the first.
 * Handed in by the caller, so the store does not reach into the web interface's tables.
 */
export interface ChainedLog {
  table: string;
  /** Ids of the entries `rewrite` changes. */
  changed(db: Db, rewrite: (text: string, place: Place) => string): number[];
  /** Rewrite those entries and re-chain the log from the first of them (inside the caller's transaction). */
  rewrite(db: Db, rewrite: (text: string, place: Place) => string): void;
  /** Where its chain is broken already, in words; undefined when it verifies. */
  broken(db: Db): string | undefined;
}

// ---- where stored text stands -------------------------------------------------------------------

/** The record columns the chain covers that hold text. */
export const RECORD_TEXT = ['actor', 'actor_address', 'target', 'privilege', 'role', 'grp', 'path', 'technique', 'command', 'session', 'container', 'raw'] as const;
export type RecordText = (typeof RECORD_TEXT)[number];

/** Tables outside the chain whose free text came from devices or was written about it (keys and names aside). */
export const PLAIN: ReadonlyArray<{ table: string; key: string; columns: readonly string[]; platform?: string }> = [
  { table: 'messages', key: 'id', columns: ['raw'], platform: 'platform' },
  { table: 'unknowns', key: 'rowid', columns: ['example'] },
  { table: 'snapshots', key: 'id', columns: ['config'], platform: 'platform' },
  { table: 'accounts', key: 'id', columns: ['lines'] },
  { table: 'findings', key: 'id', columns: ['summary', 'attribution', 'evidence'] },
  { table: 'finding_history', key: 'id', columns: ['reason', 'ticket'] },
  { table: 'change_attribution', key: 'rowid', columns: ['sentence', 'evidence'] },
  { table: 'snapshot_audit', key: 'snapshot_id', columns: ['checks'] },
  { table: 'pull_runs', key: 'rowid', columns: ['error'] },
  { table: 'pull_state', key: 'rowid', columns: ['last_error'] },
  { table: 'alert_outbox', key: 'rowid', columns: ['payload', 'last_error'] },
];

const CHUNK = 2000;

/** What a purge changes (or, in a dry run, would change). */
export interface PurgeCounts {
  /** Records whose content changes. */
  records: number[];
  /** The records re-chained: from the first changed to the last stored. */
  rechain: { from: number; to: number } | null;
  /** Rows changed per table outside the chain. */
  tables: Record<string, number>;
}

export interface PurgeEntry {
  id: number;
  at: number;
  by: string;
  reason: string;
  selection: string;
  records: number[];
  tables: Record<string, number>;
  fromId: number | null;
  toId: number | null;
  hash: string;
}

export class PurgeRefused extends Error {
  override name = 'PurgeRefused';
}

type RecordRow = ChainedFields & { id: number; prev_hash: Buffer; hash: Buffer };

function recordRows(db: Db, fromId: number, s: Selection | undefined, limit = CHUNK): RecordRow[] {
  const filter = s?.prefilter ? `AND (${RECORD_TEXT.map((c) => s.prefilter!.sql(c)).join(' OR ')})` : '';
  const args = s?.prefilter ? RECORD_TEXT.flatMap(() => s.prefilter!.args) : [];
  return db
    .prepare(
      `SELECT id, kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp, path, technique,
              command, session, container, raw, prev_hash, hash
         FROM events WHERE id >= ? ${filter} ORDER BY id LIMIT ?`,
    )
    .all(fromId, ...args, limit) as RecordRow[];
}

/** The records whose text the selection changes, with their new text. */
function changedRecords(db: Db, s: Selection): Map<number, Partial<Record<RecordText, string>>> {
  const changed = new Map<number, Partial<Record<RecordText, string>>>();
  for (let from = 0; ; ) {
    const rows = recordRows(db, from, s);
    for (const r of rows) {
      const update: Partial<Record<RecordText, string>> = {};
      for (const c of RECORD_TEXT) {
        const v = r[c];
        if (v === null) continue;
        const next = s.rewrite(v, { table: 'events', column: c, platform: r.platform });
        if (next !== v) update[c] = next;
      }
      if (Object.keys(update).length) changed.set(r.id, update);
    }
    if (rows.length < CHUNK) break;
    from = rows[rows.length - 1]!.id + 1;
  }
  return changed;
}

interface PlainChange {
  table: string;
  key: string;
  keyValue: number;
  column: string;
  value: string | Buffer;
  platform?: string | undefined;
  extra?: Record<string, string>;
}

/** Bytes as text a selection can read: UTF-8 when they are, else one character per byte. */
export function bytesAsText(raw: Buffer): { text: string; encoding: BufferEncoding } {
  const utf8 = raw.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(raw) ? { text: utf8, encoding: 'utf8' } : { text: raw.toString('latin1'), encoding: 'latin1' };
}

function changedPlain(db: Db, s: Selection): PlainChange[] {
  const out: PlainChange[] = [];
  const tables = [...PLAIN, { table: 'rejects', key: 'id', columns: ['raw'] }];
  for (const t of tables) {
    for (const column of t.columns) {
      const platformColumn = 'platform' in t && t.platform ? `, ${t.platform} AS platform` : t.table === 'accounts' ? ', (SELECT platform FROM snapshots s WHERE s.device = accounts.device ORDER BY s.id DESC LIMIT 1) AS platform' : '';
      const filter = s.prefilter && t.table !== 'rejects' ? `AND ${s.prefilter.sql(column)}` : '';
      const args = s.prefilter && t.table !== 'rejects' ? s.prefilter.args : [];
      const select = db.prepare(`SELECT ${t.key} AS k, ${column} AS v${platformColumn} FROM ${t.table} WHERE ${t.key} > ? AND ${column} IS NOT NULL ${filter} ORDER BY ${t.key} LIMIT ?`);
      for (let after = -1; ; ) {
        const rows = select.all(after, ...args, CHUNK) as Array<{ k: number; v: string | Buffer; platform?: string | null }>;
        for (const r of rows) {
          const place = { table: t.table, column, platform: r.platform ?? undefined };
          if (Buffer.isBuffer(r.v)) {
            const { text, encoding } = bytesAsText(r.v);
            const next = s.rewrite(text, place);
            if (next !== text) out.push({ table: t.table, key: t.key, keyValue: r.k, column, value: Buffer.from(next, encoding), platform: place.platform });
            continue;
          }
          const next = s.rewrite(r.v, place);
          if (next === r.v) continue;
          const change: PlainChange = { table: t.table, key: t.key, keyValue: r.k, column, value: next, platform: place.platform };
          if (t.table === 'snapshots') change.extra = { hash: snapshotHash(next, r.platform ?? undefined) };
          out.push(change);
        }
        if (rows.length < CHUNK) break;
        after = rows[rows.length - 1]!.k;
      }
    }
  }
  return out;
}

/** A snapshot's change-detection hash, as a pull computes it (src/pull/digest.ts). */
export function snapshotHash(config: string, platform: string | undefined): string {
  const volatile = (platform ? platformById(platform)?.ssh?.volatile : undefined) ?? [];
  return createHash('sha256').update(significantText(config, volatile)).digest('hex');
}

function countsOf(records: Map<number, unknown>, plain: readonly PlainChange[], lastId: number | undefined): PurgeCounts {
  const tables: Record<string, number> = {};
  const seen = new Set<string>();
  for (const c of plain) {
    const row = `${c.table}:${c.keyValue}`;
    if (seen.has(row)) continue;
    seen.add(row);
    tables[c.table] = (tables[c.table] ?? 0) + 1;
  }
  const ids = [...records.keys()].sort((a, b) => a - b);
  return { records: ids, rechain: ids.length && lastId !== undefined ? { from: ids[0]!, to: lastId } : null, tables };
}

const lastRecordId = (db: Db): number | undefined => (db.prepare('SELECT max(id) AS id FROM events').get() as { id: number | null }).id ?? undefined;

/** What the selection would change; nothing is written. */
export function purgePreview(db: Db, s: Selection, logs: readonly ChainedLog[] = []): PurgeCounts {
  return withLogs(countsOf(changedRecords(db, s), changedPlain(db, s), lastRecordId(db)), db, s, logs);
}

function withLogs(counts: PurgeCounts, db: Db, s: Selection, logs: readonly ChainedLog[]): PurgeCounts {
  for (const log of logs) {
    const n = log.changed(db, (t, p) => s.rewrite(t, p)).length;
    if (n) counts.tables[log.table] = n;
  }
  return counts;
}

// ---- the purge log -----------------------------------------------------------------------------

/** An entry of the purge log as stored (SQLite's chain_purges; PostgreSQL's adds the collector). */
export interface PurgeRow {
  id: number;
  at: number;
  by: string;
  reason: string;
  selection: string;
  rows: string;
  from_id: number | null;
  to_id: number | null;
  anchor: Buffer | null;
  new_hashes: string;
  new_head: Buffer | null;
  prev_hash: Buffer;
  hash: Buffer;
}

export function purgeBody(p: Omit<PurgeRow, 'id' | 'prev_hash' | 'hash'>): string {
  return JSON.stringify([p.at, p.by, p.reason, p.selection, p.rows, p.from_id, p.to_id, p.anchor?.toString('hex') ?? null, p.new_hashes, p.new_head?.toString('hex') ?? null]);
}

const hex = (b: Buffer | null): string | null => (b ? b.toString('hex') : null);

/** Records re-chained per transaction: serve's store thread waits for each (it gives up after 5 s), so each stays short. */
const RECHAIN_CHUNK = 1000;

interface ProgressRow {
  started_at: number;
  by: string;
  reason: string;
  selection: string;
  from_id: number;
  next_id: number;
  prev: Buffer;
  anchor: Buffer;
  changed: string;
  tables: string;
}

const progressOf = (db: Db): ProgressRow | undefined => db.prepare('SELECT * FROM purge_progress WHERE id = 1').get() as ProgressRow | undefined;

/** The first record whose text the selection changes. */
function firstChangedRecord(db: Db, s: Selection): number | undefined {
  for (let from = 0; ; ) {
    const rows = recordRows(db, from, s);
    for (const r of rows) if (RECORD_TEXT.some((c) => r[c] !== null && s.rewrite(r[c], { table: 'events', column: c, platform: r.platform }) !== r[c])) return r.id;
    if (rows.length < CHUNK) return undefined;
    from = rows[rows.length - 1]!.id + 1;
  }
}

/** A record's text fields as the selection leaves them, and whether any changed. */
function rewriteRecord(r: RecordRow, s: Selection): { fields: RecordRow; changed: boolean } {
  const fields: RecordRow = { ...r };
  let changed = false;
  for (const c of RECORD_TEXT) {
    const v = r[c];
    if (v === null) continue;
    const next = s.rewrite(v, { table: 'events', column: c, platform: r.platform });
    if (next !== v) {
      fields[c] = next;
      changed = true;
    }
  }
  return { fields, changed };
}

/**
 * Re-redact every stored row the selection changes, re-chain the records from the first one
 * changed, and record the purge. The checks and the search run without the write lock; the rows
 * outside the chain are rewritten in one short transaction, then the records a thousand at a time,
 * each batch its own transaction, so serve goes on storing meanwhile (its new records are re-chained
 * in turn, the last batch and the purge entry together). An interrupted purge is finished by
 * running it again with the same selection; until then `verify` says it was interrupted.
 * Refuses when the chain, the purge log or another chained log does not verify: re-chaining would
 * cover up tampering.
 */
export function purgeStored(
  db: Db,
  s: Selection,
  who: { by: string; reason: string; at: number },
  logs: readonly ChainedLog[] = [],
): { entry: PurgeEntry; counts: PurgeCounts; checkpointed: boolean } | undefined {
  // Overwrite what is deleted or rewritten with zeros, so the old text leaves the file's free space.
  db.pragma('secure_delete = ON');
  const pending = progressOf(db);
  if (pending && pending.selection !== s.describe) {
    throw new PurgeRefused(`a purge of ${pending.selection} begun ${new Date(pending.started_at).toISOString()} by ${pending.by} was interrupted at record ${pending.next_id}; run it again with the same selection to finish it first`);
  }
  if (!pending) {
    // One consistent view, read without the write lock.
    const plan = db.transaction(() => {
      const chain = verifyChain(db);
      if (!chain.ok) throw new PurgeRefused(`the record chain is broken at record ${chain.broken!.id} (${chain.broken!.reason}); a purge would re-chain over it, so nothing was changed`);
      const log = verifyPurges(db);
      if (!log.ok) throw new PurgeRefused(`the purge log does not verify at entry ${log.broken!.id} (${log.broken!.reason}); nothing was changed`);
      for (const l of logs) {
        const broken = l.broken(db);
        if (broken) throw new PurgeRefused(`the ${l.table} chain ${broken}; a purge would re-chain over it, so nothing was changed`);
      }
      return { first: firstChangedRecord(db, s), plain: changedPlain(db, s), logs: logs.filter((l) => l.changed(db, (t, p) => s.rewrite(t, p)).length > 0) };
    })();
    if (plan.first === undefined && plan.plain.length === 0 && plan.logs.length === 0) return undefined;
    const started = db.transaction(() => {
      // Each planned row read again under the lock, so a row changed since is rewritten as it now stands.
      const tables: Record<string, number> = {};
      for (const c of plan.plain) {
        const now = db.prepare(`SELECT ${c.column} AS v FROM ${c.table} WHERE ${c.key} = ?`).get(c.keyValue) as { v: string | Buffer | null } | undefined;
        if (!now || now.v === null) continue;
        const platform = c.platform;
        const place = { table: c.table, column: c.column, platform };
        let value: string | Buffer;
        if (Buffer.isBuffer(now.v)) {
          const { text, encoding } = bytesAsText(now.v);
          const next = s.rewrite(text, place);
          if (next === text) continue;
          value = Buffer.from(next, encoding);
        } else {
          value = s.rewrite(now.v, place);
          if (value === now.v) continue;
        }
        const extra = c.table === 'snapshots' ? { hash: snapshotHash(value as string, platform) } : {};
        const sets = [c.column, ...Object.keys(extra)];
        db.prepare(`UPDATE ${c.table} SET ${sets.map((x) => `${x} = ?`).join(', ')} WHERE ${c.key} = ?`).run(value, ...Object.values(extra), c.keyValue);
        tables[c.table] = (tables[c.table] ?? 0) + 1;
      }
      for (const l of plan.logs) {
        const n = l.changed(db, (t, p) => s.rewrite(t, p)).length;
        if (n === 0) continue;
        l.rewrite(db, (t, p) => s.rewrite(t, p));
        tables[l.table] = n;
      }
      const first = plan.first === undefined ? undefined : (db.prepare('SELECT id, prev_hash FROM events WHERE id >= ? ORDER BY id LIMIT 1').get(plan.first) as { id: number; prev_hash: Buffer } | undefined);
      if (!first) return finish(db, s, who, tables, [], undefined);
      db.prepare('INSERT INTO purge_progress (id, started_at, by, reason, selection, from_id, next_id, prev, anchor, changed, tables) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        who.at, who.by, who.reason, s.describe, first.id, first.id, first.prev_hash, first.prev_hash, '[]', JSON.stringify(tables),
      );
      return undefined;
    }).immediate();
    if (started) return checkpointed(db, started);
  }

  const update = db.prepare(`UPDATE events SET ${RECORD_TEXT.map((c) => `${c} = ?`).join(', ')}, prev_hash = ?, hash = ? WHERE id = ?`);
  for (;;) {
    const done = db.transaction(() => {
      const p = progressOf(db)!;
      const rows = recordRows(db, p.next_id, undefined, RECHAIN_CHUNK);
      const changed = JSON.parse(p.changed) as number[];
      let prev = p.prev;
      for (const r of rows) {
        const { fields, changed: differs } = rewriteRecord(r, s);
        const hash = hashBody(prev, chainBody(fields));
        update.run(...RECORD_TEXT.map((c) => fields[c]), prev, hash, r.id);
        entriesRewritten(db, r, fields);
        if (differs) changed.push(r.id);
        prev = hash;
      }
      const last = rows.length ? rows[rows.length - 1]!.id : p.next_id - 1;
      // Fewer than a batch: the end of the chain, reached under the lock, so nothing follows yet.
      if (rows.length < RECHAIN_CHUNK) {
        db.prepare('DELETE FROM purge_progress WHERE id = 1').run();
        const who2 = { by: p.by, reason: p.reason, at: p.started_at };
        return finish(db, s, who2, JSON.parse(p.tables) as Record<string, number>, changed, { from: p.from_id, to: last, anchor: p.anchor, head: prev });
      }
      db.prepare('UPDATE purge_progress SET next_id = ?, prev = ?, changed = ? WHERE id = 1').run(last + 1, prev, JSON.stringify(changed));
      return undefined;
    }).immediate();
    if (done) return checkpointed(db, done);
  }
}

/** The purge entry, chained after the last one. */
function finish(
  db: Db,
  s: Selection,
  who: { by: string; reason: string; at: number },
  tables: Record<string, number>,
  records: number[],
  chain: { from: number; to: number; anchor: Buffer; head: Buffer } | undefined,
): { entry: PurgeEntry; counts: PurgeCounts } {
  const hashes = records.length
    ? (db.prepare('SELECT e.id, e.hash FROM json_each(?) j JOIN events e ON e.id = j.value ORDER BY e.id').all(JSON.stringify(records)) as Array<{ id: number; hash: Buffer }>)
    : [];
  const previous = db.prepare('SELECT hash FROM chain_purges ORDER BY id DESC LIMIT 1').get() as { hash: Buffer } | undefined;
  const prevHash = previous?.hash ?? GENESIS;
  const row = {
    at: who.at, by: who.by, reason: who.reason, selection: s.describe,
    rows: JSON.stringify({ records, tables }),
    from_id: chain?.from ?? null, to_id: chain?.to ?? null, anchor: chain?.anchor ?? null,
    new_hashes: JSON.stringify(hashes.map((h) => [h.id, h.hash.toString('hex')])), new_head: chain?.head ?? null,
  };
  const hash = hashBody(prevHash, purgeBody(row));
  const id = Number(
    db
      .prepare('INSERT INTO chain_purges (at, by, reason, selection, rows, from_id, to_id, anchor, new_hashes, new_head, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.at, row.by, row.reason, row.selection, row.rows, row.from_id, row.to_id, row.anchor, row.new_hashes, row.new_head, prevHash, hash).lastInsertRowid,
  );
  const entry: PurgeEntry = { id, at: row.at, by: row.by, reason: row.reason, selection: row.selection, records, tables, fromId: row.from_id, toId: row.to_id, hash: hash.toString('hex') };
  return { entry, counts: { records, rechain: chain ? { from: chain.from, to: chain.to } : null, tables } };
}

/**
 * The old page images leave the write-ahead log: copied back into the file, then the log emptied.
 * A reader (serve's threads) can hold the checkpoint back; it is tried again for a while.
 */
function checkpointed<T extends object>(db: Db, result: T): T & { checkpointed: boolean } {
  return { ...result, checkpointed: emptyWal(db) };
}

// ---- verification ------------------------------------------------------------------------------

export interface PurgeReport {
  ok: boolean;
  checked: number;
  entries: PurgeEntry[];
  broken?: { id: number; reason: string };
}

/**
 * The purge log: each entry follows the one before, its content unchanged; and the hashes it
 * recorded are the ones the records carry, unless a later purge re-chained them (or retention
 * removed them).
 */
export function verifyPurges(db: Db): PurgeReport {
  const pending = progressOf(db);
  if (pending) {
    return {
      ok: false, checked: 0, entries: [],
      broken: { id: 0, reason: `a purge of ${pending.selection} begun ${new Date(pending.started_at).toISOString()} by ${pending.by} was interrupted at record ${pending.next_id} (records ${pending.from_id}–${pending.next_id - 1} are re-chained, the rest not yet): run the same aaawatch purge-secret again to finish it` },
    };
  }
  const hashOf = db.prepare('SELECT prev_hash, hash FROM events WHERE id = ?');
  return checkPurges(db.prepare('SELECT * FROM chain_purges ORDER BY id').all() as PurgeRow[], (id) => hashOf.get(id) as RecordHashes | undefined);
}

/** A record's hashes now, as the purge log is checked against them. */
export interface RecordHashes {
  prev_hash: Buffer;
  hash: Buffer;
}

/** The purge log's entries in order, against the records' hashes now (either engine reads them). */
export function checkPurges(rows: readonly PurgeRow[], hashOf: (id: number) => RecordHashes | undefined): PurgeReport {
  const entries: PurgeEntry[] = [];
  let prev: Buffer = GENESIS;
  for (const [i, p] of rows.entries()) {
    const broken = (reason: string): PurgeReport => ({ ok: false, checked: i, entries, broken: { id: p.id, reason } });
    if (!p.prev_hash.equals(prev)) return broken('does not follow the purge before it (an entry was removed or reordered)');
    const h = hashBody(prev, purgeBody(p));
    if (!h.equals(p.hash)) return broken('its content was changed');
    const later = rows.slice(i + 1).filter((q) => q.from_id !== null);
    const stillHolds = (id: number): boolean => !later.some((q) => q.from_id! <= id);
    for (const [id, recorded] of JSON.parse(p.new_hashes) as Array<[number, string]>) {
      const now = hashOf(id);
      if (now && stillHolds(id) && now.hash.toString('hex') !== recorded) return broken(`record ${id} no longer carries the hash this purge gave it`);
    }
    if (p.from_id !== null && !later.some((q) => q.from_id! < p.from_id!)) {
      const first = hashOf(p.from_id);
      if (first && p.anchor && !first.prev_hash.equals(p.anchor)) return broken(`record ${p.from_id} no longer follows the hash the purge re-chained it from`);
    }
    if (p.to_id !== null && stillHolds(p.to_id)) {
      const last = hashOf(p.to_id);
      if (last && p.new_head && !last.hash.equals(p.new_head)) return broken(`record ${p.to_id} no longer carries the head this purge left`);
    }
    const counted = JSON.parse(p.rows) as { records: number[]; tables: Record<string, number> };
    entries.push({ id: p.id, at: p.at, by: p.by, reason: p.reason, selection: p.selection, records: counted.records, tables: counted.tables, fromId: p.from_id, toId: p.to_id, hash: hex(p.hash)! });
    prev = h;
  }
  return { ok: true, checked: rows.length, entries };
}

/**
 * Which of the database's files still hold any of the values' bytes: rows rewritten leave nothing,
 * but a page SQLite reorganised earlier can keep stale copies in its unused space (scrub.ts clears
 * them). Read a MiB at a time.
 */
export function residue(path: string, values: readonly string[]): string[] {
  const needles = values.map((v) => Buffer.from(v, 'utf8'));
  const longest = Math.max(...needles.map((n) => n.length));
  const found: string[] = [];
  for (const file of [path, `${path}-wal`]) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      let carry = Buffer.alloc(0);
      for (let pos = 0; ; ) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        const window = Buffer.concat([carry, buf.subarray(0, n)]);
        if (needles.some((x) => window.includes(x))) {
          found.push(file);
          break;
        }
        carry = window.subarray(Math.max(0, window.length - longest + 1));
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  return found;
}
