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
export const hostAddress = z
  .string()
  .min(1)
  .refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), 'must be an IP address or a host name, like 192.0.2.11 or fw1.example.net (addresses it also sends from, or a subnet: senders)');

export const zone = z.string().refine(isKnownZone, 'must be an IANA time zone, like Europe/Berlin or UTC');

/** A secret value: given inline, or (better) read from an environment variable or a file. */
export const secret = z.union([
  z.string(),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ file: z.string().min(1) }).strict(),
]);
