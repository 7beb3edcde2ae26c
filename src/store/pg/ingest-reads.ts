// What ingest reads from a shared PostgreSQL store when `serve` starts, as it reads the same from
// SQLite (src/store/queries.ts knownAccounts, src/ingest/relp/start.ts rememberedResends): the
// accounts records show on each device (every collector's, as a device's records may reach either),
// and the RELP frames this collector remembered.

import type pg from 'pg';
import type { RememberedSession } from '../../ingest/relp/resends.js';
import { PRESENCE_ACTIONS } from '../queries.js';
import { pulledAccountsPg } from './pulled-accounts.js';

/** The accounts the reader starts knowing: pulled and recorded, each (device, name) once, as SQLite's knownAccounts. */
export async function seedAccountsPg(db: pg.Pool | pg.ClientBase): Promise<Array<[string, string]>> {
  const known = new Map([...(await pulledAccountsPg(db)), ...(await knownAccountsPg(db))].map(([d, n]) => [`${d}\u0000${n}`, [d, n] as [string, string]]));
  return [...known.values()];
}

/**
 * Device and account of every account that records created or changed and none deleted since
 * (the accounts pulls found are pulledAccountsPg's).
 */
export async function knownAccountsPg(db: pg.Pool | pg.ClientBase): Promise<Array<[string, string]>> {
  const { rows } = await db.query<{ device: string; target: string }>(
    `SELECT device, target FROM (
       SELECT device, target, action, row_number() OVER (PARTITION BY device, target ORDER BY id DESC) AS n
         FROM events WHERE kind = 'account' AND target IS NOT NULL
          AND ${PRESENCE_ACTIONS}) latest
     WHERE n = 1 AND action <> 'account.delete'`,
  );
  return rows.map((r) => [r.device, r.target]);
}

/** This collector's RELP sessions left unfinished, oldest first (by their last frame). */
export async function rememberedResendsPg(db: pg.Pool | pg.ClientBase, collector: string): Promise<RememberedSession[]> {
  const { rows } = await db.query<{ session: string; source: string; digest: string }>(
    `SELECT f.session, f.source, f.digest FROM relp_frames f
       JOIN (SELECT session, max(at) AS last FROM relp_frames WHERE collector = $1 GROUP BY session) s ON s.session = f.session
      WHERE f.collector = $1
      ORDER BY s.last, f.session, f.seq`,
    [collector],
  );
  const sessions = new Map<string, RememberedSession>();
  for (const r of rows) {
    let s = sessions.get(r.session);
    if (!s) sessions.set(r.session, (s = { session: r.session, source: r.source, digests: [] }));
    s.digests.push(r.digest);
  }
  return [...sessions.values()];
}
