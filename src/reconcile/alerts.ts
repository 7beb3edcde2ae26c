// Alerts: every new, escalated or reopened finding goes to the configured SIEMs (RFC 5424 syslog
// with structured data, or CEF) and webhooks (JSON). They are read from finding_history — so
// findings raised anywhere (pulls raise pull-failed and host-key-changed) are alerted — into an
// outbox in the database, one row per destination, and delivered from there: a failed delivery is
// retried with backoff and survives a restart, a delivery given up is counted (`alerts.failed` in
// `aaawatch stats`) and logged, and nothing here can stop ingest (it runs in the reconciliation
// thread, and every error is caught).

import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { VERSION } from '../version.js';
import { SEVERITY_RANK, type FindingEvidence, type FindingRow, type Severity } from './findings.js';
import { count, getState, setState, stmt } from './store.js';
import { isoSeconds } from './text.js';

export type AlertEvent = 'new' | 'escalated' | 'reopened';

/** What is sent: the finding as it stands, without anything a device's configuration held. */
export interface AlertPayload {
  source: 'aaawatch';
  version: string;
  event: AlertEvent;
  /** When the history entry was written (ISO 8601 UTC). */
  at: string;
  finding: {
    id: number;
    kind: string;
    severity: Severity;
    status: string;
    device: string;
    account: string;
    summary: string;
    attribution: string | null;
    technique: string | null;
    firstSeen: string;
    lastSeen: string;
    evidence: { events: number[]; snapshots: number[] };
  };
}

/** A destination: sends one alert or throws. */
export interface AlertDestination {
  name: string;
  send(alert: AlertPayload): Promise<void>;
  close?(): void;
}

// --- Collecting from finding_history ------------------------------------------------------------

export interface HistoryRow {
  id: number;
  finding_id: number;
  at: number;
  from_status: string | null;
  to_status: string;
  severity: Severity | null;
}

export function eventOf(h: HistoryRow): AlertEvent | undefined {
  if (h.from_status === null) return 'new';
  if (h.to_status === 'open' && h.from_status !== 'open') return 'reopened';
  // Same status before and after: only escalations write such an entry.
  if (h.from_status === h.to_status && h.to_status !== 'resolved') return 'escalated';
  return undefined;
}

export function payloadOf(f: FindingRow, event: AlertEvent, at: number, severity: Severity): AlertPayload {
  const evidence = JSON.parse(f.evidence) as FindingEvidence;
  return {
    source: 'aaawatch', version: VERSION, event, at: isoSeconds(at)!,
    finding: {
      id: f.id, kind: f.kind, severity, status: f.status, device: f.device, account: f.account, summary: f.summary,
      attribution: f.attribution, technique: f.technique, firstSeen: isoSeconds(f.first_seen)!, lastSeen: isoSeconds(f.last_seen)!,
      evidence: { events: evidence.events ?? [], snapshots: evidence.snapshots ?? [] },
    },
  };
}

/** The alert a history entry makes, if any (new, escalated or reopened, at `minSeverity` or above): its event and payload. */
export function alertFor(h: HistoryRow, finding: (id: number) => FindingRow | undefined, minSeverity: Severity): { event: AlertEvent; payload: string } | undefined {
  const event = eventOf(h);
  if (!event) return undefined;
  const f = finding(h.finding_id);
  if (!f) return undefined;
  const severity = h.severity ?? f.severity;
  if (SEVERITY_RANK[severity] < SEVERITY_RANK[minSeverity]) return undefined;
  return { event, payload: JSON.stringify(payloadOf(f, event, h.at, severity)) };
}

/**
 * Put alerts for history entries written since the last call into the outbox, for every
 * destination. Without destinations the position still moves, so configuring alerts later does
 * not send the past as a burst (see `startAlertsHere`). Returns how many alerts were queued.
 */
export function collectAlerts(db: Db, destinations: readonly string[], minSeverity: Severity, now: number): number {
  const after = getState(db, 'history.alerted') ?? 0;
  const last = (stmt(db, 'SELECT coalesce(max(id), 0) AS id FROM finding_history').get() as { id: number }).id;
  if (destinations.length === 0) {
    setState(db, 'history.alerted', last);
    return 0;
  }
  if (last <= after) return 0;
  const rows = db
    .prepare('SELECT id, finding_id, at, from_status, to_status, severity FROM finding_history WHERE id > ? AND id <= ? ORDER BY id')
    .all(after, last) as HistoryRow[];
  const finding = stmt(db, 'SELECT * FROM findings WHERE id = ?');
  const insert = stmt(db, `INSERT INTO alert_outbox (destination, finding_id, event, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)`);
  let queued = 0;
  db.transaction(() => {
    for (const h of rows) {
      const a = alertFor(h, (id) => finding.get(id) as FindingRow | undefined, minSeverity);
      if (!a) continue;
      for (const d of destinations) {
        insert.run(d, h.finding_id, a.event, a.payload, now, now);
        queued++;
      }
    }
    setState(db, 'history.alerted', last);
  }).immediate();
  return queued;
}

/** On a store that has never sent alerts, start from its end: findings raised before are not sent. */
export function startAlertsHere(db: Db): void {
  if (getState(db, 'history.alerted') === undefined) {
    setState(db, 'history.alerted', (stmt(db, 'SELECT coalesce(max(id), 0) AS id FROM finding_history').get() as { id: number }).id);
  }
}

// --- Formats --------------------------------------------------------------------------------------

/** RFC 5424 severity (2 crit … 6 info) for a finding's severity. */
const SYSLOG_SEVERITY: Readonly<Record<Severity, number>> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };
/** CEF severity, 0–10. */
const CEF_SEVERITY: Readonly<Record<Severity, number>> = { info: 1, low: 3, medium: 5, high: 8, critical: 10 };

/** The private enterprise number in the SD-ID: 32473 is IANA's example number (RFC 5612) until aaawatch has its own. */
export const SD_ID = 'aaawatch@32473';

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const clean = (s: string, max = 2000): string => (s.length > max ? s.slice(0, max) + '…' : s).replace(CONTROL, ' ');

/** An SD-PARAM value: `"`, `\` and `]` escaped (RFC 5424 section 6.3.3). */
function sdValue(s: string): string {
  return clean(s, 512).replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** A header field: printable US-ASCII without spaces, or the NILVALUE. */
function headerField(s: string, max: number): string {
  const v = s.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return v || '-';
}

export interface SyslogFormat {
  format: 'rfc5424' | 'cef';
  facility: number;
  /** Default: this host's name. */
  hostname?: string;
}

function message(a: AlertPayload): string {
  const f = a.finding;
  return clean(f.attribution && !f.summary.includes(f.attribution) ? `${f.summary} — ${f.attribution}` : f.summary, 4000);
}

/** CEF header fields escape `\` and `|`; extension values `\`, `=` and line breaks. */
const cefHeader = (s: string): string => clean(s, 512).replace(/[\\|]/g, (c) => `\\${c}`);
const cefValue = (s: string): string => s.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n').replace(CONTROL, ' ');

export function cefMessage(a: AlertPayload): string {
  const f = a.finding;
  const ext: Array<[string, string]> = [
    ['rt', String(Date.parse(a.at))],
    ['dvchost', f.device],
    ...(f.account ? ([['duser', f.account]] as Array<[string, string]>) : []),
    ['cs1Label', 'findingId'], ['cs1', String(f.id)],
    ['cs2Label', 'status'], ['cs2', f.status],
    ['cs3Label', 'technique'], ['cs3', f.technique ?? ''],
    ['cs4Label', 'event'], ['cs4', a.event],
    ['msg', message(a)],
  ];
  return `CEF:0|aaawatch|aaawatch|${cefHeader(a.version)}|${cefHeader(f.kind)}|${cefHeader(`${f.kind} on ${f.device}`)}|${CEF_SEVERITY[f.severity]}|` +
    ext.map(([k, v]) => `${k}=${cefValue(v)}`).join(' ');
}

/** One RFC 5424 message for an alert: structured data with the finding's fields, then the summary (or a CEF record). */
export function syslogMessage(a: AlertPayload, o: SyslogFormat): string {
  const f = a.finding;
  const pri = o.facility * 8 + SYSLOG_SEVERITY[f.severity];
  const params: Array<[string, string]> = [
    ['id', String(f.id)], ['event', a.event], ['kind', f.kind], ['severity', f.severity], ['status', f.status], ['device', f.device],
    ...(f.account ? ([['account', f.account]] as Array<[string, string]>) : []),
    ...(f.technique ? ([['technique', f.technique]] as Array<[string, string]>) : []),
    ['firstSeen', f.firstSeen], ['lastSeen', f.lastSeen],
  ];
  const sd = `[${SD_ID} ${params.map(([k, v]) => `${k}="${sdValue(v)}"`).join(' ')}]`;
  const header = `<${pri}>1 ${new Date(Date.parse(a.at)).toISOString()} ${headerField(o.hostname ?? hostname(), 255)} aaawatch ${process.pid} finding.${a.event}`;
  return `${header} ${sd} ${o.format === 'cef' ? cefMessage(a) : message(a)}`;
}

// --- Delivery from the outbox ---------------------------------------------------------------------

export interface DeliveryOptions {
  attempts: number;
  retryDelayMs: number;
}

export interface OutboxRow {
  id: number;
  destination: string;
  payload: string;
  attempts: number;
  next_at: number;
}

const MAX_BACKOFF_MS = 15 * 60_000;

/** Wait before attempt `n + 1` after `n` failures. */
function retryDelay(failures: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * An outbox of alerts, whichever engine keeps it: SQLite's file (`sqliteOutbox`) or a shared
 * PostgreSQL store (src/store/pg/estate-alerts.ts, written and read by the reconcile leader only, so
 * an alert goes out once for the estate, not once per collector).
 */
export interface AlertOutbox {
  /** Queue alerts for history entries written since the last call, for every destination (collectAlerts). */
  collect(destinations: readonly string[], minSeverity: Severity, now: number): Promise<number>;
  /** On a store that never sent alerts, start from its end (startAlertsHere). */
  startHere(): Promise<void>;
  /** A destination's undelivered alerts, in order. */
  queue(destination: string, limit: number): Promise<OutboxRow[]>;
  delivered(id: number, at: number): Promise<void>;
  retry(id: number, attempts: number, nextAt: number, error: string): Promise<void>;
  givenUp(id: number, attempts: number, at: number, error: string): Promise<void>;
  /** Add one to a counter `aaawatch stats` shows (alerts.sent, alerts.retried, alerts.failed). */
  count(name: string): Promise<void>;
  /** When the next queued alert falls due, if any. */
  nextDue(): Promise<number | undefined>;
}

/** SQLite's outbox: the statements below, synchronous, behind the same calls. */
export function sqliteOutbox(db: Db): AlertOutbox {
  const queue = stmt(db,
    `SELECT id, destination, payload, attempts, next_at FROM alert_outbox WHERE delivered_at IS NULL AND failed_at IS NULL AND destination = ? ORDER BY id LIMIT ?`,
  );
  const delivered = stmt(db, 'UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?');
  const retry = stmt(db, 'UPDATE alert_outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?');
  const givenUp = stmt(db, 'UPDATE alert_outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?');
  return {
    collect: async (destinations, minSeverity, now) => collectAlerts(db, destinations, minSeverity, now),
    startHere: async () => startAlertsHere(db),
    queue: async (destination, limit) => queue.all(destination, limit) as OutboxRow[],
    delivered: async (id, at) => void delivered.run(at, id),
    retry: async (id, attempts, nextAt, error) => void retry.run(attempts, nextAt, error, id),
    givenUp: async (id, attempts, at, error) => void givenUp.run(attempts, at, error, id),
    count: async (name) => count(db, name),
    nextDue: async () => nextDue(db),
  };
}

/**
 * Deliver what is due, destination by destination, in order. Errors are recorded on the row and
 * counted; none is thrown. A destination that fails stops its own queue for this round, not the others'.
 */
export async function deliverDue(db: Db, destinations: readonly AlertDestination[], o: DeliveryOptions, log: Logger, now: () => number): Promise<DeliveryResult> {
  return deliverFrom(sqliteOutbox(db), destinations, o, log, now);
}

/** deliverDue over any outbox. */
export async function deliverFrom(outbox: AlertOutbox, destinations: readonly AlertDestination[], o: DeliveryOptions, log: Logger, now: () => number): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  await Promise.all(
    destinations.map(async (d) => {
      // A destination's queue in order: its head waiting for a retry holds the rest back, so alerts arrive in the order raised.
      for (const row of await outbox.queue(d.name, 100)) {
        if (row.next_at > now()) return;
        try {
          await d.send(JSON.parse(row.payload) as AlertPayload);
          await outbox.delivered(row.id, now());
          await outbox.count('alerts.sent');
          result.sent++;
        } catch (err) {
          const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
          const attempts = row.attempts + 1;
          if (attempts >= o.attempts) {
            await outbox.givenUp(row.id, attempts, now(), error);
            await outbox.count('alerts.failed');
            result.failed++;
            log.error({ destination: d.name, alert: row.id, attempts, error }, 'alert given up');
          } else {
            const wait = retryDelay(attempts, o.retryDelayMs);
            await outbox.retry(row.id, attempts, now() + wait, error);
            await outbox.count('alerts.retried');
            result.retried++;
            log.warn({ destination: d.name, alert: row.id, attempts, retryInMs: wait, error }, 'alert not delivered, will retry');
          }
          // Later alerts to this destination wait behind this one: order is kept, the receiver is not hammered.
          return;
        }
      }
    }),
  );
  return result;
}

/** When the next queued alert falls due, if any: the earliest of each destination's head of queue. */
export function nextDue(db: Db): number | undefined {
  const heads = db
    .prepare('SELECT destination, min(id), next_at FROM alert_outbox WHERE delivered_at IS NULL AND failed_at IS NULL GROUP BY destination')
    .raw()
    .all() as Array<[string, number, number]>;
  return heads.length ? Math.min(...heads.map((h) => h[2])) : undefined;
}
