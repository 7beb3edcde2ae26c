// The RADIUS accounting server (RFC 2866) on UDP: each Accounting-Request checked against the
// sender's shared secret, its records stored, and its Accounting-Response sent only once they are
// committed. Retransmissions are answered from the duplicate cache, never stored twice;
// Status-Server (RFC 5997) is answered. A request that fails its authenticator is counted against
// the sender and silently discarded, as RFC 2866 §3 requires. Nothing thrown here leaves a handler.

import dgram from 'node:dgram';
import { isIPv4 } from 'node:net';
import type { Logger } from 'pino';
import type { IngestWriter } from '../../store/writer.js';
import type { AllowList } from '../allow.js';
import { plainAddress } from '../allow.js';
import type { CommitGate } from '../native/commit.js';
import type { SecretTable } from '../native/keys.js';
import type { Pipeline } from '../pipeline.js';
import { cliOf } from '../tacacs/listener.js';
import { DuplicateCache } from './duplicates.js';
import {
  accountingRequestValid, CODE_ACCOUNTING_REQUEST, CODE_ACCOUNTING_RESPONSE, CODE_STATUS_SERVER, encodeResponse, messageAuthenticatorValid,
  readPacket, type RadiusPacket,
} from './packet.js';
import { accountingFacts, readAccounting, SessionTable } from './records.js';

const TRANSPORT = 'radius';

export interface RadiusOptions {
  host: string;
  port: number;
  secrets: SecretTable;
  /** Answered requests remembered for retransmissions, and for how long. */
  duplicateCacheSize: number;
  duplicateSeconds: number;
  /** Open sessions remembered for stitching Start, Interim-Update and Stop. */
  maxSessions: number;
  /** Requests waiting for their commit at once; beyond this, new ones are dropped (their senders retransmit). */
  maxPending: number;
  recvBufferBytes: number;
}

export interface RadiusContext {
  pipeline: Pipeline;
  writer: IngestWriter;
  gate: CommitGate;
  allow: AllowList;
  log: Logger;
}

export interface RadiusListener {
  address: string;
  port: number;
  /** The socket is still bound (for the health checks). */
  listening(): boolean;
  close(): Promise<void>;
}

/** The header alone is kept of a refused request: its attributes may carry what must not be stored. */
const headerOf = (b: Buffer): Buffer => Buffer.from(b.subarray(0, Math.min(b.length, 20)));

export async function startRadius(opts: RadiusOptions, ctx: RadiusContext): Promise<RadiusListener> {
  const { pipeline, writer, gate } = ctx;
  const duplicates = new DuplicateCache(opts.duplicateCacheSize, opts.duplicateSeconds * 1000);
  const sessions = new SessionTable(opts.maxSessions);
  let pending = 0;
  let socket: dgram.Socket;
  try {
    socket = await bind(isIPv4(opts.host) ? 'udp4' : 'udp6', opts);
  } catch (err) {
    if (opts.host !== '::' || (err as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT') throw err;
    socket = await bind('udp4', { ...opts, host: '0.0.0.0' });
  }
  try {
    socket.setRecvBufferSize(opts.recvBufferBytes);
  } catch {
    // The kernel keeps its default; the UDP listener logs what syslog got.
  }

  const send = (b: Buffer, port: number, address: string): void => socket.send(b, port, address);

  const verified = (p: RadiusPacket, secrets: readonly Buffer[], check: (p: RadiusPacket, s: Buffer) => boolean): Buffer | undefined => {
    for (const s of secrets) if (check(p, s)) return s;
    return undefined;
  };

  const accounting = (p: RadiusPacket, secret: Buffer, source: string, port: number, address: string, at: number): void => {
    const key = `${source}|${port}|${p.identifier}|${p.authenticator.toString('hex')}`;
    const seen = duplicates.find(key, at);
    if (seen) {
      writer.count('duplicate.radius');
      if (seen.response) send(seen.response, port, address);
      else seen.waiters.push((response) => send(response, port, address));
      return;
    }
    if (pending >= opts.maxPending) {
      pipeline.reject('radius-overload', headerOf(p.bytes), source, TRANSPORT);
      return;
    }
    const facts = accountingFacts(p.attributes);
    const { device, platform } = pipeline.reader.nativeDevice(source, facts.nas);
    const reading = readAccounting(p, facts, { device, cli: cliOf(platform), receivedAt: at }, sessions);
    const entry = duplicates.begin(key, at);
    const mark = gate.mark();
    if (!pipeline.native({ transport: TRANSPORT, source, device, receivedAt: at, time: reading.time, timeText: reading.timeText, raw: reading.raw, records: reading.records })) {
      duplicates.failed(key);
      return;
    }
    pending++;
    gate.committed(mark).then(
      () => {
        pending--;
        const response = encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret);
        send(response, port, address);
        duplicates.answered(entry, response);
      },
      () => {
        // Not stored: no answer, so the device sends it again (or to its next server).
        pending--;
        writer.count('errors.radius-not-stored');
        duplicates.failed(key);
      },
    );
  };

  const datagram = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    const at = Date.now();
    const source = plainAddress(rinfo.address);
    writer.count('received.radius');
    if (!ctx.allow(source)) {
      pipeline.reject('source-not-allowed', headerOf(msg), source, TRANSPORT);
      return;
    }
    const secrets = opts.secrets.secretsFor(source);
    if (secrets.length === 0) {
      pipeline.reject('radius-unknown-source', headerOf(msg), source, TRANSPORT);
      return;
    }
    const p = readPacket(msg);
    if (typeof p === 'string') {
      pipeline.reject(p, headerOf(msg), source, TRANSPORT);
      return;
    }
    if (p.code === CODE_ACCOUNTING_REQUEST) {
      const secret = verified(p, secrets, accountingRequestValid);
      if (!secret) {
        pipeline.reject('radius-bad-authenticator', headerOf(msg), source, TRANSPORT);
        writer.nativeRequest(TRANSPORT, source, pipeline.reader.nativeDevice(source, undefined).device, at, 'bad-key');
        return;
      }
      accounting(p, secret, source, rinfo.port, rinfo.address, at);
      return;
    }
    if (p.code === CODE_STATUS_SERVER) {
      // RFC 5997 §3: Status-Server must carry a valid Message-Authenticator, else it is discarded.
      const secret = verified(p, secrets, messageAuthenticatorValid);
      if (!secret) {
        pipeline.reject('radius-status-server-unsigned', headerOf(msg), source, TRANSPORT);
        return;
      }
      writer.count('radius.status-server');
      send(encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret, true), rinfo.port, rinfo.address);
      return;
    }
    pipeline.reject('radius-unexpected-code', headerOf(msg), source, TRANSPORT);
  };

  socket.on('message', (msg, rinfo) => {
    try {
      datagram(msg, rinfo);
    } catch (err) {
      writer.count('errors.radius');
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'radius request failed');
    }
  });
  socket.on('error', (err) => ctx.log.error({ err: err.message, transport: TRANSPORT }, 'listener error'));
  const a = socket.address();
  let bound = true;
  socket.on('close', () => (bound = false));
  return {
    address: a.address,
    port: a.port,
    listening: () => bound,
    close: async () => {
      // Requests being stored are answered before the socket closes.
      const deadline = Date.now() + 5000;
      while (pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

function bind(type: 'udp4' | 'udp6', opts: Pick<RadiusOptions, 'host' | 'port'>): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type, ipv6Only: false });
    s.once('error', reject);
    s.bind(opts.port, opts.host, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}
