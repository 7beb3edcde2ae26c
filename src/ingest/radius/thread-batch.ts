// What the RADIUS receiving thread (radius/udp-worker.ts) and the main thread tell each other. The
// thread posts the Accounting-Requests it verified and has not seen before, gathered into one post
// (their bytes end to end, parallel arrays: one structured clone and one wake of the main thread a
// batch, not a datagram), with what it refused and counted; the main thread answers with the ids
// whose records are committed (the thread then sends their Accounting-Responses, made while the
// commit ran) or will not be (forgotten, so the sender's retransmission is tried again as new).

import type { SecretEntry } from '../native/keys.js';

export interface RadiusBatch {
  /** The requests' bytes, end to end; request i is `bytes[ends[i-1] ?? 0, ends[i])`. */
  bytes: Uint8Array;
  ends: Uint32Array;
  /** Each request's sender, as an index into `sources`. */
  from: Uint16Array;
  sources: string[];
  /** When each request was received, on the receiving thread's clock (epoch ms). */
  times: Float64Array;
  /** How many requests; request i has the id `(firstId + i) >>> 0`. */
  count: number;
  firstId: number;
  /** When the batch was posted (the thread's clock): the main thread moves each time onto its own clock. */
  postedAt: number;
  /** Datagrams refused (the reason names a counter), with their 20-octet header as the sample and their time. */
  refused: Array<{ reason: string; source: string; header: Uint8Array; at: number }>;
  /** Since the last batch: datagrams received, retransmissions recognised, Status-Servers answered, requests that threw. */
  received: number;
  duplicates: number;
  statusServer: number;
  errors: number;
}

/** What the receiving thread posts. */
export type RadiusThreadReply =
  | { bound: { address: string; port: number } }
  | { failed: { message: string; code?: string | undefined; errno?: number | undefined; syscall?: string | undefined; address?: string | undefined; port?: number | undefined } }
  | { batch: RadiusBatch }
  | { socketError: string }
  | { error: string }
  | { closed: true };

/** What the main thread posts: ids committed (answer them), ids not stored (forget them), or close. */
export type RadiusThreadCommand = { answer: Uint32Array } | { forget: Uint32Array } | 'close';

export interface RadiusThreadOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  /** ingest.allow (CIDRs). */
  allow: readonly string[];
  secrets: readonly SecretEntry[];
  duplicateCacheSize: number;
  duplicateSeconds: number;
  maxPending: number;
  /** A batch is posted this long after its first datagram at the latest. */
  batchMillis: number;
  /** How long close waits for the answers of requests being stored. */
  closeMillis: number;
  /** Int32 slots shared with the main thread (POSTED). */
  shared: SharedArrayBuffer;
}

/** Shared slot: batches posted and not yet taken by the main thread. */
export const POSTED = 0;
export const SHARED_SLOTS = 1;

/** The 20-octet header of a refused datagram: its attributes may carry what must not be stored. */
export const headerSample = (b: Uint8Array): Uint8Array => b.slice(0, Math.min(b.length, 20));

/** Gathers requests and refusals into the next batch. */
export class RadiusBatcher {
  private batch: RadiusBatch;
  private used = 0;
  private sourceIndex = new Map<string, number>();
  private nextId = 0;

  /** `capacity` requests and refusals make a batch full. */
  constructor(private readonly capacity: number) {
    this.batch = this.fresh();
  }

  get empty(): boolean {
    const b = this.batch;
    return b.count === 0 && b.refused.length === 0 && b.received === 0 && b.duplicates === 0 && b.statusServer === 0 && b.errors === 0;
  }

  get full(): boolean {
    return this.batch.count + this.batch.refused.length >= this.capacity;
  }

  /** Counters carried by the next batch. */
  get counts(): Pick<RadiusBatch, 'received' | 'duplicates' | 'statusServer' | 'errors'> {
    return this.batch;
  }

  /** A request to store: its id. */
  add(packet: Uint8Array, source: string, at: number): number {
    const b = this.batch;
    const i = b.count++;
    if (this.used + packet.length > b.bytes.length) {
      const grown = new Uint8Array(Math.max(b.bytes.length * 2, this.used + packet.length));
      grown.set(b.bytes.subarray(0, this.used));
      b.bytes = grown;
    }
    b.bytes.set(packet, this.used);
    this.used += packet.length;
    b.ends[i] = this.used;
    b.from[i] = this.indexOf(source);
    b.times[i] = at;
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    return id;
  }

  refuse(reason: string, source: string, packet: Uint8Array, at: number): void {
    this.batch.refused.push({ reason, source, header: headerSample(packet), at });
  }

  /** The batch gathered, and the buffers to transfer with it. */
  take(): { batch: RadiusBatch; transfer: ArrayBuffer[] } {
    const batch = this.batch;
    batch.postedAt = Date.now();
    batch.bytes = batch.bytes.subarray(0, this.used);
    this.batch = this.fresh();
    this.used = 0;
    this.sourceIndex.clear();
    return { batch, transfer: [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer, batch.from.buffer as ArrayBuffer, batch.times.buffer as ArrayBuffer] };
  }

  private indexOf(source: string): number {
    let i = this.sourceIndex.get(source);
    if (i === undefined) {
      i = this.batch.sources.push(source) - 1;
      this.sourceIndex.set(source, i);
    }
    return i;
  }

  private fresh(): RadiusBatch {
    const n = this.capacity;
    return {
      bytes: new Uint8Array(16_384), ends: new Uint32Array(n), from: new Uint16Array(n), sources: [], times: new Float64Array(n), count: 0, firstId: this.nextId, postedAt: 0,
      refused: [], received: 0, duplicates: 0, statusServer: 0, errors: 0,
    };
  }
}
