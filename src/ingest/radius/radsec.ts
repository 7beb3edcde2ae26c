// RadSec: RADIUS over TLS (RFC 6614), on TCP 2083. Clients (devices, or a proxy such as
// radsecproxy in front of UDP ones) are authenticated by their certificates, which must chain to
// the configured CA; the shared secret is then the fixed "radsec" (RFC 6614 §2.3). Packets follow
// each other on the stream, each framed by its own Length field: a Length outside RADIUS's 20–4096
// octets leaves nothing to follow, so it is counted and that connection closed. Each packet is a
// request as over UDP (radius/requests.ts), answered on its connection once committed.
// Connections are admitted like every stream listener's (allow-list, connection table), and are
// paused with them while the store is behind. Nothing thrown here leaves a handler.

import type net from 'node:net';
import tls from 'node:tls';
import type { AllowList } from '../allow.js';
import { plainAddress } from '../allow.js';
import { AdmittedConnections, Connections, listenStream } from '../connections.js';
import { MAX_PACKET_BYTES } from './packet.js';
import { headerOf, RadiusRequests, TRANSPORT, type RequestContext, type RequestOptions } from './requests.js';

/** RFC 6614 §2.3: the shared secret over TLS is "radsec"; the certificates authenticate. */
const SECRETS = [Buffer.from('radsec')];
const HEADER_BYTES = 20;
const EMPTY = Buffer.alloc(0);
const STOP_GRACE_MS = 5000;

export interface RadsecOptions extends RequestOptions {
  host: string;
  port: number;
  cert: Buffer;
  key: Buffer;
  passphrase?: string;
  /** CA that client certificates must chain to. */
  ca: Buffer;
  maxConnections: number;
  maxConnectionsPerSource: number;
  idleTimeoutSeconds: number;
  /** For a connection holding part of a packet: shorter than the idle timeout. */
  stallTimeoutSeconds: number;
}

export interface RadsecContext extends RequestContext {
  allow: AllowList;
}

export interface RadsecListener {
  address: string;
  port: number;
  connections(): number;
  listening(): boolean;
  /** Stop (or go back to) reading every connection: TCP flow control then holds senders back. */
  setPaused(paused: boolean): void;
  close(): Promise<void>;
}

/**
 * Where the stream's packets end: each whole packet's end offset, and whether a Length that no
 * packet can have was met (what follows it cannot be framed).
 */
export function packetEnds(b: Buffer): { ends: number[]; bad: boolean } {
  const ends: number[] = [];
  let at = 0;
  while (b.length - at >= 4) {
    const length = b.readUInt16BE(at + 2);
    if (length < HEADER_BYTES || length > MAX_PACKET_BYTES) return { ends, bad: true };
    if (b.length - at < length) break;
    ends.push((at += length));
  }
  return { ends, bad: false };
}

export async function startRadsec(opts: RadsecOptions, ctx: RadsecContext): Promise<RadsecListener> {
  const { pipeline, writer } = ctx;
  const requests = new RadiusRequests(opts, ctx);
  const connections = new Connections();
  const admitted = new AdmittedConnections<net.Socket>();
  let connectionNo = 0;

  const serve = (socket: tls.TLSSocket): void => {
    const source = plainAddress(socket.remoteAddress ?? '');
    socket.on('error', () => pipeline.reject('radsec-connection-error', EMPTY, source, TRANSPORT));
    const slot = admitted.slotOf(socket);
    if (!slot) {
      // Evicted (or closed) while its TLS handshake ran.
      socket.destroy();
      return;
    }
    const from = {
      source,
      // Retransmissions are told apart per connection: Identifiers are a connection's own (RFC 6614 §2.5).
      peer: `tls${++connectionNo}`,
      secrets: SECRETS,
      reply: (b: Buffer): void => {
        if (socket.writable) socket.write(b);
      },
    };
    /** Bytes of a packet not yet whole: less than one packet's maximum, so bounded. */
    let held = EMPTY;
    // Half a packet holds the connection for the stall timeout only; a quiet one for the idle timeout.
    const idleMs = opts.idleTimeoutSeconds * 1000;
    const stallMs = Math.min(opts.stallTimeoutSeconds, opts.idleTimeoutSeconds) * 1000;
    let midPacket = false;
    socket.setTimeout(idleMs, () => {
      // Not read because the store is behind: the silence is aaawatch's.
      if (connections.paused) return;
      pipeline.reject(held.length > 0 ? 'radsec-stalled-mid-packet' : 'radsec-idle-timeout', headerOf(held), source, TRANSPORT);
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      const at = Date.now();
      connections.lastData = slot.lastActive = at;
      const b = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const { ends, bad } = packetEnds(b);
      let start = 0;
      for (const end of ends) {
        writer.count('received.radius');
        requests.handle(b.subarray(start, end), from, at);
        start = end;
      }
      if (bad) {
        writer.count('received.radius');
        pipeline.reject('radsec-bad-length', headerOf(b.subarray(start)), source, TRANSPORT);
        held = EMPTY;
        socket.destroy();
        return;
      }
      // A copy: the rest of a 64 KiB read must not hold the whole read.
      held = start === b.length ? EMPTY : Buffer.from(b.subarray(start));
      if (held.length > 0 !== midPacket) {
        midPacket = !midPacket;
        socket.setTimeout(midPacket ? stallMs : idleMs);
      }
    });
    socket.on('end', () => {
      if (held.length > 0) pipeline.reject('radsec-truncated', headerOf(held), source, TRANSPORT);
      held = EMPTY;
    });
    connections.add(socket);
  };

  const server = tls.createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
      ca: opts.ca,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      handshakeTimeout: 10_000,
      noDelay: true,
    },
    serve,
  );
  server.on('tlsClientError', (err, socket) => {
    const reason = /certificate/i.test(err.message) ? 'radsec-tls-client-certificate' : 'radsec-tls-handshake';
    pipeline.reject(reason, EMPTY, plainAddress(socket.remoteAddress ?? ''), TRANSPORT);
  });
  server.on('error', (err) => ctx.log.error({ err: err.message, transport: 'radsec' }, 'listener error'));
  admitted.guard(server, {
    limits: { maxConnections: opts.maxConnections, maxConnectionsPerSource: opts.maxConnectionsPerSource },
    allow: ctx.allow,
    reject: (reason, sample, source) => pipeline.reject(reason, sample, source, TRANSPORT),
    paused: () => connections.paused,
    held: (raw) => raw,
    evict: (raw) => {
      raw.destroy();
      return EMPTY;
    },
  });
  const a = await listenStream(server, opts.host, opts.port);
  return {
    address: a.address,
    port: a.port,
    connections: () => connections.sockets.size,
    listening: () => server.listening,
    setPaused: (p: boolean) => connections.setPaused(p),
    close: async () => {
      // No new connections; requests being stored are answered before their connections close.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      connections.setPaused(false);
      const deadline = Date.now() + STOP_GRACE_MS;
      while (requests.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const s of connections.sockets) s.destroy();
      admitted.destroyAll();
      await closed;
    },
  };
}
