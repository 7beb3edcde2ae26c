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
import { AdmittedConnections, HOLD_SOCKET, Connections, listenStream, streamListener, type StreamListener } from '../connections.js';
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

/**
 * Packets from a stream of bytes, each framed by its own Length field. Less than one packet is
 * held between reads, so at most 4 KiB a connection.
 */
export class PacketFramer {
  private held = EMPTY;

  /** Bytes of a packet not yet whole. */
  get buffered(): Buffer {
    return this.held;
  }

  /**
   * The packets this chunk completes; `bad`, from a Length no RADIUS packet can have on, when the
   * stream cannot be followed any further (nothing more is read from it).
   */
  push(chunk: Buffer): { packets: Buffer[]; bad?: Buffer } {
    const b = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const packets: Buffer[] = [];
    let at = 0;
    while (b.length - at >= 4) {
      const length = b.readUInt16BE(at + 2);
      if (length < HEADER_BYTES || length > MAX_PACKET_BYTES) {
        this.held = EMPTY;
        return { packets, bad: b.subarray(at) };
      }
      if (b.length - at < length) break;
      packets.push(b.subarray(at, (at += length)));
    }
    // A copy: the rest of a 64 KiB read must not hold the whole read.
    this.held = at === b.length ? EMPTY : Buffer.from(b.subarray(at));
    return { packets };
  }
}

export async function startRadsec(opts: RadsecOptions, ctx: RadsecContext): Promise<StreamListener> {
  const { pipeline, writer } = ctx;
  const requests = new RadiusRequests(opts, ctx);
  const connections = new Connections();
  const admitted = new AdmittedConnections<net.Socket>();
  let connectionNo = 0;

  const serve = (socket: tls.TLSSocket): void => {
    const source = plainAddress(socket.remoteAddress ?? '');
    /** What a reset means: once the connection is read, one mid-packet cuts the packet as a close does. */
    let reset = (): void => pipeline.reject('radsec-connection-error', EMPTY, source, TRANSPORT);
    socket.on('error', () => reset());
    const slot = admitted.slotOf(socket);
    if (!slot) {
      // Evicted (or closed) while its TLS handshake ran.
      socket.destroy();
      return;
    }
    const from = {
      source,
      // Retransmissions are told apart per connection: over TCP a client counts its Identifiers per connection.
      peer: `tls${++connectionNo}`,
      secrets: SECRETS,
      reply: (b: Buffer): void => {
        if (socket.writable) socket.write(b);
      },
    };
    const framer = new PacketFramer();
    /** The client's close came: a packet it cut is counted there, not again at an error after it. */
    let ended = false;
    reset = () => {
      if (!ended && framer.buffered.length > 0) requests.malformed('radsec-truncated', headerOf(framer.buffered), source, Date.now());
      else pipeline.reject('radsec-connection-error', EMPTY, source, TRANSPORT);
    };
    // Half a packet holds the connection for the stall timeout only; a quiet one for the idle timeout.
    const idleMs = opts.idleTimeoutSeconds * 1000;
    const stallMs = Math.min(opts.stallTimeoutSeconds, opts.idleTimeoutSeconds) * 1000;
    let midPacket = false;
    socket.setTimeout(idleMs, () => {
      // Not read because the store is behind: the silence is aaawatch's.
      if (connections.paused) return;
      if (midPacket) requests.malformed('radsec-stalled-mid-packet', headerOf(framer.buffered), source, Date.now());
      else pipeline.reject('radsec-idle-timeout', headerOf(framer.buffered), source, TRANSPORT);
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      const at = Date.now();
      connections.lastData = slot.lastActive = at;
      const { packets, bad } = framer.push(chunk);
      for (const p of packets) {
        writer.count('received.radius');
        requests.handle(p, from, at);
      }
      if (bad) {
        writer.count('received.radius');
        requests.malformed('radsec-bad-length', headerOf(bad), source, at);
        socket.destroy();
        return;
      }
      if (framer.buffered.length > 0 !== midPacket) {
        midPacket = !midPacket;
        socket.setTimeout(midPacket ? stallMs : idleMs);
      }
    });
    socket.on('end', () => {
      ended = true;
      if (framer.buffered.length > 0) requests.malformed('radsec-truncated', headerOf(framer.buffered), source, Date.now());
      // The client half-closed after its last request: the answers of those still being stored go
      // out, then our side ends (allowHalfOpen: without it Node ended our side at once and they
      // were lost). The receiver knows what waits, not for whom: its count (any connection's)
      // empties within a commit or two, else the stop grace bounds the wait.
      const deadline = Date.now() + STOP_GRACE_MS;
      const endOnceAnswered = (): void => {
        if (requests.pending === 0 || Date.now() > deadline || socket.destroyed) socket.end();
        else setTimeout(endOnceAnswered, 10);
      };
      endOnceAnswered();
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
      allowHalfOpen: true,
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
    ...HOLD_SOCKET,
  });
  const a = await listenStream(server, opts.host, opts.port);
  // At stop, requests being stored are answered before their connections close.
  return streamListener(server, a, connections, admitted, async () => {
    connections.setPaused(false);
    const deadline = Date.now() + STOP_GRACE_MS;
    while (requests.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  });
}
