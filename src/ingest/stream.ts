// Syslog over TCP (RFC 6587) and TLS (RFC 5425): connection limits, idle timeouts, the
// allow-list, and framing. A bad frame closes that connection only.

import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { Transport } from '../types.js';
import type { AllowList } from './allow.js';
import { plainAddress } from './allow.js';
import { Connections } from './connections.js';
import { Framer } from './framing.js';
import type { Pipeline } from './pipeline.js';

const STOP_QUIET_MS = 300;
const STOP_GRACE_MS = 5000;

export interface StreamOptions {
  host: string;
  port: number;
  maxConnections: number;
  idleTimeoutSeconds: number;
  maxMessageBytes: number;
}

export interface TlsOptions extends StreamOptions {
  cert: Buffer;
  key: Buffer;
  passphrase?: string;
  ca?: Buffer;
  requireClientCert: boolean;
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
}

export interface StreamListener {
  address: string;
  port: number;
  connections(): number;
  /** The server still accepts connections. */
  listening(): boolean;
  /** Stop (or go back to) reading every connection: TCP flow control then holds senders back. */
  setPaused(paused: boolean): void;
  close(): Promise<void>;
}

function handle(
  socket: net.Socket,
  transport: Transport,
  opts: StreamOptions,
  pipeline: Pipeline,
  allow: AllowList,
  connections: Connections,
): void {
  const source = plainAddress(socket.remoteAddress ?? '');
  socket.on('error', () => pipeline.reject('connection-error', Buffer.alloc(0), source, transport));
  if (!allow(source)) {
    pipeline.reject('source-not-allowed', Buffer.alloc(0), source, transport);
    socket.destroy();
    return;
  }
  // Every frame of a chunk arrived at the same moment: one clock read per chunk, not per message.
  let receivedAt = Date.now();
  const framer = new Framer(opts.maxMessageBytes, {
    frame: (text, latin1) => pipeline.message(text, latin1, source, transport, receivedAt),
    error: (reason, sample) => {
      pipeline.reject(reason, sample, source, transport);
      socket.destroy();
    },
  });
  const idle = (): void => {
    // Paused by aaawatch (the store is behind or cannot be written), the sender is not idle: what
    // it sent waits in the kernel's buffers and would be lost with the connection.
    if (connections.paused) {
      socket.setTimeout(opts.idleTimeoutSeconds * 1000, idle);
      return;
    }
    pipeline.reject(framer.buffered > 0 ? 'stalled-mid-frame' : 'idle-timeout', Buffer.alloc(0), source, transport);
    socket.destroy();
  };
  socket.setTimeout(opts.idleTimeoutSeconds * 1000, idle);
  socket.on('data', (chunk: Buffer) => {
    connections.lastData = receivedAt = Date.now();
    framer.push(chunk);
    // TLS hands over one record (16 KB at most) at a time, so only plain TCP reads show an empty queue.
    if (transport === 'tcp') connections.afterRead(socket, chunk.length);
  });
  connections.add(socket);
  socket.on('end', () => {
    receivedAt = Date.now();
    framer.end();
  });
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function start(
  server: net.Server,
  connections: Connections,
  transport: Transport,
  opts: StreamOptions,
  pipeline: Pipeline,
  log: Logger,
): Promise<StreamListener> {
  server.maxConnections = opts.maxConnections;
  server.on('drop', (d) => pipeline.reject('connection-limit', Buffer.alloc(0), d?.remoteAddress, transport));
  server.on('error', (err) => log.error({ err: err.message, transport }, 'listener error'));
  try {
    await listen(server, opts.host, opts.port);
  } catch (err) {
    if (!(opts.host === '::' && (err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT')) throw err;
    await listen(server, '0.0.0.0', opts.port);
  }
  const a = server.address() as net.AddressInfo;
  // Raw sockets too (a TLS handshake in progress is not in `connections` yet), so stop closes all.
  const raw = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    raw.add(s);
    s.on('close', () => raw.delete(s));
  });
  return {
    address: a.address,
    port: a.port,
    connections: () => connections.sockets.size,
    listening: () => server.listening,
    setPaused: (p: boolean) => connections.setPaused(p),
    close: async () => {
      // No new connections; read what senders already sent (it sits in kernel buffers and would be
      // lost with the connection) until they go quiet, at most a few seconds.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      connections.setPaused(false);
      const deadline = Date.now() + STOP_GRACE_MS;
      while (connections.sockets.size > 0 && Date.now() < deadline && Date.now() - connections.lastData < STOP_QUIET_MS) {
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const s of connections.sockets) s.destroy();
      for (const s of raw) s.destroy();
      await closed;
    },
  };
}

export function startTcp(opts: StreamOptions, pipeline: Pipeline, allow: AllowList, log: Logger): Promise<StreamListener> {
  const connections = new Connections();
  const server = net.createServer({ allowHalfOpen: false }, (socket) => handle(socket, 'tcp', opts, pipeline, allow, connections));
  return start(server, connections, 'tcp', opts, pipeline, log);
}

export function startTls(opts: TlsOptions, pipeline: Pipeline, allow: AllowList, log: Logger): Promise<StreamListener> {
  const connections = new Connections();
  const server = tls.createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
      ...(opts.ca ? { ca: opts.ca } : {}),
      requestCert: opts.requireClientCert,
      rejectUnauthorized: opts.requireClientCert,
      minVersion: 'TLSv1.2',
      maxVersion: opts.maxVersion,
      handshakeTimeout: 10_000,
    },
    (socket) => handle(socket, 'tls', opts, pipeline, allow, connections),
  );
  server.on('tlsClientError', (err, socket) => {
    const reason = /certificate/i.test(err.message) ? 'tls-client-certificate' : 'tls-handshake';
    pipeline.reject(reason, Buffer.alloc(0), plainAddress(socket.remoteAddress ?? ''), 'tls');
  });
  return start(server, connections, 'tls', opts, pipeline, log);
}
