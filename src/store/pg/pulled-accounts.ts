// What pulls found reaches the reader on a shared PostgreSQL store, whichever collector pulled:
// src/ingest/pulled-accounts.ts's watch, its statements with $n. New snapshots are read since the
// last look; each device's present accounts replace what the reader knew of it.

import type pg from 'pg';
import type { AccountKnowledge } from '../../ingest/resolve.js';
import { definedRoles, ROLE_PLATFORMS, type WatchEvents } from '../../ingest/pulled-accounts.js';

export interface PulledAccountsWatchPg {
  /** Read snapshots stored since the last look; resolves to the devices updated. */
  check(): Promise<string[]>;
  stop(): void;
}

export async function watchPulledAccountsPg(pool: pg.Pool, knowledge: AccountKnowledge, everyMs: number, events: WatchEvents = {}): Promise<PulledAccountsWatchPg> {
  // The reader was seeded from the store at start (knownAccounts): only later snapshots are news.
  let seen = Number((await pool.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM snapshots')).rows[0]!.id);
  // The roles the latest pulls define, at start and with each later snapshot (src/ingest/pulled-accounts.ts).
  const latestRoles = await pool.query<{ device: string; platform: string; config: string }>(
    'SELECT device, platform, config FROM snapshots WHERE id IN (SELECT max(id) FROM snapshots GROUP BY device) AND platform = ANY($1)',
    [ROLE_PLATFORMS],
  );
  for (const r of latestRoles.rows) knowledge.setRoles(r.device, definedRoles(r.platform, r.config));
  let checking: Promise<string[]> | undefined;
  const look = async (): Promise<string[]> => {
    const { rows } = await pool.query<{ device: string; id: string }>('SELECT device, max(id) AS id FROM snapshots WHERE id > $1 GROUP BY device', [seen]);
    for (const r of rows) {
      const present = await pool.query<{ name: string }>('SELECT name FROM accounts WHERE device = $1 AND removed_at IS NULL', [r.device]);
      knowledge.setDevice(r.device, present.rows.map((a) => a.name));
      // Its text only for a platform that defines roles (a configuration may be megabytes).
      const snap = (await pool.query<{ platform: string; config: string }>('SELECT platform, config FROM snapshots WHERE id = $1 AND platform = ANY($2)', [r.id, ROLE_PLATFORMS])).rows[0];
      knowledge.setRoles(r.device, snap ? definedRoles(snap.platform, snap.config) : undefined);
      seen = Math.max(seen, Number(r.id));
    }
    const devices = rows.map((r) => r.device);
    if (devices.length) events.onRead?.(devices);
    return devices;
  };
  // One look at a time: two at once would read the same snapshots twice.
  const check = (): Promise<string[]> => (checking ??= look().finally(() => (checking = undefined)));
  const timer = setInterval(() => void check().catch((err: unknown) => events.onError?.(err)), everyMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}

/** Accounts pulls found present, as (device, name): the reader's seed beside the account records (SQLite's knownAccounts reads both). */
export async function pulledAccountsPg(pool: pg.Pool | pg.ClientBase): Promise<Array<[string, string]>> {
  const { rows } = await pool.query<{ device: string; name: string }>('SELECT device, name FROM accounts WHERE removed_at IS NULL');
  return rows.map((r) => [r.device, r.name]);
}
