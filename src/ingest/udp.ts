// UDP syslog (RFC 5426): one message per datagram, received in a thread of its own (udp-worker.ts)
// and read here, batch by batch, by the pipeline. The receiving thread waits for this one when
// batches are not taken (the burst then waits in the socket's receive buffer), and drops datagrams
// unread while the store is behind, as the pipeline does: they cross as one count per batch.

import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { workerModule } from '../worker-module.js';
import { workerLimits } from '../thread-memory.js';
import type { Pipeline } from './pipeline.js';
import type { DatagramCalls } from './datagram-io.js';
import { BEHIND, CLOSING, datagramText, LATIN1, POSTED, POSTED_BYTES, postedWeight, SHARED_SLOTS, TRUNCATED, type UdpBatch, type UdpThreadOptions, type UdpThreadReply } from './udp-batch.js';

export interface UdpOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
  /** ingest.allow: the senders whose datagrams are read (CIDRs; none: every sender). */
  allow: readonly string[];
  /** A batch of datagrams reaches the pipeline this long after its first at the latest (BATCH_MS; tests set it). */
  batchMillis?: number;
  /** ingest.batchedDatagrams (datagram-io.ts); unset: batched where the platform has the calls. */
  batchedCalls?: boolean;
}

export interface UdpListener {
  address: string;
  port: number;
  /** The usable receive buffer the kernel granted (see udp-socket.ts grantedRecvBuffer). */
  recvBufferBytes: number;
  /** How datagrams are read: recvmmsg, or Node's own calls (datagram-io.ts). */
  calls: DatagramCalls;
  /** Still bound (a socket that closed receives nothing). */
  listening(): boolean;
  close(): Promise<void>;
}

/** A batch waits at most this long for more datagrams. */
const BATCH_MS = 5;

/** Batches handled in one turn of the event loop (flood15's bound: the store's answers and timers run between). */
const TURN_BATCHES = 4;

/**
 * The ring the receiving thread copies datagrams into and this thread reads them from: what may
 * wait for this thread, in bytes (with udp-worker.ts MAX_POSTED in datagrams). Posted as strings,
 * the datagrams waiting (up to 4 Mi characters, ~0.8 s at 20k msgs/s) outlived two scavenges of
 * this thread's young generation and were promoted into its old space, where they stayed until a
 * full collection: its old space peaked at 52 MB against 30.5 from the ring in a flood at 40k msgs/s
 * (load 14), serve at 279, 261, 280 MB against 264, 268, 258 in three alternated pairs (load 15-22),
 * and the test's 3,000 queued datagrams of 1,000 bytes held 3.0 MB of its heap against 0.3
 * (BENCHMARKS.md, flood17). In the ring they take its 4 MiB, allocated once, and each datagram's
 * text is made only as it is read, and dies young.
 */
export const RING_BYTES = 4 << 20;

/** While the store is behind, how often this thread looks whether it has caught up (the receiving thread may post nothing meanwhile). */
const BEHIND_CHECK_MS = 5;

/** A bind failure as the socket gave it (`bind EADDRINUSE 0.0.0.0:514`, with its code), so serve says and exits the same way. */
function bindError(f: Extract<UdpThreadReply, { failed: unknown }>['failed']): Error {
  const err = new Error(f.message) as NodeJS.ErrnoException & { address?: string; port?: number };
  if (f.code !== undefined) err.code = f.code;
  if (f.errno !== undefined) err.errno = f.errno;
  if (f.syscall !== undefined) err.syscall = f.syscall;
  if (f.address !== undefined) err.address = f.address;
  if (f.port !== undefined) err.port = f.port;
  return err;
}

export async function startUdp(opts: UdpOptions, pipeline: Pipeline, log: Logger): Promise<UdpListener> {
  const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const ringBuffer = new SharedArrayBuffer(RING_BYTES);
  const ring = Buffer.from(ringBuffer);
  const workerData: UdpThreadOptions = { ...opts, allow: [...opts.allow], batchMillis: opts.batchMillis ?? BATCH_MS, batchedCalls: opts.batchedCalls ?? true, shared: shared.buffer as SharedArrayBuffer, ring: ringBuffer };
  const worker = new Worker(workerModule(import.meta.url, 'udp-worker'), { workerData, resourceLimits: workerLimits('udp') });
  let bound = false;
  let closed: (() => void) | undefined;
  let watch: NodeJS.Timeout | undefined;

  const lookBehind = (): boolean => {
    const behind = pipeline.storeBehind();
    // Caught up: the receiving thread, which may be pausing, reads again at once.
    if (Atomics.exchange(shared, BEHIND, behind ? 1 : 0) === 1 && !behind) Atomics.notify(shared, BEHIND);
    if (!behind && watch) {
      clearInterval(watch);
      watch = undefined;
      if (queue.length > 0) turn ??= setImmediate(onTurn);
    }
    return behind;
  };

  /**
   * Batches posted wait here and are handled at most TURN_BATCHES a turn of this thread's event
   * loop (setImmediate), then given back to the receiving thread (which posts up to its own bound
   * ahead, udp-worker.ts MAX_POSTED, ~0.8 s at 20k msgs/s). Handled as delivered, a thread faster
   * than this one kept it in the port's delivery (Node delivers a port's messages without a turn of
   * the loop between them until the port is empty, up to 1,000 a turn), and the store's answers,
   * timers, TCP sockets and native accounting waited seconds (this thread's event-loop delay up to
   * 3.9-7.3 s in a flood at 30k msgs/s, 0.4-1.0 s at 4 batches a turn; load 10-13, 2026-12-05), the
   * store's backlog was read as at its bound while the store kept up, and what was received
   * meanwhile was shed (BENCHMARKS.md, flood15). Queued here, a deeper backlog costs a turn no more
   * than 4 batches.
   */
  const queue: UdpBatch[] = [];
  let turn: NodeJS.Immediate | undefined;

  /**
   * A batch's refusals and drops, taken as it arrives: they are counts and samples, in no order with
   * the datagrams, so a batch held while the store is behind does not hold them from /metrics.
   */
  const counts = (b: UdpBatch): void => {
    for (const r of b.rejects) pipeline.reject('source-not-allowed', Buffer.from(r.sample.buffer, r.sample.byteOffset, r.sample.byteLength), r.source, 'udp');
    if (b.unread > 0) pipeline.droppedUnread(b.unread);
    if (b.kernelBehind > 0) pipeline.kernelDroppedBehind(b.kernelBehind);
  };

  /** The next datagram to read of the batch at the queue's head: the store fell behind before it. */
  let resumeAt = 0;

  /**
   * Reads batch `b`'s datagrams from `resumeAt` on. While the store is behind and `hold` is set, it
   * stops before the next datagram and says so (false): the rest wait in the ring, read later, not
   * dropped. They were received, copied and posted already (the receiving thread's ~5 µs each), and
   * the receiving thread, finding the flag set (or the ring full), stops reading: the kernel drops
   * what comes meanwhile, for none of aaawatch's CPU. Shed here instead, a flood's read-ahead (up to
   * 16,384 datagrams) was thrown away each time the store fell behind.
   */
  const take = (b: UdpBatch, hold: boolean): boolean => {
    try {
      const { count, from, sources, times, flags } = b;
      const shift = Date.now() - b.postedAt;
      for (let i = resumeAt; i < count; i++) {
        if (hold && pipeline.storeBehind()) {
          resumeAt = i;
          return false;
        }
        const f = flags[i]!;
        pipeline.message(datagramText(ring, b, i), (f & LATIN1) !== 0, sources[from[i]!]!, 'udp', times[i]! + shift, (f & TRUNCATED) !== 0 ? 'oversize-datagram' : undefined);
      }
      resumeAt = 0;
      return true;
    } finally {
      if (lookBehind() && !watch) {
        watch = setInterval(lookBehind, BEHIND_CHECK_MS);
        watch.unref();
      }
    }
  };

  /**
   * Handles up to `most` batches waiting, oldest first, and gives them back to the receiving thread;
   * with `hold`, stops where the store falls behind (true), to go on once it has caught up.
   */
  const handle = (most: number, hold: boolean): boolean => {
    let datagrams = 0;
    let bytes = 0;
    let stopped = false;
    try {
      for (let n = 0; n < most && queue.length > 0; n++) {
        const b = queue[0]!;
        if (!take(b, hold)) {
          stopped = true;
          break;
        }
        queue.shift();
        datagrams += postedWeight(b);
        bytes += b.bytes;
      }
    } finally {
      Atomics.sub(shared, POSTED_BYTES, bytes);
      Atomics.sub(shared, POSTED, datagrams);
      Atomics.notify(shared, POSTED);
    }
    return stopped;
  };

  /** Closing: what was posted is handed over whether or not the store is behind (and dropped, counted, if it is), so the receiving thread can post the rest and end. */
  let closing = false;

  const onTurn = (): void => {
    turn = undefined;
    // Stopped because the store is behind: lookBehind takes the turn up again once it has caught up.
    if (!handle(TURN_BATCHES, !closing) && queue.length > 0) turn = setImmediate(onTurn);
  };

  const started = new Promise<{ address: string; port: number; granted: number; calls: DatagramCalls }>((resolve, reject) => {
    worker.on('message', (m: UdpThreadReply) => {
      if ('batch' in m) {
        counts(m.batch);
        queue.push(m.batch);
        turn ??= setImmediate(onTurn);
      }
      else if ('bound' in m) {
        bound = true;
        resolve(m.bound);
      } else if ('failed' in m) reject(bindError(m.failed));
      else if ('socketError' in m) log.error({ err: m.socketError }, 'UDP socket error');
      else {
        // Closed: every batch posted came before this message, and is handled before close resolves.
        bound = false;
        handle(queue.length, false);
        closed?.();
      }
    });
    worker.on('error', (err) => {
      log.error({ err: err.message }, 'the UDP receiving thread failed');
      reject(err);
    });
    worker.on('exit', () => {
      bound = false;
      handle(queue.length, false);
      if (watch) clearInterval(watch);
      reject(new Error('the UDP receiving thread ended before its socket was bound'));
      closed?.();
    });
  });
  const a = await started;
  if (a.granted < opts.recvBufferBytes) {
    log.warn(
      { requested: opts.recvBufferBytes, granted: a.granted },
      `UDP receive buffer capped by the kernel at ${a.granted} bytes; raise it with ` +
        `sysctl -w net.core.rmem_max=${opts.recvBufferBytes} (and in /etc/sysctl.d/ to keep it)`,
    );
  }
  const done = new Promise<void>((resolve) => (closed = resolve));
  return {
    address: a.address,
    port: a.port,
    recvBufferBytes: a.granted,
    calls: a.calls,
    listening: () => bound,
    close: () => {
      if (bound) {
        closing = true;
        turn ??= setImmediate(onTurn);
        Atomics.store(shared, CLOSING, 1);
        Atomics.notify(shared, BEHIND);
        worker.postMessage('close');
      }
      return done;
    },
  };
}
