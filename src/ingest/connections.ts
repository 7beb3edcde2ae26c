// The open connections of one TCP or TLS listener: admitted (allow-list, then the connection
// table) before TLS spends a handshake on them, paused together while the store is behind, rested
// between reads that empty them, closed together at stop. Shared by every stream listener (syslog
// TCP/TLS, RELP, RadSec).

import type net from 'node:net';
import tls from 'node:tls';
import { ConnectionTable, type AdmissionLimits, type Slot } from './admission.js';
import { plainAddress, type AllowList } from './allow.js';

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

/**
 * A bound stream listener (syslog TCP/TLS, RELP, TACACS+, RadSec) as the service sees it: where it
 * listens, how many connections it holds, paused together under back-pressure, closed at stop.
 */
export interface StreamListener {
  address: string;
  port: number;
  connections(): number;
  /** The server still accepts connections (for the health checks). */
  listening(): boolean;
  /** Stop (or go back to) reading every connection: TCP flow control then holds senders back. */
  setPaused(paused: boolean): void;
  close(): Promise<void>;
}

/**
 * The handle of a listener bound at `at`. Closing stops new connections, waits for `settle` (what
 * the listener still owes its senders: lines to read, answers to send), then closes every
 * connection, TLS handshakes in progress included.
 */
export function streamListener<T>(server: net.Server, at: net.AddressInfo, connections: Connections, admitted: AdmittedConnections<T>, settle: () => Promise<void>): StreamListener {
  return {
    address: at.address,
    port: at.port,
    connections: () => connections.sockets.size,
    listening: () => server.listening,
    setPaused: (p: boolean) => connections.setPaused(p),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await settle();
      for (const s of connections.sockets) s.destroy();
      admitted.destroyAll();
      await closed;
    },
  };
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

/** What a listener tells its admission: who may connect, how refusals are counted, and how a connection is held and evicted. */
export interface AdmissionHooks<T> {
  limits: AdmissionLimits;
  allow: AllowList;
  /** A connection refused (`source-not-allowed`, a limit) or evicted (`connection-evicted`, with what it held). */
  reject(reason: string, sample: Buffer, source: string): void;
  /** Whether reading is paused: a connection not read lately may hold bytes not yet read, so none is evicted then. */
  paused(): boolean;
  /** What the table holds for a newly admitted socket. */
  held(raw: net.Socket): T;
  /** Close a connection evicted to make room; returns a sample of what it held, for its reject row. */
  evict(conn: T): Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * How long a TLS handshake may take from the connection, whatever its bytes: the listeners'
 * `handshakeTimeout` (the same 10 s) restarts with every byte, so a client dribbling its
 * ClientHello a byte every few seconds held its slot for hours (measured: open after 30 s).
 */
export const HANDSHAKE_DEADLINE_MS = 10_000;

/** A connection by address and port: a TLS socket is not the raw one admitted, but has the same peer. */
const peerKey = (s: net.Socket): string => `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;

/**
 * The admission in front of one stream listener: every connection passes the allow-list and the
 * connection table before the server's own handlers (TLS's handshake, a plain reader) see it.
 */
/**
 * How RELP, TACACS+ and RadSec hold an admitted connection: the socket itself, whose unread bytes
 * are not the admission's to sample (their sessions count what they had read), so an eviction
 * just closes it.
 */
export const HOLD_SOCKET: Pick<AdmissionHooks<net.Socket>, 'held' | 'evict'> = {
  held: (raw) => raw,
  evict: (raw) => {
    raw.destroy();
    return EMPTY;
  },
};

export class AdmittedConnections<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly keys = new WeakMap<Slot<T>, string>();
  /** Every raw socket, TLS handshakes in progress too (not yet in `Connections`), so stop closes all. */
  private readonly raw = new Set<net.Socket>();

  /** The slot of an admitted connection, from the socket its bytes come on; undefined once evicted. */
  slotOf(s: net.Socket): Slot<T> | undefined {
    return this.slots.get(peerKey(s));
  }

  /** Put the admission in front of `server`'s connection handlers (call once they are attached). */
  guard(server: net.Server, hooks: AdmissionHooks<T>): void {
    const table = new ConnectionTable<T>(hooks.limits);
    const onward = server.listeners('connection') as Array<(s: net.Socket) => void>;
    server.removeAllListeners('connection');
    // A TLS listener: the deadline ends with the handshake (the secure socket has the raw one's peer).
    const handshakes = server instanceof tls.Server ? new Map<string, NodeJS.Timeout>() : undefined;
    server.on('connection', (s: net.Socket) => {
      this.raw.add(s);
      s.on('close', () => this.raw.delete(s));
      s.on('error', () => {});
      const source = plainAddress(s.remoteAddress ?? '');
      if (!hooks.allow(source)) {
        hooks.reject('source-not-allowed', EMPTY, source);
        s.destroy();
        return;
      }
      const a = table.admit(source, hooks.held(s), Date.now(), !hooks.paused());
      if (!a.admitted) {
        hooks.reject(a.reason, EMPTY, source);
        s.destroy();
        return;
      }
      if (a.evicted) {
        const k = this.keys.get(a.evicted);
        if (k !== undefined && this.slots.get(k) === a.evicted) this.slots.delete(k);
        hooks.reject('connection-evicted', hooks.evict(a.evicted.conn), a.evicted.source);
      }
      const key = peerKey(s);
      this.slots.set(key, a.slot);
      this.keys.set(a.slot, key);
      s.on('close', () => {
        table.remove(a.slot);
        if (this.slots.get(key) === a.slot) this.slots.delete(key);
      });
      if (handshakes) {
        const timer = setTimeout(() => s.destroy(), HANDSHAKE_DEADLINE_MS);
        timer.unref();
        handshakes.set(key, timer);
        s.on('close', () => {
          clearTimeout(timer);
          if (handshakes.get(key) === timer) handshakes.delete(key);
        });
      }
      for (const l of onward) l.call(server, s);
    });
    if (handshakes) {
      server.prependListener('secureConnection', (secure: tls.TLSSocket) => {
        const key = peerKey(secure);
        clearTimeout(handshakes.get(key));
        handshakes.delete(key);
      });
    }
  }

  /** Close every connection, handshakes in progress included. */
  destroyAll(): void {
    for (const s of this.raw) s.destroy();
  }
}
