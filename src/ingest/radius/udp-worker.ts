// The RADIUS receiving thread (`aaw-radius`, started by radius/listener.ts): owns the RADIUS UDP
// socket, receives, applies the allow list and the senders' secrets, checks each
// Accounting-Request's Request Authenticator, recognises retransmissions (the duplicate cache lives
// here: it needs nothing from the store), answers Status-Server, and posts the new, verified
// requests to the main thread in batches (thread-batch.ts), which stores their records. Each
// request's Accounting-Response is made when it is posted and sent when the main thread says its
// records are committed: no answer before commit. Node's dgram has no recvmmsg/sendmmsg: a receive
// and a send a request cost ~16 µs of the ~44 the main thread spent a request when it owned the
// socket, and a wake a datagram.

import type dgram from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from '../../thread-priority.js';
import { createAllowList, plainAddress } from '../allow.js';
import { SecretTable } from '../native/keys.js';
import { DuplicateCache, duplicateKey, type Pending } from './duplicates.js';
import {
  accountingRequestValid, CODE_ACCOUNTING_REQUEST, CODE_ACCOUNTING_RESPONSE, CODE_STATUS_SERVER, encodeResponse, messageAuthenticatorValid, readPacket, requestOctets,
  verifiedSecret, type RadiusPacket,
} from './packet.js';
import { bindRadius } from './socket.js';
import { POSTED, RadiusBatcher, type RadiusThreadCommand, type RadiusThreadOptions, type RadiusThreadReply } from './thread-batch.js';

nameThisThread('aaw-radius');

const port = parentPort!;
const opts = workerData as RadiusThreadOptions;
const shared = new Int32Array(opts.shared);
const allow = createAllowList(opts.allow);
// Buffers arrive as Uint8Arrays from the structured clone.
const secrets = new SecretTable(opts.secrets.map((e) => ({ sources: e.sources, secret: Buffer.from(e.secret.buffer, e.secret.byteOffset, e.secret.byteLength) })));
const duplicates = new DuplicateCache(opts.duplicateCacheSize, opts.duplicateSeconds * 1000);

/**
 * Requests and refusals a batch carries at most. The batch otherwise goes `batchMillis` after its
 * first datagram (radius/requests.ts GATHER_MS: the gathering window a commit group had on the main
 * thread, now the batch's), so a batch is a commit group.
 */
const BATCH_REQUESTS = 256;
/** Batches posted and not yet taken before this thread waits for the main thread (a flood of refusals stays bounded). */
const MAX_POSTED = 4;
/** Sender addresses whose allow-list answer and secrets are kept; beyond this the table is cleared. */
const SENDERS_MAX = 10_000;

interface Sender {
  source: string;
  allowed: boolean;
  secrets: readonly Buffer[];
}

/** Where an answer goes: the address and port its request came from. */
class Peer {
  constructor(
    private readonly socket: dgram.Socket,
    readonly source: string,
    readonly peer: number,
    private readonly address: string,
  ) {}

  reply(response: Buffer): void {
    this.socket.send(response, this.peer, this.address);
  }
}

/** A request posted and waiting for its commit: its answer, where it goes, its duplicate-cache entry. */
interface InFlight {
  response: Buffer;
  to: Peer;
  entry: Pending;
}

const batcher = new RadiusBatcher(BATCH_REQUESTS);
const inFlight = new Map<number, InFlight>();
let timer: NodeJS.Timeout | undefined;
let closing = false;

function post(): void {
  if (timer) {
    clearTimeout(timer);
    timer = undefined;
  }
  if (batcher.empty) return;
  for (let n = Atomics.load(shared, POSTED); n >= MAX_POSTED; n = Atomics.load(shared, POSTED)) Atomics.wait(shared, POSTED, n, 100);
  const { batch, transfer } = batcher.take();
  Atomics.add(shared, POSTED, 1);
  port.postMessage({ batch } satisfies RadiusThreadReply, transfer);
}

const senders = new Map<string, Sender>();
function senderOf(address: string): Sender {
  let s = senders.get(address);
  if (s) return s;
  const source = plainAddress(address);
  const allowed = allow(source);
  s = { source, allowed, secrets: allowed ? secrets.secretsFor(source) : [] };
  if (senders.size >= SENDERS_MAX) senders.clear();
  senders.set(address, s);
  return s;
}

function accounting(socket: dgram.Socket, p: RadiusPacket, secret: Buffer, source: string, rinfo: dgram.RemoteInfo, at: number): void {
  const key = duplicateKey(p.bytes);
  const octets = requestOctets(p);
  const to = new Peer(socket, source, rinfo.port, rinfo.address);
  const seen = duplicates.find(key, at, to, octets);
  if (seen) {
    batcher.counts.duplicates++;
    // Verified with the same secret as the first (the same bytes from the same sender): the same answer.
    if (seen.answered) to.reply(encodeResponse(p.bytes, CODE_ACCOUNTING_RESPONSE, secret));
    else (seen.waiters ??= []).push(to);
    return;
  }
  if (inFlight.size >= opts.maxPending) {
    batcher.refuse('radius-overload', source, p.bytes, at);
    return;
  }
  const entry = duplicates.begin(key, at, to, octets);
  const id = batcher.add(p.bytes, source, at);
  // The answer is made now, while the commit runs: once committed, only the send is left.
  inFlight.set(id, { response: encodeResponse(p.bytes, CODE_ACCOUNTING_RESPONSE, secret), to, entry });
}

function datagram(socket: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
  const at = Date.now();
  const { source, allowed, secrets: theirs } = senderOf(rinfo.address);
  batcher.counts.received++;
  if (!allowed) return batcher.refuse('source-not-allowed', source, msg, at);
  if (theirs.length === 0) return batcher.refuse('radius-unknown-source', source, msg, at);
  const p = readPacket(msg);
  if (typeof p === 'string') return batcher.refuse(p, source, msg, at);
  if (p.code === CODE_ACCOUNTING_REQUEST) {
    const secret = verifiedSecret(p, theirs, accountingRequestValid);
    // Counted against the sender by the main thread (radius-bad-authenticator), silently discarded (RFC 2866 §3).
    if (!secret) return batcher.refuse('radius-bad-authenticator', source, msg, at);
    return accounting(socket, p, secret, source, rinfo, at);
  }
  if (p.code === CODE_STATUS_SERVER) {
    // RFC 5997 §3: Status-Server must carry a valid Message-Authenticator, else it is discarded.
    const secret = verifiedSecret(p, theirs, messageAuthenticatorValid);
    if (!secret) return batcher.refuse('radius-status-server-unsigned', source, msg, at);
    batcher.counts.statusServer++;
    socket.send(encodeResponse(p.bytes, CODE_ACCOUNTING_RESPONSE, secret, true), rinfo.port, rinfo.address);
    return;
  }
  batcher.refuse('radius-unexpected-code', source, msg, at);
}

/** Committed: each request's answer goes out, to it and to retransmissions that waited. */
function answer(ids: Uint32Array): void {
  for (const id of ids) {
    const f = inFlight.get(id);
    if (!f) continue;
    inFlight.delete(id);
    f.to.reply(f.response);
    duplicates.answered(f.entry, f.response);
  }
}

/** Not stored: no answer, so the device sends it again (or to its next server), tried then as new. */
function forget(ids: Uint32Array): void {
  for (const id of ids) {
    const f = inFlight.get(id);
    if (!f) continue;
    inFlight.delete(id);
    duplicates.failed(f.entry);
  }
}

try {
  const socket = await bindRadius(opts.host, opts.port, opts.recvBufferBytes);
  socket.on('message', (msg, rinfo) => {
    if (closing) return;
    try {
      datagram(socket, msg, rinfo);
    } catch (err) {
      batcher.counts.errors++;
      port.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies RadiusThreadReply);
    }
    if (batcher.full) post();
    else timer ??= setTimeout(post, opts.batchMillis);
  });
  socket.on('error', (err) => port.postMessage({ socketError: err.message } satisfies RadiusThreadReply));
  const a = socket.address();
  port.postMessage({ bound: { address: a.address, port: a.port } } satisfies RadiusThreadReply);
  let deadline = 0;
  const finish = (): void => {
    // Requests being stored are answered before the socket closes (or once closeMillis is over).
    if (inFlight.size > 0 && Date.now() < deadline) {
      setTimeout(finish, 10);
      return;
    }
    socket.close(() => {
      port.postMessage({ closed: true } satisfies RadiusThreadReply);
      port.close();
    });
  };
  port.on('message', (m: RadiusThreadCommand) => {
    if (m === 'close') {
      // Nothing more is taken in; what was is posted, and its answers wait for their commits.
      closing = true;
      post();
      deadline = Date.now() + opts.closeMillis;
      finish();
    } else if ('answer' in m) answer(m.answer);
    else forget(m.forget);
  });
} catch (err) {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  port.postMessage({ failed: { message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, address: e.address, port: e.port } } satisfies RadiusThreadReply);
  port.close();
}
