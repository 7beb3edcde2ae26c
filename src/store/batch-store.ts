// The SQLite sink for ingest batches: one immediate transaction per batch. The chain head is read
// inside the transaction, under SQLite's write lock, so a second writer (`aaawatch import` while
// `serve` runs) extends the chain instead of forking it.

import type { AaaRecord } from '../types.js';
import type { IngestBatch, MessageRow } from './batch.js';
import { chainHead, eventHash, type ChainedFields } from './chain.js';
import type { Db } from './db.js';

const opt = (v: string | undefined): string | null => (v === undefined ? null : v);

function chained(r: AaaRecord, raw: string, fallbackTime: number): ChainedFields {
  const time = Date.parse(r.time);
  return {
    kind: r.kind,
    action: r.action,
    time: Number.isNaN(time) ? fallbackTime : time,
    device: r.device,
    platform: r.platform,
    actor: opt(r.actor),
    actor_address: opt(r.actorAddress),
    target: r.kind === 'account' ? r.target : null,
    privilege: opt(r.privilege),
    role: r.kind === 'account' ? opt(r.role) : null,
    grp: r.kind === 'account' ? opt(r.group) : null,
    path: opt(r.path),
    technique: r.kind === 'account' ? opt(r.technique) : null,
    command: r.kind === 'session' ? null : opt(r.command),
    session: r.kind === 'session' ? opt(r.session) : null,
    container: r.kind !== 'session' && r.container ? JSON.stringify(r.container) : null,
    raw,
  };
}

export class BatchStore {
  private readonly stmt;
  private readonly transaction;

  constructor(
    private readonly db: Db,
    private readonly keepRejectedPerReason: number,
  ) {
    this.stmt = {
      message: db.prepare(
        `INSERT INTO messages (received_at, time, time_text, time_quality, source, transport, device, hostname,
           program, facility, severity, platform, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      event: db.prepare(
        `INSERT INTO events (message_id, kind, action, time, device, platform, actor, actor_address, target,
           privilege, role, grp, path, technique, command, session, container, prev_hash, hash)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
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
           source = coalesce(excluded.source, source)`,
      ),
      counter: db.prepare(
        `INSERT INTO counters (name, value, updated_at) VALUES (?,?,?)
         ON CONFLICT (name) DO UPDATE SET value = value + excluded.value, updated_at = excluded.updated_at`,
      ),
      gauge: db.prepare(
        `INSERT INTO counters (name, value, updated_at) VALUES (?,?,?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
    this.transaction = db.transaction((b: IngestBatch): number[] => this.writeAll(b));
  }

  /** Write a batch; returns the ids of the account records stored. */
  write(batch: IngestBatch): number[] {
    return this.transaction.immediate(batch);
  }

  private writeAll(b: IngestBatch): number[] {
    const accountIds: number[] = [];
    const now = Date.now();
    let head = b.messages.length ? chainHead(this.db) : undefined;
    for (const m of b.messages) head = this.writeMessage(m, head!, accountIds);
    for (const t of b.traffic) this.stmt.traffic.run(b.hour, t.device, t.program, t.messages, t.recognised);
    const reasons = new Set<string>();
    for (const r of b.rejects) {
      this.stmt.reject.run(r.at, r.source, r.transport, r.reason, r.raw);
      reasons.add(r.reason);
    }
    for (const reason of reasons) this.stmt.trimRejects.run(reason, reason, this.keepRejectedPerReason);
    for (const u of b.unknowns) this.stmt.unknown.run(u.device, u.type, u.count, u.first, u.last, u.example);
    for (const a of b.activity) this.stmt.activity.run(a.device, a.source, a.first, a.last);
    for (const [name, value] of b.counters) this.stmt.counter.run(name, value, now);
    for (const [name, value] of b.gauges) this.stmt.gauge.run(name, value, now);
    return accountIds;
  }

  private writeMessage(m: MessageRow, head: Buffer, accountIds: number[]): Buffer {
    const messageId = Number(
      this.stmt.message.run(
        m.receivedAt, m.time, m.timeText, m.timeQuality, m.source, m.transport, m.device, m.hostname,
        m.program, m.facility, m.severity, m.platform, m.raw,
      ).lastInsertRowid,
    );
    for (const r of m.records) {
      const f = chained(r, m.raw, m.time);
      const hash = eventHash(head, f);
      const id = Number(
        this.stmt.event.run(
          messageId, f.kind, f.action, f.time, f.device, f.platform, f.actor, f.actor_address, f.target,
          f.privilege, f.role, f.grp, f.path, f.technique, f.command, f.session, f.container, head, hash,
        ).lastInsertRowid,
      );
      head = hash;
      if (r.kind === 'account') accountIds.push(id);
    }
    return head;
  }
}
