// Devices for the pages and the API: the devices aaawatch knows (the inventory, and devices it
// has pulled) with their health, the unverified senders (names syslog carried that are neither —
// anyone can put any name in a syslog header), and one device's accounts, snapshots, account
// changes, senders and auditability checks.

import { isIP } from 'node:net';
import { canonicalAddress, plainAddress } from '../../ingest/allow.js';
import { undecidedNowSql, type Severity } from '../../reconcile/findings.js';
import type { Db } from '../../store/db.js';
import { getSnapshot, type AccountChangeRow, type AccountRow, type HostKeyChangeRow, type HostKeyRow, type SnapshotSummary } from '../../store/pull.js';
import { nativeSources, type NativeSourceRow } from '../../store/queries.js';
import { pairIds, snapshotPairOf, type SnapshotPair } from '../snapshots.js';

export interface InventoryDevice {
  name: string;
  address: string;
  platform: string;
  groups: string[];
  zone?: string;
  pull: boolean;
  /** Other names it logs under (a FortiGate's devname): its records naming one are filed under `name`. */
  logNames?: string[];
}

export interface DeviceHealth {
  device: string;
  inInventory: boolean;
  lastSyslog: number | null;
  syslogSource: string | null;
  /** Last TACACS+ or RADIUS accounting request accepted from it. */
  lastNative: number | null;
  lastPullAttempt: number | null;
  lastPullSuccess: number | null;
  pullFailures: number;
  lastPullError: string | null;
  /** Unresolved findings (open, acknowledged or accepted). */
  openFindings: number;
  /** Findings nobody has decided on yet (status open), and the worst severity among them. */
  undecidedFindings: number;
  worstUndecided: Severity | null;
  telemetryGaps: number;
  /** Unresolved `sender-mismatch` findings: its name arrived from an address not its own. */
  senderMismatch: number;
}

export type HealthState = 'ok' | 'silent' | 'pull-failing' | 'telemetry-gap' | 'never-seen' | 'sender-mismatch' | 'undecided-findings';

/** What is wrong with a device, worst first; empty when nothing is. */
export function healthProblems(h: DeviceHealth, now: number, silentMs: number): HealthState[] {
  const out: HealthState[] = [];
  if (h.senderMismatch > 0) out.push('sender-mismatch');
  // Native accounting (TACACS+, RADIUS) is heard as well as syslog.
  const heard = Math.max(h.lastSyslog ?? -Infinity, h.lastNative ?? -Infinity);
  if (heard === -Infinity && h.lastPullSuccess === null) out.push('never-seen');
  else if (heard === -Infinity || now - heard > silentMs) out.push('silent');
  if (h.pullFailures > 0) out.push('pull-failing');
  if (h.telemetryGaps > 0) out.push('telemetry-gap');
  if (h.undecidedFindings > 0) out.push('undecided-findings');
  return out;
}

const RANK = `CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
const SEVERITY_OF: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * Undecided as findingNow reads it at `:now`: an acceptance that ran out counts, before reconciliation
 * writes its reopening. Said unresolved as well, so SQLite reads the case index (findings_case, partial
 * on unresolved: device, status, severity in it) and the row only for an accepted finding: 56.9 ms
 * against 93.8 without it and 72.0 for the stored status alone, a health read of 500 devices over
 * 200,000 findings (CPU a call, median of 7 alternated pairs, scratch bench, load 40).
 */
const UNDECIDED = `f.status <> 'resolved' AND ${undecidedNowSql(':now', 'f.')}`;

/** Each device of `names` (a statement yielding a device column) with its health at `:now`. */
const healthSql = (names: string): string => `
  WITH names(device) AS (${names})
  SELECT n.device, a.last_seen AS lastSyslog, a.source AS syslogSource,
         (SELECT max(last_accepted) FROM native_senders s WHERE s.device = n.device) AS lastNative, p.last_attempt AS lastPullAttempt,
         p.last_success AS lastPullSuccess, coalesce(p.failures, 0) AS pullFailures, p.last_error AS lastPullError,
         (SELECT count(*) FROM findings f WHERE f.device = n.device AND f.status <> 'resolved') AS openFindings,
         (SELECT count(*) FROM findings f WHERE f.device = n.device AND ${UNDECIDED}) AS undecidedFindings,
         (SELECT max(${RANK}) FROM findings f WHERE f.device = n.device AND ${UNDECIDED}) AS worstRank,
         (SELECT count(*) FROM findings f WHERE f.device = n.device AND f.kind = 'telemetry-gap' AND f.status <> 'resolved') AS telemetryGaps,
         (SELECT count(*) FROM findings f WHERE f.device = n.device AND f.kind = 'sender-mismatch' AND f.status <> 'resolved') AS senderMismatch
    FROM names n LEFT JOIN device_activity a ON a.device = n.device LEFT JOIN pull_state p ON p.device = n.device`;

// Devices are the inventory's and the pulled ones; other names syslog or native accounting carried
// (a NAS a RADIUS proxy relays for, a sender outside the inventory) are unverified senders.
const HEALTH_SQL = healthSql('SELECT device FROM pull_state UNION SELECT value FROM json_each(:inventory)');

/** The health of one name, whatever it is (`:device`): an unverified sender's. */
const HEALTH_OF_ONE = healthSql('SELECT :device');

export type HealthRow = Omit<DeviceHealth, 'inInventory' | 'worstUndecided'> & { worstRank: number | null };

function withInventory(rows: HealthRow[], inventory: ReadonlySet<string>): DeviceHealth[] {
  return rows.map(({ worstRank, ...r }) => ({ ...r, worstUndecided: worstRank === null ? null : SEVERITY_OF[worstRank]!, inInventory: inventory.has(r.device) }));
}

/** A device on the devices page: its health, and its platform (the inventory's, else its latest snapshot's). */
export interface DeviceListRow {
  health: DeviceHealth;
  platform?: string;
}

export interface DeviceListPage {
  rows: DeviceListRow[];
  /** The last device of the page, when there may be more. */
  next?: string;
}

/** Rows one more than a page long, as a page and where the next starts. */
export function deviceListPage(rows: ReadonlyArray<HealthRow & { snapshotPlatform: string | null }>, inventory: readonly InventoryDevice[], limit: number): DeviceListPage {
  const listed = new Map(inventory.map((d) => [d.name, d.platform]));
  const names = new Set(listed.keys());
  const page = rows.slice(0, limit).map(({ snapshotPlatform, ...h }) => {
    const platform = listed.get(h.device) ?? snapshotPlatform ?? undefined;
    return { health: withInventory([h], names)[0]!, ...(platform ? { platform } : {}) };
  });
  return rows.length > limit ? { rows: page, next: page[page.length - 1]!.health.device } : { rows: page };
}

/** A page of devices by name, after `after` (keyset). */
export function deviceHealthPage(db: Db, inventory: readonly InventoryDevice[], after: string | undefined, limit: number, now: number): DeviceListPage {
  const names = inventory.map((d) => d.name);
  const rows = db
    .prepare(
      `SELECT h.*, (SELECT platform FROM snapshots s WHERE s.device = h.device ORDER BY id DESC LIMIT 1) AS snapshotPlatform
         FROM (${HEALTH_SQL} WHERE n.device > :after ORDER BY n.device LIMIT :limit) h ORDER BY h.device`,
    )
    .all({ inventory: JSON.stringify(names), after: after ?? '', limit: limit + 1, now }) as Array<HealthRow & { snapshotPlatform: string | null }>;
  return deviceListPage(rows, inventory, limit);
}

/** Every device's health (the overview's summary; one pass, indexed lookups per device). */
export function allDeviceHealth(db: Db, inventory: readonly InventoryDevice[], now: number): DeviceHealth[] {
  const names = inventory.map((d) => d.name);
  return withInventory(db.prepare(HEALTH_SQL).all({ inventory: JSON.stringify(names), now }) as HealthRow[], new Set(names));
}

export function deviceHealth(db: Db, inventory: readonly InventoryDevice[], device: string, now: number): DeviceHealth | undefined {
  const names = inventory.map((d) => d.name);
  const row = db.prepare(`${HEALTH_SQL} WHERE n.device = :device`).get({ inventory: JSON.stringify(names), device, now }) as HealthRow | undefined;
  return row ? withInventory([row], new Set(names))[0] : undefined;
}

/** A name syslog carried that is neither in the inventory nor pulled, with the addresses it came from. */
export interface UnverifiedSender {
  device: string;
  firstSeen: number;
  lastSeen: number;
  senders: string[];
  records: number;
  /** The inventory device whose address one of its senders is (a FortiGate logging a devname the inventory does not list). */
  fromDevice?: string;
}

/**
 * Each unverified sender with the inventory device whose address it came from, if one: a name the
 * inventory does not list, sent from a device's own address, is most often that device's other
 * name (a FortiGate's devname), which the page then says to list in its `logNames`. Never filed
 * under that device by itself: a UDP sender address proves nothing, and a made-up name from the
 * collector's own host must not make a device of it.
 */
export function withSenderDevices(rows: readonly UnverifiedSender[], inventory: readonly InventoryDevice[]): UnverifiedSender[] {
  const byAddress = new Map<string, string>();
  for (const d of inventory) if (isIP(d.address) !== 0) byAddress.set(canonicalAddress(d.address), d.name);
  return rows.map((r) => {
    const at = r.senders.map((s) => byAddress.get(plainAddress(s))).find((d) => d !== undefined);
    return at === undefined ? r : { ...r, fromDevice: at };
  });
}

/**
 * Names heard (syslog's last-heard rows, native accounting filed under them) with when, and the
 * addresses they came from: syslog's senders and native accounting's (a proxy for a NAS).
 */
const HEARD_SQL = `WITH heard AS (
    SELECT device, first_seen, last_seen FROM device_activity
    UNION ALL SELECT device, min(first_seen), max(last_accepted) FROM native_senders WHERE accepted > 0 GROUP BY device)
  SELECT device, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM heard GROUP BY device`;

/** Unverified senders, the latest heard first; at most `limit`, with how many there are. */
export function unverifiedSenders(db: Db, inventory: readonly InventoryDevice[], limit: number): { rows: UnverifiedSender[]; total: number } {
  const names = JSON.stringify(inventory.map((d) => d.name));
  const where = `a.device NOT IN (SELECT value FROM json_each(:inventory)) AND a.device NOT IN (SELECT device FROM pull_state)`;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${HEARD_SQL}) a WHERE ${where}`).get({ inventory: names }) as { n: number }).n;
  const rows = db
    .prepare(
      // Records per device from the device's table (src/store/index-moves.ts), plus its unmoved tail
      // counted once for all rows (a rowid range).
      `WITH tail AS MATERIALIZED (SELECT device, count(*) AS n FROM events_device_tail GROUP BY device)
       SELECT a.device, a.first_seen AS firstSeen, a.last_seen AS lastSeen,
              (SELECT json_group_array(source) FROM (
                 SELECT source, max(last) AS last FROM (
                   SELECT source, last_seen AS last FROM device_senders s WHERE s.device = a.device
                   UNION ALL SELECT source, last_accepted FROM native_senders n WHERE n.device = a.device AND n.accepted > 0)
                  GROUP BY source ORDER BY last DESC LIMIT 5)) AS senders,
              min(10000, (SELECT count(*) FROM (SELECT 1 FROM events_by_device d WHERE d.device = a.device LIMIT 10000))
                + coalesce((SELECT n FROM tail WHERE tail.device = a.device), 0)) AS records
         FROM (${HEARD_SQL}) a WHERE ${where} ORDER BY a.last_seen DESC, a.device LIMIT :limit`,
    )
    .all({ inventory: names, limit }) as Array<Omit<UnverifiedSender, 'senders'> & { senders: string }>;
  return { rows: rows.map((r) => ({ ...r, senders: JSON.parse(r.senders) as string[] })), total };
}

/**
 * A native accounting sender (TACACS+, RADIUS) with the devices its requests were filed under or
 * named: one device for a device sending for itself, a NAS each for a proxy; `named` counts the
 * requests naming an inventory device not its own (the claims the sender check flags).
 */
export interface NativeSenderSummary {
  transport: string;
  source: string;
  /** Its devices, the latest heard first (at most NATIVE_DEVICES_SHOWN). */
  devices: string[];
  deviceCount: number;
  accepted: number;
  /** Requests whose body did not decode with its key (TACACS+) or whose authenticator did not verify (RADIUS). */
  badKey: number;
  named: number;
  /** Packets that did not read, and the latest one's time and reason over its devices. */
  malformed: number;
  lastMalformed: number | null;
  lastMalformedReason: string | null;
  lastSeen: number;
}

/** Devices listed per sender on the overview; the device pages have the rest. */
export const NATIVE_DEVICES_SHOWN = 10;

/** Native accounting senders, the latest heard first; at most `limit`, with how many there are. */
export function nativeSenders(db: Db, limit: number): { rows: NativeSenderSummary[]; total: number } {
  const total = (db.prepare('SELECT count(*) AS n FROM (SELECT DISTINCT transport, source FROM native_senders)').get() as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT transport, source, count(*) AS deviceCount, sum(accepted) AS accepted, sum(bad_key) AS badKey, sum(named) AS named,
              sum(malformed) AS malformed, max(last_malformed) AS lastMalformed, max(last_seen) AS lastSeen,
              (SELECT json_group_array(device) FROM (SELECT device FROM native_senders d WHERE d.transport = s.transport AND d.source = s.source
                 ORDER BY last_seen DESC, device LIMIT ${NATIVE_DEVICES_SHOWN})) AS devices,
              (SELECT last_malformed_reason FROM native_senders d WHERE d.transport = s.transport AND d.source = s.source AND d.last_malformed IS NOT NULL
                 ORDER BY last_malformed DESC, device LIMIT 1) AS lastMalformedReason
         FROM native_senders s GROUP BY transport, source ORDER BY lastSeen DESC, source, transport LIMIT ?`,
    )
    .all(limit) as Array<Omit<NativeSenderSummary, 'devices'> & { devices: string }>;
  return { rows: rows.map((r) => ({ ...r, devices: JSON.parse(r.devices) as string[] })), total };
}

/** An address a device's messages arrived from; on a store several collectors write, with the collector that received them. */
export interface SenderRow {
  source: string;
  first_seen: number;
  last_seen: number;
  collector?: string;
}

/** The addresses a device's messages arrived from, the latest first. */
export function deviceSenders(db: Db, device: string): SenderRow[] {
  return db.prepare('SELECT source, first_seen, last_seen FROM device_senders WHERE device = ? ORDER BY last_seen DESC').all(device) as SenderRow[];
}

export interface AuditCheck {
  check: string;
  ok: boolean;
  detail?: string;
}

/** The auditability checks the reconciler read from a snapshot (table snapshot_audit). */
export function snapshotChecks(db: Db, snapshotId: number): AuditCheck[] | undefined {
  const row = db.prepare('SELECT checks FROM snapshot_audit WHERE snapshot_id = ?').get(snapshotId) as { checks: string } | undefined;
  return row ? parseChecks(row.checks) : undefined;
}

/** The checks as stored (JSON); what is not a check is left out. */
export function parseChecks(text: string): AuditCheck[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) return [];
    return value
      .filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object')
      .map((c) => ({ check: String(c.check ?? ''), ok: c.ok === true, ...(typeof c.detail === 'string' ? { detail: c.detail } : {}) }));
  } catch {
    return [];
  }
}

export interface ChangeWithAttribution extends AccountChangeRow {
  sentence: string | null;
  explained: number | null;
}

export interface DeviceDetail {
  accounts: AccountRow[];
  changes: ChangeWithAttribution[];
  /** On a store several collectors write, each snapshot with the collector whose pull took it. */
  snapshots: Array<SnapshotSummary & { collector?: string }>;
  hostKey: HostKeyRow | undefined;
  hostKeyChange: HostKeyChangeRow | undefined;
  /** When the last command record and the last account record arrived from it. */
  lastCommand: number | null;
  lastAccountRecord: number | null;
  /**
   * Native accounting (TACACS+, RADIUS) per sender and device: the senders filed under this device or
   * naming it, and what its inventory address sent for other devices (a proxy's NASes, claims); on a
   * shared store, per collector that received them.
   */
  native: Array<NativeSourceRow & { collector?: string }>;
}

export function deviceDetail(db: Db, device: string, address?: string): DeviceDetail {
  const last = (kind: string): number | null =>
    // Walks the device's table backwards (stops at the first record of that kind), and its unmoved tail.
    (db
      .prepare(
        `SELECT max(time) FROM (
           SELECT * FROM (SELECT d.time FROM events_by_device d JOIN events e ON e.id = d.id WHERE d.device = :device AND e.kind = :kind ORDER BY d.time DESC LIMIT 1)
           UNION ALL SELECT max(time) FROM events_device_tail WHERE device = :device AND kind = :kind)`,
      )
      .pluck()
      .get({ device, kind }) as number | null) ?? null;
  return {
    accounts: db.prepare('SELECT * FROM accounts WHERE device = ? ORDER BY removed_at IS NOT NULL, name, id').all(device) as AccountRow[],
    changes: db
      .prepare(
        `SELECT c.*, a.sentence, a.explained FROM account_changes c LEFT JOIN change_attribution a ON a.change_id = c.id
          WHERE c.device = ? ORDER BY c.at DESC, c.id DESC LIMIT 200`,
      )
      .all(device) as ChangeWithAttribution[],
    snapshots: db
      .prepare('SELECT id, device, platform, taken_at, hash, bytes FROM snapshots WHERE device = ? ORDER BY id DESC LIMIT 100')
      .all(device) as SnapshotSummary[],
    hostKey: db.prepare('SELECT * FROM host_keys WHERE device = ?').get(device) as HostKeyRow | undefined,
    hostKeyChange: db.prepare('SELECT * FROM host_key_changes WHERE device = ?').get(device) as HostKeyChangeRow | undefined,
    lastCommand: last('command'),
    lastAccountRecord: last('account'),
    native: nativeSources(db, device, address),
  };
}

/** Everything a device's page shows but its records: what the store knows of it. */
export interface DeviceView {
  health: DeviceHealth | undefined;
  /** A name syslog carried that is neither in the inventory nor pulled nor a native sender: its health is its own, but it is no device. */
  unverified: boolean;
  detail: DeviceDetail;
  senders: SenderRow[];
  checks: AuditCheck[] | undefined;
  diff?: SnapshotPair;
}

/** A device aaawatch knows something of — its inventory entry, pulls, syslog — or undefined. */
export function knownDevice(health: DeviceHealth | undefined, heard: boolean, detail: DeviceDetail): boolean {
  return health !== undefined || heard || detail.accounts.length > 0 || detail.snapshots.length > 0 || detail.native.length > 0;
}

/** The device's view; `diff`: the two snapshots to compare, or none for its latest against the one before. */
export function deviceView(db: Db, inventory: readonly InventoryDevice[], name: string, diff: readonly number[], now: number): DeviceView | undefined {
  const listed = deviceHealth(db, inventory, name, now);
  const detail = deviceDetail(db, name, inventory.find((d) => d.name === name)?.address);
  const senders = deviceSenders(db, name);
  const heard = senders.length > 0 || db.prepare('SELECT 1 FROM device_activity WHERE device = ?').get(name) !== undefined;
  if (!knownDevice(listed, heard, detail)) return undefined;
  // An unverified sender's own health: when it was heard, and the findings on what it sent (a page
  // without them showed "healthy" beside a critical account-created finding).
  const health = listed ?? withInventory([db.prepare(HEALTH_OF_ONE).get({ device: name, now }) as HealthRow], new Set())[0];
  const latest = detail.snapshots[0];
  const pair = snapshotPair(db, name, diff.length ? diff : latest ? [latest.id] : []);
  return { health, unverified: listed === undefined, detail, senders, checks: latest ? snapshotChecks(db, latest.id) : undefined, ...(pair ? { diff: pair } : {}) };
}

/**
 * Every name a device is known by in the store (access.ts deviceNames); each table's device index or
 * key gives its names (a merge of covering-index scans): 21–25 ms of CPU over 100,000 findings,
 * 40,000 accounts and 4,000 names (scratch, five runs, load 23), once an export or /exports view
 * whose scope names devices.
 */
export const DEVICE_NAMES_SQL = `SELECT device FROM pull_state UNION SELECT device FROM device_activity UNION SELECT device FROM native_senders
  UNION SELECT device FROM snapshots UNION SELECT device FROM accounts UNION SELECT device FROM findings`;

export function deviceNames(db: Db): string[] {
  return (db.prepare(DEVICE_NAMES_SQL).all() as Array<{ device: string }>).map((r) => r.device);
}

/** The configuration diff between the two snapshots named, or the one named and the one before it on the same device. */
export function snapshotPair(db: Db, device: string, ids: readonly number[]): SnapshotPair | undefined {
  const named = pairIds(ids);
  if (!named) return undefined;
  const fromId = named.from ?? (db.prepare('SELECT id FROM snapshots WHERE device = ? AND id < ? ORDER BY id DESC LIMIT 1').get(device, named.to) as { id: number } | undefined)?.id;
  if (fromId === undefined) return undefined;
  return snapshotPairOf(device, getSnapshot(db, fromId), getSnapshot(db, named.to));
}
