// Datagrams to a listener on loopback, in order, from one socket.

import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';

export interface SendOptions {
  /** Pause between datagrams: a burst of hundreds can overflow a socket buffer on a busy machine. */
  gapMs?: number;
  /** The loopback address to send from (127.0.0.2: a sender outside `ingest.allow`). */
  from?: string;
}

/** Sends each datagram after the last was handed to the kernel; strings as UTF-8. */
export function sendDatagrams(port: number, datagrams: readonly (Buffer | string)[], o: SendOptions = {}): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    let i = 0;
    const next = (): void => {
      if (i >= datagrams.length) {
        socket.close();
        resolve();
        return;
      }
      socket.send(datagrams[i++]!, port, '127.0.0.1', (err) => (err ? reject(err) : o.gapMs ? setTimeout(next, o.gapMs) : next()));
    };
    if (o.from) socket.bind(0, o.from, next);
    else next();
  });
}

/**
 * A UDP port on 127.0.0.1 held by a socket of the test's own, for a listener that must fail to
 * bind it; the socket's close is pushed onto `cleanups`.
 */
export async function heldUdpPort(cleanups: Array<() => void | Promise<void>>): Promise<number> {
  const holder = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  return holder.address().port;
}

/**
 * A sender in a thread of its own: `total` datagrams to `port` on loopback, each
 * `<13>Nov  1 22:10:01 h1 app: WORD i` (padded with x to `size` characters when given), sent while
 * the socket's receive queue holds under 64 KiB, so the kernel never drops however slowly the
 * receiving thread is scheduled; it gives up after 10 s. `sentBlocking` waits for it without
 * turning the caller's event loop (a stalled main thread) and says how many it sent.
 */
export function pacedSender(port: number, total: number, o: { word: string; size?: number }): { sentBlocking(timeoutMs: number): number; stop(): Promise<void> } {
  const done = new Int32Array(new SharedArrayBuffer(8));
  const sender = new Worker(
    `const { workerData: w } = require('node:worker_threads');
     const fs = require('node:fs');
     const s = require('node:dgram').createSocket('udp4');
     const done = new Int32Array(w.done);
     const hex = ':' + w.port.toString(16).toUpperCase().padStart(4, '0');
     const queued = () => fs.readFileSync('/proc/net/udp', 'utf8').split('\\n').map((l) => l.trim().split(/\\s+/)).filter((c) => c[1]?.endsWith(hex)).reduce((n, c) => n + parseInt(c[4].split(':')[1], 16), 0);
     const end = Date.now() + 10000;
     let i = 0;
     const next = () => {
       if (i >= w.total || Date.now() > end) { Atomics.store(done, 1, i); Atomics.store(done, 0, 1); Atomics.notify(done, 0); s.close(); return; }
       if (i % 16 === 0 && queued() >= 65536) return void setTimeout(next, 1);
       const line = '<13>Nov  1 22:10:01 h1 app: ' + w.word + ' ' + i++;
       s.send(w.size ? line + ' ' + 'x'.repeat(Math.max(0, w.size - line.length - 1)) : line, w.port, '127.0.0.1', next);
     };
     next();`,
    { eval: true, workerData: { port, total, word: o.word, size: o.size ?? 0, done: done.buffer } },
  );
  return {
    sentBlocking(timeoutMs) {
      Atomics.wait(done, 0, 0, timeoutMs);
      return Atomics.load(done, 1);
    },
    stop: () => sender.terminate().then(() => undefined),
  };
}
