// Value types shared by every configuration section.

import { isIP } from 'node:net';
import { z } from 'zod';
import { isKnownZone } from '../ingest/time.js';

export const port = z.number().int().min(1).max(65535);

/** An IPv4/IPv6 CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a single address. */
export const cidr = z.string().refine((v) => {
  const [addr, bits, extra] = v.split('/');
  if (extra !== undefined || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (family === 4 ? 32 : 128);
}, 'must be an IPv4 or IPv6 address or CIDR, like 10.0.0.0/8');

/**
 * A device's address: an IPv4 or IPv6 address (any spelling, a zone index allowed) or a DNS host
 * name (labels of letters, digits, `-` and `_`, at most 63 characters each, 253 in all). Anything
 * else — a CIDR, `[::1]`, a name with spaces — could be neither pulled nor resolved, so the sender
 * check would compare nothing for the device; a device sending from a subnet lists it in `senders`.
 */
const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
/**
 * A host name's last label is never all digits (RFC 3696 §2): `10.0.0.256` or `192.168.1` is a
 * mistyped address, which the resolver would look up as a name and fail on at start, not a name.
 */
const isHostName = (v: string): boolean => HOST_NAME.test(v) && !/(?:^|\.)\d+\.?$/.test(v);
export const hostAddress = z
  .string()
  .min(1)
  .refine((v) => isIP(v) !== 0 || isHostName(v), 'must be an IP address or a host name, like 192.0.2.11 or fw1.example.net (addresses it also sends from, or a subnet: senders)');

/** An address of this machine to listen on: `::` (every address), `0.0.0.0`, one address, or a name it resolves. */
export const listenHost = z
  .string()
  .refine((v) => isIP(v) !== 0 || isHostName(v), 'must be an address of this machine to listen on, like :: (every address), 0.0.0.0, 192.0.2.10 or localhost');

export const zone = z.string().refine(isKnownZone, 'must be an IANA time zone, like Europe/Berlin or UTC');

/** A secret value: given inline, or (better) read from an environment variable or a file. */
export const secret = z.union([
  z.string(),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
], { error: 'must be the secret as a string, { env: VARIABLE } or { file: /path/to/secret }' });

/**
 * Why a PostgreSQL URL could not be used, if it could not: said without the URL, which may hold a
 * password. The pg driver met these only at connect, as "Invalid URL" or a port it cannot reach.
 */
export function postgresUrlProblem(url: string): string | undefined {
  const like = 'like postgres://aaawatch@db.example.net/aaawatch';
  if (!/^postgres(ql)?:\/\//.test(url)) return `must be a PostgreSQL URL, ${like}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a URL that can be parsed (${like}): its port is 1-65535, and a space, @, :, / or # in the user name or password is written %20, %40, %3A, %2F or %23`;
  }
  try {
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
  } catch {
    return 'has a % in its user name or password that is not an escape: a % itself is written %25';
  }
  if (parsed.port !== '' && Number(parsed.port) === 0) return 'has port 0: the port is 1-65535';
  return undefined;
}
