import type { Command } from 'commander';
import { pulledWatchMs, watchPulledAccounts } from '../ingest/pulled-accounts.js';
import { announceListeners, startIngest, stopOnStoreEnd, storeStartError } from '../ingest/service.js';
import { sqlitePullStore } from '../pull/pull-store.js';
import { startPulls } from '../pull/setup.js';
import { startReconciler } from '../reconcile/thread.js';
import { createLogger } from '../log.js';
import { openDatabase, type Db } from '../store/db.js';
import { PAGE_CACHE_MIB } from '../thread-memory.js';
import { VERSION } from '../version.js';
import { startWebThread } from '../web/thread.js';
import { configProblems, loadConfig } from '../config/load.js';
import { bindFailure, unbindable } from '../config/listeners.js';
import type { Config } from '../config/schema.js';
import { withConfig, type ConfigOptions } from './common.js';

export function registerServe(program: Command): void {
  withConfig(program.command('serve'))
    .description('run the collector: syslog listeners (UDP, TCP, TLS), storage and scheduled work')
    .action(async (opts: ConfigOptions) => {
      // Every secret by reference read now, each named by its line: serve uses them all, and one
      // missing was otherwise met at use, by key alone, or (a pull credential) hours later.
      const config = await loadConfig(opts.config, { secrets: true });
      // A port another process holds (or a privileged one) named by its key before anything starts:
      // no store opened, no thread begun.
      const unavailable = await unbindable(config);
      if (unavailable.length > 0) throw configProblems(config, unavailable);
      // A port taken after that check, as the listener's own bind met it: named by its key too.
      try {
        await start(config, opts.config);
      } catch (err) {
        const at = bindFailure(config, err);
        throw at ? configProblems(config, [at]) : err;
      }
    });
}

/** The collector on the configured store, resolved once it has started (the listeners bound, the threads running). */
async function start(config: Config, configPath: string | undefined): Promise<void> {
  if (config.store.url !== undefined) {
    // Loaded only for a PostgreSQL store.
    const { servePostgres } = await import('./serve-postgres.js');
    await servePostgres(config, configPath);
    return;
  }
  const log = createLogger(config.log);
  let db: Db;
  try {
    db = openDatabase(config.store.path, { cacheMiB: PAGE_CACHE_MIB.serve });
  } catch (err) {
    throw storeStartError(config.store.path, err);
  }
  log.info({ version: VERSION, database: config.store.path, config: configPath ?? '(embedded defaults)' }, 'aaawatch starting');
  // Metrics, health checks and systemd notifications (src/observe), loaded by serve alone.
  const { Observability, watching } = await import('../observe/service.js');
  const observe = new Observability(log);
  // Pages and exports in their own thread (express, helmet and pdfkit load there, not here),
  // started first: loading its modules takes seconds on a busy machine, while the rest starts.
  const webStarting = config.web.enabled ? startWebThread(config, log, observe) : undefined;
  // Its failure is reported where it is awaited, below.
  webStarting?.catch(() => undefined);
  // Reconciliation in its own thread (roster mistakes stop serve here); ingest tells it when
  // account records are stored, so account-created is raised within seconds.
  const reconciler = await startReconciler(config, log, { onRun: (r) => observe.metrics.reconciled(r.ms, r.ok) });
  const ingest = await startIngest(config, db, log, {
    onAccountEvents: () => reconciler.accountEvents(),
    onStoreResumed: (episode) => reconciler.storeResumed(episode),
    onStoreEnded: stopOnStoreEnd,
    ...observe.storeEvents,
  });
  announceListeners(ingest, log);
  // Listeners first: catch-up work (retention, the first reconciliation over whatever arrived
  // while aaawatch was down) starts only now, in the reconciliation thread, while they read.
  reconciler.begin();
  log.info('catch-up started in the background: retention, then the first reconciliation');
  const web = await webStarting;
  if (web) log.info({ url: web.url }, `web interface on ${web.url}`);
  // Accounts that pulls found reach ingest from the store, whoever pulled (this process or
  // `aaawatch pull`), so a later `username` command for one of them is read as a change, not a
  // creation; this process's own pulls are read at once.
  const pulled = watchPulledAccounts(db, ingest.knowledge, pulledWatchMs(config.reconcile.pullCheckSeconds), {
    onRead: (devices) => log.info({ devices: devices.slice(0, 20), count: devices.length }, 'accounts read from new snapshots'),
    onError: (err) => log.error({ err }, 'could not read pulled accounts'),
  });
  const pulls = startPulls(config, sqlitePullStore(db), log, (result) => {
    observe.metrics.pulled(result.outcome, result.ms);
    if (result.outcome === 'changed') pulled.check();
  });
  // Listening and the store ready: READY=1, then the watchdog while the health checks pass.
  observe.ready(watching(ingest, reconciler, web));
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    observe.stopping();
    pulled.stop();
    await web?.close();
    await pulls.stop();
    await ingest.stop();
    await reconciler.stop();
    db.close();
    await observe.close();
    process.exit();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
