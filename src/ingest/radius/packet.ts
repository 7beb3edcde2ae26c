// RADIUS packets (RFC 2865 §3, RFC 2866 §3): header, attributes (vendor-specific ones split into
// their sub-attributes where they follow the RFC 2865 §5.26 layout), the Accounting-Request
// authenticator, the Message-Authenticator (RFC 3579 §3.2) that Status-Server must carry
// (RFC 5997), and the Accounting-Response. Pure: bytes in, values out.

import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export const CODE_ACCOUNTING_REQUEST = 4;
export const CODE_ACCOUNTING_RESPONSE = 5;
export const CODE_STATUS_SERVER = 12;

const HEADER_BYTES = 20;
/** RFC 2865 §3: the maximum packet length. */
export const MAX_PACKET_BYTES = 4096;
export const ATTR_VENDOR_SPECIFIC = 26;
export const ATTR_MESSAGE_AUTHENTICATOR = 80;

export interface Attribute {
  type: number;
  value: Buffer;
  /** For a vendor-specific attribute: the vendor, and the sub-attribute's type (undefined when its layout is not the RFC one). */
  vendor?: number;
  vendorType?: number;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The packet's bytes up to its Length (octets past it are padding, RFC 2865 §3). */
  bytes: Buffer;
}

/** Sub-attributes of a vendor-specific value laid out as RFC 2865 §5.26 recommends, or undefined when it is not. */
function vendorAttributes(vendor: number, v: Buffer): Attribute[] | undefined {
  const out: Attribute[] = [];
  let i = 4;
  while (i < v.length) {
    if (i + 2 > v.length) return undefined;
    const len = v[i + 1]!;
    if (len < 2 || i + len > v.length) return undefined;
    out.push({ type: ATTR_VENDOR_SPECIFIC, vendor, vendorType: v[i]!, value: v.subarray(i + 2, i + len) });
    i += len;
  }
  return out.length ? out : undefined;
}

/** A packet, or why it is not one (the reason names a counter). */
export function readPacket(b: Buffer): RadiusPacket | string {
  if (b.length < HEADER_BYTES) return 'radius-short';
  const length = b.readUInt16BE(2);
  if (length < HEADER_BYTES || length > MAX_PACKET_BYTES) return 'radius-bad-length';
  // A datagram shorter than its Length is discarded (RFC 2865 §3).
  if (b.length < length) return 'radius-truncated';
  const bytes = b.subarray(0, length);
  const attributes: Attribute[] = [];
  for (let i = HEADER_BYTES; i < length; ) {
    if (i + 2 > length) return 'radius-bad-attribute';
    const type = bytes[i]!;
    const len = bytes[i + 1]!;
    if (len < 2 || i + len > length) return 'radius-bad-attribute';
    const value = bytes.subarray(i + 2, i + len);
    if (type === ATTR_VENDOR_SPECIFIC && value.length >= 4) {
      const vendor = value.readUInt32BE(0);
      attributes.push(...(vendorAttributes(vendor, value) ?? [{ type, vendor, value: value.subarray(4) }]));
    } else attributes.push({ type, value });
    i += len;
  }
  return { code: bytes[0]!, identifier: bytes[1]!, authenticator: bytes.subarray(4, HEADER_BYTES), attributes, bytes };
}

const ZERO16 = Buffer.alloc(16);

/**
 * Whether an Accounting-Request's Request Authenticator is MD5(Code, Identifier, Length, 16 zero
 * octets, attributes, secret) (RFC 2866 §3): it proves the sender knows the shared secret.
 */
export function accountingRequestValid(p: RadiusPacket, secret: Buffer): boolean {
  const input = Buffer.concat([p.bytes.subarray(0, 4), ZERO16, p.bytes.subarray(HEADER_BYTES), secret]);
  return timingSafeEqual(hash('md5', input, 'buffer'), p.authenticator);
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

/** Whether a request carries a Message-Authenticator that is HMAC-MD5(secret, packet with it zeroed) (RFC 3579 §3.2). */
export function messageAuthenticatorValid(p: RadiusPacket, secret: Buffer): boolean {
  const found = withZeroedMessageAuthenticator(p.bytes);
  if (!found) return false;
  const mac = createHmac('md5', secret).update(found.zeroed).digest();
  return timingSafeEqual(mac, p.bytes.subarray(found.at, found.at + 16));
}

/**
 * A response to `request`: `code`, the request's identifier, `attributes` (encoded), and the
 * Response Authenticator MD5(Code, Identifier, Length, Request Authenticator, attributes, secret).
 * With `signed`, a Message-Authenticator is added first (RFC 3579 §3.2), as RFC 5997 asks of
 * answers to Status-Server.
 */
export function encodeResponse(request: RadiusPacket, code: number, secret: Buffer, signed = false): Buffer {
  const attrs = signed ? Buffer.concat([Buffer.from([ATTR_MESSAGE_AUTHENTICATOR, 18]), ZERO16]) : Buffer.alloc(0);
  const b = Buffer.alloc(HEADER_BYTES + attrs.length);
  b[0] = code;
  b[1] = request.identifier;
  b.writeUInt16BE(b.length, 2);
  request.authenticator.copy(b, 4);
  attrs.copy(b, HEADER_BYTES);
  if (signed) createHmac('md5', secret).update(b).digest().copy(b, HEADER_BYTES + 2);
  hash('md5', Buffer.concat([b, secret]), 'buffer').copy(b, 4);
  return b;
}
