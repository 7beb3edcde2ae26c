// One TACACS+ connection as a sequence of decisions, without I/O: bytes in (as they arrive, in any
// chunking), steps out — an accounting request to store and acknowledge, a request to refuse, a
// wrong key, a malformed packet. The listener does what each step says. Single Connection Mode
// (RFC 8907 §4.3) is agreed on the first packet when the client asks and the server allows it.

import {
  ACCT_STATUS_ERROR, ACCT_STATUS_SUCCESS, AUTHEN_STATUS_ERROR, AUTHOR_STATUS_ERROR, FLAG_SINGLE_CONNECT, FLAG_UNENCRYPTED, HEADER_BYTES,
  TYPE_ACCT, TYPE_AUTHEN, TYPE_AUTHOR, acctReplyBody, authenReplyBody, authorReplyBody, encodeReply, errorHeader,
  headerProblem, isAuthenContinue, obfuscate, readAcctRequest, readAuthenStart, readAuthorRequest, readHeader, validAcctFlags,
  type AcctRequest, type Header, type RefusedRequest,
} from './packet.js';

export interface ConversationOptions {
  /** The keys configured for this client, most specific first; empty over TLS, where bodies are not obfuscated. */
  keys: readonly Buffer[];
  /** TLS (RFC 9887): bodies travel in clear inside TLS with the unencrypted flag set. */
  tls: boolean;
  /** Whether to agree to Single Connection Mode when a client asks. */
  singleConnection: boolean;
  /** Largest body accepted (RFC 8907 §4.1: servers must bound it). */
  maxBodyBytes: number;
}

/** What refusing authentication and authorisation says to the client's operator. */
export const REFUSAL = 'aaawatch accepts accounting only: use another server for authentication and authorisation';

/** The accounting REPLY bodies, made once: each REPLY obfuscates one into a Buffer of its own. */
const ACCT_STORED = acctReplyBody(ACCT_STATUS_SUCCESS);
const ACCT_NOT_STORED = acctReplyBody(ACCT_STATUS_ERROR);

export type Step =
  /** Store the request, then send `reply(true)` once stored (or `reply(false)`, an ERROR, when it could not be). */
  | { kind: 'accounting'; header: Header; request: AcctRequest; reply(stored: boolean): Buffer }
  /** Authentication or authorisation, answered with the ERROR status that sends the client to its next server. */
  | { kind: 'refused'; what: 'authentication' | 'authorization'; header: Header; request: RefusedRequest | undefined; reply: Buffer }
  /** The body did not decode to a valid structure with any configured key: answered with ERROR, then the connection ends. */
  | { kind: 'bad-key'; header: Header; reply: Buffer | undefined }
  /** Not a valid packet at all (or one this server must drop): the connection ends, after `reply` if there is one. */
  | { kind: 'malformed'; reason: string; header: Header | undefined; reply: Buffer | undefined };

export class Conversation {
  private buffered: Buffer[] = [];
  private size = 0;
  private packets = 0;
  /** Undefined until the first packet has said whether the client wants Single Connection Mode. */
  private singleMode: boolean | undefined;
  /** Set once a step ended the connection: nothing after it is read. */
  private ended = false;

  constructor(private readonly opts: ConversationOptions) {}

  /** Whether Single Connection Mode was agreed: without it the connection closes after its first session. */
  get single(): boolean {
    return this.singleMode === true;
  }

  /** Bytes received but not yet a whole packet. */
  get pending(): number {
    return this.size;
  }

  /** The header of the packet held part way, as far as it came (never its body: it may hold a password). */
  sample(): Buffer {
    if (this.size === 0) return Buffer.alloc(0);
    return Buffer.from(this.peek(Math.min(HEADER_BYTES, this.size)));
  }

  /** The steps the bytes received so far complete. */
  push(chunk: Buffer): Step[] {
    if (this.ended) return [];
    this.buffered.push(chunk);
    this.size += chunk.length;
    const steps: Step[] = [];
    while (!this.ended && this.size >= HEADER_BYTES) {
      const head = this.peek(HEADER_BYTES);
      const header = readHeader(head);
      const problem = headerProblem(header);
      if (problem) {
        // An answer to 255 would carry 0, a wrap: none goes.
        steps.push(this.end({ kind: 'malformed', reason: `tacacs-${problem}`, header, reply: problem === 'sequence-wrap' ? undefined : errorHeader(header) }));
        break;
      }
      if (header.length > this.opts.maxBodyBytes) {
        steps.push(this.end({ kind: 'malformed', reason: 'tacacs-oversize', header, reply: errorHeader(header) }));
        break;
      }
      if (this.size < HEADER_BYTES + header.length) break;
      const packet = this.take(HEADER_BYTES + header.length);
      steps.push(this.step(header, packet.subarray(HEADER_BYTES)));
    }
    return steps;
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.size -= n;
    return all.subarray(0, n);
  }

  private end(step: Step): Step {
    this.ended = true;
    this.buffered = [];
    this.size = 0;
    return step;
  }

  private step(header: Header, raw: Buffer): Step {
    const first = this.packets++ === 0;
    if (first) this.singleMode = this.opts.singleConnection && (header.flags & FLAG_SINGLE_CONNECT) !== 0;
    // The flag is answered in the first reply only (RFC 8907 §4.3).
    const agree = first && this.singleMode === true;
    const clear = (header.flags & FLAG_UNENCRYPTED) !== 0;
    if (this.opts.tls !== clear) {
      // Without TLS a cleartext request MUST be dropped (RFC 8907 §4.5); with TLS the flag MUST be set (RFC 9887 §4).
      return this.end({ kind: 'malformed', reason: this.opts.tls ? 'tacacs-obfuscated-over-tls' : 'tacacs-unencrypted', header, reply: undefined });
    }
    if (raw.length < fixedFields(header)) {
      // Obfuscation keeps a body's length: one shorter than its type's fixed fields is malformed whatever the key.
      return this.end({ kind: 'malformed', reason: 'tacacs-short-body', header, reply: errorHeader(header) });
    }
    const keys: ReadonlyArray<Buffer | undefined> = this.opts.tls ? [undefined] : this.opts.keys;
    for (const key of keys) {
      const body = key ? obfuscate(raw, header, key) : raw;
      const step = this.read(header, body, key, agree);
      if (step) return step;
    }
    if (header.type === TYPE_ACCT && header.seq === 1) {
      // Lengths that add up under a key but flags RFC 8907 §7.2 does not allow (START|STOP, none):
      // the right key, a request no server may store. ERROR sends the client to its next server.
      for (const key of keys) {
        const request = readAcctRequest(key ? obfuscate(raw, header, key) : raw);
        if (request) return this.end({ kind: 'malformed', reason: 'tacacs-bad-flags', header, reply: encodeReply(header, ACCT_NOT_STORED, key, agree) });
      }
    }
    const key = keys[0];
    return this.end({ kind: 'bad-key', header, reply: key === undefined && !this.opts.tls ? undefined : encodeReply(header, errorBody(header.type), key, agree) });
  }

  /** The step for a de-obfuscated body, or undefined when it is not a valid structure (a wrong key). */
  private read(header: Header, body: Buffer, key: Buffer | undefined, agree: boolean): Step | undefined {
    switch (header.type) {
      case TYPE_ACCT: {
        if (header.seq !== 1) return this.outOfSequence(header);
        const request = readAcctRequest(body);
        if (!request || !validAcctFlags(request.flags)) return undefined;
        return { kind: 'accounting', header, request, reply: (stored) => encodeReply(header, stored ? ACCT_STORED : ACCT_NOT_STORED, key, agree) };
      }
      case TYPE_AUTHEN: {
        const start = header.seq === 1 ? readAuthenStart(body) : undefined;
        if (!start && !(header.seq > 1 && isAuthenContinue(body))) return undefined;
        return { kind: 'refused', what: 'authentication', header, request: start, reply: encodeReply(header, authenReplyBody(AUTHEN_STATUS_ERROR, REFUSAL), key, agree) };
      }
      default: {
        if (header.seq !== 1) return this.outOfSequence(header);
        const request = readAuthorRequest(body);
        if (!request) return undefined;
        return { kind: 'refused', what: 'authorization', header, request, reply: encodeReply(header, authorReplyBody(AUTHOR_STATUS_ERROR, REFUSAL), key, agree) };
      }
    }
  }

  /** Accounting and authorisation sessions are one request each: a later sequence number belongs to no session. */
  private outOfSequence(header: Header): Step {
    return this.end({ kind: 'malformed', reason: 'tacacs-bad-sequence', header, reply: errorHeader(header) });
  }
}

/** Bytes of a body's fixed fields (RFC 8907 §5.1, §5.3, §6.1, §7.1): an authentication CONTINUE 5, every first packet 8, accounting 9. */
function fixedFields(header: Header): number {
  if (header.type === TYPE_ACCT) return 9;
  if (header.type === TYPE_AUTHEN && header.seq > 1) return 5;
  return 8;
}

function errorBody(type: number): Buffer {
  if (type === TYPE_AUTHEN) return authenReplyBody(AUTHEN_STATUS_ERROR);
  if (type === TYPE_AUTHOR) return authorReplyBody(AUTHOR_STATUS_ERROR);
  return acctReplyBody(ACCT_STATUS_ERROR);
}
