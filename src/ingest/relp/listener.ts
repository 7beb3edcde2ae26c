// The RELP listener (rsyslog `omrelp` → aaawatch): a session per connection, each `syslog` frame
// read like a TCP line and answered `200 OK` only once its commit is done, answers in the order
// the commands came (the spec requires it). A batch that was not stored is never answered: the
// connection is closed instead, so the sender keeps the message and sends it again on its next
// session (a `500` would make librelp drop it). Nothing thrown here leaves a handler.

import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import { VERSION } from '../../version.js';
import type { AllowList } from '../allow.js';
import { plainAddress } from '../allow.js';
import type { Slot } from '../admission.js';
import { AdmittedConnections, HOLD_SOCKET, Connections, listenStream, streamListener, type StreamListener } from '../connections.js';
import { deliver } from '../framing.js';
import type { CommitGate } from '../native/commit.js';
import type { Pipeline } from '../pipeline.js';
import type { IngestWriter } from '../../store/writer.js';
import { encodeFrame, frameSample, RelpFramer, type RelpFrame } from './frame.js';
import type { ResendLedger, SessionResends } from './resends.js';
import { RelpSession, type RelpStep } from './session.js';

const TRANSPORT = 'relp';
const STOP_GRACE_MS = 5000;
const EMPTY = Buffer.alloc(0);
const SOFTWARE = `aaawatch,${VERSION},https://github.com/aaawatch/aaawatch`;

export interface RelpOptions {
  host: string;
  port: number;
  maxConnections: number;
  /** Connections one address may hold (src/ingest/admission.ts: the quietest of the busiest source makes room). */
  maxConnectionsPerSource: number;
  idleTimeoutSeconds: number;
  /** A session holding part of a frame and silent this long is closed. */
  stallTimeoutSeconds: number;
  /** Largest DATA kept; a longer frame is truncated to it. */
  maxMessageBytes: number;
  /**
   * Commands read but not yet answered, per connection: past this, reading pauses until answers go
   * out (librelp's window is 128 by default, so a well-behaved client never reaches it).
   */
  maxUnanswered: number;
  /** RELP over TLS from the first byte (omrelp `tls="on"`), instead of plain TCP. */
  tls?: {
    cert: Buffer;
    key: Buffer;
    passphrase?: string;
    ca?: Buffer;
    requireClientCert: boolean;
  };
}

export interface RelpContext {
  pipeline: Pipeline;
  writer: IngestWriter;
  gate: CommitGate;
  allow: AllowList;
  resends: ResendLedger;
  log: Logger;
}

/** An answer waiting its turn: `ready` once it may go (a syslog frame's once its commit is done). */
interface Answer {
  txnr: number;
  text: string;
  ready: boolean;
  /** The commit failed: close without this answer or any after it. */
  failed: boolean;
  /** End the session once this answer is sent. */
  end: boolean;
}

/** Sent before the server closes a session (a hint: TXNR 0, never answered). */
const SERVERCLOSE = encodeFrame(0, 'serverclose', EMPTY);

/** Starts a session on a connection; returns what ends it at stop (answers already owed still go out). */
function handle(socket: net.Socket, opts: RelpOptions, ctx: RelpContext, connections: Connections, slot: Slot<net.Socket> | undefined): () => void {
  const { pipeline, writer, gate } = ctx;
  const source = plainAddress(socket.remoteAddress ?? '');
  /** What a reset means: once the session is read, one mid-frame cuts the frame as a close does. */
  let reset = (): void => pipeline.reject('relp-connection-error', EMPTY, source, TRANSPORT);
  socket.on('error', () => reset());
  if (!slot) {
    // Evicted (or closed) while its TLS handshake ran.
    socket.destroy();
    return () => {};
  }
  const framer = new RelpFramer(opts.maxMessageBytes);
  const session = new RelpSession(SOFTWARE);
  const resends: SessionResends = ctx.resends.begin(source);
  const answers: Answer[] = [];
  /** Frames read while `open` waits for the sender's earlier sessions to settle: handled after it. */
  let held: RelpFrame[] | undefined;
  /** No more is read from the socket: the session ends once the answers queued are out. */
  let ending = false;
  /** Frames already read are not handled either (after a violation, or at stop): unanswered, they are sent again. */
  let refused = false;
  let clean = false;
  let receivedAt = Date.now();

  const finish = (): void => {
    if (socket.destroyed || socket.writableEnded) return;
    if (!clean) socket.write(SERVERCLOSE);
    socket.end();
  };

  /** Send the answers that may go, in order; end when the last one says so. */
  const flush = (): void => {
    while (answers.length > 0 && answers[0]!.ready) {
      const a = answers.shift()!;
      if (a.failed) {
        // Not stored: no answer, and the connection goes, so the sender sends it again.
        answers.length = 0;
        ending = true;
        socket.destroy();
        return;
      }
      if (socket.writable) socket.write(encodeFrame(a.txnr, 'rsp', a.text));
      if (a.end) {
        answers.length = 0;
        ending = true;
        finish();
        return;
      }
    }
    if (ending && answers.length === 0) finish();
    else if (!ending && socket.isPaused() && !connections.paused && answers.length < opts.maxUnanswered) socket.resume();
  };

  /** For callbacks outside the socket's handlers (commits settling): nothing thrown escapes. */
  const guarded = (f: () => void) => (): void => {
    try {
      f();
    } catch (err) {
      writer.count('errors.relp');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'relp connection failed');
      socket.destroy();
    }
  };

  const queue = (txnr: number, text: string, ready: boolean, end = false): Answer => {
    const a: Answer = { txnr, text, ready, failed: false, end };
    answers.push(a);
    return a;
  };

  const message = (txnr: number, data: Buffer, truncatedFrom: number | undefined): void => {
    if (resends.check(data)) {
      // Committed in an earlier session whose answer the sender never got: answered, not stored again.
      writer.count('relp.resends-recognised');
      queue(txnr, '200 OK', true);
      return;
    }
    // Before anything of this frame is handed over: the answer waits on every batch since.
    const mark = gate.mark();
    const noted = resends.handing(data);
    // rsyslog's templates end without LF; one a template adds is not part of the message.
    const end = data.length > 0 && data[data.length - 1] === 10 ? data.length - 1 : data.length;
    // A truncated message is flagged on its rows, kept, counted and sampled as TCP's oversize lines are.
    const truncated = truncatedFrom !== undefined ? 'relp-truncated' : undefined;
    deliver(data, 0, end, { frame: (text, latin1) => pipeline.message(text, latin1, source, TRANSPORT, receivedAt, truncated) });
    const a = queue(txnr, '200 OK', false);
    gate.committed(mark).then(
      guarded(() => {
        noted.committed();
        a.ready = true;
        flush();
      }),
      guarded(() => {
        noted.failed();
        writer.count('errors.relp-not-stored');
        a.ready = true;
        a.failed = true;
        flush();
      }),
    );
  };

  const step = (s: RelpStep, f: RelpFrame): void => {
    switch (s.kind) {
      case 'syslog':
        message(s.txnr, s.data, s.truncatedFrom);
        return;
      case 'open': {
        const a = queue(s.txnr, s.text, false);
        held = [];
        void resends.ready().then(
          guarded(() => {
            a.ready = true;
            const frames = held ?? [];
            held = undefined;
            read(frames);
            flush();
          }),
        );
        return;
      }
      case 'end':
        clean = s.clean;
        queue(s.txnr, s.text, true, true);
        ending = true;
        refused = true;
        return;
      case 'violation':
        // The frame is kept (redacted): a syslog frame refused with a 500 is dropped by its sender.
        pipeline.reject(s.reason, frameSample(f), source, TRANSPORT);
        if (s.txnr !== undefined) queue(s.txnr, s.text, true);
        ending = true;
        refused = true;
        return;
    }
  };

  const read = (frames: RelpFrame[]): void => {
    for (const f of frames) {
      if (refused) return;
      if (held) held.push(f);
      else step(session.receive(f), f);
    }
  };

  // Half a frame holds the session for the stall timeout only; a quiet one for the idle timeout.
  const idleMs = opts.idleTimeoutSeconds * 1000;
  const stallMs = Math.min(opts.stallTimeoutSeconds, opts.idleTimeoutSeconds) * 1000;
  let midFrame = false;
  socket.setTimeout(idleMs, () => {
    // Answers owed, or not read because the store is behind: the silence is aaawatch's.
    if (answers.length > 0 || connections.paused) return;
    pipeline.reject(midFrame ? 'relp-stalled-mid-frame' : 'relp-idle-timeout', framer.sample(), source, TRANSPORT);
    ending = true;
    finish();
  });
  socket.on('data', (chunk: Buffer) => {
    connections.lastData = receivedAt = Date.now();
    slot.lastActive = receivedAt;
    if (ending) return;
    try {
      const got = framer.push(chunk);
      read(got.frames);
      if (got.error && !ending) {
        pipeline.reject(got.error.reason, got.error.sample, source, TRANSPORT);
        ending = true;
      }
      if (!ending && answers.length + (held?.length ?? 0) >= opts.maxUnanswered) socket.pause();
      if (framer.buffered > 0 !== midFrame) {
        midFrame = !midFrame;
        socket.setTimeout(midFrame ? stallMs : idleMs);
      }
      flush();
    } catch (err) {
      writer.count('errors.relp');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'relp connection failed');
      socket.destroy();
    }
  });
  const cut = (): void => pipeline.reject('relp-truncated-frame', framer.sample(), source, TRANSPORT);
  reset = () => (framer.buffered > 0 && !ending ? cut() : pipeline.reject('relp-connection-error', EMPTY, source, TRANSPORT));
  socket.on('end', () => {
    if (framer.buffered > 0 && !ending) cut();
    ending = true;
    flush();
  });
  socket.on('close', () => resends.end(clean));
  connections.add(socket);
  return () => {
    ending = true;
    refused = true;
    held = undefined;
    flush();
  };
}

export async function startRelp(opts: RelpOptions, ctx: RelpContext): Promise<StreamListener> {
  const connections = new Connections();
  const sessions = new Map<net.Socket, () => void>();
  const admitted = new AdmittedConnections<net.Socket>();
  const session = (socket: net.Socket): void => {
    sessions.set(socket, handle(socket, opts, ctx, connections, admitted.slotOf(socket)));
    socket.on('close', () => sessions.delete(socket));
  };
  const t = opts.tls;
  const server = t
    ? tls.createServer(
        {
          cert: t.cert,
          key: t.key,
          ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}),
          ...(t.ca ? { ca: t.ca } : {}),
          requestCert: t.requireClientCert,
          rejectUnauthorized: t.requireClientCert,
          minVersion: 'TLSv1.2',
          handshakeTimeout: 10_000,
          allowHalfOpen: true,
          noDelay: true,
        },
        session,
      )
    : net.createServer({ allowHalfOpen: true, noDelay: true }, session);
  if (t) {
    server.on('tlsClientError', (err: Error, socket: net.Socket) => {
      const reason = /certificate/i.test(err.message) ? 'relp-tls-client-certificate' : 'relp-tls-handshake';
      ctx.pipeline.reject(reason, EMPTY, plainAddress(socket.remoteAddress ?? ''), TRANSPORT);
    });
  }
  server.on('error', (err) => ctx.log.error({ err: err.message, transport: TRANSPORT }, 'listener error'));
  // Every connection is admitted here, before TLS spends a handshake on it: the allow-list, then the
  // connection table (as for TCP). An evicted session's unanswered frames are sent again by its
  // sender, and those already committed are recognised as resends.
  admitted.guard(server, {
    limits: { maxConnections: opts.maxConnections, maxConnectionsPerSource: opts.maxConnectionsPerSource },
    allow: ctx.allow,
    reject: (reason, sample, source) => ctx.pipeline.reject(reason, sample, source, TRANSPORT),
    paused: () => connections.paused,
    ...HOLD_SOCKET,
  });
  const a = await listenStream(server, opts.host, opts.port);
  // At stop, commands already read are answered once committed; then each session gets
  // `serverclose` and ends. What a sender sent after that is unanswered, so it sends it again.
  return streamListener(server, a, connections, admitted, async () => {
    for (const stop of sessions.values()) stop();
    const deadline = Date.now() + STOP_GRACE_MS;
    while (connections.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  });
}
