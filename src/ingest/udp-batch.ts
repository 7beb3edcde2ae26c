// What the UDP receiving thread (udp-worker.ts) hands the main thread: datagrams already decoded,
// gathered into one post as parallel arrays (one structured clone and one wake of the main thread
// per batch, not per datagram), and what it tells the main thread about the socket.

/** A datagram's flags in `UdpBatch.flags`. */
export const LATIN1 = 1;
export const TRUNCATED = 2;

export interface UdpBatch {
  /** The datagrams in the order received, decoded (Latin-1 when not UTF-8: `LATIN1`). */
  texts: string[];
  /** Each datagram's sender, as an index into `sources` (the typed arrays hold `texts.length` entries, and room for more). */
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
  /** `LATIN1` | `TRUNCATED` (over ingest.maxMessageBytes, kept up to it). */
  flags: Uint8Array;
  /** The characters of `texts`: what the batch holds in the main thread until it is handled (the receiving thread's bound on text in flight, POSTED_CHARS). */
  chars: number;
  /** Datagrams from senders outside `ingest.allow`: the sender and the datagram's start. */
  rejects: Array<{ source: string; sample: Uint8Array }>;
  /** Datagrams received and dropped unread since the last batch, because the store was behind. */
  unread: number;
  /** Datagrams the kernel dropped on the socket since the last batch while this thread stopped reading because the store was behind. */
  kernelBehind: number;
}

/** What the receiving thread posts. */
export type UdpThreadReply =
  | { bound: { address: string; port: number; granted: number } }
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
  /** Int32 slots shared with the main thread (POSTED, BEHIND below). */
  shared: SharedArrayBuffer;
}

/** Shared slot: the datagrams of the batches posted and not yet handled by the main thread (`postedWeight` each). */
export const POSTED = 0;
/** Shared slot: 1 while the store is behind (the main thread sets it): datagrams are dropped unread. */
export const BEHIND = 1;
/** Shared slot: 1 once the listener is closing: the receiving thread stops pausing (the main thread sets it). */
export const CLOSING = 2;
/** Shared slot: the characters of the batches posted and not yet handled (`UdpBatch.chars`). */
export const POSTED_CHARS = 3;
export const SHARED_SLOTS = 4;

/** What a batch counts in POSTED: its datagrams and refusals, and at least 1 (a batch of counts only). */
export const postedWeight = (b: UdpBatch): number => Math.max(1, b.texts.length + b.rejects.length);

/** Gathers decoded datagrams into the next batch. */
export class UdpBatcher {
  private batch: UdpBatch;
  private count = 0;
  private chars = 0;
  private sourceIndex = new Map<string, number>();

  /** `capacity` datagrams (and refusals), or `maxChars` of text, whichever comes first, make a batch full. */
  constructor(
    private readonly capacity: number,
    private readonly maxChars: number,
  ) {
    this.batch = this.fresh();
  }

  get size(): number {
    return this.count;
  }

  /** Nothing to post: no datagram, reject or drop gathered. */
  get empty(): boolean {
    return this.count === 0 && this.batch.rejects.length === 0 && this.batch.unread === 0 && this.batch.kernelBehind === 0;
  }

  get full(): boolean {
    return this.count + this.batch.rejects.length >= this.capacity || this.chars >= this.maxChars;
  }

  add(text: string, source: string, at: number, flags: number): void {
    const b = this.batch;
    const i = this.count++;
    this.chars += text.length;
    b.texts.push(text);
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

  /** The batch gathered (its typed arrays at capacity: `texts` says how many are filled), and the buffers to transfer with it. */
  take(): { batch: UdpBatch; transfer: ArrayBuffer[] } {
    const batch = this.batch;
    batch.postedAt = Date.now();
    batch.chars = this.chars;
    this.batch = this.fresh();
    this.count = 0;
    this.chars = 0;
    this.sourceIndex.clear();
    return { batch, transfer: [batch.from.buffer as ArrayBuffer, batch.times.buffer as ArrayBuffer, batch.flags.buffer as ArrayBuffer] };
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
    return { texts: [], from: new Uint16Array(this.capacity), sources: [], times: new Float64Array(this.capacity), flags: new Uint8Array(this.capacity), rejects: [], unread: 0, kernelBehind: 0, postedAt: 0, chars: 0 };
  }
}
