// What the UDP receiving thread (udp-worker.ts) hands the main thread: datagrams' bytes in a ring
// shared by both threads, each batch their places in it as parallel arrays (one post and one wake
// of the main thread per batch, not per datagram), and what it tells the main thread about the socket.

import type { DatagramCalls } from './datagram-io.js';

/** A datagram's flags in `UdpBatch.flags`: how its bytes read (none of these: valid UTF-8). */
export const LATIN1 = 1;
export const TRUNCATED = 2;
/** Plain ASCII: read as Latin-1, the same text without UTF-8 decoding. */
export const ASCII = 4;

export interface UdpBatch {
  /** The datagrams in the batch. */
  count: number;
  /** Each datagram's bytes in the shared ring (`UdpThreadOptions.ring`): start and end, in the order received. */
  spans: Uint32Array;
  /** Each datagram's sender, as an index into `sources` (the typed arrays hold `count` entries, and room for more). */
  from: Uint16Array;
  /** The senders in this batch, each once. */
  sources: string[];
  /** When each datagram was received, on this thread's clock (epoch ms). */
  times: Float64Array;
  /**
   * When the batch was posted, on the same clock. The main thread stamps each datagram with its
   * own time less the datagram's age at the post: every record's time is on the main thread's
   * clock, as TCP's are (one clock for every listener, and the one tests set).
   */
  postedAt: number;
  /** `ASCII` | `LATIN1` (not UTF-8) | `TRUNCATED` (over ingest.maxMessageBytes, kept up to it). */
  flags: Uint8Array;
  /** The ring's bytes the batch holds until the main thread has read it (its datagrams, and the ring's end skipped when one did not fit there): POSTED_BYTES. */
  bytes: number;
  /** Datagrams from senders outside `ingest.allow`: the sender and the datagram's start. */
  rejects: Array<{ source: string; sample: Uint8Array }>;
  /** Datagrams received and dropped unread since the last batch, because the store was behind. */
  unread: number;
  /** Datagrams the kernel dropped on the socket since the last batch while this thread stopped reading because the store was behind. */
  kernelBehind: number;
}

/** What the receiving thread posts. */
export type UdpThreadReply =
  | { bound: { address: string; port: number; granted: number; calls: DatagramCalls } }
  | { failed: { message: string; code?: string | undefined; errno?: number | undefined; syscall?: string | undefined; address?: string | undefined; port?: number | undefined } }
  | { batch: UdpBatch }
  | { socketError: string }
  | { closed: true };

export interface UdpThreadOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
  /** ingest.allow (CIDRs): the allow list is applied in the receiving thread. */
  allow: readonly string[];
  /** A batch is posted this long after its first datagram at the latest. */
  batchMillis: number;
  /** ingest.batchedDatagrams: recvmmsg where the platform has it. */
  batchedCalls: boolean;
  /** Int32 slots shared with the main thread (POSTED, BEHIND below). */
  shared: SharedArrayBuffer;
  /** The ring the datagrams' bytes wait in until the main thread reads them (POSTED_BYTES of it in use). */
  ring: SharedArrayBuffer;
}

/** Shared slot: the datagrams of the batches posted and not yet handled by the main thread (`postedWeight` each). */
export const POSTED = 0;
/** Shared slot: 1 while the store is behind (the main thread sets it): datagrams are dropped unread. */
export const BEHIND = 1;
/** Shared slot: 1 once the listener is closing: the receiving thread stops pausing (the main thread sets it). */
export const CLOSING = 2;
/** Shared slot: the ring's bytes held by the batches posted and not yet handled (`UdpBatch.bytes`). */
export const POSTED_BYTES = 3;
export const SHARED_SLOTS = 4;

/** What a batch counts in POSTED: its datagrams and refusals, and at least 1 (a batch of counts only). */
export const postedWeight = (b: UdpBatch): number => Math.max(1, b.count + b.rejects.length);

/**
 * Gathers datagrams into the next batch, their bytes copied into the ring at its head (one past the
 * last datagram's end, back to 0 when the next does not fit before the ring's end). The caller makes
 * room first: what `need` says must be free past the bytes posted and this batch's `bytes`.
 */
export class UdpBatcher {
  private batch: UdpBatch;
  private sourceIndex = new Map<string, number>();
  private head = 0;

  /** `capacity` datagrams (and refusals), or `maxBytes` of the ring, whichever comes first, make a batch full. */
  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
    private readonly ring: Uint8Array,
  ) {
    this.batch = this.fresh();
  }

  get size(): number {
    return this.batch.count;
  }

  /** The ring's bytes this batch holds so far. */
  get bytes(): number {
    return this.batch.bytes;
  }

  /** Nothing to post: no datagram, reject or drop gathered. */
  get empty(): boolean {
    return this.batch.count === 0 && this.batch.rejects.length === 0 && this.batch.unread === 0 && this.batch.kernelBehind === 0;
  }

  get full(): boolean {
    return this.batch.count + this.batch.rejects.length >= this.capacity || this.batch.bytes >= this.maxBytes;
  }

  /** The ring's bytes a datagram of `length` bytes takes: its own, and the ring's end when it does not fit there. */
  need(length: number): number {
    return this.head + length > this.ring.length ? this.ring.length - this.head + length : length;
  }

  /** Copies `bytes` into the ring (room made by the caller, `need`). */
  add(bytes: Uint8Array, source: string, at: number, flags: number): void {
    const b = this.batch;
    const n = bytes.length;
    b.bytes += this.need(n);
    if (this.head + n > this.ring.length) this.head = 0;
    this.ring.set(bytes, this.head);
    const i = b.count++;
    b.spans[2 * i] = this.head;
    b.spans[2 * i + 1] = this.head += n;
    b.from[i] = this.indexOf(source);
    b.times[i] = at;
    b.flags[i] = flags;
  }

  reject(source: string, sample: Uint8Array): void {
    this.batch.rejects.push({ source, sample });
  }

  droppedUnread(): void {
    this.batch.unread++;
  }

  /** `n` datagrams the kernel dropped while this thread did not read because the store was behind. */
  kernelDroppedBehind(n: number): void {
    this.batch.kernelBehind += n;
  }

  /** The batch gathered (its typed arrays at capacity: `count` says how many are filled), and the buffers to transfer with it. */
  take(): { batch: UdpBatch; transfer: ArrayBuffer[] } {
    const batch = this.batch;
    batch.postedAt = Date.now();
    this.batch = this.fresh();
    this.sourceIndex.clear();
    return { batch, transfer: [batch.spans.buffer as ArrayBuffer, batch.from.buffer as ArrayBuffer, batch.times.buffer as ArrayBuffer, batch.flags.buffer as ArrayBuffer] };
  }

  private indexOf(source: string): number {
    let i = this.sourceIndex.get(source);
    if (i === undefined) {
      i = this.batch.sources.push(source) - 1;
      this.sourceIndex.set(source, i);
    }
    return i;
  }

  private fresh(): UdpBatch {
    const c = this.capacity;
    return { count: 0, spans: new Uint32Array(2 * c), from: new Uint16Array(c), sources: [], times: new Float64Array(c), flags: new Uint8Array(c), rejects: [], unread: 0, kernelBehind: 0, postedAt: 0, bytes: 0 };
  }
}

/** A batch's `i`th datagram as text, read from the ring: as Latin-1 when it was ASCII or not UTF-8. */
export function datagramText(ring: Buffer, b: UdpBatch, i: number): string {
  return ring.toString((b.flags[i]! & (ASCII | LATIN1)) !== 0 ? 'latin1' : 'utf8', b.spans[2 * i], b.spans[2 * i + 1]);
}
