// Reconciliation for collectors sharing a PostgreSQL store: once for the estate, by the collector
// that holds the leader lease (src/store/pg/leases.ts, electLeader). The leader runs the estate's
// reconciliation (estate.ts) when it becomes leader, on reconcile.schedule, when pulls finished
// since its last look (new pull_runs rows, whichever collector pulled), and once the skew after a
// pull has passed (the changes it showed judged then, as SQLite's service does), and when a device
// silent at the last run is heard (heard.ts); between runs it raises
// account-created for account records any collector stored (a look a second, as SQLite's service
// gathers a second of them), and sends the alerts of what changed from the estate's one outbox.
// The others wait, trying for the lease every third of its time to live. A leader that dies
// (kill -9, power) is replaced once its lease runs out; one that cannot renew in time stops writing
// mid-run (NotLeader) and stops delivering, so two collectors never write the same run's findings
// nor send the same alerts.

import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { electLeader, type Lease, type Leases } from '../store/pg/leases.js';
import { AlertSender } from './alert-sender.js';
import type { AlertOutbox } from './alerts.js';
import { destinationsFrom } from './deliver.js';
import type { EstateStore } from './estate-store.js';
import { NotLeader, raiseCreationsEstate, reconcileEstate, type EstateOutcome } from './estate.js';
import { RosterIndex } from './evaluate.js';
import { InventoryNames, REFRESH_MS, type Lookup } from './inventory-names.js';
import { heardSince, newlyHeard, silenceHeard } from './heard.js';
import { reconcileOptions, reconcileSetup, rosterStamp, type ReconcileSetup } from './setup.js';

export interface LeaderOptions {
  config: Config;
  store: EstateStore;
  /** The estate's alert outbox. */
  outbox: AlertOutbox;
  /** The leases this collector takes the leader lease with (its time to live: store.leaderLeaseSeconds). */
  leases: Leases;
  log: Logger;
  /** The latest pull run's id, whoever pulled: a run follows when it grows. */
  latestPullRun: () => Promise<number>;
  onRun?: (run: { ms: number; ok: boolean }) => void;
  /** How inventory host names are resolved (tests give their own). */
  lookup?: Lookup;
}

export interface EstateReconciler {
  /** Whether this collector is the estate's reconcile leader now. */
  leader(): boolean;
  /** Wait for the work and deliveries in progress (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** How often the leader looks for account records stored since its last look. */
const CREATIONS_POLL_MS = 1000;
/** Account records judged per pass; a pass that leaves some is followed at once by another. */
const CREATIONS_PER_PASS = 500;
/** A full run this long after a creation pass raised a finding naming no maker (service.ts NAMING_FOLLOW_UP_MS). */
const NAMING_FOLLOW_UP_MS = 15_000;

/** What one full run does and what it is logged with: the estate's reconciliation, then its alerts. */
export async function runEstate(
  store: EstateStore, alerts: AlertSender, config: Config, setup: ReconcileSetup, mayWrite: () => boolean, now = Date.now(),
): Promise<EstateOutcome> {
  const outcome = await reconcileEstate(store, reconcileOptions(config, setup, now), mayWrite);
  await alerts.alert();
  return outcome;
}

/** The fields a run is logged with. */
export function runLog(o: EstateOutcome): Record<string, unknown> {
  const c = o.conditions;
  return {
    ms: o.ms, devices: o.devices, accounts: o.accounts, audited: o.audited, raised: c.raised, escalated: c.escalated, resolved: c.resolved,
    reopened: o.reopened, created: o.created, changesJudged: o.changesJudged, unlogged: o.unlogged, senderMismatches: o.senderMismatches,
    pullFindingsResolved: o.pullFindingsResolved, open: o.open,
  };
}

/**
 * Reads the roster and the alert destinations at once (a mistake stops serve at start, with file,
 * line and field), then competes for the leader lease.
 */
export function startEstateReconciler(o: LeaderOptions): EstateReconciler {
  const { config, log } = o;
  let setup: ReconcileSetup = reconcileSetup(config);
  let index = setup.roster ? new RosterIndex(setup.roster) : undefined;
  let stamp = rosterStamp(config);
  let lease: Lease | undefined;
  let task: ScheduledTask | undefined;
  let poll: NodeJS.Timeout | undefined;
  let creationsPoll: NodeJS.Timeout | undefined;
  let seenPulls: number | undefined;
  let stopped = false;
  // The inventory's host-name addresses, resolved for the sender check before a run when older than REFRESH_MS.
  const names = new InventoryNames(o.lookup);
  let namesAt = Number.NEGATIVE_INFINITY;
  // electLeader steps this collector down (lease undefined) the moment its renewed lease would run out.
  const mayWrite = (): boolean => !stopped && lease !== undefined;
  const alerts = new AlertSender(o.outbox, destinationsFrom(config.reconcile.alerts), config.reconcile.alerts, log, mayWrite);

  /** Whether a roster edit was read (a broken one is logged, and the last good roster kept). */
  const reloadRoster = (): boolean => {
    const now = rosterStamp(config);
    if (now === stamp) return false;
    stamp = now;
    try {
      setup = reconcileSetup(config);
      index = setup.roster ? new RosterIndex(setup.roster) : undefined;
      log.info({ roster: setup.roster?.files, entries: setup.roster?.entries.length ?? 0 }, 'roster reloaded');
      return true;
    } catch (err) {
      log.error({ error: errorText(err) }, 'roster not reloaded (the previous one stays in use)');
      return false;
    }
  };

  // One piece of work at a time: a full run (which raises account-created too), or a pass over new
  // account records. Reasons that come meanwhile make one more run, or one more pass, after it.
  let working: Promise<void> | undefined;
  let runWanted: string | undefined;
  let creationsWanted = false;
  /** When the pass last looked for acceptances that ran out (every reconcile.pullCheckSeconds, as SQLite's service does). */
  let reopenLooked = 0;
  /** When the pass last looked for silent devices heard again, and the telemetry gaps a look asked a run for (heard.ts). */
  let heardLooked = 0;
  let heardAsked: ReadonlySet<number> = new Set();

  const fullRun = async (why: string): Promise<void> => {
    try {
      reloadRoster();
      if (Date.now() - namesAt >= REFRESH_MS) {
        namesAt = Date.now();
        const unresolved = await names.refresh(setup.addresses);
        if (unresolved.length) log.warn({ names: unresolved.slice(0, 20), count: unresolved.length }, 'inventory addresses that do not resolve: their senders are not compared');
      }
      // The pulls this run reads are those up to here: the look for pulls runs again only for later
      // ones (the first look after becoming leader read a position before this run's, so a pull
      // finishing between the two ran twice).
      seePulls(await o.latestPullRun());
      const outcome = await runEstate(o.store, alerts, config, { ...setup, addresses: names.apply(setup.addresses) }, mayWrite);
      o.onRun?.({ ms: outcome.ms, ok: true });
      followUpChanges(outcome.judgeableAt);
      log.info({ why, ...runLog(outcome) }, 'reconciled (estate leader)');
    } catch (err) {
      if (err instanceof NotLeader) log.warn({ why }, err.message);
      else {
        o.onRun?.({ ms: 0, ok: false });
        log.error({ why, error: errorText(err) }, 'reconciliation failed');
      }
    }
  };

  // A finding naming neither maker nor path: full runs attribute it again soon and once the skew has
  // passed, as serve's on SQLite (service.ts followUpNaming); one of each waiting at a time.
  const naming: Array<NodeJS.Timeout | undefined> = [undefined, undefined];
  const followUpNaming = (): void => {
    for (const [i, wait] of [NAMING_FOLLOW_UP_MS, config.reconcile.attributionSkewSeconds * 1000 + 1000].entries()) {
      if (naming[i]) continue;
      naming[i] = setTimeout(() => {
        naming[i] = undefined;
        if (!stopped) run('naming');
      }, wait);
      naming[i]!.unref();
    }
  };
  const stopNaming = (): void => {
    for (const [i, t] of naming.entries()) {
      clearTimeout(t);
      naming[i] = undefined;
    }
  };

  // Changes a pull showed, and the syslog-made accounts it lacks, are judged only once late syslog can
  // no longer arrive (the skew after the pull): a run then, as SQLite's service runs one
  // (service.ts followUpChanges), not at the next scheduled run (up to 15 minutes on), which left the
  // pulled account's attribution, its unlogged-change and its severity out of every node's pages and
  // exports meanwhile. One waiting at a time; a run that leaves some for later sets the next.
  let followUp: NodeJS.Timeout | undefined;
  const followUpChanges = (at: number | undefined): void => {
    if (at === undefined || followUp || stopped) return;
    followUp = setTimeout(() => {
      followUp = undefined;
      if (!stopped) run('changes ready to judge');
    }, Math.max(1000, at - Date.now() + 1000));
    followUp.unref();
  };

  const creationPass = async (): Promise<void> => {
    try {
      // A roster edited while serve runs is reconciled now (this pass comes every second), as SQLite's
      // service does (service.ts checkRoster): the pages read it at once, its findings waited for the schedule.
      if (reloadRoster()) run('roster changed');
      const refs = new Map(setup.devices.map((d) => [d.name, d]));
      // Acceptances that ran out reopen here, not only at the next scheduled run (up to 15 minutes on): pages read the stored status.
      let reopened = 0;
      if (mayWrite() && Date.now() - reopenLooked >= config.reconcile.pullCheckSeconds * 1000) {
        reopenLooked = Date.now();
        reopened = await o.store.reopenExpired(reopenLooked);
      }
      // A device silent at the last run heard now: a run resolves its telemetry gap (heard.ts), as SQLite's service does.
      if (mayWrite() && Date.now() - heardLooked >= config.reconcile.pullCheckSeconds * 1000) {
        heardLooked = Date.now();
        const since = heardSince(heardLooked, config.reconcile.telemetry.silentHours);
        const ids = silenceHeard(await o.store.heardGaps(since));
        const ask = newlyHeard(ids, heardAsked);
        heardAsked = new Set(ids);
        if (ask) run('device heard');
      }
      const { raised, more, unnamed } = await raiseCreationsEstate(o.store, index, refs, () => {
        if (!mayWrite()) throw new NotLeader();
      }, Date.now(), config.reconcile.attributionSkewSeconds * 1000, CREATIONS_PER_PASS);
      if (more) creationsWanted = true;
      if (unnamed) followUpNaming();
      if (raised || reopened) await alerts.alert();
    } catch (err) {
      if (!(err instanceof NotLeader)) log.error({ error: errorText(err) }, 'account records could not be reconciled');
    }
  };

  const work = (): void => {
    if (working || !mayWrite()) return;
    working = (async () => {
      while (mayWrite() && (runWanted !== undefined || creationsWanted)) {
        if (runWanted !== undefined) {
          const why = runWanted;
          runWanted = undefined;
          creationsWanted = false;
          await fullRun(why);
        } else {
          creationsWanted = false;
          await creationPass();
        }
      }
    })().finally(() => {
      working = undefined;
    });
  };
  const run = (why: string): void => {
    runWanted = why;
    work();
  };

  /** The latest pull run read (by a look or a run; never back, as a look and a run may read in either order). */
  const seePulls = (latest: number): void => {
    seenPulls = Math.max(seenPulls ?? 0, latest);
  };
  const checkPulls = async (): Promise<void> => {
    try {
      const last = await o.latestPullRun();
      const before = seenPulls;
      seePulls(last);
      if (before !== undefined && last > before) run('pull');
    } catch (err) {
      log.error({ error: errorText(err) }, 'could not look for finished pulls');
    }
  };

  const becomeLeader = (l: Lease): void => {
    lease = l;
    log.info({ token: l.token, holder: o.leases.holder }, 'reconcile leader: this collector reconciles the estate and sends its alerts');
    task = cron.schedule(config.reconcile.schedule, () => run('schedule'), { name: 'reconcile (leader)' });
    const every = config.reconcile.pullCheckSeconds * 1000;
    // This term's polling only: a look still in flight from an earlier term does not start a second chain.
    const term = l;
    const tick = (): void => {
      poll = setTimeout(() => void checkPulls().finally(() => lease === term && !stopped && tick()), every);
      poll.unref();
    };
    const creationsTick = (): void => {
      creationsPoll = setTimeout(() => {
        if (lease !== term || stopped) return;
        creationsWanted = true;
        work();
        creationsTick();
      }, CREATIONS_POLL_MS);
      creationsPoll.unref();
    };
    void checkPulls().finally(() => lease === term && !stopped && tick());
    creationsTick();
    void alerts.startHere().catch((err: unknown) => log.error({ error: errorText(err) }, 'alerts: could not read where they start')).finally(() => run('became leader'));
  };

  const stepDown = (): void => {
    if (!lease) return;
    lease = undefined;
    void task?.destroy();
    task = undefined;
    clearTimeout(poll);
    clearTimeout(creationsPoll);
    clearTimeout(followUp);
    followUp = undefined;
    stopNaming();
    seenPulls = undefined;
    if (!stopped) log.warn('reconcile leader no more: the lease could not be renewed in time, or another collector holds it');
  };

  const election = electLeader(o.leases, (leader, l) => (leader && l ? becomeLeader(l) : stepDown()));
  log.info({ ttlSeconds: o.leases.ttlMs / 1000 }, 'reconciliation: competing for the estate leader lease');
  return {
    leader: () => lease !== undefined,
    async settle() {
      while (working) await working;
      await alerts.settle();
    },
    async stop() {
      stopped = true;
      clearTimeout(creationsPoll);
      clearTimeout(followUp);
      stopNaming();
      await working;
      await alerts.stop();
      await election.stop();
    },
  };
}
