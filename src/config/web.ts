// The `web` section: where the page and the API listen, HTTPS, sessions, sign-in limits, paging,
// and the key that signs evidence packs. Every key is documented in config/aaawatch.example.yaml.

import { z } from 'zod';
import { cidr, listenHost, port, secret, zone } from './fields.js';
import { metricsSchema } from './observe.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const webTlsSchema = z
  .object({
    /** PEM certificate chain and key; HTTPS is served when both are set. */
    cert: z.string().optional(),
    key: z.string().optional(),
    keyPassphrase: secret.optional(),
  })
  .strict()
  .refine((t) => Boolean(t.cert) === Boolean(t.key), { message: 'give both cert and key, or neither', path: ['cert'] });

export const webSchema = z
  .object({
    enabled: z.boolean().default(true),
    host: listenHost.default('127.0.0.1'),
    port: port.default(8080),
    tls: webTlsSchema.default({}),
    /**
     * Plain HTTP on an address other than loopback sends passwords and session cookies in clear:
     * refused unless this is set (for a TLS-terminating proxy on the same host).
     */
    allowPlainHttp: z.boolean().default(false),
    /** A session ends after this long without a request (PCI DSS 8.2.8: 15 minutes)… */
    sessionIdleMinutes: z.number().int().min(1).max(24 * 60).default(15),
    /** …and after this long in any case. */
    sessionMaxHours: z.number().int().min(1).max(24 * 7).default(12),
    /** Sign-in attempts per user name (four times as many per address) within the window before the name is locked out. */
    loginMaxFailures: z.number().int().min(1).max(1000).default(5),
    loginWindowMinutes: z.number().int().min(1).max(24 * 60).default(30),
    /** How long a locked-out name or address stays locked (PCI DSS 8.3.4: at least 30 minutes). */
    loginLockoutMinutes: z.number().int().min(1).max(24 * 60).default(30),
    /**
     * Reverse proxies whose X-Forwarded-For is believed: behind one, the client's own address is
     * what sign-in limits and the activity log use, not the proxy's (one address for everyone).
     */
    trustedProxies: z.array(cidr).default([]),
    /** Rows per page in long tables. */
    pageSize: z.number().int().min(10).max(500).default(50),
    /** The zone shown on hover beside UTC times (default: the zone of the machine). */
    localZone: zone.optional(),
    /** Ed25519 key that signs evidence packs; default `signing-key.pem` beside the database. */
    signingKey: z.string().optional(),
    /** /metrics and /healthz (src/config/observe.ts). */
    metrics: metricsSchema.default(metricsSchema.parse({})),
  })
  .strict()
  .refine((w) => Boolean(w.tls.cert) || w.allowPlainHttp || LOOPBACK.has(w.host), {
    message: 'serving on an address other than loopback needs web.tls.cert and web.tls.key (or allowPlainHttp: true behind a TLS proxy)',
    path: ['tls'],
  });
