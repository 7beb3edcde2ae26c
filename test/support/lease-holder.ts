// A collector as far as leases go, run as its own process by test/store/pg-leases.test.ts: it
// competes for the leader lease and for the pull lease of each device, and "pulls" a device it
// holds (a row in pull_log with the database's clock at start and end, then a wait) so that the
// test can see who pulled what when. Prints one JSON line per change of leadership.
//
// node --import tsx test/support/lease-holder.ts URL COLLECTOR TTL_MS DEVICE...

import pg from 'pg';
import { createLeaseTable, electLeader, Leases, pullLease } from '../../src/store/pg/leases.js';

const [url, collector, ttl, ...devices] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => undefined);
const NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
const PULL_MS = 300;

await createLeaseTable(pool);
await pool.query(`CREATE TABLE IF NOT EXISTS pull_log (id bigint GENERATED ALWAYS AS IDENTITY, device text, holder text, token bigint, started_at bigint, ended_at bigint)`);
const leases = new Leases(pool, collector!, Number(ttl));
const say = (o: object): void => void process.stdout.write(JSON.stringify({ holder: leases.holder, ...o }) + '\n');
say({ started: true });
electLeader(leases, (leader, lease) => say({ leader, token: lease?.token }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
for (;;) {
  for (const device of devices) {
    await leases.withLease(pullLease(device), async (lease, lost) => {
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO pull_log (device, holder, token, started_at) VALUES ($1, $2, $3, ${NOW}) RETURNING id`, [device, leases.holder, lease.token]);
      await sleep(PULL_MS);
      if (lost.aborted) return;
      await pool.query(`UPDATE pull_log SET ended_at = ${NOW} WHERE id = $1`, [rows[0]!.id]);
    }).catch(() => undefined);
    await sleep(20 + Math.random() * 60);
  }
}
