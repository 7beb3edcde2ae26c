// Syslog over TCP (RFC 6587) and TLS (RFC 5425): connection limits, idle timeouts, the
// allow-list, and framing. A bad frame costs that frame; only a stream the framing cannot follow
// any more is closed, and that connection only.

import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { Transport } from '../types.js';
import type { AllowList } from './allow.js';
import { plainAddress } from './allow.js';
import { AdmittedConnections, Connections, listenStream, streamListener, type StreamListener } from './connections.js';
import { Framer } from './framing.js';
import type { Pipeline } from './pipeline.js';

const EMPTY = Buffer.alloc(0);

const STOP_QUIET_MS = 300;
const STOP_GRACE_MS = 5000;

export interface StreamOptions {
  host: string;
  port: number;
  maxConnections: number;
  maxConnectionsPerSource: number;
  idleTimeoutSeconds: number;
  /** For a connection holding part of a frame: shorter than the idle timeout. */
  stallTimeoutSeconds: number;
  maxMessageBytes: number;
}

/** What the listener knows of an admitted connection: the socket messages come on, and its framer once reading. */
interface Held {
  socket: net.Socket;
  framer: Framer | undefined;
}

export interface TlsOptions extends StreamOptions {
  cert: Buffer;
  key: Buffer;
  passphrase?: string;
  ca?: Buffer;
  requireClientCert: boolean;
  maxVersion: 'TLSv1.2' | 'TLSv1.3';
}

function handle(
  socket: net.Socket,
  transport: Transport,
  opts: StreamOptions,
  pipeline: Pipeline,
  connections: Connections,
  admitted: AdmittedConnections<Held>,
): void {
  const source = plainAddress(socket.remoteAddress ?? '');
  socket.on('error', () => pipeline.reject('connection-error', EMPTY, source, transport));
  const slot = admitted.slotOf(socket);
  if (!slot) {
    // Closed to make room while its TLS handshake was under way.
    socket.destroy();
    return;
  }
  // Every frame of a chunk arrived at the same moment: one clock read per chunk, not per message.
  let receivedAt = Date.now();
  let frames = 0;
  const framer = new Framer(opts.maxMessageBytes, {
    frame: (text, latin1, truncated) => {
      frames++;
      pipeline.message(text, latin1, source, transport, receivedAt, truncated ? 'oversize-line' : undefined);
    },
    error: (reason, sample) => pipeline.reject(reason, sample, source, transport),
  });
  slot.conn.socket = socket;
  slot.conn.framer = framer;
  const idleMs = opts.idleTimeoutSeconds * 1000;
  const stallMs = Math.min(opts.stallTimeoutSeconds, opts.idleTimeoutSeconds) * 1000;
  const close = (reason: 'stalled-mid-frame' | 'idle-timeout'): void => {
    pipeline.reject(reason, framer.sample(), source, transport);
    framer.end(false);
    socket.destroy();
  };
  // A quiet connection holds its slot for the idle timeout. Not read because the store is behind
  // or cannot be written, the silence is aaawatch's, not the sender's, and what it sent waits in
  // the kernel's buffers (the listener was a one-time one: armed again with the timer).
  const timedOut = (): void => {
    if (connections.paused) socket.setTimeout(idleMs, timedOut);
    else close(framer.midFrame ? 'stalled-mid-frame' : 'idle-timeout');
  };
  socket.setTimeout(idleMs, timedOut);
  // Half a frame holds it for the stall timeout from the frame's first byte, however its sender
  // dribbles the rest (a byte a second kept a slot for ever when each byte restarted the clock).
  let partialSince = 0;
  let stallTimer: NodeJS.Timeout | undefined;
  const checkStall = (): void => {
    stallTimer = undefined;
    if (partialSince === 0 || socket.destroyed) return;
    // While aaawatch does not read, the frame's rest may wait in the kernel: its clock starts again.
    if (connections.paused) partialSince = Date.now();
    const left = partialSince + stallMs - Date.now();
    if (left > 0) {
      stallTimer = setTimeout(checkStall, left);
      stallTimer.unref();
    } else close('stalled-mid-frame');
  };
  socket.on('data', (chunk: Buffer) => {
    connections.lastData = receivedAt = Date.now();
    const before = frames;
    // Only a stream whose next frame cannot be found any more is closed (a bad octet count).
    if (!framer.push(chunk)) {
      socket.destroy();
      return;
    }
    // Progress is a whole frame, not a byte: a connection dribbling half a frame stays quiet for
    // eviction (admission.ts) and for the stall clock.
    const progressed = frames > before || !framer.midFrame;
    if (progressed) slot.lastActive = receivedAt;
    if (!framer.midFrame) partialSince = 0;
    else if (progressed || partialSince === 0) partialSince = receivedAt;
    if (partialSince !== 0 && !stallTimer) {
      stallTimer = setTimeout(checkStall, stallMs);
      stallTimer.unref();
    }
    // TLS hands over one record (16 KB at most) at a time, so only plain TCP reads show an empty queue.
    if (transport === 'tcp') connections.afterRead(socket, chunk.length);
  });
  connections.add(socket);
  // However the connection goes (its end, a reset, closed here), what it held is read as at its end.
  socket.on('end', () => {
    receivedAt = Date.now();
    framer.end();
  });
  socket.on('close', () => {
    clearTimeout(stallTimer);
    framer.end();
  });
}

async function start(
  server: net.Server,
  connections: Connections,
  transport: Transport,
  opts: StreamOptions,
  pipeline: Pipeline,
  allow: AllowList,
  admitted: AdmittedConnections<Held>,
  log: Logger,
): Promise<StreamListener> {
  server.on('error', (err) => log.error({ err: err.message, transport }, 'listener error'));
  // Every connection is admitted here, before TLS spends a handshake on it; an evicted one's
  // unread half frame is its sample.
  admitted.guard(server, {
    limits: { maxConnections: opts.maxConnections, maxConnectionsPerSource: opts.maxConnectionsPerSource },
    allow,
    reject: (reason, sample, source) => pipeline.reject(reason, sample, source, transport),
    paused: () => connections.paused,
    held: (socket) => ({ socket, framer: undefined }),
    evict: ({ socket, framer }) => {
      const sample = framer?.sample() ?? EMPTY;
      framer?.end(false);
      socket.destroy();
      return sample;
    },
  });
  const a = await listenStream(server, opts.host, opts.port);
  // At stop, what senders already sent is read (it sits in kernel buffers and would be lost with
  // the connection) until they go quiet, at most a few seconds.
  return streamListener(server, a, connections, admitted, async () => {
    connections.setPaused(false);
    const deadline = Date.now() + STOP_GRACE_MS;
    while (connections.sockets.size > 0 && Date.now() < deadline && Date.now() - connections.lastData < STOP_QUIET_MS) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // A sender still mid-frame has not ended it: what is held is the start of a frame cut here,
    // counted and sampled as a stall is (and, as there, still read as its connection's last
    // message), not only stored as if whole (the rest of a frame already counted oversize is not
    // counted again).
    for (const socket of connections.sockets) {
      const framer = admitted.slotOf(socket)?.conn.framer;
      const held = framer?.sample();
      if (!framer || !held || held.length === 0) continue;
      pipeline.reject('stopped-mid-frame', held, plainAddress(socket.remoteAddress ?? ''), transport);
      framer.end(false);
    }
  });
}

export function startTcp(opts: StreamOptions, pipeline: Pipeline, allow: AllowList, log: Logger): Promise<StreamListener> {
  const connections = new Connections();
  const admitted = new AdmittedConnections<Held>();
  const server = net.createServer({ allowHalfOpen: false }, (socket) => handle(socket, 'tcp', opts, pipeline, connections, admitted));
  return start(server, connections, 'tcp', opts, pipeline, allow, admitted, log);
}

export function startTls(opts: TlsOptions, pipeline: Pipeline, allow: AllowList, log: Logger): Promise<StreamListener> {
  const connections = new Connections();
  const admitted = new AdmittedConnections<Held>();
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
    (socket) => handle(socket, 'tls', opts, pipeline, connections, admitted),
  );
  server.on('tlsClientError', (err, socket) => {
    const reason = /certificate/i.test(err.message) ? 'tls-client-certificate' : 'tls-handshake';
    pipeline.reject(reason, Buffer.alloc(0), plainAddress(socket.remoteAddress ?? ''), 'tls');
  });
  return start(server, connections, 'tls', opts, pipeline, allow, admitted, log);
}
