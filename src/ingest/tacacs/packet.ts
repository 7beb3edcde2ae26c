// TACACS+ packets (RFC 8907): the 12-byte header, body obfuscation with the MD5 pad (§4.5), the
// bodies aaawatch reads (accounting REQUEST; authentication START/CONTINUE and authorisation
// REQUEST, read only to tell a right key from a wrong one before refusing them) and the REPLYs it
// writes. Pure: bytes in, values out; nothing here touches a socket.

import { md5, writeDigest } from '../native/md5.js';
import { textAt } from '../native/render.js';

export const HEADER_BYTES = 12;
const MAJOR_VERSION = 0xc;

export const TYPE_AUTHEN = 0x01;
export const TYPE_AUTHOR = 0x02;
export const TYPE_ACCT = 0x03;

export const FLAG_UNENCRYPTED = 0x01;
export const FLAG_SINGLE_CONNECT = 0x04;

export const ACCT_FLAG_START = 0x02;
export const ACCT_FLAG_STOP = 0x04;
export const ACCT_FLAG_WATCHDOG = 0x08;

export const ACCT_STATUS_SUCCESS = 0x01;
export const ACCT_STATUS_ERROR = 0x02;
/** The ERROR statuses: the client "MUST behave as if the server could not be connected to" (RFC 8907 §4.4) and tries its next server or method. */
export const AUTHEN_STATUS_ERROR = 0x07;
export const AUTHOR_STATUS_ERROR = 0x11;

export interface Header {
  /** Major and minor version in one byte (0xc0, 0xc1). */
  version: number;
  type: number;
  seq: number;
  flags: number;
  session: number;
  length: number;
}

export function readHeader(b: Buffer): Header {
  return { version: b[0]!, type: b[1]!, seq: b[2]!, flags: b[3]!, session: b.readUInt32BE(4), length: b.readUInt32BE(8) };
}

export function writeHeader(h: Header): Buffer {
  return writeHeaderInto(h, Buffer.allocUnsafe(HEADER_BYTES));
}

function writeHeaderInto(h: Header, b: Buffer): Buffer {
  b[0] = h.version;
  b[1] = h.type;
  b[2] = h.seq;
  b[3] = h.flags;
  b.writeUInt32BE(h.session >>> 0, 4);
  b.writeUInt32BE(h.length >>> 0, 8);
  return b;
}

/** Why a header cannot start a TACACS+ packet from a client, or undefined when it can. */
export function headerProblem(h: Header): string | undefined {
  if (h.version >> 4 !== MAJOR_VERSION || (h.version & 0xf) > 1) return 'bad-version';
  if (h.type < TYPE_AUTHEN || h.type > TYPE_ACCT) return 'bad-type';
  // Clients send odd sequence numbers only (RFC 8907 §4.1).
  if ((h.seq & 1) === 0) return 'bad-sequence';
  // The number never wraps: at 255 the session ends (RFC 8907 §4.1), as no answer could follow it.
  if (h.seq === 0xff) return 'sequence-wrap';
  return undefined;
}

/** Where the pad's hash input is laid out, reused (one thread reads packets, one at a time). */
let padInput = Buffer.alloc(64);
const NOTHING = Buffer.alloc(0);

/**
 * The body XORed with the pseudo-pad MD5(session_id, key, version, seq_no [, previous hash])…
 * (RFC 8907 §4.5): the same function obfuscates and de-obfuscates. Written into `out` from `at`
 * (a Buffer of its own by default): a REPLY is its header and body in one Buffer.
 */
export function obfuscate(body: Buffer, h: Pick<Header, 'session' | 'version' | 'seq'>, key: Buffer, out = Buffer.allocUnsafe(body.length), at = 0): Buffer {
  // One buffer holds the hash input: session_id, key, version, seq_no, then the previous hash
  // (absent for the first), where each pad is written in place (native/md5.ts): one block a pad
  // for keys up to 33 bytes, ten for bench:aaa's 160-byte command accounting, whose body took
  // 6.5 µs with node:crypto's one-shot MD5 against 3.8 this way (a tight loop, 2026-12-05).
  const prefix = 4 + key.length + 2;
  if (padInput.length < prefix + 16) padInput = Buffer.alloc(prefix + 16);
  const input = padInput;
  input.writeUInt32BE(h.session >>> 0, 0);
  key.copy(input, 4);
  input[4 + key.length] = h.version;
  input[5 + key.length] = h.seq;
  md5(input, prefix, NOTHING);
  for (let i = 0; i < body.length; i += 16) {
    if (i > 0) md5(input, prefix + 16, NOTHING);
    writeDigest(input, prefix);
    const end = Math.min(16, body.length - i);
    for (let j = 0; j < end; j++) out[at + i + j] = body[i + j]! ^ input[prefix + j]!;
  }
  return out;
}

/**
 * Reads the length-prefixed fields of a body as text (US-ASCII by the RFC, UTF-8 in practice;
 * other bytes one per character); every read is bounded by the body.
 */
class Fields {
  pos: number;
  constructor(
    private readonly b: Buffer,
    start: number,
  ) {
    this.pos = start;
  }
  take(n: number): string {
    const v = textAt(this.b, this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

export interface AcctRequest {
  /** START, STOP, WATCHDOG, or WATCHDOG with START (an update that repeats the start's data). */
  flags: number;
  authenMethod: number;
  privLvl: number;
  authenType: number;
  authenService: number;
  user: string;
  port: string;
  remAddr: string;
  /** `name=value` (mandatory) or `name*value` (optional) arguments, in order. */
  args: string[];
}

const ACCT_FLAGS = new Set([ACCT_FLAG_START, ACCT_FLAG_STOP, ACCT_FLAG_WATCHDOG, ACCT_FLAG_WATCHDOG | ACCT_FLAG_START]);

/** Whether an accounting REQUEST's flags are one of the combinations RFC 8907 §7.2 allows. */
export const validAcctFlags = (flags: number): boolean => ACCT_FLAGS.has(flags);

/**
 * Sum of the lengths at `lens` (count bytes from `at`), or -1 when they run past the body. A body
 * whose declared lengths do not add up to its size is what a wrong key leaves (RFC 8907 §4.5).
 */
function argLengths(b: Buffer, at: number, count: number): number {
  if (at + count > b.length) return -1;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += b[at + i]!;
  return sum;
}

/**
 * An accounting REQUEST body (RFC 8907 §7.1) whose lengths add up to its size, or undefined. Its
 * flags are not checked here (`validAcctFlags`): the lengths are what tells the right key, and a
 * client with the right key and flags RFC 8907 forbids is not a wrong key.
 */
export function readAcctRequest(b: Buffer): AcctRequest | undefined {
  if (b.length < 9) return undefined;
  const flags = b[0]!;
  const argCnt = b[8]!;
  const args = argLengths(b, 9, argCnt);
  if (args < 0 || 9 + argCnt + b[5]! + b[6]! + b[7]! + args !== b.length) return undefined;
  const f = new Fields(b, 9 + argCnt);
  const user = f.take(b[5]!);
  const port = f.take(b[6]!);
  const remAddr = f.take(b[7]!);
  const list: string[] = [];
  for (let i = 0; i < argCnt; i++) list.push(f.take(b[9 + i]!));
  return { flags, authenMethod: b[1]!, privLvl: b[2]!, authenType: b[3]!, authenService: b[4]!, user, port, remAddr, args: list };
}

/** What a refused request showed before it was refused: never its data (passwords, CHAP responses). */
export interface RefusedRequest {
  user: string;
  port: string;
  remAddr: string;
}

const AUTHEN_ACTIONS = new Set([0x01, 0x02, 0x04]);

/** An authentication START body (RFC 8907 §5.1), or undefined when it is not a valid one. */
export function readAuthenStart(b: Buffer): RefusedRequest | undefined {
  if (b.length < 8 || !AUTHEN_ACTIONS.has(b[0]!)) return undefined;
  if (8 + b[4]! + b[5]! + b[6]! + b[7]! !== b.length) return undefined;
  const f = new Fields(b, 8);
  return { user: f.take(b[4]!), port: f.take(b[5]!), remAddr: f.take(b[6]!) };
}

/** Whether a body is a valid authentication CONTINUE (RFC 8907 §5.3). */
export function isAuthenContinue(b: Buffer): boolean {
  return b.length >= 5 && 5 + b.readUInt16BE(0) + b.readUInt16BE(2) === b.length && (b[4]! & 0xfe) === 0;
}

/** An authorisation REQUEST body (RFC 8907 §6.1), or undefined when it is not a valid one. */
export function readAuthorRequest(b: Buffer): RefusedRequest | undefined {
  if (b.length < 8) return undefined;
  const argCnt = b[7]!;
  const args = argLengths(b, 8, argCnt);
  if (args < 0 || 8 + argCnt + b[4]! + b[5]! + b[6]! + args !== b.length) return undefined;
  const f = new Fields(b, 8 + argCnt);
  return { user: f.take(b[4]!), port: f.take(b[5]!), remAddr: f.take(b[6]!) };
}

const clipMessage = (m: string): Buffer => Buffer.from(m, 'latin1').subarray(0, 0xffff);

/** Accounting REPLY body: server_msg_len, data_len, status, server_msg (RFC 8907 §7.2). */
export function acctReplyBody(status: number, message = ''): Buffer {
  const msg = clipMessage(message);
  const b = Buffer.alloc(5 + msg.length);
  b.writeUInt16BE(msg.length, 0);
  b[4] = status;
  msg.copy(b, 5);
  return b;
}

/** Authentication REPLY body: status, flags, server_msg_len, data_len, server_msg (RFC 8907 §5.2). */
export function authenReplyBody(status: number, message = ''): Buffer {
  const msg = clipMessage(message);
  const b = Buffer.alloc(6 + msg.length);
  b[0] = status;
  b.writeUInt16BE(msg.length, 2);
  msg.copy(b, 6);
  return b;
}

/** Authorisation REPLY body: status, arg_cnt, server_msg_len, data_len, server_msg (RFC 8907 §6.2). */
export function authorReplyBody(status: number, message = ''): Buffer {
  const msg = clipMessage(message);
  const b = Buffer.alloc(6 + msg.length);
  b[0] = status;
  b.writeUInt16BE(msg.length, 2);
  msg.copy(b, 6);
  return b;
}

/**
 * A reply to `request`: the next sequence number, the request's version and session, the body
 * obfuscated with `key` (or sent in clear with the unencrypted flag when `key` is undefined: over TLS).
 */
export function encodeReply(request: Header, body: Buffer, key: Buffer | undefined, singleConnect: boolean): Buffer {
  const h: Header = {
    version: request.version,
    type: request.type,
    seq: (request.seq + 1) & 0xff,
    flags: (singleConnect ? FLAG_SINGLE_CONNECT : 0) | (key ? 0 : FLAG_UNENCRYPTED),
    session: request.session,
    length: body.length,
  };
  // One Buffer for the header and the body, which is obfuscated into it (the header, the body and
  // their concatenation were three, with the pad's input a fourth, for every REPLY).
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  writeHeaderInto(h, out);
  if (key) obfuscate(body, h, key, out, HEADER_BYTES);
  else body.copy(out, HEADER_BYTES);
  return out;
}

/**
 * The reply to a packet whose type cannot be handled: its own cleartext header with the sequence
 * number incremented and no body (RFC 8907 §3.6).
 */
export function errorHeader(request: Header): Buffer {
  return writeHeader({ ...request, seq: (request.seq + 1) & 0xff, length: 0 });
}
