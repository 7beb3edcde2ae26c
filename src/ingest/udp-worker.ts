// The UDP receiving thread (`aaw-udp`, started by udp.ts): owns the syslog UDP socket, applies the
// allow list, cuts datagrams over ingest.maxMessageBytes, says how each reads (ASCII, UTF-8 or
// Latin-1), copies them into a ring shared with the main thread and posts their places there in
// batches (udp-batch.ts). Node's dgram makes a receive, a Buffer and an event per datagram, which
// on the main thread came before any line's parsing and kept an aaa-only flood at twice the
// sustained rate to 0.64x that rate in records; here the datagrams queued behind the first are
// read with recvmmsg (datagram-io.ts).

import { isAscii, isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '../thread-priority.js';
import { createAllowList, plainAddress } from './allow.js';
import { readDatagrams } from './datagram-io.js';
import { cutAtCharacter } from './framing.js';
import { readSocketDrops } from './kernel.js';
import { ASCII, BEHIND, CLOSING, LATIN1, POSTED, POSTED_BYTES, postedWeight, TRUNCATED, UdpBatcher, type UdpThreadOptions, type UdpThreadReply } from './udp-batch.js';
import { bindUdp } from './udp-socket.js';

nameThisThread('aaw-udp');

const port = parentPort!;
const opts = workerData as UdpThreadOptions;
const shared = new Int32Array(opts.shared);
const allow = createAllowList(opts.allow);
const ring = new Uint8Array(opts.ring);

/**
 * A batch is posted at this many datagrams, at this much of the ring, or `batchMillis` after its
 * first, whichever comes first. 256 (~1 ms of the main thread's parsing at 4 µs or more a line) makes
 * the post, the clone and the wake a small part of a datagram's cost; the sizes were not measured apart
 * on this loaded box. The byte bound keeps datagrams near the 64 KiB limit from holding megabytes.
 */
const BATCH_DATAGRAMS = 256;
const BATCH_BYTES = 1 << 20;
/**
 * Datagrams posted and not yet handled by the main thread (which handles at most 4 batches a turn
 * of its event loop, udp.ts), and their bytes (the ring's size, udp.ts RING_BYTES), before this
 * thread waits for the main thread: a
 * stall of the main thread (waiting for a core the store, the reconcile thread or the sender has,
 * a GC) then waits here as well as in the socket's receive buffer, and only past both is dropped
 * (and counted) by the kernel. The receive buffer (8 MiB granted, 16 MiB of the kernel's
 * accounting at 832-2,304 bytes a datagram of 141-1,155 characters) holds ~0.4-1 s at 20k msgs/s;
 * the 4 batches posted ahead before added ~400 datagrams to it (20 ms: at 20k msgs/s a batch is
 * posted on its 5 ms timer), and a datagram's text costs here a third of what the kernel counts
 * for it. 16,384 datagrams are ~0.8 s at 20k msgs/s; 4 MiB ~13,600 aaa-only datagrams (308
 * bytes on average).
 * Quiet, alternated (bench:ingest aaa-only, 2026-12-06): 0 lost at 20k msgs/s in 4 runs of 4,
 * against 1,111 and 5,446 with 4 batches and 341 and 1,597 at 4,096 datagrams / 1 Mi; its cost
 * is a flood's: peak RSS 423-439 against 335-363 MB, records kept 0.61-0.86x the TCP rate against
 * 0.76-0.94x (BENCHMARKS.md).
 */
const MAX_POSTED = 16_384;
/**
 * While the store is behind, this thread stops reading for up to PAUSE_MS at a time (until the
 * main thread says it has caught up), then reads and drops, counted, what the kernel kept for it
 * for DRAIN_MS, and so on: past the socket's receive buffer the kernel drops the flood for a
 * fraction of the ~5 µs a datagram read and dropped here costs, and the CPU goes to the store and
 * the main thread. Reading for a while between pauses keeps a short episode's datagrams counted as
 * aaawatch's own drops (dropped.store-behind, dropped.store-unwritable), as before.
 */
const PAUSE_MS = 200;
const DRAIN_MS = 20;
/** The memory datagrams are read into, a call's worth: 32 slots of the largest (64 KiB), 64 when a slot is 32 KiB or less. */
const READ_BYTES = 2 << 20;
/** How much of a refused datagram is kept as its sample. */
const SAMPLE_BYTES = 256;

const batcher = new UdpBatcher(BATCH_DATAGRAMS, BATCH_BYTES, ring);
let timer: NodeJS.Timeout | undefined;

function post(): void {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (batcher.empty) return;
  for (let n = Atomics.load(shared, POSTED); n >= MAX_POSTED; n = Atomics.load(shared, POSTED)) {
    waitingBehind();
    Atomics.wait(shared, POSTED, n, 100);
  }
  const { batch, transfer } = batcher.take();
  Atomics.add(shared, POSTED_BYTES, batch.bytes);
  Atomics.add(shared, POSTED, postedWeight(batch));
  port.postMessage({ batch } satisfies UdpThreadReply, transfer);
}

// One sender floods, or a few take turns: the last address's plain form and verdict are kept.
let lastAddress = '';
let lastSource = '';
let lastAllowed = false;
/** The bound port, whose kernel drop counter (/proc/net/udp) is read around each pause. */
let boundPort = 0;
/** While the store is behind, datagrams are read (and dropped, counted) until then before the next pause. */
let drainUntil = 0;
/** The socket's kernel drop count when last read in a stretch behind; undefined while the store keeps up. */
let dropsSeen: number | undefined;

/**
 * The kernel's drops on this socket since they were last read in this stretch behind: the store's
 * doing, not the receive buffer's size, and said so (kernel.udp.socket_drops.store-behind). The
 * stretch runs from the first pause to the first datagram read after the store caught up, so the
 * drops while the buffer the pause filled is read again count too.
 */
function kernelDropsBehind(): void {
  const now = readSocketDrops(boundPort);
  if (dropsSeen !== undefined && now > dropsSeen) batcher.kernelDroppedBehind(now - dropsSeen);
  dropsSeen = now;
}

/**
 * Waiting for the main thread, which holds what was posted while the store is behind (udp.ts): a
 * stretch behind starts here as at a pause, so the kernel's drops meanwhile are the store's doing.
 */
function waitingBehind(): void {
  if (Atomics.load(shared, BEHIND) === 1) dropsSeen ??= readSocketDrops(boundPort);
}

/** The store is behind: read nothing until it has caught up (the main thread wakes this one), the listener closes, or PAUSE_MS pass. */
function pauseWhileBehind(): void {
  post();
  dropsSeen ??= readSocketDrops(boundPort);
  const until = Date.now() + PAUSE_MS;
  for (let left = PAUSE_MS; left > 0 && Atomics.load(shared, BEHIND) === 1 && Atomics.load(shared, CLOSING) === 0; left = until - Date.now()) {
    Atomics.wait(shared, BEHIND, 1, left);
  }
  kernelDropsBehind();
  // Woken because the store took a batch: read what it has room for, and pause again at the first
  // datagram it has none for; a drain after each such wake (the backlog falls below its bound at
  // every commit) would keep the thread reading while the store is behind (not shown apart in
  // serve's flood at this load: 70% of it shed against 73% with a drain after every pause).
  drainUntil = Atomics.load(shared, BEHIND) === 1 ? Date.now() + DRAIN_MS : 0;
}

/**
 * Copies a datagram's bytes into the ring, posting what is gathered and waiting for the main thread
 * when the ring has no room for them (it then holds RING_BYTES of datagrams not yet read).
 */
function keep(bytes: Uint8Array, flags: number): void {
  if (Atomics.load(shared, POSTED_BYTES) + batcher.bytes + batcher.need(bytes.length) > ring.length) {
    post();
    for (let n = Atomics.load(shared, POSTED); Atomics.load(shared, POSTED_BYTES) + batcher.need(bytes.length) > ring.length; n = Atomics.load(shared, POSTED)) {
      waitingBehind();
      Atomics.wait(shared, POSTED, n, 100);
    }
  }
  batcher.add(bytes, lastSource, Date.now(), flags);
}

/** `buf` lies in the reader's memory until the next read: keep() copies it into the ring. */
function onDatagram(buf: Buffer, address: string): void {
  if (address !== lastAddress) {
    lastAddress = address;
    lastSource = plainAddress(lastAddress);
    lastAllowed = allow(lastSource);
  }
  if (!lastAllowed) batcher.reject(lastSource, new Uint8Array(buf.subarray(0, SAMPLE_BYTES)));
  // The store is past its backlog: what would be read now would be dropped once read, so it is
  // counted and not read (those posted already wait in the ring for the main thread, udp.ts).
  else if (Atomics.load(shared, BEHIND) === 1) {
    batcher.droppedUnread();
    if (Date.now() >= drainUntil && Atomics.load(shared, CLOSING) === 0) pauseWhileBehind();
  } else {
    // The store has caught up: the stretch behind ends here.
    if (dropsSeen !== undefined) {
      kernelDropsBehind();
      dropsSeen = undefined;
    }
    // A datagram over the limit is kept up to it, flagged truncated, as rsyslog and syslog-ng keep it.
    const bytes = buf.length > opts.maxMessageBytes ? buf.subarray(0, cutAtCharacter(buf, 0, opts.maxMessageBytes)) : buf;
    // Read as UTF-8 when it is, else byte for byte as Latin-1 (framing.ts deliver), so nothing a device sent is lost or replaced.
    const reads = isAscii(bytes) ? ASCII : isUtf8(bytes) ? 0 : LATIN1;
    keep(bytes, reads | (bytes.length < buf.length ? TRUNCATED : 0));
  }
  if (batcher.full) post();
  else timer ??= setTimeout(post, opts.batchMillis);
}

try {
  const { socket, granted } = await bindUdp(opts.host, opts.port, opts.recvBufferBytes);
  // One byte past the limit shows a datagram was longer (no UDP datagram is over 65,535 bytes).
  const slotBytes = Math.min(opts.maxMessageBytes + 1, 65_536);
  const { calls } = readDatagrams(socket, onDatagram, { slotBytes, slots: Math.max(8, Math.min(64, Math.floor(READ_BYTES / slotBytes))), batched: opts.batchedCalls });
  socket.on('error', (err) => port.postMessage({ socketError: err.message } satisfies UdpThreadReply));
  const a = socket.address();
  boundPort = a.port;
  port.postMessage({ bound: { address: a.address, port: a.port, granted, calls } } satisfies UdpThreadReply);
  // Closing: nothing more is received; what was is posted before the thread says it has closed.
  port.once('message', () =>
    socket.close(() => {
      if (dropsSeen !== undefined) kernelDropsBehind();
      post();
      port.postMessage({ closed: true } satisfies UdpThreadReply);
      port.close();
    }),
  );
} catch (err) {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  port.postMessage({ failed: { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, address: e.address, port: e.port } } satisfies UdpThreadReply);
  port.close();
}
