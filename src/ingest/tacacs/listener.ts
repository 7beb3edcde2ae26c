// The TACACS+ accounting server (RFC 8907) on TCP, and over TLS 1.3 (RFC 9887): a connection per
// device (or a session per connection), each request read by a Conversation, its records stored,
// and its REPLY sent only once they are committed. Authentication and authorisation are refused
// with ERROR, which sends the device to its next server; a body that does not decode with the
// device's key, and a packet that does not read, are counted against the sender and never stored.
// Nothing thrown here leaves a handler.

import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from 'pino';
import type { Cli } from '../../../parsers/lib/account-command.js';
import type { IngestWriter } from '../../store/writer.js';
import type { AllowList } from '../allow.js';
import { plainAddress } from '../allow.js';
import { AdmittedConnections, HOLD_SOCKET, Connections, listenStream, streamListener, type StreamListener } from '../connections.js';
import type { CommandReaders } from '../native/commands.js';
import type { CommitGate } from '../native/commit.js';
import type { SecretTable } from '../native/keys.js';
import type { NativeDevices } from '../native/device.js';
import type { Pipeline } from '../pipeline.js';
import { Conversation, type Step } from './conversation.js';
import { HEADER_BYTES, writeHeader } from './packet.js';
import { readAccounting } from './records.js';

const TRANSPORT = 'tacacs';
const STOP_GRACE_MS = 5000;

export interface TacacsOptions {
  host: string;
  port: number;
  maxConnections: number;
  maxConnectionsPerSource: number;
  idleTimeoutSeconds: number;
  maxPacketBytes: number;
  singleConnection: boolean;
  secrets: SecretTable;
}

export interface TacacsTlsOptions extends Omit<TacacsOptions, 'secrets'> {
  cert: Buffer;
  key: Buffer;
  passphrase?: string;
  /** CA that client certificates must chain to: RFC 9887 requires mutual authentication. */
  ca: Buffer;
}

export interface NativeContext {
  pipeline: Pipeline;
  /** Which device a sender is. */
  devices: NativeDevices;
  /** How its platform's own account commands read (absent: only the Cisco-style and Junos readings). */
  commands?: CommandReaders;
  writer: IngestWriter;
  gate: CommitGate;
  allow: AllowList;
  log: Logger;
}

/** How `no username …` reads on the device's CLI, when the inventory says which platform it is. */
export function cliOf(platform: string | undefined): Cli {
  if (platform === 'cisco-ios') return 'ios';
  if (platform === 'cisco-nxos') return 'nxos';
  if (platform === 'arista-eos') return 'eos';
  return 'relayed';
}

const EMPTY = Buffer.alloc(0);

function handle(socket: net.Socket, secure: boolean, opts: TacacsOptions | TacacsTlsOptions, ctx: NativeContext, connections: Connections, admitted: AdmittedConnections<net.Socket>): void {
  const { pipeline, writer, gate } = ctx;
  const source = plainAddress(socket.remoteAddress ?? '');
  /** What a reset means: once the connection is read, one mid-packet cuts the packet as a close does. */
  let reset = (): void => pipeline.reject('tacacs-connection-error', EMPTY, source, TRANSPORT);
  socket.on('error', () => reset());
  const slot = admitted.slotOf(socket);
  if (!slot) {
    // Evicted (or closed) while its TLS handshake ran.
    socket.destroy();
    return;
  }
  const keys = 'secrets' in opts ? opts.secrets.secretsFor(source) : [];
  if (!secure && keys.length === 0) {
    // No key for this sender: nothing it sends can be read, and it gets no row of its own.
    pipeline.reject('tacacs-unknown-source', EMPTY, source, TRANSPORT);
    socket.destroy();
    return;
  }
  // TACACS+ names no NAS: the sender is the device.
  const { device, platform } = ctx.devices.resolve(source);
  const cli = cliOf(platform);
  const own = ctx.commands?.of(platform);
  const conversation = new Conversation({ keys, tls: secure, singleConnection: opts.singleConnection, maxBodyBytes: opts.maxPacketBytes });
  /** Sessions waiting for their records to be committed. */
  let waiting = 0;
  /** Set when no further session may start: the connection ends once the waiting ones are answered. */
  let ending = false;
  /**
   * A packet that did not read: counted with its reason (and the header alone kept) globally and
   * against this sender, on its device's page. A sender with no key was closed above with no row,
   * so only a configured (or, over TLS, certified) sender gets one.
   */
  const malformed = (reason: string, header: Buffer): void => {
    pipeline.reject(reason, header, source, TRANSPORT);
    writer.nativeMalformed(TRANSPORT, source, device, Date.now(), reason);
  };
  reset = () => (!ending && conversation.pending > 0 ? malformed('tacacs-truncated', conversation.sample()) : pipeline.reject('tacacs-connection-error', EMPTY, source, TRANSPORT));
  /**
   * Its one session done without Single Connection Mode, the connection ends (our FIN may not
   * have reached a client that already sent its next request): what still arrives is not read, so
   * it is counted, its first bytes up to a header kept, and the connection closed (no REPLY for it,
   * and a client that kept writing would hold its slot).
   */
  let sessionOver = false;
  let unreadCounted = false;

  const send = (reply: Buffer | undefined): void => {
    if (reply && socket.writable) socket.write(reply);
  };
  const sessionDone = (): void => {
    // Without Single Connection Mode a connection carries one session (RFC 8907 §4.3).
    if (!conversation.single) ending = sessionOver = true;
    if (ending && waiting === 0) socket.end();
  };
  const stop = (reply: Buffer | undefined): void => {
    send(reply);
    ending = true;
    if (waiting === 0) socket.end();
  };

  /** A request's records committed (or not): its REPLY goes, in the order the requests came. */
  const answer = (s: Extract<Step, { kind: 'accounting' }>, stored: boolean): void => {
    waiting--;
    if (!stored) writer.count('errors.tacacs-not-stored');
    send(s.reply(stored));
    sessionDone();
  };

  const step = (s: Step): void => {
    const at = Date.now();
    writer.count('received.tacacs');
    switch (s.kind) {
      case 'accounting': {
        const reading = readAccounting(s.header, s.request, { device, cli, own, receivedAt: at });
        const mark = gate.mark();
        const handed = pipeline.native({ transport: TRANSPORT, source, device, receivedAt: at, time: reading.time, timeText: reading.timeText, raw: reading.raw, records: reading.records });
        if (!handed) {
          send(s.reply(false));
          sessionDone();
          return;
        }
        waiting++;
        // Told by the gate's one reaction for its group, not a promise chain of its own.
        gate.whenCommitted(mark, { stored: () => answer(s, true), failed: () => answer(s, false) });
        return;
      }
      case 'refused':
        // The header alone is kept: an authentication body carries a password.
        pipeline.reject(`tacacs-${s.what}`, writeHeader(s.header), source, TRANSPORT);
        writer.nativeRequest(TRANSPORT, source, device, at, 'refused');
        send(s.reply);
        sessionDone();
        return;
      case 'bad-key':
        // Never the body: with the right key it may read as a password or a command with a secret.
        pipeline.reject('tacacs-bad-key', writeHeader(s.header), source, TRANSPORT);
        writer.nativeRequest(TRANSPORT, source, device, at, 'bad-key');
        stop(s.reply);
        return;
      case 'malformed':
        if (s.reason === 'tacacs-unencrypted') {
          // A device with no key set for this server sends in clear (IOS does): shown on its page
          // with the wrong keys, which is what to mend.
          pipeline.reject(s.reason, s.header ? writeHeader(s.header) : EMPTY, source, TRANSPORT);
          writer.nativeRequest(TRANSPORT, source, device, at, 'bad-key');
        } else malformed(s.reason, s.header ? writeHeader(s.header) : EMPTY);
        stop(s.reply);
        return;
    }
  };

  socket.setTimeout(opts.idleTimeoutSeconds * 1000, () => {
    if (waiting > 0) return;
    if (conversation.pending > 0) malformed('tacacs-stalled-mid-packet', conversation.sample());
    else pipeline.reject('tacacs-idle-timeout', EMPTY, source, TRANSPORT);
    socket.destroy();
  });
  socket.on('data', (chunk: Buffer) => {
    connections.lastData = slot.lastActive = Date.now();
    if (ending) {
      if (!sessionOver) return;
      if (!unreadCounted) malformed('tacacs-after-session', Buffer.from(chunk.subarray(0, HEADER_BYTES)));
      unreadCounted = true;
      // REPLYs still owed go out first; the connection ends after the last (sessionDone).
      if (waiting === 0) socket.destroy();
      return;
    }
    try {
      for (const s of conversation.push(chunk)) step(s);
    } catch (err) {
      writer.count('errors.tacacs');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'tacacs connection failed');
      socket.destroy();
    }
  });
  socket.on('end', () => {
    // A packet cut short by the client closing is counted like any other bad input.
    if (conversation.pending > 0 && !ending) malformed('tacacs-truncated', conversation.sample());
    // The client has sent its last request and half-closed (a script, a proxy, `nc -q`): the
    // REPLYs of the requests waiting for their commit still go out, then our side ends. Hence
    // allowHalfOpen: without it Node ended our side at once and each such REPLY was lost.
    ending = true;
    if (waiting === 0) socket.end();
  });
  connections.add(socket);
}

async function start(
  server: net.Server,
  connections: Connections,
  admitted: AdmittedConnections<net.Socket>,
  opts: TacacsOptions | TacacsTlsOptions,
  ctx: NativeContext,
): Promise<StreamListener> {
  server.on('error', (err) => ctx.log.error({ err: err.message, transport: TRANSPORT }, 'listener error'));
  // Admitted as every stream listener's connections, before TLS spends a handshake: a device in
  // Single Connection Mode quiet for a while is the one closed to make room (it connects again).
  admitted.guard(server, {
    limits: { maxConnections: opts.maxConnections, maxConnectionsPerSource: opts.maxConnectionsPerSource },
    allow: ctx.allow,
    reject: (reason, sample, source) => ctx.pipeline.reject(reason, sample, source, TRANSPORT),
    paused: () => connections.paused,
    ...HOLD_SOCKET,
  });
  const a = await listenStream(server, opts.host, opts.port);
  // At stop, sessions waiting for a commit are answered before their connections close.
  return streamListener(server, a, connections, admitted, async () => {
    connections.setPaused(false);
    const deadline = Date.now() + STOP_GRACE_MS;
    while (connections.sockets.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      if (Date.now() - connections.lastData > 300) break;
    }
  });
}

export function startTacacs(opts: TacacsOptions, ctx: NativeContext): Promise<StreamListener> {
  const connections = new Connections();
  const admitted = new AdmittedConnections<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => handle(socket, false, opts, ctx, connections, admitted));
  return start(server, connections, admitted, opts, ctx);
}

/** TACACS+ over TLS 1.3 (RFC 9887): mutual certificate authentication, bodies in clear inside TLS. */
export function startTacacsTls(opts: TacacsTlsOptions, ctx: NativeContext): Promise<StreamListener> {
  const connections = new Connections();
  const admitted = new AdmittedConnections<net.Socket>();
  const server = tls.createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ...(opts.passphrase !== undefined ? { passphrase: opts.passphrase } : {}),
      ca: opts.ca,
      requestCert: true,
      rejectUnauthorized: true,
      // As for TCP: a client's close_notify or FIN after its last request still gets the REPLYs.
      allowHalfOpen: true,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      handshakeTimeout: 10_000,
    },
    (socket) => handle(socket, true, opts, ctx, connections, admitted),
  );
  server.on('tlsClientError', (err, socket) => {
    const reason = /certificate/i.test(err.message) ? 'tacacs-tls-client-certificate' : 'tacacs-tls-handshake';
    ctx.pipeline.reject(reason, EMPTY, plainAddress(socket.remoteAddress ?? ''), TRANSPORT);
  });
  return start(server, connections, admitted, opts, ctx);
}
