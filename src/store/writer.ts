// The batched ingest writer: recognised messages and their records, traffic counters, rejected
// inputs and unknown types are buffered in memory and written in one transaction per batch
// (size or time, whichever comes first). One writer per database: it owns the chain head.

import type { AaaRecord, SyslogMessage } from '../types.js';
import type { Db } from './db.js';
import { chainHead, eventHash, type ChainedFields } from './chain.js';

export interface WriterOptions {
  batchRows: number;
  batchMillis: number;
  keepRejectedPerReason: number;
  /** Called with the ids of account records just stored (alerts and reconciliation watch these). */
  onAccountEvents?: (ids: number[]) => void;
}

interface PendingMessage {
  msg: SyslogMessage;
  device: string;
  raw: string;
  platform: string | null;
  records: AaaRecord[];
}

interface TrafficCount {
  hour: number;
  device: string;
  program: string;
  messages: number;
  recognised: number;
}

interface PendingReject {
  at: number;
  source: string | undefined;
  transport: string;
  reason: string;
  raw: Buffer;
}

interface UnknownCount {
  device: string;
  type: string;
  count: number;
  first: number;
  last: number;
  example: string;
}

const opt = (v: string | undefined): string | null => (v === undefined ? null : v);

export class IngestWriter {
  private messages: PendingMessage[] = [];
  private traffic = new Map<string, TrafficCount>();
  private rejects: PendingReject[] = [];
  private unknowns = new Map<string, UnknownCount>();
  private activity = new Map<string, { source: string | undefined; first: number; last: number }>();
  private counters = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private head: Buffer;
  private pendingRows = 0;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly opts: WriterOptions,
  ) {
    this.head = chainHead(db);
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
      setCounter: db.prepare(
        `INSERT INTO counters (name, value, updated_at) VALUES (?,?,?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** A message a platform recognised (or any message, when every message is kept). */
  addMessage(msg: SyslogMessage, device: string, raw: string, records: AaaRecord[]): void {
    this.messages.push({ msg, device, raw, platform: records[0]?.platform ?? null, records });
    this.pendingRows += 1 + records.length;
    this.schedule();
  }

  countTraffic(at: number, device: string, program: string, recognised: boolean): void {
    const hour = Math.floor(at / 3_600_000);
    const key = hour + '\u0000' + device + '\u0000' + program;
    let t = this.traffic.get(key);
    if (!t) {
      t = { hour, device, program, messages: 0, recognised: 0 };
      this.traffic.set(key, t);
    }
    t.messages++;
    if (recognised) t.recognised++;
    this.schedule();
  }

  deviceSeen(device: string, source: string | undefined, at: number): void {
    const a = this.activity.get(device);
    if (a) a.last = at > a.last ? at : a.last;
    else this.activity.set(device, { source, first: at, last: at });
  }

  reject(reason: string, raw: Buffer, source: string | undefined, transport: string, at: number): void {
    if (this.opts.keepRejectedPerReason > 0) {
      this.rejects.push({ at, source, transport, reason, raw });
      // Bounded in memory too: a flood of junk keeps only the latest per batch.
      if (this.rejects.length > this.opts.keepRejectedPerReason * 4) this.rejects.splice(0, this.rejects.length / 2);
      this.pendingRows++;
    }
    this.schedule();
  }

  unknown(device: string, type: string, example: string, at: number): void {
    const key = device + '\u0000' + type;
    const u = this.unknowns.get(key);
    if (u) {
      u.count++;
      u.last = at;
      u.example = example;
    } else this.unknowns.set(key, { device, type, count: 1, first: at, last: at, example });
    this.schedule();
  }

  /** Add to a cumulative counter (kept in the counters table). */
  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  /** Set a gauge-like counter to an absolute value (kernel drop totals). */
  setCounter(name: string, value: number): void {
    this.stmt.setCounter.run(name, value, Date.now());
  }

  private schedule(): void {
    if (this.pendingRows >= this.opts.batchRows) {
      this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.opts.batchMillis);
      this.timer.unref();
    }
  }

  /** Write everything buffered in one transaction. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const messages = this.messages;
    const traffic = this.traffic;
    const rejects = this.rejects;
    const unknowns = this.unknowns;
    const activity = this.activity;
    const counters = this.counters;
    if (!messages.length && !traffic.size && !rejects.length && !unknowns.size && !activity.size && !counters.size) return;
    this.messages = [];
    this.traffic = new Map();
    this.rejects = [];
    this.unknowns = new Map();
    this.activity = new Map();
    this.counters = new Map();
    this.pendingRows = 0;
    const startHead = this.head;
    const accountIds: number[] = [];
    const now = Date.now();
    try {
      this.db.transaction(() => {
        for (const p of messages) this.writeMessage(p, accountIds);
        for (const t of traffic.values()) this.stmt.traffic.run(t.hour, t.device, t.program, t.messages, t.recognised);
        const reasons = new Set<string>();
        for (const r of rejects) {
          this.stmt.reject.run(r.at, opt(r.source), r.transport, r.reason, r.raw);
          reasons.add(r.reason);
        }
        for (const reason of reasons) this.stmt.trimRejects.run(reason, reason, this.opts.keepRejectedPerReason);
        for (const u of unknowns.values()) this.stmt.unknown.run(u.device, u.type, u.count, u.first, u.last, u.example);
        for (const [device, a] of activity) this.stmt.activity.run(device, opt(a.source), a.first, a.last);
        for (const [name, value] of counters) this.stmt.counter.run(name, value, now);
      })();
    } catch (err) {
      this.head = startHead;
      throw err;
    }
    if (accountIds.length && this.opts.onAccountEvents) this.opts.onAccountEvents(accountIds);
  }

  private writeMessage(p: PendingMessage, accountIds: number[]): void {
    const m = p.msg;
    const messageId = Number(
      this.stmt.message.run(
        m.receivedAt, m.time, opt(m.timeText), m.timeQuality, opt(m.source), m.transport, p.device,
        opt(m.hostname), opt(m.appName ?? m.tag), m.facility ?? null, m.severity ?? null, p.platform, p.raw,
      ).lastInsertRowid,
    );
    for (const r of p.records) {
      const fields: ChainedFields = {
        kind: r.kind,
        action: r.action,
        time: Date.parse(r.time),
        device: r.device,
        platform: r.platform,
        actor: opt(r.actor),
        actor_address: opt(r.actorAddress),
        target: r.kind === 'account' ? r.target : null,
        privilege: r.kind === 'account' || r.kind === 'command' || r.kind === 'session' ? opt(r.privilege) : null,
        role: r.kind === 'account' ? opt(r.role) : null,
        grp: r.kind === 'account' ? opt(r.group) : null,
        path: opt(r.path),
        technique: r.kind === 'account' ? opt(r.technique) : null,
        command: r.kind === 'command' ? r.command : r.kind === 'account' ? opt(r.command) : null,
        session: r.kind === 'session' ? opt(r.session) : null,
        container: r.kind !== 'session' && r.container ? JSON.stringify(r.container) : null,
        raw: p.raw,
      };
      if (Number.isNaN(fields.time)) fields.time = m.time;
      const hash = eventHash(this.head, fields);
      const id = Number(
        this.stmt.event.run(
          messageId, fields.kind, fields.action, fields.time, fields.device, fields.platform, fields.actor,
          fields.actor_address, fields.target, fields.privilege, fields.role, fields.grp, fields.path,
          fields.technique, fields.command, fields.session, fields.container, this.head, hash,
        ).lastInsertRowid,
      );
      this.head = hash;
      if (r.kind === 'account') accountIds.push(id);
    }
  }
}
