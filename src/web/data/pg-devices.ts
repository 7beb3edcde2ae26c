// Devices on PostgreSQL: the devices page, one device's page and a configuration diff, with the
// SQLite statements' columns (data/devices.ts) and what a shared store adds — the collector that
// received a device's messages and native accounting, and the one whose pull took each snapshot.
// A device's syslog rows are per collector (device_activity): its last syslog is the latest any
// collector heard. Names are compared and ordered byte-wise (COLLATE "C"), as SQLite does, so the
// pages' cursors mean the same on both engines whatever the database's collation.

import type pg from 'pg';
import { undecidedNowSql } from '../../reconcile/findings.js';
import type { AccountRow, HostKeyChangeRow, HostKeyRow, SnapshotRow } from '../../store/pull.js';
import { keyEquals, keyHashEquals } from '../../store/pg/text-keys.js';
import type { NativeSourceRow } from '../../store/queries.js';
import { pairIds, snapshotPairOf, type SnapshotPair } from '../snapshots.js';
import {
  deviceListPage, knownDevice, parseChecks, type ChangeWithAttribution, type DeviceDetail, type DeviceHealth, type DeviceListPage, type DeviceView,
  type HealthRow, type InventoryDevice, type SenderRow,
} from './devices.js';

/** A finding of the listed device (its name a prefix index finds: text-keys.ts). */
const ON_DEVICE = keyEquals('f.device', 'n.device');
const RANK = `CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
const SEVERITY_OF = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** Devices are the inventory's (`$1`) and the pulled ones; other names syslog or native accounting carried are unverified senders. */
const NAMES_SQL = 'SELECT device FROM pull_state UNION SELECT unnest($1::text[])';

/** Each device of `names` (a statement yielding a device column) with its health at `now` (a parameter: data/devices.ts UNDECIDED). */
const healthSql = (names: string, now: string): string => `
  WITH names(device) AS (${names})
  SELECT n.device, a.last_seen AS "lastSyslog", a.source AS "syslogSource",
         (SELECT max(last_accepted) FROM native_senders s WHERE s.device = n.device) AS "lastNative",
         p.last_attempt AS "lastPullAttempt", p.last_success AS "lastPullSuccess", coalesce(p.failures, 0) AS "pullFailures", p.last_error AS "lastPullError",
         (SELECT count(*) FROM findings f WHERE ${ON_DEVICE} AND f.status <> 'resolved') AS "openFindings",
         (SELECT count(*) FROM findings f WHERE ${ON_DEVICE} AND ${undecidedNowSql(now, 'f.')}) AS "undecidedFindings",
         (SELECT max(${RANK}) FROM findings f WHERE ${ON_DEVICE} AND ${undecidedNowSql(now, 'f.')}) AS "worstRank",
         (SELECT count(*) FROM findings f WHERE ${ON_DEVICE} AND f.kind = 'telemetry-gap' AND f.status <> 'resolved') AS "telemetryGaps",
         (SELECT count(*) FROM findings f WHERE ${ON_DEVICE} AND f.kind = 'sender-mismatch' AND f.status <> 'resolved') AS "senderMismatch"
    FROM names n
    LEFT JOIN LATERAL (SELECT last_seen, source FROM device_activity d WHERE d.device = n.device ORDER BY last_seen DESC LIMIT 1) a ON true
    LEFT JOIN pull_state p ON p.device = n.device`;

const HEALTH_SQL = healthSql(NAMES_SQL, '$2::bigint');

function withInventory(rows: readonly HealthRow[], inventory: readonly InventoryDevice[]): DeviceHealth[] {
  const listed = new Set(inventory.map((d) => d.name));
  return rows.map(({ worstRank, ...r }) => ({ ...r, worstUndecided: worstRank === null ? null : SEVERITY_OF[worstRank]!, inInventory: listed.has(r.device) }));
}

const names = (inventory: readonly InventoryDevice[]): string[] => inventory.map((d) => d.name);

/** Every device's health (the overview's summary). */
export async function allDeviceHealthPg(pool: pg.Pool, inventory: readonly InventoryDevice[], now: number): Promise<DeviceHealth[]> {
  return withInventory((await pool.query<HealthRow>(HEALTH_SQL, [names(inventory), now])).rows, inventory);
}

/** A page of devices by name after `after`, with each one's latest snapshot's platform. */
export async function deviceListPg(pool: pg.Pool, inventory: readonly InventoryDevice[], after: string | undefined, limit: number, now: number): Promise<DeviceListPage> {
  const rows = await pool.query<HealthRow & { snapshotPlatform: string | null }>(
    // The page's names first, then the health of those alone (not of every device before the cut).
    `SELECT h.*, (SELECT platform FROM snapshots s WHERE s.device = h.device ORDER BY id DESC LIMIT 1) AS "snapshotPlatform"
       FROM (${healthSql(`SELECT device FROM (${NAMES_SQL}) u WHERE device COLLATE "C" > $2 ORDER BY device COLLATE "C" LIMIT $3`, '$4::bigint')}) h
      ORDER BY h.device COLLATE "C"`,
    [names(inventory), after ?? '', limit + 1, now],
  );
  return deviceListPage(rows.rows, inventory, limit);
}

/** The configuration diff between two snapshots (data/devices.ts `snapshotPair`). */
export async function snapshotPairPg(pool: pg.Pool, device: string, ids: readonly number[]): Promise<SnapshotPair | undefined> {
  const named = pairIds(ids);
  if (!named) return undefined;
  const fromId = named.from ?? (await pool.query<{ id: number }>('SELECT id FROM snapshots WHERE device = $1 AND id < $2 ORDER BY id DESC LIMIT 1', [device, named.to])).rows[0]?.id;
  if (fromId === undefined) return undefined;
  const rows = (await pool.query<SnapshotRow>('SELECT id, device, platform, taken_at, hash, config, bytes FROM snapshots WHERE id = ANY($1::bigint[])', [[fromId, named.to]])).rows;
  return snapshotPairOf(device, rows.find((r) => r.id === fromId), rows.find((r) => r.id === named.to));
}

/** One device's view: health, accounts, changes, snapshots (and who pulled them), senders, checks, a diff. */
export async function deviceViewPg(pool: pg.Pool, inventory: readonly InventoryDevice[], name: string, diff: readonly number[], now: number): Promise<DeviceView | undefined> {
  const q = async <R extends pg.QueryResultRow>(sql: string, args: unknown[]): Promise<R[]> => (await pool.query<R>(sql, args)).rows;
  // A device's latest record of a kind, from the index of those kinds' records by device hash and
  // kind (events_device_kind_hash): one probe, whether the device sends thousands or none.
  const last = async (kind: 'command' | 'account'): Promise<number | null> =>
    (await q<{ time: number | null }>(`SELECT time FROM events WHERE ${keyHashEquals('device', '$1::text')} AND kind = '${kind}' ORDER BY time DESC LIMIT 1`, [name]))[0]?.time ?? null;
  const [listed, accounts, changes, snapshots, hostKey, hostKeyChange, lastCommand, lastAccountRecord, native, senders, heard] = await Promise.all([
    q<HealthRow>(`${healthSql(NAMES_SQL, '$3::bigint')} WHERE n.device = $2`, [names(inventory), name, now]).then((r) => withInventory(r, inventory)[0]),
    q<AccountRow>('SELECT * FROM accounts WHERE device = $1 ORDER BY removed_at IS NOT NULL, name COLLATE "C", id', [name]),
    q<ChangeWithAttribution>(
      `SELECT c.*, a.sentence, a.explained FROM account_changes c LEFT JOIN change_attribution a ON a.change_id = c.id
        WHERE c.device = $1 ORDER BY c.at DESC, c.id DESC LIMIT 200`,
      [name],
    ),
    q<DeviceDetail['snapshots'][number]>(
      // The run that took a snapshot names its collector; runs pruned since leave it unsaid.
      `SELECT s.id, s.device, s.platform, s.taken_at, s.hash, s.bytes,
              (SELECT r.collector FROM pull_runs r WHERE r.device = s.device AND r.snapshot_id = s.id ORDER BY r.id LIMIT 1) AS collector
         FROM snapshots s WHERE s.device = $1 ORDER BY s.id DESC LIMIT 100`,
      [name],
    ).then((rows) => rows.map(({ collector, ...s }) => ({ ...s, ...(collector ? { collector } : {}) }))),
    q<HostKeyRow>('SELECT * FROM host_keys WHERE device = $1', [name]).then((r) => r[0]),
    q<HostKeyChangeRow>('SELECT * FROM host_key_changes WHERE device = $1', [name]).then((r) => r[0]),
    last('command'),
    last('account'),
    // Its own rows and, an inventory device's, what its address sent for others (data/devices.ts deviceDetail).
    q<NativeSourceRow & { collector: string }>(
      'SELECT * FROM native_senders WHERE device = $1 OR source = $2 ORDER BY transport, source COLLATE "C", device COLLATE "C", collector COLLATE "C"',
      [name, inventory.find((d) => d.name === name)?.address ?? null],
    ),
    q<SenderRow>('SELECT source, first_seen, last_seen, collector FROM device_senders WHERE device = $1 ORDER BY last_seen DESC, collector COLLATE "C"', [name]),
    q('SELECT 1 FROM device_activity WHERE device = $1 LIMIT 1', [name]).then((r) => r.length > 0),
  ]);
  const detail: DeviceDetail = { accounts, changes, snapshots, hostKey, hostKeyChange, lastCommand, lastAccountRecord, native };
  if (!knownDevice(listed, heard || senders.length > 0, detail)) return undefined;
  const latest = snapshots[0];
  const [checks, pair, health] = await Promise.all([
    latest ? q<{ checks: string }>('SELECT checks FROM snapshot_audit WHERE snapshot_id = $1', [latest.id]).then((r) => (r[0] ? parseChecks(r[0].checks) : undefined)) : undefined,
    snapshotPairPg(pool, name, diff.length ? diff : latest ? [latest.id] : []),
    // An unverified sender's own health (SQLite's deviceView says why).
    listed ?? q<HealthRow>(healthSql('SELECT $1::text AS device', '$2::bigint'), [name, now]).then((r) => withInventory(r, [])[0]),
  ]);
  return { health, unverified: listed === undefined, detail, senders, checks, ...(pair ? { diff: pair } : {}) };
}
