// What pulls found reaches the reader, whoever pulled: `aaawatch serve`'s own schedule, or
// `aaawatch pull` from the command line or cron writing to the same database. New snapshots are
// read from the store (a snapshot is stored only when a configuration changed), and each device's
// accounts replace what the reader knew of it, so a later `username` command for one of them is
// read as a change, not a creation.

import { platformById, platforms } from '../../parsers/index.js';
import type { Db } from '../store/db.js';
import type { AccountKnowledge } from './resolve.js';

/** Platforms whose configurations define roles that resolve (Platform.resolvedRoles): only their snapshots are read for them. */
export const ROLE_PLATFORMS: readonly string[] = platforms.filter((p) => p.resolvedRoles).map((p) => p.id);

/** The roles a stored configuration defines that resolve, if its platform says (never throws: a snapshot is hostile text too). */
export function definedRoles(platform: string, config: string): Map<string, string> | undefined {
  try {
    return platformById(platform)?.resolvedRoles?.(config);
  } catch {
    return undefined;
  }
}

/** The latest snapshot of each device whose platform defines resolving roles (PostgreSQL's: src/store/pg/pulled-accounts.ts). */
const LATEST_ROLE_SNAPSHOTS_SQL =
  'SELECT device, platform, config FROM snapshots WHERE id IN (SELECT max(id) FROM snapshots GROUP BY device) AND platform IN (SELECT value FROM json_each(?))';

export interface PulledAccountsWatch {
  /** Read snapshots stored since the last look; returns the devices updated. */
  check(): string[];
  stop(): void;
}

export interface WatchEvents {
  /** Devices whose accounts were read from new snapshots. */
  onRead?(devices: string[]): void;
  onError?(err: unknown): void;
}

/**
 * How often serve reads pulled accounts from the store: every second, or reconcile.pullCheckSeconds
 * if shorter. A `username` re-issued for an account a command-line pull just found is read as a
 * creation until the server has read that pull (aud19a: 3 s after `aaawatch pull`, under the
 * 15 s pullCheckSeconds, it raised account-created); each look is one query on the snapshots'
 * primary key for ids past the last seen, so a second costs nothing worth a longer window.
 */
export const pulledWatchMs = (pullCheckSeconds: number): number => Math.min(1000, pullCheckSeconds * 1000);

export function watchPulledAccounts(db: Db, knowledge: AccountKnowledge, everyMs: number, events: WatchEvents = {}): PulledAccountsWatch {
  const latest = db.prepare('SELECT coalesce(max(id), 0) AS id FROM snapshots');
  const since = db.prepare('SELECT device, max(id) AS id FROM snapshots WHERE id > ? GROUP BY device');
  const present = db.prepare('SELECT name FROM accounts WHERE device = ? AND removed_at IS NULL');
  // A snapshot's text is read only for a platform that defines roles (a configuration may be megabytes).
  const snapshot = db.prepare('SELECT platform, config FROM snapshots WHERE id = ? AND platform IN (SELECT value FROM json_each(?))');
  const platformsJson = JSON.stringify(ROLE_PLATFORMS);
  // The reader was seeded from the store at start (knownAccounts): only later snapshots are news.
  // The roles the latest pulls define are read here, at start, and with each later snapshot.
  let seen = (latest.get() as { id: number }).id;
  for (const r of db.prepare(LATEST_ROLE_SNAPSHOTS_SQL).all(platformsJson) as Array<{ device: string; platform: string; config: string }>) {
    knowledge.setRoles(r.device, definedRoles(r.platform, r.config));
  }
  const check = (): string[] => {
    const rows = since.all(seen) as Array<{ device: string; id: number }>;
    for (const r of rows) {
      knowledge.setDevice(r.device, (present.all(r.device) as Array<{ name: string }>).map((a) => a.name));
      const s = snapshot.get(r.id, platformsJson) as { platform: string; config: string } | undefined;
      knowledge.setRoles(r.device, s ? definedRoles(s.platform, s.config) : undefined);
      if (r.id > seen) seen = r.id;
    }
    const devices = rows.map((r) => r.device);
    if (devices.length) events.onRead?.(devices);
    return devices;
  };
  const timer = setInterval(() => {
    try {
      check();
    } catch (err) {
      events.onError?.(err);
    }
  }, everyMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
