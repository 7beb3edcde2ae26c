// bench:aaa's probe of RADIUS answer latency inside `aaawatch serve` (loaded with `node --import`):
// the time from a datagram's arrival at the socket to its Accounting-Response being handed to the
// socket, which covers the commit it waits for. It wraps Node's dgram, not aaawatch, so the
// figure does not depend on the code it measures. Plain JavaScript because it is preloaded into the
// built program, which runs without a TypeScript loader. SIGUSR2 writes the latencies (ms) gathered
// since the last signal to $AAAWATCH_BENCH_LATENCY_OUT and starts afresh.

import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const out = process.env.AAAWATCH_BENCH_LATENCY_OUT;
if (isMainThread && out) {
  /** Arrival by sender port and RADIUS Identifier: what a client's retransmission keeps too. */
  let arrived = new Map();
  let latencies = [];
  const emit = dgram.Socket.prototype.emit;
  dgram.Socket.prototype.emit = function (event, msg, rinfo) {
    if (event === 'message' && msg.length > 1) arrived.set(rinfo.port * 256 + msg[1], performance.now());
    return emit.apply(this, arguments);
  };
  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function (msg, port) {
    if (Buffer.isBuffer(msg) && msg.length > 1 && typeof port === 'number') {
      const key = port * 256 + msg[1];
      const at = arrived.get(key);
      if (at !== undefined) {
        arrived.delete(key);
        latencies.push(performance.now() - at);
      }
    }
    return send.apply(this, arguments);
  };
  process.on('SIGUSR2', () => {
    writeFileSync(out, JSON.stringify(latencies));
    arrived = new Map();
    latencies = [];
  });
}
