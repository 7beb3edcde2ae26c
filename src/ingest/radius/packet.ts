// RADIUS packets (RFC 2865 §3, RFC 2866 §3): header, attributes (vendor-specific ones split into
// their sub-attributes where they follow the RFC 2865 §5.26 layout), the Accounting-Request
// authenticator, the Message-Authenticator (RFC 3579 §3.2) that Status-Server must carry
// (RFC 5997), and the Accounting-Response. Pure: bytes in, values out.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { digestEquals, md5, writeDigest } from '../native/md5.js';
import { VENDOR_ATTRIBUTES } from './dictionary.js';

export const CODE_ACCOUNTING_REQUEST = 4;
export const CODE_ACCOUNTING_RESPONSE = 5;
export const CODE_STATUS_SERVER = 12;

const HEADER_BYTES = 20;
/** RFC 2865 §3: the maximum packet length. */
export const MAX_PACKET_BYTES = 4096;
export const ATTR_VENDOR_SPECIFIC = 26;
export const ATTR_MESSAGE_AUTHENTICATOR = 80;
export const ATTR_PROXY_STATE = 33;

/**
 * An attribute: where its value sits in the packet's bytes (no copy and no view of its own: a
 * Buffer view per attribute was most of what reading a packet cost, and garbage to collect).
 */
export interface Attribute {
  type: number;
  /** For a vendor-specific attribute: the vendor, and the sub-attribute's type (undefined when its layout is not the RFC one). */
  vendor: number | undefined;
  vendorType: number | undefined;
  /** The value is `bytes[start, end)` of its packet. */
  start: number;
  end: number;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  attributes: Attribute[];
  /** The packet's bytes up to its Length (octets past it are padding, RFC 2865 §3); the Request Authenticator is octets 4–19. */
  bytes: Buffer;
  /**
   * Vendor-specific attributes that are malformed: shorter than a vendor id, or of a vendor whose
   * attributes aaawatch names (all laid out as RFC 2865 §5.26 recommends) with sub-attribute
   * lengths that do not add up. Each is kept as one attribute, its bytes unread (dictionary.ts
   * `describe`: not rendered); the rest of the request is still read.
   */
  malformedVendor: number;
}

/** An attribute's value as a Buffer of its own (a view of the packet's bytes): for what needs one, not for every attribute. */
export const valueOf = (p: RadiusPacket, a: Attribute): Buffer => p.bytes.subarray(a.start, a.end);

/**
 * Sub-attributes of the vendor-specific value at `bytes[from, to)` laid out as RFC 2865 §5.26
 * recommends, added to `out`; false (and `out` as it was) when it is not laid out so.
 */
function vendorAttributes(vendor: number, bytes: Buffer, from: number, to: number, out: Attribute[]): boolean {
  const before = out.length;
  let i = from + 4;
  while (i < to) {
    const len = i + 2 > to ? 0 : bytes[i + 1]!;
    if (len < 2 || i + len > to) {
      out.length = before;
      return false;
    }
    out.push({ type: ATTR_VENDOR_SPECIFIC, vendor, vendorType: bytes[i]!, start: i + 2, end: i + len });
    i += len;
  }
  return out.length > before;
}

/** A packet, or why it is not one (the reason names a counter). */
export function readPacket(b: Buffer): RadiusPacket | string {
  if (b.length < HEADER_BYTES) return 'radius-short';
  const length = b.readUInt16BE(2);
  if (length < HEADER_BYTES || length > MAX_PACKET_BYTES) return 'radius-bad-length';
  // A datagram shorter than its Length is discarded (RFC 2865 §3).
  if (b.length < length) return 'radius-truncated';
  const bytes = b.length === length ? b : b.subarray(0, length);
  const attributes: Attribute[] = [];
  let malformedVendor = 0;
  for (let i = HEADER_BYTES; i < length; ) {
    if (i + 2 > length) return 'radius-bad-attribute';
    const type = bytes[i]!;
    const len = bytes[i + 1]!;
    if (len < 2 || i + len > length) return 'radius-bad-attribute';
    const start = i + 2;
    const end = i + len;
    if (type === ATTR_VENDOR_SPECIFIC && len >= 6) {
      const vendor = bytes.readUInt32BE(start);
      if (!vendorAttributes(vendor, bytes, start, end, attributes)) {
        attributes.push({ type, vendor, vendorType: undefined, start: start + 4, end });
        if (VENDOR_ATTRIBUTES.has(vendor)) malformedVendor++;
      }
    } else {
      if (type === ATTR_VENDOR_SPECIFIC) malformedVendor++;
      attributes.push({ type, vendor: undefined, vendorType: undefined, start, end });
    }
    i = end;
  }
  return { code: bytes[0]!, identifier: bytes[1]!, attributes, bytes, malformedVendor };
}

/**
 * Whether an Accounting-Request's Request Authenticator is MD5(Code, Identifier, Length, 16 zero
 * octets, attributes, secret) (RFC 2866 §3): it proves the sender knows the shared secret. The
 * digest reads the packet where it is (native/md5.ts): with node:crypto's one-shot MD5 over the
 * packet laid out in a scratch buffer, the check was 2.6 µs of the main thread a request under
 * bench:aaa's load (perf, 2026-12-05), ~1.1 µs in a tight loop against ~0.9 for this.
 */
export function accountingRequestValid(p: RadiusPacket, secret: Buffer): boolean {
  const b = p.bytes;
  md5(b, b.length, secret, 4, HEADER_BYTES);
  return digestEquals(b, 4);
}

/** The packet with its Message-Authenticator value zeroed, and where that value sits; undefined when it has none. */
function withZeroedMessageAuthenticator(bytes: Buffer): { zeroed: Buffer; at: number } | undefined {
  for (let i = HEADER_BYTES; i + 2 <= bytes.length; ) {
    const len = bytes[i + 1]!;
    if (len < 2) return undefined;
    if (bytes[i] === ATTR_MESSAGE_AUTHENTICATOR && len === 18) {
      const zeroed = Buffer.from(bytes);
      zeroed.fill(0, i + 2, i + 18);
      return { zeroed, at: i + 2 };
    }
    i += len;
  }
  return undefined;
}

/** Whether a packet carries a Message-Authenticator (RFC 3579 §3.2): what tells an unsigned Status-Server from one signed with another secret. */
export function hasMessageAuthenticator(p: RadiusPacket): boolean {
  for (const a of p.attributes) if (a.type === ATTR_MESSAGE_AUTHENTICATOR && a.vendor === undefined) return true;
  return false;
}

/**
 * Whether a packet's Message-Authenticator is HMAC-MD5(secret, the packet with its value zeroed,
 * and with the Request Authenticator zeroed too when `zeroRequest`); undefined when it carries none.
 */
function messageAuthenticatorMatches(p: RadiusPacket, secret: Buffer, zeroRequest: boolean): boolean | undefined {
  const found = withZeroedMessageAuthenticator(p.bytes);
  // One of another length than 18 is no HMAC-MD5: it cannot verify (FreeRADIUS discards the packet too).
  if (!found) return hasMessageAuthenticator(p) ? false : undefined;
  if (zeroRequest) found.zeroed.fill(0, 4, HEADER_BYTES);
  const mac = createHmac('md5', secret).update(found.zeroed).digest();
  return timingSafeEqual(mac, p.bytes.subarray(found.at, found.at + 16));
}

/** Whether a request carries a Message-Authenticator that is HMAC-MD5(secret, packet with it zeroed) (RFC 3579 §3.2). */
export const messageAuthenticatorValid = (p: RadiusPacket, secret: Buffer): boolean => messageAuthenticatorMatches(p, secret, false) === true;

/**
 * Whether an Accounting-Request's Message-Authenticator is HMAC-MD5(secret, the packet with its
 * Request Authenticator and the Message-Authenticator's value zeroed): an Accounting-Request's
 * authenticator is made after the attributes, so the attribute is computed over zeros in its place
 * (RFC 3579 §3.2 for the attribute; FreeRADIUS signs and checks accounting requests so, and
 * discards one that fails). True when the request carries none (it is optional there).
 */
export const accountingMessageAuthenticatorValid = (p: RadiusPacket, secret: Buffer): boolean => messageAuthenticatorMatches(p, secret, true) !== false;

/**
 * A request's octets 1–19 (Identifier, Length, Request Authenticator) as a 19-character Latin-1
 * string: what tells it from another request of its sender. A request waiting for its commit keeps
 * this and its answer (made at once, `encodeResponse`) rather than its packet (the datagram, the
 * attributes), which then die young instead of being carried through the garbage collector.
 */
export const requestOctets = (p: RadiusPacket): string => p.bytes.toString('latin1', 1, HEADER_BYTES);

/**
 * A response to `request`: `code`, the request's identifier, its Proxy-State attributes, and the
 * Response Authenticator MD5(Code, Identifier, Length, Request Authenticator, attributes, secret).
 * A proxy adds a Proxy-State to what it forwards and the server must copy every one, in order and
 * unmodified, into its answer (RFC 2865 §5.33, RFC 2866 §4.2): the proxy reads its own state back
 * from it (FreeRADIUS matches a home server's answer to its request so). With `signed`, a
 * Message-Authenticator comes first (RFC 3579 §3.2), as RFC 5997 asks of answers to Status-Server;
 * an Accounting-Response carries none, as FreeRADIUS's do not. The answer is laid out in the one
 * Buffer made for it, its digest written in place (the digest alone was ~0.6 µs with node:crypto
 * in a tight loop, ~0.3 this way, and 1.6 µs a request with its layout under load).
 */
export function encodeResponse(request: RadiusPacket, code: number, secret: Buffer, signed = false): Buffer {
  const req = request.bytes;
  let states = 0;
  for (const a of request.attributes) if (a.type === ATTR_PROXY_STATE && a.vendor === undefined) states += a.end - a.start + 2;
  const length = HEADER_BYTES + (signed ? 18 : 0) + states;
  const out = Buffer.allocUnsafe(length);
  out[0] = code;
  out[1] = req[1]!;
  out.writeUInt16BE(length, 2);
  for (let i = 4; i < HEADER_BYTES; i++) out[i] = req[i]!;
  let at = HEADER_BYTES;
  if (signed) {
    out[at] = ATTR_MESSAGE_AUTHENTICATOR;
    out[at + 1] = 18;
    out.fill(0, at + 2, at + 18);
    at += 18;
  }
  if (states > 0) for (const a of request.attributes) if (a.type === ATTR_PROXY_STATE && a.vendor === undefined) at += req.copy(out, at, a.start - 2, a.end);
  if (signed) createHmac('md5', secret).update(out).digest().copy(out, HEADER_BYTES + 2);
  md5(out, length, secret);
  writeDigest(out, 4);
  return out;
}
