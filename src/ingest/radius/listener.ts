// The RADIUS accounting server (RFC 2866) on UDP. A thread of its own (`aaw-radius`,
// radius/udp-worker.ts) owns the socket: it receives, checks senders and authenticators, recognises
// retransmissions, answers Status-Server, and posts the new requests here in batches. Here each
// batch's records are read and handed to the store as one commit group (the device named, the
// session stitched: what needs the main thread's knowledge), and once committed the thread is told
// which requests to answer. Nothing is answered before its records are committed.

import { Worker } from 'node:worker_threads';
import { workerModule } from '../../worker-module.js';
import type { Acknowledgement } from '../native/commit.js';
import type { SecretEntry } from '../native/keys.js';
import { readPacket } from './packet.js';
import { SessionTable } from './records.js';
import { badAuthenticator, GATHER_MS, handAccounting, TRANSPORT, type RequestContext, type RequestOptions } from './requests.js';
import { POSTED, SHARED_SLOTS, type RadiusBatch, type RadiusThreadCommand, type RadiusThreadOptions, type RadiusThreadReply } from './thread-batch.js';

export interface RadiusOptions extends RequestOptions {
  host: string;
  port: number;
  /** The shared secrets by sender (native/keys.ts), as the receiving thread builds its table from them. */
  secrets: readonly SecretEntry[];
  /** ingest.allow (CIDRs; none: every sender). */
  allow: readonly string[];
  recvBufferBytes: number;
  /** A batch (and so a commit group) gathers this long from its first request (GATHER_MS; tests set it). */
  batchMillis?: number;
}

export interface RadiusListener {
  address: string;
  port: number;
  /** The socket is still bound (for the health checks). */
  listening(): boolean;
  close(): Promise<void>;
}

/** How long close waits for the answers of requests being stored. */
const CLOSE_MS = 5000;

/** A bind failure as the socket gave it (`bind EADDRINUSE 0.0.0.0:1813`, with its code), so serve says and exits the same way. */
function bindError(f: Extract<RadiusThreadReply, { failed: unknown }>['failed']): Error {
  const err = new Error(f.message) as NodeJS.ErrnoException & { address?: string; port?: number };
  if (f.code !== undefined) err.code = f.code;
  if (f.errno !== undefined) err.errno = f.errno;
  if (f.syscall !== undefined) err.syscall = f.syscall;
  if (f.address !== undefined) err.address = f.address;
  if (f.port !== undefined) err.port = f.port;
  return err;
}

/** A batch's requests waiting for their commit group: one acknowledgement a batch, one post back to the thread. */
class BatchAnswer implements Acknowledgement {
  constructor(
    private readonly tell: (c: RadiusThreadCommand, transfer: ArrayBuffer[]) => void,
    private readonly writer: RequestContext['writer'],
    private readonly ids: Uint32Array,
  ) {}

  stored(): void {
    this.tell({ answer: this.ids }, [this.ids.buffer as ArrayBuffer]);
  }

  /** Not stored: no answer, so the devices send them again (or to their next server). */
  failed(): void {
    this.writer.count('errors.radius-not-stored', this.ids.length);
    this.tell({ forget: this.ids }, [this.ids.buffer as ArrayBuffer]);
  }
}

export async function startRadius(opts: RadiusOptions, ctx: RequestContext): Promise<RadiusListener> {
  const { pipeline, writer, gate, log } = ctx;
  const sessions = new SessionTable(opts.maxSessions);
  const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const workerData: RadiusThreadOptions = {
    host: opts.host, port: opts.port, recvBufferBytes: opts.recvBufferBytes, allow: [...opts.allow], secrets: opts.secrets.map((e) => ({ sources: [...e.sources], secret: Buffer.from(e.secret) })),
    duplicateCacheSize: opts.duplicateCacheSize, duplicateSeconds: opts.duplicateSeconds, maxPending: opts.maxPending, batchMillis: opts.batchMillis ?? GATHER_MS,
    closeMillis: CLOSE_MS, shared: shared.buffer as SharedArrayBuffer,
  };
  const worker = new Worker(workerModule(import.meta.url, 'udp-worker'), { workerData });
  const tell = (c: RadiusThreadCommand, transfer: ArrayBuffer[] = []): void => worker.postMessage(c, transfer);
  let bound = false;
  let closed: (() => void) | undefined;

  const take = (b: RadiusBatch): void => {
    try {
      // Each time onto this thread's clock (the one every listener's records carry).
      const shift = Date.now() - b.postedAt;
      if (b.received > 0) writer.count('received.radius', b.received);
      if (b.duplicates > 0) writer.count('duplicate.radius', b.duplicates);
      if (b.statusServer > 0) writer.count('radius.status-server', b.statusServer);
      if (b.errors > 0) writer.count('errors.radius', b.errors);
      for (const r of b.refused) {
        const header = Buffer.from(r.header.buffer, r.header.byteOffset, r.header.byteLength);
        if (r.reason === 'radius-bad-authenticator') badAuthenticator(ctx, header, r.source, r.at + shift);
        else pipeline.reject(r.reason, header, r.source, TRANSPORT);
      }
      if (b.count === 0) return;
      const handed = new Uint32Array(b.count);
      const forgotten = new Uint32Array(b.count);
      let h = 0;
      let f = 0;
      const mark = gate.mark();
      for (let i = 0, start = 0; i < b.count; start = b.ends[i]!, i++) {
        const id = (b.firstId + i) >>> 0;
        let ok = false;
        try {
          // Verified by the receiving thread: it reads as a packet.
          const p = readPacket(Buffer.from(b.bytes.buffer, b.bytes.byteOffset + start, b.ends[i]! - start));
          ok = typeof p !== 'string' && handAccounting(pipeline, sessions, p, b.sources[b.from[i]!]!, b.times[i]! + shift);
        } catch (err) {
          writer.count('errors.radius');
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'radius request failed');
        }
        if (ok) handed[h++] = id;
        else forgotten[f++] = id;
      }
      if (f > 0) tell({ forget: forgotten.slice(0, f) });
      if (h > 0) gate.whenCommitted(mark, new BatchAnswer(tell, writer, h === b.count ? handed : handed.slice(0, h)));
    } finally {
      Atomics.sub(shared, POSTED, 1);
      Atomics.notify(shared, POSTED);
    }
  };

  const started = new Promise<{ address: string; port: number }>((resolve, reject) => {
    worker.on('message', (m: RadiusThreadReply) => {
      if ('batch' in m) take(m.batch);
      else if ('bound' in m) {
        bound = true;
        resolve(m.bound);
      } else if ('failed' in m) reject(bindError(m.failed));
      else if ('error' in m) log.error({ err: m.error }, 'radius request failed');
      else if ('socketError' in m) log.error({ err: m.socketError, transport: TRANSPORT }, 'listener error');
      else {
        bound = false;
        closed?.();
      }
    });
    worker.on('error', (err) => {
      log.error({ err: err.message }, 'the RADIUS receiving thread failed');
      reject(err);
    });
    worker.on('exit', () => {
      bound = false;
      reject(new Error('the RADIUS receiving thread ended before its socket was bound'));
      closed?.();
    });
  });
  const a = await started;
  const done = new Promise<void>((resolve) => (closed = resolve));
  return {
    address: a.address,
    port: a.port,
    listening: () => bound,
    close: () => {
      // Requests being stored are answered before the socket closes (the thread waits for them).
      if (bound) tell('close');
      return done;
    },
  };
}
