// The ingest writer's front half: messages to keep, rejected inputs, unknown types and counters are
// gathered in memory and handed to a sink as one batch: when it is full, old enough, or input
// pauses, whichever comes first; the per-device counts (traffic, last heard, senders) are held and
// handed over once a second (every five when they are many: MANY_COUNTS) in a batch of their own
// (COUNTS_MS). The sink is the store, in this thread or in a worker thread.

import type { AaaRecord, SyslogMessage } from '../types.js';
import {
  encodeRecord, isEmpty, orNull, WHOLE_UTF8, type ActivityRow, type IngestBatch, type MessageRow, type NativeRow, type RawForm, type RecordLine, type RejectRow, type ResendRow, type TrafficRow,
  type UnknownRow,
} from './batch.js';

export interface BatchSink {
  /**
   * Store a batch. A sink that stores later (in another thread) returns a promise that settles
   * when the batch is committed, or fails with why it was not; one that stores at once returns nothing.
   */
  write(batch: IngestBatch): void | Promise<void>;
  /** Whatever is handed over now would be dropped: the store is too far behind (or held past its backlog). */
  behind?(): boolean;
  /** The store cannot be written at all (disk full, I/O error, locked): what is dropped meanwhile is counted as unwritable. */
  unwritable?(): boolean;
}

export interface WriterOptions {
  batchRows: number;
  batchMillis: number;
  keepRejectedPerReason: number;
}

/**
 * Distinct devices per hour, and programs per device and hour, counted before the rest fold into
 * `(other)`: spoofed names must not grow the table, or this process, without bound.
 */
const MAX_DEVICES_PER_HOUR = 20_000;
const MAX_PROGRAMS_PER_DEVICE = 200;
const OTHER = '(other)';

/**
 * A batch is handed over this long after input pauses, before `batchMillis`: a lone account record
 * is stored at once (its finding follows a second later), while a steady stream is still written
 * in large batches.
 */
const IDLE_FLUSH_MS = 20;

/**
 * A batch is handed over at this much kept text (record lines, messages' raw text) whatever its
 * rows: the store's backlog is bounded in text too (MAX_BACKLOG_CHARS, writer-thread.ts), and 500
 * messages of 64 KiB would make one batch of 32 Mi characters, past that bound on its own. An
 * aaa-only batch of 500 records is ~0.25 Mi characters, so this bound is for long lines only.
 */
export const BATCH_CHARS = 2 ** 20;

/**
 * A name kept for the hour as a copy: V8 keeps a longer substring as a view of the string it was
 * cut from, and a device name cut from a 64 KiB frame would hold the whole frame for the hour.
 */
const copyOf = (name: string): string => (name.length < 13 ? name : (JSON.parse(JSON.stringify(name)) as string));

/**
 * Sender addresses recorded per device in one last-heard row (the sender check compares them with
 * the inventory's address); a flood of spoofed sources past this counts against the first.
 */
const MAX_SENDERS_PER_ROW = 8;

/**
 * Traffic rows and the last-heard (and sender) rows of devices already heard are held here and
 * handed over once a second, in a batch of their own (`postCounts`), rather than with every batch:
 * an aaa-only batch of 500 records from 2,800 devices carried ~300 of each, which this thread
 * copied and wrote as JSON, and the store thread read back, held and merged, to write them once a
 * second anyway: held here, the store thread 15.0 → 13.35 µs a record on aaa-only (bench:store),
 * this thread's part of them ~2 → ~0.4 µs a message (2026-12-05, load 7–29, store14h). A device's first row this hour, and one heard a
 * minute or more after its last (RESUMED_MS), go with the batch that names them: reconciliation
 * reads last-heard rows for telemetry gaps and must never read a device heard as unheard, nor as
 * silent once heard again. Counts after a quiet second go with the next batch, so a lone message
 * is counted at once; at a steady rate, once a second (a busy feed's, every BUSY_COUNTS_MS). A kill
 * -9 loses the time held, as the store thread's hold lost it before; a close (`flush`) and the
 * hour's turn hand everything over.
 */
const COUNTS_MS = 1000;

/**
 * Held counts of this many rows or more wait BUSY_COUNTS_MS instead: each held row is an upsert in
 * the store thread (~2.7 µs; traffic, last-heard and sender rows, three a device), and a busy
 * feed's devices repeat, so a longer hold merges more of their messages into one row. mixed-random
 * at 20k lines/s: 0.39 → 0.12 rows a line, the counts' transactions 0.96 / 1.21 → 0.34 / 0.22 µs a
 * line of the store thread (bench:store's batches, BENCHMARKS.md mix24). A quiet collector's few
 * rows still go within a second; a kill -9 of a busy one loses up to this much of its counts.
 */
const MANY_COUNTS = 1000;
const BUSY_COUNTS_MS = 5000;

/** A device last heard this long before a message of it (by their times) gets a row in the batch that carries the message, unless a row of it is held. */
export const RESUMED_MS = 60_000;

/**
 * One device's traffic this hour, and its open last-heard rows: in the batch being gathered (a
 * device heard for the first time this hour, or again after RESUMED_MS) or held with the counts;
 * the first sender's, and those of further senders (a spoofed or relayed copy of its name).
 */
interface DeviceHour {
  device: string;
  programs: Map<string, TrafficRow>;
  heard: ActivityRow | undefined;
  /** Where `heard` is open: the batch number it goes with, or the (negative) tag of the held counts it goes with. */
  heardIn: number;
  others: ActivityRow[] | undefined;
  /** When it was last heard this hour (epoch ms), -Infinity before. */
  lastHeard: number;
  /**
   * The row this device's last message was counted in: a device sends most messages under the
   * program it sent the last one under, and comparing the name costs less than hashing it into
   * `programs` (countTraffic, the batch's rows and toWire 0.85–0.94× on aaa-only and mixed-random;
   * in-process, both orders, 2026-12-05, load 10–11).
   */
  last: TrafficRow | undefined;
}

/**
 * A native accounting sender's pair (transport, sender address, device) and its open row: in the
 * batch being gathered (a pair new to this writer, or heard again after RESUMED_MS) or held with
 * the counts.
 */
interface NativePair {
  /** When it was last heard (epoch ms), -Infinity before. */
  last: number;
  row: NativeRow | undefined;
  /** Where `row` is open: the batch number it goes with, or the (negative) tag of the held counts it goes with. */
  rowIn: number;
}

/**
 * Native senders' pairs known at once; past this they are forgotten and known again as heard. A
 * proxy's NASes, or names senders give themselves, must not grow this process without end (the
 * store keeps NATIVE_DEVICES_KEPT a sender).
 */
const MAX_NATIVE_PAIRS = 20_000;

/**
 * Senders given a native_senders row while nothing they sent has verified: a wrong key, or a packet
 * that did not read. A UDP datagram's source is whatever it says, so forged datagrams inside a
 * subnet given a RADIUS secret would otherwise make a row for every address in it, here and in the
 * store. Past this many such senders in one process, a new one gets no row and its packets are
 * counted (`native.senders-over-bound`) besides their own counts and samples, which keep its
 * address; a sender with a row keeps counting in it, and a request that verifies always gets one.
 * Across restarts, the store's retention keeps the latest UNVERIFIED_SENDER_ROWS of them (retention.ts).
 */
export const MAX_UNVERIFIED_SENDERS = 1_024;

/** The row `device`'s messages under `program` are counted in, made if new; past MAX_PROGRAMS_PER_DEVICE programs a new one is counted under `(other)`. */
function programRow(d: DeviceHour, program: string): TrafficRow {
  let t = d.programs.get(program);
  if (t) return t;
  if (d.programs.size >= MAX_PROGRAMS_PER_DEVICE) program = OTHER;
  t = d.programs.get(program);
  if (!t) {
    t = { device: d.device, program: copyOf(program), messages: 0, recognised: 0 };
    d.programs.set(t.program, t);
  }
  return t;
}

export class IngestWriter {
  private records: RecordLine[] = [];
  private messages: MessageRow[] = [];
  private trafficHour = -1;
  /** This hour's counts by device; kept for the hour so the bounds hold across batches. */
  private trafficByDevice = new Map<string, DeviceHour>();
  /** Traffic rows counted since the counts were last handed over. */
  private trafficDirty: TrafficRow[] = [];
  /** Last-heard rows held with them, in the order opened. */
  private heldActivity: ActivityRow[] = [];
  /** The tag of the held counts' rows (DeviceHour.heardIn): negative, a new one each hand-over. */
  private heldIn = -1;
  /** When the counts were last handed over (Date.now()), and the timer that hands over those counted since if no batch does. */
  private countsAt = -Infinity;
  private countsTimer: NodeJS.Timeout | undefined;
  private rejects: RejectRow[] = [];
  private unknowns = new Map<string, UnknownRow>();
  private activity: ActivityRow[] = [];
  /**
   * Native senders' pairs by transport, then by sender address, then by device: lookups of strings
   * whose hashes are kept (a transport's name, a sender's address as its receiver keeps it, a
   * device's name), where a key joined from them was a new string to build and hash for every
   * request. Kept across batches, bounded (MAX_NATIVE_PAIRS).
   */
  private nativePairs = new Map<string, Map<string, Map<string, NativePair>>>();
  private nativePairCount = 0;
  /** Senders (transport and address) given a row before anything they sent verified (MAX_UNVERIFIED_SENDERS). */
  private readonly unverified = new Set<string>();
  /**
   * Native senders' rows of this batch (a pair new, or heard again after RESUMED_MS), and those
   * held with the counts. Each row was written with its batch: bench:aaa's 50 NAS-Identifiers behind
   * one address made ~15 rows a group of ~18 requests, each cloned to the store thread and an
   * UPDATE there; held, the store thread 36.9 → 31.0 µs a request, all threads 123.4 → 112.9
   * (scratch driver, radclient as bench:aaa, three alternated pairs of two rounds, load 24–34; rad19).
   */
  private native: NativeRow[] = [];
  private heldNative: NativeRow[] = [];
  private resends: { frames: ResendRow[]; forget: string[] } | undefined;
  /** Which batch is being gathered: a device's first last-heard row belongs to one batch. */
  private batchNo = 0;
  private counters = new Map<string, number>();
  private gauges = new Map<string, number>();
  /**
   * The batch timer, armed by the first input and left running across hand-overs: acknowledged
   * groups (TACACS+, RADIUS, RELP) are handed over within the turn they arrive in, and arming and
   * clearing a timer for each of them was 2–3% of the receiving thread's time under RADIUS load.
   * A tick that finds nothing gathered lets it lapse.
   */
  private timer: NodeJS.Timeout | undefined;
  /** When the batch being gathered got its first input (0: nothing gathered since the last hand-over), and when the last syslog input arrived. */
  private gatheringSince = 0;
  private lastInput = 0;
  private pendingRows = 0;
  private pendingChars = 0;
  /** Batches handed to the sink and not yet settled, by number, oldest first. */
  private unsettled: Array<{ no: number; commit: Promise<void> }> = [];
  /** The latest batch that failed to commit, and why. */
  private lastFailure: { no: number; err: unknown } | undefined;

  constructor(
    private readonly sink: BatchSink,
    private readonly opts: WriterOptions,
  ) {}

  /**
   * A message to keep: its records, each carrying the (redacted) raw text; or, when every message
   * is kept and none came from it, the message itself. `form` says how `raw` stands for what arrived.
   */
  addMessage(msg: SyslogMessage, device: string, raw: string, records: AaaRecord[], form: RawForm = WHOLE_UTF8): void {
    if (records.length > 0) {
      for (const r of records) {
        const line = encodeRecord(r, raw, msg, form);
        this.records.push(line);
        this.pendingChars += line.length;
      }
      this.pendingRows += records.length;
    } else {
      this.messages.push({
        receivedAt: msg.receivedAt, time: msg.time, timeText: orNull(msg.timeText), timeQuality: msg.timeQuality,
        source: orNull(msg.source), transport: msg.transport, device, hostname: orNull(msg.hostname),
        program: orNull(msg.appName ?? msg.tag), facility: msg.facility ?? null, severity: msg.severity ?? null, raw,
        escaped: form.escaped, truncated: form.truncated,
      });
      this.pendingRows++;
      this.pendingChars += raw.length;
    }
    this.schedule();
  }

  /**
   * Count a message against its device and program for this hour, and note when the device was
   * last heard (devices folded into `(other)` are counted but not recorded as heard). A message
   * with no sender (`heard` false: a file's line naming no device, imported with no --source) is
   * counted only: its placeholder name is nobody's, and listed it would be an unverified sender.
   */
  countTraffic(at: number, device: string, program: string, recognised: boolean, source: string | undefined, heard = true): void {
    const d = this.deviceHour(at, device);
    let t = d.last;
    if (t === undefined || t.program !== program) t = d.last = programRow(d, program);
    if (t.messages === 0) this.trafficDirty.push(t);
    t.messages++;
    if (recognised) t.recognised++;
    if (heard) this.heardFrom(d, source, at);
    if (this.gatheringSince === 0) this.schedule();
  }

  /**
   * Note that a message's records name another device than the message does (a FortiGate's
   * `devname`, a name only the body carries): that device was heard from this address too, so the
   * sender check compares it and the pages list it, though its traffic is the message's device's.
   */
  heard(at: number, device: string, source: string | undefined): void {
    this.heardFrom(this.deviceHour(at, device), source, at);
    if (this.gatheringSince === 0) this.schedule();
  }

  /** This hour's counts of `device`, made if new (past MAX_DEVICES_PER_HOUR, `(other)`'s). */
  private deviceHour(at: number, device: string): DeviceHour {
    this.lastInput = at;
    const hour = Math.floor(at / 3_600_000);
    if (hour !== this.trafficHour) {
      // Traffic rows belong to their hour; the devices known go with it (their next rows go with their batches).
      if (this.trafficDirty.length || this.heldActivity.length) this.flush();
      this.trafficHour = hour;
      this.trafficByDevice.clear();
    }
    let d = this.trafficByDevice.get(device);
    if (!d) {
      const folded = this.trafficByDevice.size >= MAX_DEVICES_PER_HOUR;
      if (folded) d = this.trafficByDevice.get(OTHER);
      if (!d) {
        d = { device: folded ? OTHER : copyOf(device), programs: new Map(), heard: undefined, heardIn: 0, others: undefined, lastHeard: -Infinity, last: undefined };
        this.trafficByDevice.set(d.device, d);
      }
    }
    return d;
  }

  /**
   * When the device was last heard, and from where (devices folded into `(other)` are not recorded
   * as heard): into its open row, else a new one, in this batch or held (see COUNTS_MS).
   */
  private heardFrom(d: DeviceHour, source: string | undefined, at: number): void {
    if (d.device === OTHER) return;
    const from = orNull(source);
    if (d.heard && (d.heardIn === this.heldIn || d.heardIn === this.batchNo)) {
      // A device sends from one address: one comparison per message in the usual case.
      const h = d.heard.source === from ? d.heard : this.otherSender(d, from, at);
      if (at > h.last) h.last = at;
    } else {
      const direct = at - d.lastHeard >= RESUMED_MS;
      d.heard = { device: d.device, source: from, first: at, last: at };
      d.heardIn = direct ? this.batchNo : this.heldIn;
      d.others = undefined;
      (direct ? this.activity : this.heldActivity).push(d.heard);
    }
    if (at > d.lastHeard) d.lastHeard = at;
  }

  /** The open row for a device heard from a second (third…) address; bounded per row. */
  private otherSender(d: DeviceHour, source: string | null, at: number): ActivityRow {
    const others = (d.others ??= []);
    for (const o of others) if (o.source === source) return o;
    if (others.length >= MAX_SENDERS_PER_ROW) return d.heard!;
    const row: ActivityRow = { device: d.device, source, first: at, last: at };
    others.push(row);
    (d.heardIn === this.batchNo ? this.activity : this.heldActivity).push(row);
    return row;
  }

  reject(reason: string, raw: Buffer, source: string | undefined, transport: string, at: number): void {
    if (this.opts.keepRejectedPerReason > 0) {
      this.rejects.push({ at, source: orNull(source), transport, reason, raw });
      // Bounded in memory too: a flood of junk keeps only the latest per batch.
      if (this.rejects.length > this.opts.keepRejectedPerReason * 4) this.rejects.splice(0, this.rejects.length >> 1);
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

  /**
   * A request from a native accounting sender (TACACS+, RADIUS) and how it went: accepted (filed
   * under `device`), a body that did not decode with the configured key, refused, or `named`: its
   * NAS attributes named `device`, an inventory device it is not configured to relay for (its
   * records were filed under the sender itself). Kept per sender and device, shown per device.
   */
  nativeRequest(transport: string, source: string, device: string, at: number, outcome: 'accepted' | 'bad-key' | 'refused' | 'named'): void {
    if (outcome === 'bad-key' && !this.unverifiedRow(transport, source, device)) return;
    const n = this.nativeRow(transport, source, device, at);
    if (outcome === 'accepted') {
      n.accepted++;
      n.lastAccepted = at;
    } else if (outcome === 'bad-key') {
      n.badKey++;
      n.lastBadKey = at;
    } else if (outcome === 'named') {
      n.named++;
      n.lastNamed = at;
    } else n.refused++;
    this.schedule();
  }

  /**
   * A packet from a native accounting sender that did not read (TACACS+ flags, sequence or length
   * a client may not send, a RADIUS packet that does not parse…), `reason` as the global counter
   * names it: counted beside the sender's other requests, so the device page says which sender
   * sends it. Never its bytes.
   */
  nativeMalformed(transport: string, source: string, device: string, at: number, reason: string): void {
    if (!this.unverifiedRow(transport, source, device)) return;
    const n = this.nativeRow(transport, source, device, at);
    n.malformed++;
    n.lastMalformed = at;
    n.lastMalformedReason = reason;
    this.schedule();
  }

  /** Whether a packet nothing verified may count in a row of its sender's (MAX_UNVERIFIED_SENDERS); counted when not. */
  private unverifiedRow(transport: string, source: string, device: string): boolean {
    if (this.nativePairs.get(transport)?.get(source)?.get(device) !== undefined) return true;
    const key = `${transport} ${source}`;
    if (this.unverified.has(key)) return true;
    if (this.unverified.size < MAX_UNVERIFIED_SENDERS) {
      this.unverified.add(key);
      return true;
    }
    this.count('native.senders-over-bound');
    return false;
  }

  /** The pair's open row, made if it has none in the batch or the held counts (the time of any request noted). */
  private nativeRow(transport: string, source: string, device: string, at: number): NativeRow {
    const pair = this.nativePair(transport, source, device);
    let n = pair.row;
    if (n === undefined || (pair.rowIn !== this.batchNo && pair.rowIn !== this.heldIn)) {
      // A pair new to this writer, or heard again after RESUMED_MS, goes with its batch, as a
      // device's last-heard row does (reconciliation reads when a device was last accepted);
      // the rest are held with the counts (see heldNative).
      const direct = at - pair.last >= RESUMED_MS;
      n = {
        transport, source, device, first: at, last: at, accepted: 0, lastAccepted: null, badKey: 0, lastBadKey: null, refused: 0, named: 0, lastNamed: null,
        malformed: 0, lastMalformed: null, lastMalformedReason: null,
      };
      pair.row = n;
      pair.rowIn = direct ? this.batchNo : this.heldIn;
      (direct ? this.native : this.heldNative).push(n);
    }
    if (at > n.last) n.last = at;
    if (at > pair.last) pair.last = at;
    return n;
  }

  /** A native sender's pair (transport, sender, device), made if new; past MAX_NATIVE_PAIRS the pairs known are forgotten (their next rows go with their batches). */
  private nativePair(transport: string, source: string, device: string): NativePair {
    let sources = this.nativePairs.get(transport);
    if (!sources) {
      sources = new Map();
      this.nativePairs.set(transport, sources);
    }
    let devices = sources.get(source);
    if (!devices) {
      devices = new Map();
      sources.set(source, devices);
    }
    let pair = devices.get(device);
    if (!pair) {
      if (this.nativePairCount >= MAX_NATIVE_PAIRS) {
        this.nativePairs.clear();
        this.nativePairCount = 0;
        return this.nativePair(transport, source, device);
      }
      pair = { last: -Infinity, row: undefined, rowIn: 0 };
      devices.set(device, pair);
      this.nativePairCount++;
    }
    return pair;
  }

  /**
   * A RELP frame to remember, in the batch its message goes in: called before the message is
   * handed over, since handing it over may send the batch.
   */
  resendFrame(row: ResendRow): void {
    (this.resends ??= { frames: [], forget: [] }).frames.push(row);
  }

  /** RELP sessions whose remembered frames go (after this batch's frames are written). */
  forgetResends(sessions: string[]): void {
    (this.resends ??= { frames: [], forget: [] }).forget.push(...sessions);
    this.schedule();
  }

  /** Records handed over now would be dropped: the store is too far behind, or cannot be written. */
  behind(): boolean {
    return this.sink.behind?.() === true;
  }

  /**
   * `n` messages received and dropped unread because the store is past its backlog: counted as
   * received and as dropped, `dropped.store-unwritable` while the store cannot be written (as the
   * records shed then are), else `dropped.store-behind`.
   */
  droppedUnread(received: string, n = 1): void {
    this.count(received, n);
    this.count(`dropped.${this.dropReason()}`, n);
    if (this.gatheringSince === 0) this.schedule();
  }

  /**
   * `n` UDP datagrams the kernel dropped while aaawatch did not read its socket because the store
   * was behind (src/ingest/udp-worker.ts): part of `kernel.udp.socket_drops`, told apart by the same
   * reason as `droppedUnread`'s, so a store that cannot keep up does not read as a receive buffer
   * too small.
   */
  kernelDroppedBehind(n: number): void {
    this.count(`kernel.udp.socket_drops.${this.dropReason()}`, n);
    if (this.gatheringSince === 0) this.schedule();
  }

  /** Why input is dropped while the store is past its backlog: it cannot be written, or it is only slow. */
  private dropReason(): 'store-unwritable' | 'store-behind' {
    return this.sink.unwritable?.() === true ? 'store-unwritable' : 'store-behind';
  }

  /** Add to a cumulative counter (kept in the counters table). */
  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  /** Set a counter to an absolute value (kernel drop totals). */
  gauge(name: string, value: number): void {
    this.gauges.set(name, value);
    this.schedule();
  }

  private schedule(): void {
    if (this.pendingRows >= this.opts.batchRows || this.pendingChars >= BATCH_CHARS) {
      this.handOver();
      return;
    }
    if (this.gatheringSince === 0) {
      this.gatheringSince = Date.now();
      if (!this.timer) this.arm(Math.min(IDLE_FLUSH_MS, this.opts.batchMillis));
    }
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  /**
   * A batch goes when it is old enough, or as soon as input pauses. A timer armed for a batch
   * handed over since fires early for the one gathering now: it waits out that batch's first
   * IDLE_FLUSH_MS, as a timer armed for it would have.
   */
  private tick(): void {
    this.timer = undefined;
    if (this.gatheringSince === 0) return;
    const now = Date.now();
    const age = now - this.gatheringSince;
    if (age < Math.min(IDLE_FLUSH_MS, this.opts.batchMillis)) this.arm(Math.min(IDLE_FLUSH_MS, this.opts.batchMillis) - age);
    else if (age >= this.opts.batchMillis || now - this.lastInput >= IDLE_FLUSH_MS) this.handOver();
    else this.arm(Math.min(IDLE_FLUSH_MS, this.opts.batchMillis - age));
  }

  /** Hand everything gathered to the sink, the held counts too (at a close, a settle, the hour's turn). */
  flush(): void {
    this.handOver();
    this.postCounts();
  }

  /** Hand the batch gathered to the sink; the counts held with it unless they went less than COUNTS_MS ago. */
  private handOver(): void {
    this.gatheringSince = 0;
    const batch: IngestBatch = {
      records: this.records,
      messages: this.messages,
      hour: this.trafficHour,
      traffic: [],
      rejects: this.rejects,
      unknowns: [...this.unknowns.values()],
      activity: this.activity,
      native: this.native.length ? this.native : undefined,
      resends: this.resends,
      counters: [...this.counters],
      gauges: [...this.gauges],
    };
    this.records = [];
    this.messages = [];
    this.rejects = [];
    this.unknowns = new Map();
    this.activity = [];
    if (this.native.length) this.native = [];
    this.resends = undefined;
    const no = this.batchNo++;
    this.counters = new Map();
    this.gauges = new Map();
    this.pendingRows = 0;
    this.pendingChars = 0;
    if (!isEmpty(batch)) this.write(no, batch);
    if (Date.now() - this.countsAt >= this.countsHold()) this.postCounts();
  }

  /** How long the counts held now wait after the last went (MANY_COUNTS). */
  private countsHold(): number {
    return this.trafficDirty.length + this.heldActivity.length >= MANY_COUNTS ? BUSY_COUNTS_MS : COUNTS_MS;
  }

  /**
   * The held counts to the sink, in a batch of their own (so a batch that cannot be stored does not
   * take them with it, nor they it). The next go with the first batch handed over COUNTS_MS later,
   * or then alone if none is.
   */
  private postCounts(): void {
    if (this.trafficDirty.length === 0 && this.heldActivity.length === 0 && this.heldNative.length === 0) return;
    const counts: IngestBatch = {
      records: [], messages: [], hour: this.trafficHour, traffic: this.trafficDirty.map((t) => ({ ...t })), rejects: [], unknowns: [],
      activity: this.heldActivity, native: this.heldNative.length ? this.heldNative : undefined, resends: undefined, counters: [], gauges: [],
    };
    for (const t of this.trafficDirty) {
      t.messages = 0;
      t.recognised = 0;
    }
    this.trafficDirty = [];
    this.heldActivity = [];
    if (this.heldNative.length) this.heldNative = [];
    this.heldIn--;
    this.countsAt = Date.now();
    if (this.countsTimer) clearTimeout(this.countsTimer);
    this.armCounts(COUNTS_MS);
    // Counts that cannot be stored are said by the sink (ThreadSink's onError), not by an acknowledgement's failure.
    void Promise.resolve(this.sink.write(counts)).catch(() => undefined);
  }

  /** Hand the held counts over `ms` from now if no batch takes them first, or later if they are many by then. */
  private armCounts(ms: number): void {
    this.countsTimer = setTimeout(() => {
      this.countsTimer = undefined;
      const wait = this.countsAt + this.countsHold() - Date.now();
      if (wait > 0) this.armCounts(wait);
      else this.postCounts();
    }, ms);
    this.countsTimer.unref();
  }

  private write(no: number, batch: IngestBatch): void {
    const commit = this.sink.write(batch);
    if (!commit) return;
    const entry = { no, commit };
    this.unsettled.push(entry);
    const settled = (): void => {
      const i = this.unsettled.indexOf(entry);
      if (i >= 0) this.unsettled.splice(i, 1);
    };
    // Handled here so a failure nobody waits for is not an unhandled rejection; `committed`
    // still hands the failure to whoever asks.
    commit.then(settled, (err: unknown) => {
      settled();
      if (!this.lastFailure || no > this.lastFailure.no) this.lastFailure = { no, err };
    });
  }

  /**
   * A point in the stream of what is handed to this writer: take one before handing over what is
   * to be acknowledged, and `committed(mark)` answers for everything handed over since.
   */
  mark(): WriterMark {
    return this.batchNo as WriterMark;
  }

  /**
   * Everything handed to this writer since `mark`, sent now; resolves when every batch since the
   * mark is committed, fails when any of them was not (shed, or the store thread ended): what an
   * acknowledging transport (RELP, TACACS+, RADIUS) waits for before it answers a sender. Not only
   * the last batch: an earlier one that failed must not go unnoticed behind a later one that
   * committed.
   */
  committed(mark: WriterMark): Promise<void> {
    this.handOver();
    if (this.lastFailure && this.lastFailure.no >= mark) return Promise.reject(this.lastFailure.err);
    // Unsettled batches are in order: those since the mark are the last few, for an acknowledged
    // group usually the one just handed over, whose own promise then serves (no Promise.all).
    const u = this.unsettled;
    let first = u.length;
    while (first > 0 && u[first - 1]!.no >= mark) first--;
    if (first === u.length) return Promise.resolve();
    if (first === u.length - 1) return u[first]!.commit;
    return Promise.all(u.slice(first).map((e) => e.commit)).then(() => undefined);
  }
}

/** A batch number: what `IngestWriter.mark` gives and `committed` takes. */
export type WriterMark = number & { readonly __brand: 'WriterMark' };
