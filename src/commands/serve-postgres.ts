// `aaawatch serve` on a shared PostgreSQL store (store.url): the listeners and the pipeline write
// into PostgreSQL as this collector, with its own hash chain; acknowledged transports answer after
// PostgreSQL's commit, and a store that cannot be reached holds and retries as SQLite's does.
// Pulls run on every collector, each device under its pull lease (one collector pulls it at a
// time); reconciliation runs on the one collector holding the leader lease (src/reconcile/leader.ts).
// The web interface runs in its own thread on a pool of its own (src/web/data/pg-access.ts),
// showing every collector's records.

import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { announceListeners, startIngest, stopOnStoreEnd } from '../ingest/service.js';
import { createLogger } from '../log.js';
import { aboutTarget, connectPool, reasonOf } from '../store/pg/connection.js';
import { rememberedResendsPg, seedAccountsPg } from '../store/pg/ingest-reads.js';
import { createIngestTables } from '../store/pg/migrate.js';
import { startPullsAndReconcile } from '../store/pg/estate-service.js';
import { createPullTables } from '../store/pg/pull-tables.js';
import { UnwritableFindings } from '../store/pg/store-unwritable.js';
import type { PgStoreOptions } from '../store/pg/store-writer.js';
import { pgWhere } from '../store/pg/where.js';
import { VERSION } from '../version.js';
import { startWebThread } from '../web/thread.js';

/**
 * What ingest reads from the store at start; the tables are made first on an empty database. Its
 * connection is the first: a wrong URL, CA or password stops serve here, with the message every
 * command gives.
 */
async function readAtStart(o: PgStoreOptions, relp: boolean): Promise<{ knownAccounts: Array<[string, string]>; resends: Awaited<ReturnType<typeof rememberedResendsPg>> }> {
  const target = { url: o.url, key: 'store.url' };
  const pool = await connectPool(target, { max: 1 });
  try {
    await createIngestTables(pool);
    await createPullTables(pool);
    return { knownAccounts: await seedAccountsPg(pool), resends: relp ? await rememberedResendsPg(pool, o.collector) : [] };
  } catch (err) {
    throw new Error(aboutTarget(target, `cannot write as collector ${o.collector}: ${reasonOf(err)}`));
  } finally {
    await pool.end();
  }
}

export async function servePostgres(config: Config, configPath: string | undefined): Promise<void> {
  const postgres: PgStoreOptions = { url: resolveSecret(config.store.url!, 'store.url'), collector: config.collector! };
  const where = pgWhere(postgres.url, postgres.collector);
  const log = createLogger(config.log);
  const atStart = await readAtStart(postgres, config.ingest.relp.enabled);
  log.info({ version: VERSION, store: where, collector: postgres.collector, config: configPath ?? '(embedded defaults)' }, `aaawatch starting on ${where}`);
  const { Observability, watching } = await import('../observe/service.js');
  const observe = new Observability(log);
  // The web thread first, as on SQLite: loading its modules takes seconds on a busy machine.
  const webStarting = config.web.enabled ? startWebThread(config, log, observe) : undefined;
  webStarting?.catch(() => undefined);
  // A time this collector's writes were held becomes a finding once PostgreSQL takes writes again.
  const findingsPool = await connectPool({ url: postgres.url, key: 'store.url' }, { max: 1, statement_timeout: 20_000, application_name: `aaawatch ${postgres.collector} findings` });
  findingsPool.on('error', () => undefined);
  const unwritable = new UnwritableFindings(findingsPool, log);
  const ingest = await startIngest(config, { postgres, ...atStart }, log, { ...observe.storeEvents, onStoreResumed: (episode) => unwritable.add(episode), onStoreEnded: stopOnStoreEnd });
  announceListeners(ingest, log);
  // Pulls under per-device leases, reconciliation by the leader; a roster or inventory mistake stops serve here.
  const estate = await startPullsAndReconcile(config, postgres, ingest.knowledge, log, {
    onPulled: (r) => observe.metrics.pulled(r.outcome, r.ms),
    onReconciled: (r) => observe.metrics.reconciled(r.ms, r.ok),
  });
  log.info(
    { collector: postgres.collector, pullLeaseSeconds: config.store.pullLeaseSeconds, leaderLeaseSeconds: config.store.leaderLeaseSeconds },
    `running as collector ${postgres.collector}: pulls each device under its pull lease; reconciles the estate and sends its alerts while it holds the leader lease, ` +
      `and while leader removes records older than store.retentionDays (${config.store.retentionDays}) from every collector's chain; a time this collector cannot write raises store-unwritable once it can`,
  );
  const web = await webStarting;
  if (web) log.info({ url: web.url }, `web interface on ${web.url}: every page, with every collector's records, findings, devices, accounts, cases and exports`);
  observe.ready(watching(ingest, undefined, web));
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    observe.stopping();
    await web?.close();
    await estate.stop();
    await ingest.stop();
    await unwritable.stop();
    await findingsPool.end();
    await observe.close();
    process.exit();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
