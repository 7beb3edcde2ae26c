// The PostgreSQL sink for ingest batches: the batch the SQLite store thread writes
// (src/store/batch.ts), as one collector; batches that waited together share one transaction, as in
// SQLite (src/store/store-writer.ts). Each transaction starts by locking
// the collector's chain head row, so two writers under one collector name take turns: they extend
// its chain instead of forking it, and never deadlock on its aggregate rows. Other collectors lock
// their own heads and write alongside.
//
// Records, messages, rejects and RELP frames, which a batch carries many of, go in as multi-row
// inserts; the counts (traffic, unknowns, device activity and senders, counters) of the batches a
// transaction carries are merged and go in as one multi-row upsert per table (group-counts.ts):
// an AAA feed names hundreds of devices per batch. Native senders, a few per batch, one upsert each.

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { decodeRecord, type IngestBatch, type MessageRow, type ResendRow } from '../batch.js';
import { GENESIS, hashBody } from '../chain.js';
import { unescapeBytes } from '../raw-bytes.js';
import { NATIVE_DEVICES_KEPT, SENDERS_KEPT } from '../batch-store.js';
import { insertRows, pgValues, type SqlValue } from './multi-insert.js';
import { groupCounts, type GroupCounts } from './group-counts.js';
import { RECORD_COLUMNS } from '../schema/ingest.js';
import { ignoreCheckedOutError } from './transaction.js';

const EVENT_COLUMNS = [
  'collector', 'seq', ...RECORD_COLUMNS, 'body', 'received_at', 'transport', 'source', 'time_text', 'raw_bytes', 'truncated', 'prev_hash', 'hash',
] as const;
const MESSAGE_COLUMNS = [
  'collector', 'received_at', 'time', 'time_text', 'time_quality', 'source', 'transport', 'device', 'hostname', 'program',
  'facility', 'severity', 'raw', 'raw_bytes', 'truncated',
] as const;

/** A collector's chain head: its last record's number and hash. */
interface Head {
  seq: number;
  hash: Buffer;
}

export class PgBatchWriter {
  /** Batches numbered in the order first seen, for `last_write` (see writeMany). */
  private readonly numbers = new WeakMap<IngestBatch, number>();
  private nextNumber = 1;

  /**
   * `writer`: this writer's name for itself (one per process start). The head row keeps the last
   * batch it committed, so a transaction whose COMMIT went through but whose answer was lost (the
   * connection broke) is recognised when it is tried again, not stored twice.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly collector: string,
    private readonly keepRejectedPerReason: number,
    private readonly writer: string = randomUUID(),
  ) {}

  /** Write a batch; returns the ids of the account records stored. */
  async write(batch: IngestBatch): Promise<number[]> {
    return (await this.writeMany([batch]))[0]!;
  }

  /**
   * Write batches in one transaction, all or none; the ids of each one's account records. Batches
   * this writer committed already (the same objects, tried again after a failure whose outcome was
   * not known) are skipped, with no ids.
   */
  async writeMany(batches: readonly IngestBatch[]): Promise<number[][]> {
    for (const b of batches) if (!this.numbers.has(b)) this.numbers.set(b, this.nextNumber++);
    const client = await this.pool.connect();
    client.on('error', ignoreCheckedOutError);
    let failed: unknown;
    try {
      await client.query('BEGIN');
      const locked = await this.lockHead(client);
      let head: Head = locked;
      const done = locked.lastWrite?.startsWith(`${this.writer}:`) ? Number(locked.lastWrite.slice(this.writer.length + 1)) : 0;
      const ids: number[][] = [];
      const fresh: IngestBatch[] = [];
      for (const b of batches) {
        if (this.numbers.get(b)! <= done) {
          ids.push([]);
          continue;
        }
        const written = await this.writeAll(client, b, head);
        head = written.head;
        ids.push(written.ids);
        fresh.push(b);
      }
      await this.writeCounts(client, groupCounts(fresh));
      await client.query('UPDATE chain_heads SET seq = $2, hash = $3, last_write = $4 WHERE collector = $1',
        [this.collector, head.seq, head.hash, `${this.writer}:${this.numbers.get(batches.at(-1)!)!}`]);
      await client.query('COMMIT');
      return ids;
    } catch (err) {
      failed = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', ignoreCheckedOutError);
      // A connection that failed is not given back to the pool: it may be broken, or mid-statement.
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  private async writeAll(client: pg.PoolClient, b: IngestBatch, start: Head): Promise<{ ids: number[]; head: Head }> {
    const c = { query: (sql: string, values: SqlValue[]) => client.query(sql, pgValues(values)) };
    const { ids: accountIds, head } = b.records.length ? await this.writeRecords(client, b.records, start) : { ids: [], head: start };
    await this.writeMessages(client, b.messages);
    const me = this.collector;
    if (b.rejects.length) {
      await insertRows(client, 'rejects', ['collector', 'received_at', 'source', 'transport', 'reason', 'raw'],
        b.rejects.map((r) => [me, r.at, r.source, r.transport, r.reason, Buffer.from(r.raw)]));
      for (const reason of new Set(b.rejects.map((r) => r.reason))) {
        await c.query(
          `DELETE FROM rejects WHERE collector = $1 AND reason = $2 AND id <= (
             SELECT id FROM rejects WHERE collector = $1 AND reason = $2 ORDER BY id DESC LIMIT 1 OFFSET $3)`,
          [me, reason, this.keepRejectedPerReason],
        );
      }
    }
    // Native senders come a few per batch (one row per TACACS+/RADIUS sender and device heard).
    for (const n of b.native ?? []) {
      const { rows } = await c.query(
        `INSERT INTO native_senders (collector, transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key, refused, named, last_named,
                                     malformed, last_malformed, last_malformed_reason)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
         ON CONFLICT (collector, transport, source, device) DO UPDATE SET
           last_seen = greatest(native_senders.last_seen, excluded.last_seen), accepted = native_senders.accepted + excluded.accepted,
           last_accepted = coalesce(excluded.last_accepted, native_senders.last_accepted), bad_key = native_senders.bad_key + excluded.bad_key,
           last_bad_key = coalesce(excluded.last_bad_key, native_senders.last_bad_key), refused = native_senders.refused + excluded.refused,
           named = native_senders.named + excluded.named, last_named = coalesce(excluded.last_named, native_senders.last_named),
           malformed = native_senders.malformed + excluded.malformed, last_malformed = coalesce(excluded.last_malformed, native_senders.last_malformed),
           last_malformed_reason = coalesce(excluded.last_malformed_reason, native_senders.last_malformed_reason)
         RETURNING (xmax = 0) AS made`,
        [
          me, n.transport, n.source, n.device, n.first, n.last, n.accepted, n.lastAccepted, n.badKey, n.lastBadKey, n.refused, n.named, n.lastNamed,
          n.malformed, n.lastMalformed, n.lastMalformedReason,
        ],
      );
      // A proxy's NASes, or the names a sender gives itself, must not grow the table without end.
      if ((rows[0] as { made: boolean }).made) {
        await c.query(
          `DELETE FROM native_senders d USING (
             SELECT device, row_number() OVER (ORDER BY last_seen DESC) AS k FROM native_senders WHERE collector = $1 AND transport = $2 AND source = $3) r
           WHERE d.collector = $1 AND d.transport = $2 AND d.source = $3 AND d.device = r.device AND r.k > ${NATIVE_DEVICES_KEPT}`,
          [me, n.transport, n.source],
        );
      }
      // A claim on an inventory device from another address: one of its senders, which the sender check compares.
      if (n.named > 0) {
        await c.query(
          `INSERT INTO device_senders (collector, device, source, first_seen, last_seen) VALUES ($1,$2,$3,$4,$5)
           ON CONFLICT (collector, device, source) DO UPDATE SET last_seen = greatest(device_senders.last_seen, excluded.last_seen)`,
          [me, n.device, n.source, n.first, n.lastNamed ?? n.last],
        );
        await c.query(
          `DELETE FROM device_senders d USING (
             SELECT source, row_number() OVER (ORDER BY last_seen DESC) AS k FROM device_senders WHERE collector = $1 AND device = $2) r
           WHERE d.collector = $1 AND d.device = $2 AND d.source = r.source AND r.k > ${SENDERS_KEPT}`,
          [me, n.device],
        );
      }
    }
    if (b.resends) await this.writeResends(client, b.resends.frames, b.resends.forget);
    return { ids: accountIds, head };
  }

  /** The group's traffic, unknowns, device activity and senders, counters: one upsert per table. */
  private async writeCounts(client: pg.PoolClient, g: GroupCounts): Promise<void> {
    const me = this.collector;
    const upsert = (table: string, columns: string[], rows: SqlValue[][], suffix: string): Promise<unknown> =>
      rows.length ? insertRows(client, table, columns, rows, suffix) : Promise.resolve();
    await upsert('traffic', ['collector', 'hour', 'device', 'program', 'messages', 'recognised'], g.traffic.map((t) => [me, ...t]),
      `ON CONFLICT (collector, hour, device, program) DO UPDATE SET messages = traffic.messages + excluded.messages,
         recognised = traffic.recognised + excluded.recognised`);
    await upsert('unknowns', ['collector', 'device', 'type', 'count', 'first_seen', 'last_seen', 'example'], g.unknowns.map((u) => [me, ...u]),
      `ON CONFLICT (collector, device, type) DO UPDATE SET count = unknowns.count + excluded.count,
         last_seen = greatest(unknowns.last_seen, excluded.last_seen), example = excluded.example`);
    await upsert('device_activity', ['collector', 'device', 'source', 'first_seen', 'last_seen'], g.activity.map((a) => [me, ...a]),
      `ON CONFLICT (collector, device) DO UPDATE SET last_seen = greatest(device_activity.last_seen, excluded.last_seen),
         source = CASE WHEN excluded.last_seen >= device_activity.last_seen THEN coalesce(excluded.source, device_activity.source)
                       ELSE device_activity.source END`);
    if (g.senders.length) {
      await upsert('device_senders', ['collector', 'device', 'source', 'first_seen', 'last_seen'], g.senders.map((x) => [me, ...x]),
        'ON CONFLICT (collector, device, source) DO UPDATE SET last_seen = greatest(device_senders.last_seen, excluded.last_seen)');
      // Spoofed sources must not grow the table without end: a device keeps its latest senders.
      await client.query(
        `DELETE FROM device_senders d USING (
           SELECT device, source, row_number() OVER (PARTITION BY device ORDER BY last_seen DESC) AS n
             FROM device_senders WHERE collector = $1 AND device = ANY($2::text[])) r
         WHERE d.collector = $1 AND d.device = r.device AND d.source = r.source AND r.n > ${SENDERS_KEPT}`,
        [me, pgValues([...new Set(g.senders.map((x) => x[0]))])],
      );
    }
    const now = Date.now();
    await upsert('counters', ['collector', 'name', 'value', 'updated_at'], g.counters.map(([name, value]) => [me, name, value, now]),
      'ON CONFLICT (collector, name) DO UPDATE SET value = counters.value + excluded.value, updated_at = excluded.updated_at');
    await upsert('counters', ['collector', 'name', 'value', 'updated_at'], g.gauges.map(([name, value]) => [me, name, value, now]),
      'ON CONFLICT (collector, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  }

  private async lockHead(c: pg.PoolClient): Promise<Head & { lastWrite: string | null }> {
    await c.query('INSERT INTO chain_heads (collector, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING', [this.collector, GENESIS]);
    const head = await c.query<{ seq: string; hash: Buffer; last_write: string | null }>(
      'SELECT seq, hash, last_write FROM chain_heads WHERE collector = $1 FOR UPDATE', [this.collector]);
    return { seq: Number(head.rows[0]!.seq), hash: head.rows[0]!.hash, lastWrite: head.rows[0]!.last_write };
  }

  /** Continue this collector's chain from `head` with the batch's records. */
  private async writeRecords(c: pg.PoolClient, lines: string[], head: Head): Promise<{ ids: number[]; head: Head }> {
    let seq = head.seq;
    let prev = head.hash;
    const rows: SqlValue[][] = [];
    const accountSeqs = new Set<number>();
    for (const line of lines) {
      const { body, values, arrival } = decodeRecord(line);
      const hash = hashBody(prev, body);
      const [receivedAt, transport, source, timeText, escaped, truncated] = arrival;
      const bytes = escaped && values[16] !== null ? unescapeBytes(values[16]) : null;
      seq++;
      if (values[0] === 'account') accountSeqs.add(seq);
      // A record with a NUL keeps its exact chain body: its columns hold U+FFFD there (pgText).
      const nul = body.includes('\\u0000') ? body : null;
      rows.push([this.collector, seq, ...values, nul, receivedAt, transport, source, timeText, bytes, truncated, prev, hash]);
      prev = hash;
    }
    const inserted = await insertRows<{ id: string; seq: string }>(c, 'events', EVENT_COLUMNS, rows, 'RETURNING id, seq');
    return { ids: inserted.filter((r) => accountSeqs.has(Number(r.seq))).map((r) => Number(r.id)), head: { seq, hash: prev } };
  }

  private async writeMessages(c: pg.PoolClient, messages: MessageRow[]): Promise<void> {
    if (!messages.length) return;
    await insertRows(c, 'messages', MESSAGE_COLUMNS, messages.map((m) => [
      this.collector, m.receivedAt, m.time, m.timeText, m.timeQuality, m.source, m.transport, m.device, m.hostname,
      // A NUL is stored as U+FFFD in text (pgText); the exact bytes are kept then, as for non-UTF-8.
      m.program, m.facility, m.severity, m.raw, m.escaped ? unescapeBytes(m.raw) : m.raw.includes('\0') ? Buffer.from(m.raw) : null,
      m.truncated ? 1 : 0,
    ]));
  }

  private async writeResends(c: pg.PoolClient, frames: ResendRow[], forget: string[]): Promise<void> {
    // One statement may not touch a row twice: a frame sent again in the same batch keeps its latest.
    const latest = new Map<string, ResendRow>();
    for (const f of frames) latest.set(`${f.session}\n${f.seq}`, f);
    if (latest.size) {
      await insertRows(c, 'relp_frames', ['collector', 'session', 'source', 'seq', 'digest', 'at'],
        [...latest.values()].map((f) => [this.collector, f.session, f.source, f.seq, f.digest, f.at]),
        'ON CONFLICT (collector, session, seq) DO UPDATE SET source = excluded.source, digest = excluded.digest, at = excluded.at');
    }
    const trim = new Map<string, ResendRow>();
    for (const f of frames) trim.set(f.session, f);
    for (const [session, f] of trim) {
      if (f.forgetThrough > f.keepFirst) {
        await c.query('DELETE FROM relp_frames WHERE collector = $1 AND session = $2 AND seq > $3 AND seq <= $4', [this.collector, session, f.keepFirst, f.forgetThrough]);
      }
    }
    for (const session of forget) await c.query('DELETE FROM relp_frames WHERE collector = $1 AND session = $2', [this.collector, session]);
  }
}
