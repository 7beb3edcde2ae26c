// Reconciliation settings: the roster, dormancy, telemetry thresholds, the schedule, and where
// alerts go. Every key is documented in config/aaawatch.example.yaml.

import cron from 'node-cron';
import { z } from 'zod';
import { port, secret } from './fields.js';
import { secretReference } from './inventory.js';

const cronExpression = z.string().refine((v) => cron.validate(v), 'must be a cron expression, like "*/15 * * * *"');
const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);

/** What a device's running configuration must hold to be auditable (see src/reconcile/auditability.ts). */
export const auditCheckNames = ['command-accounting', 'config-logging', 'logging-host'] as const;

export const syslogDestinationSchema = z
  .object({
    /** Shown in logs and counters; default `syslog-<host>:<port>`. */
    name: z.string().min(1).max(64).optional(),
    host: z.string().min(1),
    port: port.default(514),
    transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
    /** RFC 5424 with structured data, or ArcSight CEF carried in an RFC 5424 message. */
    format: z.enum(['rfc5424', 'cef']).default('rfc5424'),
    /** TCP only: RFC 6587 octet counting (default) or LF-terminated frames. TLS is always octet-counted (RFC 5425). */
    framing: z.enum(['octet-counting', 'lf']).default('octet-counting'),
    /** Syslog facility number (13 = log audit). */
    facility: z.number().int().min(0).max(23).default(13),
    /** TLS: CA bundle the SIEM's certificate must chain to (default: the system's CAs). */
    ca: z.string().min(1).optional(),
    /** TLS: client certificate and key, for a SIEM that requires mutual TLS. */
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    keyPassphrase: secretReference.optional(),
    /** TLS: the name the SIEM's certificate must carry, when it differs from `host`. */
    serverName: z.string().min(1).optional(),
  })
  .strict()
  .refine((d) => (d.cert === undefined) === (d.key === undefined), { message: 'cert and key go together', path: ['key'] });

export const webhookDestinationSchema = z
  .object({
    /** Shown in logs and counters instead of the URL (which may carry a token); default `webhook-<n>`. */
    name: z.string().min(1).max(64).optional(),
    /** http(s) URL; may come from the environment or a file when it carries a token. */
    url: z.union([z.string().url(), secretReference]),
    /** Extra request headers (an `Authorization` token belongs in { env } or { file }). */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name'), secret).default({}),
    /** When set, each request carries `X-Aaawatch-Signature: sha256=<HMAC of the body>` with this key. */
    hmacSecret: secretReference.optional(),
  })
  .strict();

export const alertsSchema = z
  .object({
    /** Findings below this severity are not sent. */
    minSeverity: severity.default('low'),
    syslog: z.array(syslogDestinationSchema).default([]),
    webhooks: z.array(webhookDestinationSchema).default([]),
    /** Delivery attempts per alert and destination before it is given up (counted and logged). */
    attempts: z.number().int().min(1).max(100).default(10),
    /** Wait before the second attempt; doubled for each further one, at most 15 minutes. */
    retryDelaySeconds: z.number().min(0.01).max(3600).default(5),
    timeoutSeconds: z.number().min(0.1).max(300).default(10),
  })
  .strict();

export const telemetrySchema = z
  .object({
    /** An inventory device that has sent no syslog for this long raises `telemetry-gap`. */
    silentHours: z.number().min(0.1).max(24 * 365).default(24),
    /** What the latest pulled configuration must show; an empty list turns the checks off. */
    require: z.array(z.enum(auditCheckNames)).default([...auditCheckNames]),
    /**
     * This collector's addresses as devices know it: a `logging host` must name one of them.
     * Empty: any logging host passes (the check then cannot tell where logs go).
     */
    collectorAddresses: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const reconcileSchema = z
  .object({
    /** Roster files (YAML, or CSV for account entries), read in order and merged. */
    roster: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    /** A full reconciliation runs on this schedule (and after every pull). */
    schedule: cronExpression.default('*/15 * * * *'),
    /** How often serve looks for finished pulls to reconcile. */
    pullCheckSeconds: z.number().min(1).max(3600).default(15),
    /** No login seen for this many days raises `dormant-account` (PCI DSS 8.2.6: 90; CIS 5.3: 45). */
    dormantDays: z.number().int().min(1).max(3650).default(90),
    /**
     * Clock and delivery tolerance: records up to this long before the previous pull or after this
     * one still explain a change, and a change is judged only once this long has passed.
     */
    attributionSkewSeconds: z.number().int().min(0).max(86_400).default(300),
    telemetry: telemetrySchema.default(telemetrySchema.parse({})),
    alerts: alertsSchema.default(alertsSchema.parse({})),
  })
  .strict();

export type ReconcileConfig = z.infer<typeof reconcileSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type SyslogDestinationConfig = z.infer<typeof syslogDestinationSchema>;
export type WebhookDestinationConfig = z.infer<typeof webhookDestinationSchema>;
