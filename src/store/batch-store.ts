// The SQLite sink for ingest batches: one immediate transaction per batch. The chain head is read
// inside the transaction, under SQLite's write lock, so a second writer (`aaawatch import` while
// `serve` runs) extends the chain instead of forking it.

import { readRecordLine, type IngestBatch, type MessageRow, type NativeRow, type RecordLine, type ResendRow } from './batch.js';
import { chainHead, hashBodyInto } from './chain.js';
import { unescapeBytes } from './raw-bytes.js';
import type { Db } from './db.js';
import type { Statement } from 'better-sqlite3';

/** Sender addresses kept per device (device_senders): the latest, by when they were last heard. */
export const SENDERS_KEPT = 32;

/** Devices kept per native accounting sender (native_senders): a proxy's NASes, the latest heard. */
export const NATIVE_DEVICES_KEPT = 4096;

/** Where the raw message, the arrival's `escaped` (then the raw bytes) and the hashes stand in an event row. */
const RAW = 16;
const RAW_BYTES = 21;
const PREV_HASH = 23;
const HASH = 24;

export class BatchStore {
  private readonly stmt;
  private nativeStmt: { nativeSeen: Statement; native: Statement; nativeCount: Statement; nativeTrim: Statement } | undefined;
  private readonly transaction;
  /** Where each record's hash is written, in turn (the record before's is the other): SQLite copies what it binds. */
  private readonly hashes = [Buffer.alloc(32), Buffer.alloc(32)];
  private turn = 0;
  /**
   * An event row's values in the INSERT's order, reused for every record: the record line's values
   * as they stand (the chain body's, then the arrival's), the arrival's `escaped` replaced by the
   * message's bytes, then the hashes.
   */
  private readonly row: unknown[] = new Array<unknown>(25).fill(null);

  constructor(
    private readonly db: Db,
    private readonly keepRejectedPerReason: number,
  ) {
    this.stmt = {
      message: db.prepare(
        `INSERT INTO messages (received_at, time, time_text, time_quality, source, transport, device, hostname,
           program, facility, severity, raw, raw_bytes, truncated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      // Columns in chain-body order, then the arrival, then the hashes (see RecordLine).
      event: db.prepare(
        `INSERT INTO events (kind, action, time, device, platform, actor, actor_address, target, privilege, role, grp,
           path, technique, command, session, container, raw, received_at, transport, source, time_text, raw_bytes,
           truncated, prev_hash, hash)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      traffic: db.prepare(
        `INSERT INTO traffic (hour, device, program, messages, recognised) VALUES (?,?,?,?,?)
         ON CONFLICT (hour, device, program) DO UPDATE SET messages = messages + excluded.messages,
           recognised = recognised + excluded.recognised`,
      ),
      reject: db.prepare('INSERT INTO rejects (received_at, source, transport, reason, raw) VALUES (?,?,?,?,?)'),
      trimRejects: db.prepare(
        `DELETE FROM rejects WHERE reason = ? AND id <= (SELECT id FROM rejects WHERE reason = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ),
      unknown: db.prepare(
        `INSERT INTO unknowns (device, type, count, first_seen, last_seen, example) VALUES (?,?,?,?,?,?)
         ON CONFLICT (device, type) DO UPDATE SET count = count + excluded.count,
           last_seen = max(last_seen, excluded.last_seen), example = excluded.example`,
      ),
      activity: db.prepare(
        `INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?,?,?,?)
         ON CONFLICT (device) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen),
           source = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.source, source) ELSE source END`,
      ),
      // A known sender's row is updated; only when there is none is one inserted (and the device's
      // senders trimmed). An upsert that RETURNING told apart made from found cost 5.7 µs a row
      // against ~3 for the update (nearly every row is a known sender's: the sender rows 0.70–0.74
      // → 0.39–0.46 µs a record on aaa-only, 0.76–0.82 → 0.40 on mixed-random; BENCHMARKS.md, store14f).
      senderSeen: db.prepare('UPDATE device_senders SET last_seen = max(last_seen, ?) WHERE device = ? AND source = ?'),
      sender: db.prepare('INSERT INTO device_senders (device, source, first_seen, last_seen) VALUES (?,?,?,?)'),
      // Spoofed sources must not grow the table without end: a device keeps its latest senders.
      senderTrim: db.prepare(
        `DELETE FROM device_senders WHERE device = ? AND source NOT IN (
           SELECT source FROM device_senders WHERE device = ? ORDER BY last_seen DESC LIMIT ${SENDERS_KEPT})`,
      ),
      resendFrame: db.prepare('INSERT OR REPLACE INTO relp_frames (session, source, seq, digest, at) VALUES (?,?,?,?,?)'),
      resendTrim: db.prepare('DELETE FROM relp_frames WHERE session = ? AND seq > ? AND seq <= ?'),
      resendForget: db.prepare('DELETE FROM relp_frames WHERE session = ?'),
      counter: db.prepare(
        `INSERT INTO counters (name, value, updated_at) VALUES (?,?,?)
         ON CONFLICT (name) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at`,
      ),
      gauge: db.prepare(
        `INSERT INTO counters (name, value, updated_at) VALUES (?,?,?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
    // Batches written together are written one after another: the traffic and last-heard rows come
    // held already, once a second in a batch of their own (writer.ts, COUNTS_MS), so merging a
    // group's rows (as this did while the store thread held them) would find nothing to merge.
    this.transaction = db.transaction((batches: readonly IngestBatch[]): number[][] => batches.map((b) => this.writeAll(b)));
  }

  /** Write a batch; returns the ids of the account records stored. */
  write(batch: IngestBatch): number[] {
    return this.transaction.immediate([batch])[0]!;
  }

  /**
   * Write batches that waited together in one transaction (all or none); returns the ids of each
   * one's account records. One commit for several batches writes each index page they share to the
   * WAL once: 5,000 records a commit cost 17 µs each in the store thread, 500 cost 25–31 µs
   * (aaa-only lines, six indexes on events).
   */
  writeMany(batches: readonly IngestBatch[]): number[][] {
    return this.transaction.immediate(batches);
  }

  private writeAll(b: IngestBatch): number[] {
    const accountIds: number[] = [];
    const now = Date.now();
    let head = b.records.length ? chainHead(this.db) : undefined;
    for (const line of b.records) head = this.writeRecord(line, head!, accountIds);
    for (const m of b.messages) this.writeMessage(m);
    const reasons = new Set<string>();
    for (const r of b.rejects) {
      this.stmt.reject.run(r.at, r.source, r.transport, r.reason, r.raw);
      reasons.add(r.reason);
    }
    for (const reason of reasons) this.stmt.trimRejects.run(reason, reason, this.keepRejectedPerReason);
    for (const u of b.unknowns) this.stmt.unknown.run(u.device, u.type, u.count, u.first, u.last, u.example);
    for (const n of b.native ?? []) this.writeNative(n);
    if (b.resends) this.writeResends(b.resends.frames, b.resends.forget);
    for (const [name, value] of b.counters) this.stmt.counter.run(name, value, now);
    for (const [name, value] of b.gauges) this.stmt.gauge.run(name, value, now);
    this.writeCounts(b);
    return accountIds;
  }

  /** The native sender statements, made on first use (tests write with this class to stores older than migration 021). */
  private nativeStatements(): { nativeSeen: Statement; native: Statement; nativeCount: Statement; nativeTrim: Statement } {
    const db = this.db;
    return (this.nativeStmt ??= {
      // A known sender's row is updated; only when there is none is one inserted and the sender's
      // pairs trimmed, as device_senders' are (senderSeen). A RADIUS or TACACS+ commit group writes
      // one such row, nearly always a known one, and the upsert with RETURNING that told a new row
      // apart cost 6.5 µs a transaction more than the update: 28.9–30.4 against 22.2–24.0 µs for
      // a transaction of that row alone, 18.0–20.7 empty (in process, 10,000 each, three
      // alternated pairs, load 11–13; BENCHMARKS.md, rad18g).
      nativeSeen: db.prepare(
        `UPDATE native_senders SET last_seen = max(last_seen, ?), accepted = accepted + ?, last_accepted = coalesce(?, last_accepted),
           bad_key = bad_key + ?, last_bad_key = coalesce(?, last_bad_key), refused = refused + ?, named = named + ?,
           last_named = coalesce(?, last_named), malformed = malformed + ?, last_malformed = coalesce(?, last_malformed),
           last_malformed_reason = coalesce(?, last_malformed_reason)
         WHERE transport = ? AND source = ? AND device = ?`,
      ),
      native: db.prepare(
        `INSERT INTO native_senders (transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key, refused, named, last_named,
                                     malformed, last_malformed, last_malformed_reason)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      // A proxy's NASes, or the names a sender gives itself, must not grow the table without end.
      // Trimmed only past the bound: the trim sorts the sender's rows, ~4 ms at the bound, so one
      // on every new name made a sender's first 4,101 names 16.8 s (test/store/pg-store.test.ts);
      // the count walks the primary key's range of the sender.
      nativeCount: db.prepare('SELECT count(*) FROM native_senders WHERE transport = ? AND source = ?').pluck(),
      nativeTrim: db.prepare(
        `DELETE FROM native_senders WHERE transport = ? AND source = ? AND device NOT IN (
           SELECT device FROM native_senders WHERE transport = ? AND source = ? ORDER BY last_seen DESC LIMIT ${NATIVE_DEVICES_KEPT})`,
      ),
    });
  }

  private writeNative(n: NativeRow): void {
    const { nativeSeen, native, nativeCount, nativeTrim } = this.nativeStatements();
    const seen = nativeSeen.run(
      n.last, n.accepted, n.lastAccepted, n.badKey, n.lastBadKey, n.refused, n.named, n.lastNamed, n.malformed, n.lastMalformed, n.lastMalformedReason, n.transport, n.source, n.device,
    );
    if (seen.changes === 0) {
      native.run(
        n.transport, n.source, n.device, n.first, n.last, n.accepted, n.lastAccepted, n.badKey, n.lastBadKey, n.refused, n.named, n.lastNamed, n.malformed, n.lastMalformed, n.lastMalformedReason,
      );
      if ((nativeCount.get(n.transport, n.source) as number) > NATIVE_DEVICES_KEPT) nativeTrim.run(n.transport, n.source, n.transport, n.source);
    }
    // A claim on an inventory device from another address: one of its senders, which the sender check compares.
    if (n.named > 0) this.writeSender(n.device, n.source, n.first, n.lastNamed ?? n.last);
  }

  /** A device's sender row, updated when known (see senderSeen), else inserted. */
  private writeSender(device: string, source: string, first: number, last: number): void {
    if (this.stmt.senderSeen.run(last, device, source).changes > 0) return;
    // A new sender may push the device past those kept.
    this.stmt.sender.run(device, source, first, last);
    this.stmt.senderTrim.run(device, device);
  }

  private writeResends(frames: ResendRow[], forget: string[]): void {
    const trim = new Map<string, ResendRow>();
    for (const f of frames) {
      this.stmt.resendFrame.run(f.session, f.source, f.seq, f.digest, f.at);
      trim.set(f.session, f);
    }
    for (const [session, f] of trim) if (f.forgetThrough > f.keepFirst) this.stmt.resendTrim.run(session, f.keepFirst, f.forgetThrough);
    for (const session of forget) this.stmt.resendForget.run(session);
  }

  /** Traffic counted per device and program, when each device was last heard, and from where. */
  private writeCounts(b: IngestBatch): void {
    for (const t of b.traffic) this.stmt.traffic.run(b.hour, t.device, t.program, t.messages, t.recognised);
    for (const a of b.activity) {
      this.stmt.activity.run(a.device, a.source, a.first, a.last);
      if (a.source !== null) this.writeSender(a.device, a.source, a.first, a.last);
    }
  }

  private writeRecord(line: RecordLine, head: Buffer, accountIds: number[]): Buffer {
    const row = this.row;
    const tab = readRecordLine(line, row, 0);
    const hash = hashBodyInto(head, line.slice(0, tab), this.hashes[(this.turn ^= 1)]!);
    // The arrival's `escaped` stands where the message's bytes go: those bytes, when it is set.
    row[RAW_BYTES] = row[RAW_BYTES] === 1 && row[RAW] !== null ? unescapeBytes(row[RAW] as string) : null;
    row[PREV_HASH] = head;
    row[HASH] = hash;
    const id = Number(this.stmt.event.run(...row).lastInsertRowid);
    if (row[0] === 'account') accountIds.push(id);
    return hash;
  }

  private writeMessage(m: MessageRow): void {
    this.stmt.message.run(
      m.receivedAt, m.time, m.timeText, m.timeQuality, m.source, m.transport, m.device, m.hostname,
      m.program, m.facility, m.severity, m.raw, m.escaped ? unescapeBytes(m.raw) : null, m.truncated ? 1 : 0,
    );
  }
}
