// bench:aaa's probe inside `aaawatch serve` (loaded with `node --import`): the time from a RADIUS
// datagram's arrival at the socket to its Accounting-Response being handed to the socket, which
// covers the commit it waits for; and, to tell where such time goes, each batch's round trip to
// the store thread (posted, to its answer received) beside the store thread's own time for it (the
// `ms` of its answer). The difference is waiting: behind earlier batches, and for the two threads
// to be woken and get a core. It wraps Node's dgram and Worker, not aaawatch, so the figures do not
// depend on the code they measure; the batch figures rely on the store thread's message shapes
// (src/store/writer-worker.ts: a batch carries `records` as an array of lines (src/store/wire.ts), its answer `ok` and, once
// stored, `ms` and `batches`, how many posted batches it answers; a ping's answer `pong`) and come out empty if those change. Plain JavaScript: it is
// preloaded into the built program, which runs without a TypeScript loader. SIGUSR2 writes what
// was gathered since the last signal (ms) to $AAAWATCH_BENCH_LATENCY_OUT and starts afresh.
// Datagrams read and answered in batches are seen at koffi's recvmmsg and sendmmsg (below).

import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread, Worker } from 'node:worker_threads';

const out = process.env.AAAWATCH_BENCH_LATENCY_OUT;
const SAMPLE = 16;

if (isMainThread && out) {
  /** Arrival by sender port and RADIUS Identifier: what a client's retransmission keeps too. */
  let arrived = new Map();
  let latencies = [];
  /** Batches posted and not yet answered (answered in order), and each one's round trip and store time. */
  let posted = [];
  let roundTrips = [];
  let storeMs = [];
  const emit = dgram.Socket.prototype.emit;
  dgram.Socket.prototype.emit = function (event, msg, rinfo) {
    if (event === 'message' && msg.length > 1 && msg[1] % SAMPLE === 0) arrived.set(rinfo.port * 256 + msg[1], performance.now());
    return emit.apply(this, arguments);
  };
  // Datagrams read with recvmmsg and answers sent with sendmmsg (src/ingest/datagram-io.ts, through
  // koffi) pass neither: the two calls are wrapped where koffi makes them, and their vectors read as
  // the kernel lays them out (struct mmsghdr, 64 bytes each: msg_name at 0, msg_iov at 16, msg_len
  // at 56; the port at bytes 2-3 of the address, the Identifier at byte 1 of the data).
  const koffi = createRequire(import.meta.url)('koffi');
  const u64 = (view, at) => view.getBigUint64(at, true);
  // Views over the same memory, kept by address: the vectors are reused call after call, and a
  // view made for each message would cost aaawatch's thread more than the probe should.
  const views = new Map();
  const viewOf = (ptr, len) => {
    let v = views.get(ptr);
    if (v === undefined || v.byteLength < len) {
      v = new DataView(koffi.view(ptr, len));
      if (views.size >= 4096) views.clear();
      views.set(ptr, v);
    }
    return v;
  };
  /** Each message's key (sender port × 256 + Identifier), or undefined when not sampled. */
  const keysOf = (vec, n) => {
    const keys = [];
    if (n <= 0) return keys;
    const v = viewOf(vec, n * 64);
    for (let i = 0; i < n; i++) {
      const id = viewOf(u64(viewOf(u64(v, i * 64 + 16), 16), 0), 2).getUint8(1);
      keys.push(id % SAMPLE === 0 ? viewOf(u64(v, i * 64), 4).getUint16(2) * 256 + id : undefined);
    }
    return keys;
  };
  const load = koffi.load;
  koffi.load = function (...args) {
    const lib = load.apply(this, args);
    const func = lib.func;
    lib.func = function (decl, ...rest) {
      const f = func.call(this, decl, ...rest);
      if (typeof decl !== 'string') return f;
      if (decl.includes(' recvmmsg(')) {
        return (fd, vec, vlen, flags, timeout) => {
          const n = f(fd, vec, vlen, flags, timeout);
          const now = performance.now();
          for (const k of keysOf(vec, n)) if (k !== undefined) arrived.set(k, now);
          return n;
        };
      }
      if (decl.includes(' sendmmsg(')) {
        return (fd, vec, vlen, flags) => {
          const keys = keysOf(vec, vlen);
          const n = f(fd, vec, vlen, flags);
          const now = performance.now();
          for (const k of keys.slice(0, Math.max(0, n))) {
            const at = k === undefined ? undefined : arrived.get(k);
            if (at === undefined) continue;
            arrived.delete(k);
            latencies.push(now - at);
          }
          return n;
        };
      }
      return f;
    };
    return lib;
  };
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function (msg, port) {
    if (Buffer.isBuffer(msg) && msg.length > 1 && msg[1] % SAMPLE === 0 && typeof port === 'number') {
      const key = port * 256 + msg[1];
      const at = arrived.get(key);
      if (at !== undefined) {
        arrived.delete(key);
        latencies.push(performance.now() - at);
      }
    }
    return send.apply(this, arguments);
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message !== null && typeof message === 'object' && Array.isArray(message.records)) posted.push(performance.now());
    return post.apply(this, arguments);
  };
  const workerEmit = Worker.prototype.emit;
  Worker.prototype.emit = function (event, reply) {
    if (event === 'message' && reply !== null && typeof reply === 'object' && 'ok' in reply && !('pong' in reply)) {
      // One answer for the batches committed together (`batches`, from 2026-12-04 on), else one batch.
      const n = reply.ok === true && typeof reply.batches === 'number' ? reply.batches : 1;
      for (let i = 0; i < n; i++) {
        const at = posted.shift();
        if (at !== undefined && reply.ok === true) {
          roundTrips.push(performance.now() - at);
          storeMs.push(reply.ms);
        }
      }
    }
    return workerEmit.apply(this, arguments);
  };
  process.on('SIGUSR2', () => {
    writeFileSync(out, JSON.stringify({ latencies, roundTrips, storeMs }));
    arrived = new Map();
    latencies = [];
    roundTrips = [];
    storeMs = [];
  });
}
