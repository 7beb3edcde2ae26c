// The configuration file's shape. Every key is documented in config/aaawatch.example.yaml;
// defaults here are the embedded defaults `npm start` runs with.

import { z } from 'zod';
import { cidr, listenHost, port, postgresUrlProblem, secret, zone } from './fields.js';
import { deviceListSchema, pullSchema, secretReference } from './inventory.js';
import { logSchema } from './observe.js';
import { reconcileSchema } from './reconcile.js';
import { webSchema } from './web.js';

const listener = {
  enabled: z.boolean().default(true),
  host: listenHost.default('::'),
};

/**
 * A shared secret for native accounting senders: for the inventory devices named (by the addresses
 * they send from: their address and `senders`) and/or the addresses and subnets listed. From the
 * environment or a file, never inline.
 */
const secretFor = { devices: z.array(z.string().min(1)).default([]), sources: z.array(cidr).default([]) };
const namesSomeone = (e: { devices: string[]; sources: string[] }): boolean => e.devices.length > 0 || e.sources.length > 0;
const namesSomeoneMessage = { message: 'name the devices or sources this secret is for', path: ['devices'] };
const tacacsKey = z.object({ ...secretFor, key: secretReference }).strict().refine(namesSomeone, namesSomeoneMessage);
/**
 * `proxy`: these senders relay for other NASes (FreeRADIUS, radsecproxy, ISE as a proxy): a request's
 * device is the NAS it names. Off, a sender is its own device whatever its requests name, and one
 * naming an inventory device with another address raises sender-mismatch (src/ingest/native/device.ts).
 */
const radiusSecret = z.object({ ...secretFor, secret: secretReference, proxy: z.boolean().optional() }).strict().refine(namesSomeone, namesSomeoneMessage);

/**
 * A TLS listener's files: it starts when all are given (unless `enabled: false`) and must when
 * `enabled: true`. Some given without the rest would have left it off in silence, the port closed
 * while the file reads as if TLS were set up: said at the first file given, with what is missing.
 */
const tlsFiles =
  (what: string, files: ReadonlyArray<'cert' | 'key' | 'ca'>) =>
  (t: { enabled?: boolean; cert?: string; key?: string; ca?: string }, ctx: z.RefinementCtx): void => {
    if (t.enabled === false) return;
    const given = files.filter((f) => t[f]);
    const missing = files.filter((f) => !t[f]);
    if (missing.length === 0 || (given.length === 0 && t.enabled !== true)) return;
    const off = t.enabled === true ? '' : ` (or enabled: false to keep ${what} off)`;
    const and = (l: readonly string[]): string => l.join(', ').replace(/, (\w+)$/, ' and $1');
    const is = missing.length === 1 ? 'is' : 'are';
    ctx.addIssue({ code: 'custom', path: [given[0] ?? 'enabled'], message: `${what} needs ${and(files)}: ${and(missing)} ${is} missing${off}` });
  };

const tacacsSchema = z
  .object({
    /** Starts when keys are configured, unless this is false. */
    enabled: z.boolean().optional(),
    host: listenHost.default('::'),
    /** 49 needs CAP_NET_BIND_SERVICE (the systemd unit grants it); 4949 runs unprivileged. */
    port: port.default(4949),
    keys: z.array(tacacsKey).default([]),
    /** Agree to Single Connection Mode when a device asks (RFC 8907 §4.3). */
    singleConnection: z.boolean().default(true),
    maxConnections: z.number().int().min(1).max(100_000).default(1000),
    /** Connections one sender address may hold (as for syslog over TCP); a NAT in front of many devices may need more. */
    maxConnectionsPerSource: z.number().int().min(1).max(100_000).default(100),
    idleTimeoutSeconds: z.number().int().min(1).default(600),
    /** Largest packet body accepted (RFC 8907 recommends 2^16). */
    maxPacketBytes: z.number().int().min(1024).max(1 << 20).default(65536),
    /** TACACS+ over TLS 1.3 (RFC 9887): mutual certificate authentication, on its own port. */
    tls: z
      .object({
        enabled: z.boolean().optional(),
        /** 300 is the IANA port (privileged); 3300 runs unprivileged. */
        port: port.default(3300),
        cert: z.string().optional(),
        key: z.string().optional(),
        keyPassphrase: secret.optional(),
        /** CA that device certificates must chain to (required: RFC 9887 authenticates both ends). */
        ca: z.string().optional(),
      })
      .strict()
      .superRefine(tlsFiles('TACACS+ over TLS', ['cert', 'key', 'ca']))
      // A factory, like every default below it: one shared default object, changed by one user of a
      // parsed configuration, would be changed for every other.
      .default(() => ({ port: 3300 })),
  })
  .strict()
  .refine((l) => l.maxConnectionsPerSource <= l.maxConnections, {
    message: 'maxConnectionsPerSource must not be above maxConnections',
    path: ['maxConnectionsPerSource'],
  })
  // TACACS+ over TLS starts with TACACS+ (src/ingest/native/start.ts), which starts on keys: TLS
  // set up without keys (RFC 9887 needs none) stayed off, and said nothing.
  .refine((l) => l.enabled !== undefined || l.keys.length > 0 || l.tls.enabled === false || !(l.tls.enabled || (l.tls.cert && l.tls.key && l.tls.ca)), {
    message: 'TACACS+ over TLS starts with TACACS+, which has no keys here: set ingest.tacacs.enabled: true',
    path: ['tls'],
  });


/**
 * A TCP or TLS listener's connection limits: one sender cannot take every connection (a per-source
 * cap below the global one; when the table is full, the longest-quiet connection of the source
 * holding most is closed to make room), and half a frame does not hold a connection for the whole
 * idle timeout.
 */
/** The longest timer Node.js keeps (2^31 - 1 ms, 24.8 days): a longer one is cut to it, with a warning. */
const MAX_TIMER_SECONDS = 2_147_483;
const STREAM_LIMITS = { maxConnections: 1000, maxConnectionsPerSource: 100, idleTimeoutSeconds: 900, stallTimeoutSeconds: 30 };
const streamLimits = {
  maxConnections: z.number().int().min(1).max(100_000).default(STREAM_LIMITS.maxConnections),
  /** Connections one sender address may hold; a NAT or relay in front of many devices may need more. */
  maxConnectionsPerSource: z.number().int().min(1).max(100_000).default(STREAM_LIMITS.maxConnectionsPerSource),
  idleTimeoutSeconds: z.number().int().min(1).max(MAX_TIMER_SECONDS).default(STREAM_LIMITS.idleTimeoutSeconds),
  /** A connection holding part of a frame this long from the frame's first byte is closed (stalled-mid-frame). */
  stallTimeoutSeconds: z.number().int().min(1).max(MAX_TIMER_SECONDS).default(STREAM_LIMITS.stallTimeoutSeconds),
};
type StreamLimits = { maxConnections: number; maxConnectionsPerSource: number; idleTimeoutSeconds: number; stallTimeoutSeconds: number };
/** The per-source cap within the global one, the stall timeout within the idle one. */
const fairLimits = <T extends z.ZodType<StreamLimits>>(o: T): T =>
  o
    .refine((l) => l.maxConnectionsPerSource <= l.maxConnections, {
      message: 'maxConnectionsPerSource must not be above maxConnections',
      path: ['maxConnectionsPerSource'],
    })
    .refine((l) => l.stallTimeoutSeconds <= l.idleTimeoutSeconds, {
      message: 'stallTimeoutSeconds must not be above idleTimeoutSeconds',
      path: ['stallTimeoutSeconds'],
    });

const radiusSchema = z
  .object({
    /** Starts when secrets are configured, unless this is false. */
    enabled: z.boolean().optional(),
    host: listenHost.default('::'),
    port: port.default(1813),
    secrets: z.array(radiusSecret).default([]),
    /** Answered requests remembered so a retransmission is answered, never stored twice. */
    duplicateCacheSize: z.number().int().min(16).max(1_000_000).default(65_536),
    duplicateSeconds: z.number().int().min(1).max(3600).default(60),
    /** Open sessions remembered to stitch Start, Interim-Update and Stop. */
    maxSessions: z.number().int().min(16).max(10_000_000).default(100_000),
    /** Requests waiting for their commit at once; more are dropped and counted (their senders retransmit). */
    maxPending: z.number().int().min(16).max(1_000_000).default(10_000),
    /**
     * RadSec, RADIUS over TLS (RFC 6614), on its own port: clients authenticated by certificates
     * from `ca`, the shared secret the RFC's fixed "radsec". Starts when cert, key and ca are set,
     * unless `enabled` is false.
     */
    tls: fairLimits(
      z
        .object({
          enabled: z.boolean().optional(),
          host: listenHost.default('::'),
          port: port.default(2083),
          cert: z.string().optional(),
          key: z.string().optional(),
          keyPassphrase: secret.optional(),
          ca: z.string().optional(),
          ...streamLimits,
        })
        .strict(),
    )
      .superRefine(tlsFiles('RadSec', ['cert', 'key', 'ca']))
      .default(() => ({ host: '::', port: 2083, ...STREAM_LIMITS })),
  })
  .strict();

/**
 * RELP (rsyslog omrelp → aaawatch): 2514 is the port every rsyslog RELP example uses (RELP has no
 * IANA port). Off unless enabled: only senders configured for RELP use it.
 */
const relpSchema = fairLimits(z
  .object({
    enabled: z.boolean().default(false),
    host: listenHost.default('::'),
    port: port.default(2514),
    /** Connection slots as for TCP: a cap per source within the global one, a shorter stall for half a frame. */
    ...streamLimits,
    /** Commands read but not yet answered per connection; past it reading pauses (librelp's window is 128). */
    maxUnanswered: z.number().int().min(16).max(100_000).default(1024),
    /**
     * Committed frames remembered per session to recognise them if the sender sends them again
     * after a crash: at least the senders' window (omrelp windowSize; librelp's default is 128).
     */
    resendWindow: z.number().int().min(16).max(100_000).default(1024),
    /** Unfinished sessions remembered per sender address. */
    resendSessionsPerSource: z.number().int().min(1).max(1000).default(16),
    /** How long after a sender comes back its broken session's frames can still be taken for resends. */
    resendSeconds: z.number().int().min(1).max(86_400).default(600),
    /**
     * RELP over TLS (omrelp `tls="on"`): with cert and key set, the listener speaks TLS only, from
     * the first byte, as rsyslog's imrelp does with `tls="on"` on its port.
     */
    tls: z
      .object({
        cert: z.string().optional(),
        key: z.string().optional(),
        keyPassphrase: secret.optional(),
        /** CA bundle that client certificates must chain to (mutual TLS). */
        ca: z.string().optional(),
        requireClientCert: z.boolean().default(false),
      })
      .strict()
      .refine((t) => !t.requireClientCert || t.ca, { message: 'requireClientCert needs ca', path: ['ca'] })
      .refine((t) => Boolean(t.cert) === Boolean(t.key), { message: 'RELP over TLS needs both cert and key', path: ['cert'] })
      .default(() => ({ requireClientCert: false })),
  })
  .strict());

export const ingestSchema = z
  .object({
    udp: z
      .object({
        ...listener,
        port: port.default(5514),
        /** Requested SO_RCVBUF; the kernel caps it at net.core.rmem_max. */
        recvBufferBytes: z.number().int().min(65536).max(1 << 30).default(8 * 1024 * 1024),
      })
      .strict()
      .default({ enabled: true, host: '::', port: 5514, recvBufferBytes: 8 * 1024 * 1024 }),
    tcp: fairLimits(
      z
        .object({
          ...listener,
          port: port.default(5514),
          ...streamLimits,
        })
        .strict(),
    ).default({ enabled: true, host: '::', port: 5514, ...STREAM_LIMITS }),
    tls: fairLimits(z
      .object({
        /** TLS starts when cert and key are given, unless this is false. */
        enabled: z.boolean().optional(),
        host: listenHost.default('::'),
        port: port.default(6514),
        cert: z.string().optional(),
        key: z.string().optional(),
        keyPassphrase: secret.optional(),
        /** CA bundle that client certificates must chain to (mutual TLS). */
        ca: z.string().optional(),
        requireClientCert: z.boolean().default(false),
        /**
         * TLS 1.3 servers send session tickets after the handshake; a sender that closes without
         * reading them (loggen, many syslog clients) makes its kernel answer with a reset, which
         * discards messages aaawatch had not read yet (measured: 285–434 of 500 arrived). Node
         * cannot turn the tickets off, so 1.2 is the default; choose 1.3 when senders read.
         */
        maxVersion: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
        ...streamLimits,
      })
      .strict())
      .refine((t) => !t.requireClientCert || t.ca, { message: 'requireClientCert needs ca', path: ['ca'] })
      .superRefine(tlsFiles('syslog over TLS', ['cert', 'key']))
      .default({ host: '::', port: 6514, requireClientCert: false, maxVersion: 'TLSv1.2', ...STREAM_LIMITS }),
    tacacs: tacacsSchema.default(() => tacacsSchema.parse({})),
    radius: radiusSchema.default(() => radiusSchema.parse({})),
    relp: relpSchema.default(() => relpSchema.parse({})),
    maxMessageBytes: z.number().int().min(480).max(16 * 1024 * 1024).default(65536),
    /**
     * UDP (syslog and RADIUS) read with recvmmsg and answered with sendmmsg where the platform has
     * them (Linux, 64-bit: src/ingest/datagram-io.ts); false: Node's own calls, a datagram each.
     */
    batchedDatagrams: z.boolean().default(true),
    /** Sources allowed to send; empty allows all. */
    allow: z.array(cidr).default([]),
    /**
     * Relays (rsyslog, syslog-ng, a SIEM forwarder) that send on behalf of other devices: messages
     * from them may carry any device's name. From any other address, a device whose inventory
     * address differs is flagged (`sender-mismatch`).
     */
    relays: z.array(cidr).default([]),
    /**
     * Write batching: a batch handed to the store thread per this many rows or this many
     * milliseconds (batches that wait together share a transaction). Larger batches
     * measured slower, not faster: rows that wait longer outlive the young generation, and old-space
     * collection then costs more than the commits saved (BENCHMARKS.md, bench:ingest). A row is a
     * record (or a message kept whole): 500 records span as many input lines as 1,000 rows did when
     * a record and its message were two rows, and measured 60 MB less peak RSS than 1,000.
     */
    batchRows: z.number().int().min(1).max(100_000).default(500),
    batchMillis: z.number().int().min(1).max(60_000).default(250),
  })
  .strict();

/** A collector's name in a shared PostgreSQL store (`collector`, `aaawatch migrate --collector`). */
export const collectorName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit');

export const storeSchema = z
  .object({
    path: z.string().default('data/aaawatch.db'),
    retentionDays: z.number().int().min(1).default(400),
    /** Keep every received line, not only those a platform recognises (off: counters only). */
    storeAllMessages: z.boolean().default(false),
    /** How many malformed/rejected inputs to keep per reason for inspection. */
    keepRejectedPerReason: z.number().int().min(0).default(1000),
    /**
     * A PostgreSQL database shared by several collectors (postgres://…), inline or, as it holds a
     * password, from {env} or {file}; TLS in its parameters (sslmode, sslrootcert, sslcert, sslkey).
     * `verify`, `serve` (ingest only) and `migrate` use it so far (README, "More than one box — status").
     */
    /**
     * Collectors sharing a PostgreSQL store: how long a collector's hold on a device it pulls (pull
     * lease) and on the estate's reconciliation (leader lease) lasts without renewal. Holders renew
     * every third of it; after a collector dies, another takes over once it has run out.
     */
    pullLeaseSeconds: z.number().min(1, 'must be at least 1 second').max(3600, 'must be at most 3600 seconds (an hour)').default(120),
    leaderLeaseSeconds: z.number().min(1, 'must be at least 1 second').max(3600, 'must be at most 3600 seconds (an hour)').default(30),
    url: z.union([
      z.string().refine((v) => postgresUrlProblem(v) === undefined, { error: (issue) => postgresUrlProblem(issue.input as string) }),
      z.object({ env: z.string().min(1) }).strict(),
      z.object({ file: z.string().min(1) }).strict(),
    ], { error: 'must be a PostgreSQL URL, like postgres://aaawatch@db.example.net/aaawatch, or { env: VARIABLE } or { file: /path/to/url }' }).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    // A factory: a default object parsed once would be one object shared by every configuration parsed.
    ingest: ingestSchema.default(() => ingestSchema.parse({})),
    store: storeSchema.default(storeSchema.parse({})),
    web: webSchema.default(webSchema.parse({})),
    log: logSchema.default(logSchema.parse({})),
    /** Zone for devices without their own, for stamps that carry none. */
    defaultZone: zone.default('UTC'),
    devices: deviceListSchema.default([]),
    pull: pullSchema.default(pullSchema.parse({})),
    reconcile: reconcileSchema.default(reconcileSchema.parse({})),
    /** This collector's name in a shared PostgreSQL store: its rows and its hash chain carry it. */
    collector: collectorName.optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
