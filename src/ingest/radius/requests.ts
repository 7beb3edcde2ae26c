// What a RADIUS request gets, whatever carried it (UDP, or TLS for RadSec): each Accounting-Request
// checked against the sender's shared secret, its records stored, and its Accounting-Response
// sent only once they are committed. Retransmissions are recognised by the duplicate cache (and
// those a NAS made new with a longer Acct-Delay-Time, by delayed.ts) and never stored twice;
// Status-Server (RFC 5997) is answered. A request that fails its authenticator is counted against
// the sender and silently discarded, as RFC 2866 §3 requires; so is a packet that does not read.

import type { Logger } from 'pino';
import type { IngestWriter } from '../../store/writer.js';
import type { Acknowledgement, CommitGate } from '../native/commit.js';
import type { NativeDevices } from '../native/device.js';
import type { Pipeline } from '../pipeline.js';
import { cliOf } from '../tacacs/listener.js';
import { contentHash, DelayedRetransmissions } from './delayed.js';
import { DuplicateCache, type Pending } from './duplicates.js';
import {
  accountingMessageAuthenticatorValid, accountingRequestValid, CODE_ACCOUNTING_REQUEST, CODE_ACCOUNTING_RESPONSE, CODE_STATUS_SERVER, encodeResponse, hasMessageAuthenticator,
  messageAuthenticatorValid, readPacket, requestOctets, type RadiusPacket,
} from './packet.js';
import { accountingFacts, readAccounting, SessionTable } from './records.js';

export const TRANSPORT = 'radius';

/**
 * How long a group of Accounting-Requests gathers before it goes to the store (native/commit.ts):
 * a NAS keeps many requests in flight and retransmits after seconds, and a commit's fixed cost
 * (the hand-over to the store thread and back, the transaction) is shared by the requests in it.
 * Under bench:aaa's radclient load groups grew from ~7 to ~19 requests and aaawatch's CPU a request
 * fell by 10–15 µs (store thread 33 → 24, five alternated pairs, load 5–31); answers come ~3 ms
 * later. 1 ms gathered 14, 5 ms 23, 10 ms 30, for no further saving (BENCHMARKS.md, 2026-12-05).
 */
export const GATHER_MS = 3;

/**
 * RADIUS groups under way to the store at once (native/commit.ts): one. A group whose window is
 * over while the one before it commits keeps gathering and goes in the turn that commit's answer
 * arrives, so under load a commit carries what arrived during the last one and no timer of its own
 * wakes the reading thread to hand it over; unloaded, a commit (p50 0.65–1.3 ms under bench:aaa)
 * ends before the next window does, and groups go as with two. Measured only on a loaded box
 * (load 39–45, bench:aaa pairs; BENCHMARKS.md, rad21): the quiet comparison decides.
 */
export const GATHER_DEPTH = 1;

export interface RequestOptions {
  /** Answered requests remembered for retransmissions, and for how long. */
  duplicateCacheSize: number;
  duplicateSeconds: number;
  /** Open sessions remembered for stitching Start, Interim-Update and Stop. */
  maxSessions: number;
  /** Requests waiting for their commit at once; beyond this, new ones are dropped (their senders retransmit). */
  maxPending: number;
}

export interface RequestContext {
  pipeline: Pipeline;
  /** Which device a request is (the sender, or the NAS a configured proxy names). */
  devices: NativeDevices;
  writer: IngestWriter;
  gate: CommitGate;
  log: Logger;
}

/** Where a request came from and how it is answered. */
export interface Requester {
  /** The sender's address, as the allow-list and device names know it. */
  source: string;
  /** What tells two senders behind one address apart (a UDP port, a connection), for retransmissions. */
  peer: string | number;
  secrets: readonly Buffer[];
  reply(response: Buffer): void;
}

/** The header alone is kept of a refused request: its attributes may carry what must not be stored. */
export const headerOf = (b: Buffer): Buffer => Buffer.from(b.subarray(0, Math.min(b.length, 20)));

/**
 * A request's key in the duplicate cache: 30 bits of its Request Authenticator, an MD5 digest over
 * the request and the secret, so as good as random (the cache then checks the sender and the
 * octets, and chains requests under one key). A small integer, which V8 hashes as it is and keeps
 * without a heap number of its own: the string of sender, port and octets built and hashed for
 * each request was 1.6–2.3 µs a request in a full cache, a number 0.7–1.2 (300,000 requests, load ~6).
 */
const keyOf = (b: Buffer): number => b.readUInt32BE(4) >>> 2;

const verified = (p: RadiusPacket, secrets: readonly Buffer[], check: (p: RadiusPacket, s: Buffer) => boolean): Buffer | undefined => {
  for (const s of secrets) if (check(p, s)) return s;
  return undefined;
};

export class RadiusRequests {
  private readonly duplicates: DuplicateCache;
  private readonly delayed: DelayedRetransmissions;
  private readonly sessions: SessionTable;
  private waiting = 0;

  constructor(
    private readonly opts: RequestOptions,
    private readonly ctx: RequestContext,
  ) {
    this.duplicates = new DuplicateCache(opts.duplicateCacheSize, opts.duplicateSeconds * 1000);
    this.delayed = new DelayedRetransmissions(opts.duplicateCacheSize, opts.duplicateSeconds * 1000);
    this.sessions = new SessionTable(opts.maxSessions);
  }

  /** Requests waiting for their commit. */
  get pending(): number {
    return this.waiting;
  }

  /**
   * One packet, as received. Nothing thrown here leaves it. `msg` is read during this call only and
   * no view of it is kept (what outlives it is copied: strings, the answer, a refused header), so a
   * reader may hand over its own memory and read into it again afterwards.
   */
  handle(msg: Buffer, from: Requester, at: number): void {
    try {
      this.request(msg, from, at);
    } catch (err) {
      this.ctx.writer.count('errors.radius');
      this.ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'radius request failed');
    }
  }

  private request(msg: Buffer, from: Requester, at: number): void {
    const { pipeline, writer } = this.ctx;
    const p = readPacket(msg);
    if (typeof p === 'string') {
      this.malformed(p, headerOf(msg), from.source, at);
      return;
    }
    if (p.code === CODE_ACCOUNTING_REQUEST) {
      const secret = verified(p, from.secrets, accountingRequestValid);
      if (!secret) {
        pipeline.reject('radius-bad-authenticator', headerOf(msg), from.source, TRANSPORT);
        // Attributes no secret vouches for name nothing: counted against the sender itself.
        writer.nativeRequest(TRANSPORT, from.source, this.ctx.devices.resolve(from.source).device, at, 'bad-key');
        return;
      }
      if (!accountingMessageAuthenticatorValid(p, secret)) {
        // The secret verified, the optional attribute did not: a damaged or forged request (RFC 3579 §3.2 discards it).
        this.malformed('radius-bad-message-authenticator', headerOf(msg), from.source, at);
        return;
      }
      this.accounting(p, secret, from, at);
      return;
    }
    if (p.code === CODE_STATUS_SERVER) {
      // RFC 5997 §3: Status-Server must carry a valid Message-Authenticator, else it is discarded.
      const secret = verified(p, from.secrets, messageAuthenticatorValid);
      if (!secret) {
        if (!hasMessageAuthenticator(p)) {
          this.malformed('radius-status-server-unsigned', headerOf(msg), from.source, at);
          return;
        }
        // Signed, but with a secret that is not the sender's: a wrong key, as for accounting (a NAS
        // probes its servers with Status-Server before it sends them accounting).
        pipeline.reject('radius-bad-authenticator', headerOf(msg), from.source, TRANSPORT);
        writer.nativeRequest(TRANSPORT, from.source, this.ctx.devices.resolve(from.source).device, at, 'bad-key');
        return;
      }
      writer.count('radius.status-server');
      from.reply(encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret, true));
      return;
    }
    this.malformed('radius-unexpected-code', headerOf(msg), from.source, at);
  }

  /**
   * A packet that did not read, or that no server may answer: counted with its reason (and its
   * header alone kept) globally and against the sender, as a wrong key is, under the sender itself
   * (attributes no packet vouches for name nothing). Only a sender with a secret (or, over TLS, a
   * certificate) gets here, so the per-sender rows stay those of configured senders.
   */
  malformed(reason: string, header: Buffer, source: string, at: number): void {
    this.ctx.pipeline.reject(reason, header, source, TRANSPORT);
    this.ctx.writer.nativeMalformed(TRANSPORT, source, this.ctx.devices.resolve(source).device, at, reason);
  }

  private accounting(p: RadiusPacket, secret: Buffer, from: Requester, at: number): void {
    const { pipeline, writer, gate } = this.ctx;
    const { duplicates } = this;
    const key = keyOf(p.bytes);
    // To tell the request from another under its key, and to answer it.
    const octets = requestOctets(p);
    const seen = duplicates.find(key, at, from, octets);
    if (seen) {
      writer.count('duplicate.radius');
      // Verified with the same secret as the first (the same bytes from the same sender): the same answer.
      if (seen.answered) from.reply(encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret));
      else (seen.waiters ??= []).push(from);
      return;
    }
    if (this.waiting >= this.opts.maxPending) {
      pipeline.reject('radius-overload', headerOf(p.bytes), from.source, TRANSPORT);
      return;
    }
    const facts = accountingFacts(p);
    const hash = contentHash(p);
    const delay = facts.delaySeconds ?? 0;
    const eventAt = facts.eventTimestamp !== undefined && facts.eventTimestamp > 0 ? facts.eventTimestamp * 1000 : at - delay * 1000;
    const repeated = delay > 0 ? this.delayed.find(hash, from.source, eventAt, delay) : undefined;
    if (repeated) {
      // A retransmission with a longer Acct-Delay-Time (RFC 2866 §5.2): answered as itself (its own
      // Identifier and authenticator) once the request it repeats is stored, and not stored again.
      writer.count('duplicate.radius');
      // Its own answer is made now: the packet is not kept past this call (`handle`).
      const response = encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret);
      if (repeated.answered) from.reply(response);
      else (repeated.waiters ??= []).push({ reply: () => from.reply(response) });
      return;
    }
    const { device, platform, claimed } = this.ctx.devices.resolve(from.source, facts.nasIdentifier, facts.nasAddress);
    if (claimed !== undefined) writer.nativeRequest(TRANSPORT, from.source, claimed, at, 'named');
    const reading = readAccounting(p, facts, { device, cli: cliOf(platform), receivedAt: at }, this.sessions);
    if (p.malformedVendor > 0) {
      // Stored all the same (the rest of the request reads): counted, and its line kept as the
      // sample (secrets already redacted from it) so that whoever sends them can be seen.
      writer.count('malformed.radius-vendor-attribute', p.malformedVendor);
      writer.reject('radius-vendor-attribute', Buffer.from(reading.raw), from.source, TRANSPORT, at);
      // Against the device it is filed under, a packet once however many of its attributes.
      writer.nativeMalformed(TRANSPORT, from.source, device, at, 'radius-vendor-attribute');
    }
    const entry = duplicates.begin(key, at, from, octets);
    this.delayed.add(hash, eventAt, delay, entry, at);
    const mark = gate.mark();
    const handed = pipeline.native({
      transport: TRANSPORT, source: from.source, device, receivedAt: at, time: reading.time, timeText: reading.timeText, raw: reading.raw, records: reading.records,
    });
    if (!handed) {
      duplicates.failed(entry);
      return;
    }
    this.waiting++;
    // The answer is made now, while the commit runs: once committed, a group's answers only go out.
    gate.whenCommitted(mark, new Answer(this, encodeResponse(p, CODE_ACCOUNTING_RESPONSE, secret), from, entry));
  }

  /** A request's records are committed: its Accounting-Response goes to it and to retransmissions that waited. */
  answered(a: Answer): void {
    this.waiting--;
    a.from.reply(a.response);
    this.duplicates.answered(a.entry, a.response);
  }

  /** Not stored: no answer, so the device sends it again (or to its next server). */
  notStored(a: Answer): void {
    this.waiting--;
    this.ctx.writer.count('errors.radius-not-stored');
    this.duplicates.failed(a.entry);
  }
}

/** A request waiting for its commit: what its answer is made of, and where it goes. */
class Answer implements Acknowledgement {
  constructor(
    private readonly requests: RadiusRequests,
    /** Its Accounting-Response, made while it is being stored. */
    readonly response: Buffer,
    readonly from: Requester,
    readonly entry: Pending,
  ) {}

  stored(): void {
    this.requests.answered(this);
  }

  failed(): void {
    this.requests.notStored(this);
  }
}
