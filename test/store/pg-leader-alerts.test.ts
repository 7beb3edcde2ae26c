// The estate's reconcilers of two collectors (a and b) on one throwaway PostgreSQL cluster, in this
// process: each with its own pool and leases, as two serve processes have. Account records reach
// the store through either collector's chain; the leader raises account-created for them without
// waiting for a run, and its alerts reach a webhook (a local HTTP receiver) once each — not once
// per collector — including after the leader stops and the other collector takes over. The
// one-shot entry point (`aaawatch reconcile` on store.url) is refused while a leader holds the lease.

import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { AlertPayload } from '../../src/reconcile/alerts.js';
import { startEstateReconciler, type EstateReconciler } from '../../src/reconcile/leader.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { PgAlertOutbox } from '../../src/store/pg/estate-alerts.js';
import { reconcileEstateNow } from '../../src/store/pg/estate-service.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { Leases } from '../../src/store/pg/leases.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { iosLine } from '../reconcile/support.js';
import { batchesFor } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook.js';

const log = pino({ level: 'silent' });
let seq = 1;
const created = (device: string, account: string): string[] => [
  iosLine(seq++, device, Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:username ${account} privilege 15 secret 9 $9$AbCdEfGhIjKlMn$SECRETSECRETSECRETSECRETSECRETSECRETSECRE`),
];

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// PostgreSQL only: SQLite's alerts are test/reconcile/alerts.test.ts's.
describe.skipIf(!postgresAvailable())('alerts from the estate leader of two collectors', () => {
  let cluster: ThrowawayPostgres;
  let url: string;
  let receiver: WebhookReceiver;
  const received = (): AlertPayload[] => receiver.received;
  const pools: pg.Pool[] = [];
  const reconcilers = new Map<string, EstateReconciler>();
  let config: Config;

  const pool = (): pg.Pool => {
    const p = new pg.Pool({ connectionString: url, max: 4 });
    p.on('error', () => undefined);
    pools.push(p);
    return p;
  };
  const start = (collector: string): EstateReconciler => {
    const p = pool();
    const r = startEstateReconciler({
      config, store: new PgEstateStore(p), outbox: new PgAlertOutbox(p, collector), leases: new Leases(p, collector, 3000), log,
      latestPullRun: async () => Number((await p.query<{ id: string }>('SELECT coalesce(max(id), 0) AS id FROM pull_runs')).rows[0]!.id),
    });
    reconcilers.set(collector, r);
    return r;
  };
  const store = async (collector: string, lines: string[], receivedAt = Date.now()): Promise<void> => {
    const p = pools[0]!;
    for (const b of batchesFor(lines, { source: '192.0.2.1', receivedAt })) await new PgBatchWriter(p, collector, 100).write(b);
  };
  const alertsFor = (account: string): AlertPayload[] => received().filter((a) => a.finding.account === account);

  beforeAll(async () => {
    cluster = await startPostgres();
    url = cluster.url;
    receiver = await startWebhookReceiver();
    const dir = tempDir('aaawatch-leader-');
    const roster = join(dir, 'roster.yaml');
    writeFileSync(roster, 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n');
    config = configSchema.parse({
      store: { path: join(dir, 'unused.db') },
      devices: [{ name: 'sw1', address: '192.0.2.1', platform: 'cisco-ios' }],
      reconcile: {
        roster,
        alerts: { minSeverity: 'low', webhooks: [{ name: 'hook', url: receiver.url }] },
      },
    });
    const setup = pool();
    await createIngestTables(setup);
    await createPullTables(setup);
    // Both collectors' chains exist before the first run, as they do once each has stored a record.
    await store('a', [iosLine(seq++, 'sw1', Date.now(), 'SYS-5-CONFIG_I', 'Configured from console by vty0 (10.1.2.3)')]);
    await store('b', [iosLine(seq++, 'sw1', Date.now(), 'SYS-5-CONFIG_I', 'Configured from console by vty0 (10.1.2.3)')]);
  });
  afterAll(async () => {
    for (const r of reconcilers.values()) await r.stop();
    for (const p of pools) await p.end();
    receiver?.close();
    cluster?.stop();
  });

  it('one leader of two; an account record stored by either collector raises account-created, alerted once', async () => {
    const a = start('a');
    const b = start('b');
    await until('a leader', () => a.leader() || b.leader());
    // The leader's first run has started where the store is: records from now on raise account-created.
    await until('first run', async () => (await pools[0]!.query(`SELECT 1 FROM reconcile_state WHERE name = 'events.created'`)).rows.length > 0);
    expect([a.leader(), b.leader()].filter(Boolean)).toHaveLength(1);

    await store('b', created('sw1', 'ghost'));
    await store('a', created('sw1', 'spook'));
    await until('both alerted', () => alertsFor('ghost').length > 0 && alertsFor('spook').length > 0);
    for (const r of [a, b]) await r.settle();
    expect(alertsFor('ghost').map((x) => [x.event, x.finding.kind, x.finding.device])).toEqual([['new', 'account-created', 'sw1']]);
    expect(alertsFor('spook').map((x) => [x.event, x.finding.kind, x.finding.device])).toEqual([['new', 'account-created', 'sw1']]);
    const outbox = await pools[0]!.query<{ n: string }>(`SELECT count(*) AS n FROM alert_outbox WHERE delivered_at IS NOT NULL`);
    expect(Number(outbox.rows[0]!.n)).toBe(received().length);
    expect(new Set(received().map((x) => `${x.finding.id} ${x.event}`)).size).toBe(received().length);
  });

  it('reopens an acceptance that ran out between scheduled runs, and alerts it once', async () => {
    await store('a', created('sw1', 'phantom'));
    await until('raised', () => alertsFor('phantom').length > 0);
    const id = alertsFor('phantom')[0]!.finding.id;
    // Accepted until a second from now (as a decision leaves it): the leader's pass between runs reopens it, not the quarter-hourly run.
    await pools[0]!.query(`UPDATE findings SET status = 'accepted', accepted_until = $1 WHERE id = $2`, [Date.now() + 1000, id]);
    await until('reopened', () => alertsFor('phantom').some((x) => x.event === 'reopened'));
    const { rows } = await pools[0]!.query<{ status: string; accepted_until: string | null }>('SELECT status, accepted_until FROM findings WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'open', accepted_until: null });
    for (const r of reconcilers.values()) await r.settle();
    expect(alertsFor('phantom').map((x) => x.event)).toEqual(['new', 'reopened']);
  });

  it('the leader stops; the other collector leads, and its alerts are the new findings only', async () => {
    const [leader, other] = reconcilers.get('a')!.leader() ? ['a', 'b'] : ['b', 'a'];
    await reconcilers.get(leader)!.stop();
    reconcilers.delete(leader);
    await until('takeover', () => reconcilers.get(other)!.leader());
    const before = received().length;
    await store(leader, created('sw1', 'wraith'));
    await until('alerted', () => alertsFor('wraith').length > 0);
    await reconcilers.get(other)!.settle();
    expect(received().slice(before).map((x) => [x.finding.kind, x.finding.account])).toEqual([['account-created', 'wraith']]);
    expect(alertsFor('ghost')).toHaveLength(1);
  });

  it('the one-shot run (`aaawatch reconcile` on store.url) is refused while a collector leads, and runs every step with alerts when none does', async () => {
    const [other, r] = [...reconcilers.entries()][0]!;
    expect(await reconcileEstateNow(config, { url, collector: 'cli' }, log)).toMatchObject({ heldBy: { collector: other } });
    await r.stop();
    reconcilers.clear();
    await store('a', created('sw1', 'banshee'));
    // A chain that comes with a history (a SQLite store copied in by `aaawatch migrate`): what it received before reconciliation started here raises nothing.
    await store('migrated', created('sw1', 'oldtimer'), Date.now() - 30 * 86_400_000);
    const before = received().length;
    const done = await reconcileEstateNow(config, { url, collector: 'cli' }, log);
    expect(done).toMatchObject({ outcome: { created: 1 } });
    expect(received().slice(before).map((x) => [x.finding.kind, x.finding.account])).toEqual([['account-created', 'banshee']]);
    expect(await pools[0]!.query(`SELECT 1 FROM findings WHERE account = 'oldtimer'`)).toMatchObject({ rowCount: 0 });
  });
});
