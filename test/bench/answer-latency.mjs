// bench:aaa's probe inside `aaawatch serve` (loaded with `node --import`): the time from a RADIUS
// datagram's arrival at the socket to its Accounting-Response being handed to the socket, which
// covers the commit it waits for; and, to tell where such time goes, each batch's round trip to
// the store thread (posted, to its answer received) beside the store thread's own time for it (the
// `ms` of its answer). The difference is waiting: behind earlier batches, and for the two threads
// to be woken and get a core. It wraps Node's dgram and Worker, not aaawatch, so the figures do not
// depend on the code they measure. The RADIUS server runs in the store thread (from rad18c, 2026-12-05):
// `--import` does not reach worker threads, so the Worker class is wrapped to load this file there
// first, and on SIGUSR2 the main thread asks every thread for its latencies over a BroadcastChannel.
// The batch figures rely on the store thread's message shapes
// (src/store/writer-worker.ts: a batch carries `records` as an array of lines (src/store/wire.ts), its answer `ok` and, once
// stored, `ms` and `batches`, how many posted batches it answers; a ping's answer `pong`) and come out empty if those change. Plain JavaScript: it is
// preloaded into the built program, which runs without a TypeScript loader. SIGUSR2 writes what
// was gathered since the last signal (ms) to $AAAWATCH_BENCH_LATENCY_OUT and starts afresh.

import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { BroadcastChannel, isMainThread, Worker } from 'node:worker_threads';

const out = process.env.AAAWATCH_BENCH_LATENCY_OUT;
const SAMPLE = 16;
/** How long the main thread waits for the other threads' latencies before writing them. */
const GATHER_MS = 200;

if (out) {
  /** Arrival by sender port and RADIUS Identifier: what a client's retransmission keeps too. */
  let arrived = new Map();
  let latencies = [];
  const emit = dgram.Socket.prototype.emit;
  dgram.Socket.prototype.emit = function (event, msg, rinfo) {
    if (event === 'message' && msg.length > 1 && msg[1] % SAMPLE === 0) arrived.set(rinfo.port * 256 + msg[1], performance.now());
    return emit.apply(this, arguments);
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
  const channel = new BroadcastChannel('aaawatch-bench-latency');
  channel.unref();
  const take = () => {
    const taken = latencies;
    arrived = new Map();
    latencies = [];
    return taken;
  };

  if (!isMainThread) {
    channel.onmessage = (e) => {
      if (e.data === 'dump') channel.postMessage({ latencies: take() });
    };
  } else {
    // Every worker thread loads this file before its own module.
    const self = import.meta.url;
    const Original = Worker;
    class Probed extends Original {
      constructor(file, options) {
        const target = file instanceof URL ? file.href : String(file);
        const boot = `await import(${JSON.stringify(self)}); await import(${JSON.stringify(target)});`;
        super(options?.eval ? file : new URL('data:text/javascript,' + encodeURIComponent(boot)), options);
      }
    }
    createRequire(import.meta.url)('node:worker_threads').Worker = Probed;
    syncBuiltinESMExports();

    /** Batches posted and not yet answered (answered in order), and each one's round trip and store time. */
    let posted = [];
    let roundTrips = [];
    let storeMs = [];
    const post = Original.prototype.postMessage;
    Original.prototype.postMessage = function (message) {
      if (message !== null && typeof message === 'object' && Array.isArray(message.records)) posted.push(performance.now());
      return post.apply(this, arguments);
    };
    const workerEmit = Original.prototype.emit;
    Original.prototype.emit = function (event, reply) {
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
    let gathered;
    channel.onmessage = (e) => {
      if (gathered && Array.isArray(e.data?.latencies)) gathered.push(...e.data.latencies);
    };
    process.on('SIGUSR2', () => {
      gathered = take();
      const figures = { roundTrips, storeMs };
      roundTrips = [];
      storeMs = [];
      channel.postMessage('dump');
      setTimeout(() => {
        writeFileSync(out, JSON.stringify({ latencies: gathered, ...figures }));
        gathered = undefined;
      }, GATHER_MS).unref();
    });
  }
}
