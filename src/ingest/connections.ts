// The open connections of one TCP or TLS listener: paused together while the store is behind,
// rested between reads that empty them, closed together at stop.

import type net from 'node:net';

/** What libuv reads from a TCP socket at most at a time: a shorter read emptied the kernel's queue. */
export const FULL_READ = 64 * 1024;

/**
 * How long a connection whose queue a read emptied rests before the next read. Read as soon as
 * bytes arrive, a busy sender's stream comes a few hundred bytes per read (2.9 KB on average under
 * bench:ingest), each read a wakeup on both ends; resting a millisecond lets the next read take
 * tens of kilobytes (56 KB on average). Measured: 5 to 15% less CPU per message here, over runs.
 */
const REST_MS = 1;

/**
 * Binds a TCP or TLS server. The default host `::` takes IPv4 too; on a machine without IPv6 it
 * falls back to `0.0.0.0` rather than failing.
 */
export async function listenStream(server: net.Server, host: string, port: number): Promise<net.AddressInfo> {
  try {
    await bind(server, host, port);
  } catch (err) {
    if (!(host === '::' && (err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT')) throw err;
    await bind(server, '0.0.0.0', port);
  }
  return server.address() as net.AddressInfo;
}

function bind(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The open connections of one listener, for pausing under back-pressure and closing at stop. */
export class Connections {
  readonly sockets = new Set<net.Socket>();
  paused = false;
  /** When any connection last delivered bytes: stop waits for a quiet moment before closing. */
  lastData = 0;
  private readonly resting = new Set<net.Socket>();
  private restTimer: NodeJS.Timeout | undefined;

  add(s: net.Socket): void {
    this.sockets.add(s);
    if (this.paused) s.pause();
    s.on('close', () => {
      this.sockets.delete(s);
      this.resting.delete(s);
    });
  }

  setPaused(p: boolean): void {
    this.paused = p;
    for (const s of this.sockets) {
      if (p) s.pause();
      else s.resume();
    }
  }

  /** After a read of `bytes`: a connection whose queue it emptied rests until the next tick (one timer for all). */
  afterRead(s: net.Socket, bytes: number): void {
    if (bytes >= FULL_READ || this.resting.has(s)) return;
    s.pause();
    this.resting.add(s);
    if (!this.restTimer) {
      this.restTimer = setTimeout(() => this.wake(), REST_MS);
      this.restTimer.unref();
    }
  }

  private wake(): void {
    this.restTimer = undefined;
    if (!this.paused) for (const s of this.resting) s.resume();
    this.resting.clear();
  }
}
