// Reconciliation while aaawatch serves: a full run on the schedule (reconcile.schedule), after
// pulls finish (new pull_runs rows, whoever ran them), and again when changes those pulls showed
// (and the syslog-made accounts they lack) become old enough to judge, and when a device silent at
// the last run is heard (its telemetry gap resolved: heard.ts); account-created the moment
// ingest stores an account record; alerts collected after each step and delivered, with retries,
// in between. Runs in its own thread (src/reconcile/worker.ts) so a large run never holds up the
// sockets; nothing thrown here stops it.

import { isIP } from 'node:net';
import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { applyRetention } from '../store/retention.js';
import type { StoreEpisode } from '../store/store-failure.js';
import { storeUnwritableFinding } from './store-unwritable.js';
import { raiseFinding } from './findings.js';
import { reopenExpired } from './lifecycle.js';
import { collectAlerts, deliverDue, nextDue, startAlertsHere, type AlertDestination } from './alerts.js';
import { destinationsFrom } from './deliver.js';
import { RosterIndex } from './evaluate.js';
import { reconcile, raiseCreations, startCreationsHere, type ReconcileOutcome } from './run.js';
import type { DeviceRef } from './scope.js';
import { InventoryNames, REFRESH_MS, type Lookup } from './inventory-names.js';
import { reconcileOptions, reconcileSetup, rosterStamp, type ReconcileSetup } from './setup.js';
import { changesAfter, getState, latestPullRun, pullsAfter, setState, stmt } from './store.js';
import { HEARD_GAPS_SQL, heardSince, newlyHeard, silenceHeard, type GapRow } from './heard.js';

export interface ServiceOptions {
  config: Config;
  db: Db;
  log: Logger;
  /** The clock (tests move it). */
  now?: () => number;
  /** Told of every full run: how long it took, or that it failed (the metrics). */
  onRun?: (run: { ms: number; ok: boolean }) => void;
  /** How inventory host names are resolved (tests give their own). */
  lookup?: Lookup;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** How long account records gather before account-created findings are raised for them. */
const CREATIONS_DELAY_MS = 1000;
/** Account records judged per pass: their findings are one transaction (see raiseCreations). */
const CREATIONS_PER_PASS = 500;
/**
 * A queue left over after a pass is taken up again this soon, not a full second later: one pass a
 * second fell behind an AAA-heavy feed for good (at 5,000 messages/s, a fifth of them account
 * records, the queue grew by 500 a second and account-created findings came later and later). The
 * pause between passes lets the store thread take the write lock: passes back to back kept it
 * waiting in SQLite's busy handler, which sleeps 1 to 100 ms at a time.
 */
const CREATIONS_CATCH_UP_MS = 50;
/** A full run this long after a creation pass raised a finding naming no maker: a change's lines arrive seconds apart. */
const NAMING_FOLLOW_UP_MS = 15_000;

export class ReconcileService {
  private readonly config: Config;
  private readonly db: Db;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly onRun: ServiceOptions['onRun'];
  private setup: ReconcileSetup;
  /** The roster indexed for matching, rebuilt when it is reloaded. */
  private index: RosterIndex | undefined;
  private refs: Map<string, DeviceRef>;
  private stamp: string;
  /** The inventory's host-name addresses, resolved for the sender check. */
  private readonly names: InventoryNames;
  private readonly destinations: AlertDestination[];
  private task: ScheduledTask | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private delivering: Promise<void> | undefined;
  private followUp: NodeJS.Timeout | undefined;
  /** The follow-up runs of followUpNaming, soon and after the skew. */
  private readonly naming: Array<NodeJS.Timeout | undefined> = [undefined, undefined];
  private stopped = false;
  private creations: NodeJS.Timeout | undefined;
  /** The silent devices' telemetry gaps a look has asked a run for (heard.ts newlyHeard). */
  private heardAsked: ReadonlySet<number> = new Set();

  /** Reads the roster and alert destinations: configuration mistakes throw here, before anything runs. */
  constructor(o: ServiceOptions) {
    this.config = o.config;
    this.db = o.db;
    this.log = o.log;
    this.now = o.now ?? Date.now;
    this.onRun = o.onRun;
    this.setup = reconcileSetup(o.config);
    this.index = this.setup.roster ? new RosterIndex(this.setup.roster) : undefined;
    this.refs = new Map(this.setup.devices.map((d) => [d.name, d]));
    this.stamp = rosterStamp(o.config);
    this.names = new InventoryNames(o.lookup);
    this.destinations = destinationsFrom(o.config.reconcile.alerts);
    startCreationsHere(o.db);
    startAlertsHere(o.db);
  }

  /**
   * Start the schedule, the watch on pulls, retention (now and daily), and the first run: the
   * catch-up work, which `serve` asks for only once its listeners are reading.
   */
  start(): void {
    const r = this.config.reconcile;
    this.retention();
    this.every(86_400_000, () => this.retention());
    this.task = cron.schedule(r.schedule, () => this.runSafely('schedule'), { name: 'reconcile' });
    this.every(r.pullCheckSeconds * 1000, () => this.checkPulls());
    this.every(r.pullCheckSeconds * 1000, () => this.reopenDue());
    this.every(r.pullCheckSeconds * 1000, () => this.checkRoster());
    this.every(r.pullCheckSeconds * 1000, () => this.checkHeard());
    this.every(REFRESH_MS, () => void this.resolveNames());
    this.log.info(
      { schedule: r.schedule, roster: this.setup.roster?.files ?? null, entries: this.setup.roster?.entries.length ?? 0, alerts: this.destinations.map((d) => d.name) },
      this.setup.roster ? 'reconciliation running' : 'reconciliation running without a roster (set reconcile.roster): roster findings are not raised',
    );
    // With host names in the inventory, the first run waits for them (LOOKUP_MS at most): the sender
    // check reads senders after the position it last saved, and would pass theirs uncompared.
    if (this.setup.addresses.some((a) => isIP(a.address) === 0)) void this.resolveNames().then(() => this.runSafely('start'));
    else this.runSafely('start');
  }

  /** Resolve the inventory's host names again (a name that fails keeps what it resolved to). */
  private async resolveNames(): Promise<void> {
    const unresolved = await this.names.refresh(this.setup.addresses);
    if (unresolved.length && !this.stopped) this.log.warn({ names: unresolved.slice(0, 20), count: unresolved.length }, 'inventory addresses that do not resolve: their senders are not compared');
  }

  /** Ingest stored account records: raise account-created now, and alert. */
  accountEvents(): void {
    // Ingest reports every stored batch; gathering a second's worth keeps this thread (and its
    // write transactions) from competing with the store thread under a burst of account records.
    this.creationPass(CREATIONS_DELAY_MS);
  }

  private creationPass(delay: number): void {
    if (this.stopped || this.creations) return;
    this.creations = setTimeout(() => {
      this.creations = undefined;
      if (this.stopped) return;
      try {
        const edited = this.reloadRoster();
        const { more, unnamed, waiting } = raiseCreations(this.db, this.index, this.refs, this.config.reconcile.attributionSkewSeconds * 1000, CREATIONS_PER_PASS);
        if (unnamed) this.followUpNaming();
        this.alert();
        if (edited) this.runSafely('roster changed');
        // A flood of account records is worked off in bounded passes, between which pings, counts and runs are answered.
        if (more) this.creationPass(CREATIONS_CATCH_UP_MS);
        // A creation waits for a pull of its device (under-way.ts): looked at again until it ends.
        else if (waiting) this.creationPass(CREATIONS_DELAY_MS);
      } catch (err) {
        this.log.error({ error: errorText(err) }, 'account records could not be reconciled');
      }
    }, delay);
  }

  /**
   * The store could not be written for a while (disk full, I/O error, locked): a gap in what was
   * kept, so a finding on aaawatch itself, and an alert. One open finding gathers every episode
   * until someone resolves it.
   */
  storeResumed(e: StoreEpisode): void {
    try {
      raiseFinding(this.db, storeUnwritableFinding(e));
      this.alert();
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'the store-unwritable finding could not be raised');
    }
  }

  /** A full reconciliation now; alerts follow. */
  run(): ReconcileOutcome {
    this.reloadRoster();
    // The pulls this run reads are those up to here: the look for pulls runs again only for later
    // ones. Unrecorded, a fresh store's first look took every pull as read (a pull finishing after
    // the start-up run waited for the schedule), and a store's older position ran the start-up
    // run's pulls twice.
    setState(this.db, 'pulls.seen', latestPullRun(this.db));
    const outcome = reconcile(this.db, reconcileOptions(this.config, { ...this.setup, addresses: this.names.apply(this.setup.addresses) }, this.now()));
    this.followUpChanges();
    this.alert();
    return outcome;
  }

  /** Wait for deliveries in progress. */
  async settle(): Promise<void> {
    while (this.delivering) await this.delivering;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.destroy();
    if (this.creations) clearTimeout(this.creations);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.settle();
    for (const d of this.destinations) d.close?.();
  }

  private runSafely(why: string): void {
    if (this.stopped) return;
    try {
      const o = this.run();
      this.onRun?.({ ms: o.ms, ok: true });
      const c = o.conditions;
      this.log.info(
        { why, ms: o.ms, phases: o.phases, devices: o.devices, accounts: o.accounts, raised: c.raised, escalated: c.escalated, resolved: c.resolved, created: o.created, unlogged: o.unlogged, reopened: o.reopened },
        'reconciled',
      );
    } catch (err) {
      this.onRun?.({ ms: 0, ok: false });
      this.log.error({ why, error: errorText(err) }, 'reconciliation failed');
    }
  }

  /** Records older than store.retentionDays removed, a chunk per transaction. */
  private retention(): void {
    if (this.stopped) return;
    const days = this.config.store.retentionDays;
    try {
      const r = applyRetention(this.db, days, this.now());
      if (r.events || r.messages || r.senders) this.log.info(r, `retention: removed records older than ${days} days`);
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'retention failed; tried again tomorrow');
    }
  }

  /**
   * Acceptances that ran out are reopened (and alerted) within reconcile.pullCheckSeconds, not at
   * the next scheduled run (up to 15 minutes on): the findings and cases pages read the stored
   * status, and showed an ended acceptance as standing until then.
   */
  private reopenDue(): void {
    if (this.stopped) return;
    try {
      if (reopenExpired(this.db, this.now()).length) this.alert();
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'could not reopen findings whose acceptance ran out');
    }
  }

  /**
   * A run when pulls finished since the last look (by aaawatch serve, or `aaawatch pull` from cron):
   * since the position the last run read (run() records it).
   */
  private checkPulls(): void {
    try {
      const seen = getState(this.db, 'pulls.seen');
      // None yet: the start-up run is still to come (waiting for host names), and reads them all.
      if (seen === undefined || latestPullRun(this.db) <= seen) return;
      this.runSafely('pull');
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'could not look for finished pulls');
    }
  }

  /**
   * Changes, and the syslog-made accounts a pull lacks, are judged only once late syslog can no
   * longer arrive: run again when the oldest waiting change or pull is ready (one such run at a time).
   */
  private followUpChanges(): void {
    if (this.followUp) return;
    const change = changesAfter(this.db, getState(this.db, 'changes.judged') ?? 0, 1)[0]?.at;
    const pull = pullsAfter(this.db, getState(this.db, 'pulls.vanished') ?? 0, 1)[0]?.finishedAt;
    const waiting = Math.min(change ?? Infinity, pull ?? Infinity);
    if (waiting === Infinity) return;
    const wait = Math.max(1000, waiting + this.config.reconcile.attributionSkewSeconds * 1000 - this.now() + 1000);
    this.followUp = this.after(wait, () => {
      this.followUp = undefined;
      this.runSafely('changes ready to judge');
    });
  }

  /**
   * A finding naming neither maker nor path (an ASA's 502101 without `Executed by:`): the same
   * change's command may be received seconds or minutes after it, and a full run attributes it
   * again (run.ts namedLater). One run NAMING_FOLLOW_UP_MS later (the usual gap), one once the
   * skew has passed (the longest); one of each waiting at a time.
   */
  private followUpNaming(): void {
    const skew = this.config.reconcile.attributionSkewSeconds * 1000;
    for (const [i, wait] of [NAMING_FOLLOW_UP_MS, skew + 1000].entries()) {
      if (this.naming[i]) continue;
      this.naming[i] = this.after(wait, () => {
        this.naming[i] = undefined;
        this.runSafely('naming');
      });
    }
  }

  /** Reload the roster when a file changed; a broken edit is logged and the last good roster kept. Whether one was reloaded. */
  private reloadRoster(): boolean {
    const stamp = rosterStamp(this.config);
    if (stamp === this.stamp) return false;
    this.stamp = stamp;
    try {
      this.setup = reconcileSetup(this.config);
      this.index = this.setup.roster ? new RosterIndex(this.setup.roster) : undefined;
      this.refs = new Map(this.setup.devices.map((d) => [d.name, d]));
      this.log.info({ roster: this.setup.roster?.files, entries: this.setup.roster?.entries.length ?? 0 }, 'roster reloaded');
      return true;
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'roster not reloaded (the previous one stays in use)');
      return false;
    }
  }

  /**
   * A roster edited while serve runs is reconciled within reconcile.pullCheckSeconds: the pages read
   * the new roster at once, and its findings (an account it now authorises still open
   * unauthorised-account on its case, health and exports) waited for the next scheduled run.
   */
  private checkRoster(): void {
    if (!this.stopped && this.reloadRoster()) this.runSafely('roster changed');
  }

  /**
   * A device silent at the last run is heard now (its records stored, or its native accounting):
   * a run resolves its telemetry gap within reconcile.pullCheckSeconds (heard.ts).
   */
  private checkHeard(): void {
    if (this.stopped) return;
    try {
      const since = heardSince(this.now(), this.config.reconcile.telemetry.silentHours);
      const ids = silenceHeard(stmt(this.db, HEARD_GAPS_SQL).all(since, since) as GapRow[]);
      const ask = newlyHeard(ids, this.heardAsked);
      this.heardAsked = new Set(ids);
      if (ask) this.runSafely('device heard');
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'could not look for silent devices heard again');
    }
  }

  /** Queue alerts for what changed, and deliver. */
  private alert(): void {
    const a = this.config.reconcile.alerts;
    collectAlerts(this.db, this.destinations.map((d) => d.name), a.minSeverity, this.now());
    this.deliver();
  }

  private deliver(): void {
    if (this.delivering || this.stopped || this.destinations.length === 0) return;
    const a = this.config.reconcile.alerts;
    this.delivering = deliverDue(this.db, this.destinations, { attempts: a.attempts, retryDelayMs: a.retryDelaySeconds * 1000 }, this.log, this.now)
      .catch((err: unknown) => this.log.error({ error: errorText(err) }, 'alert delivery failed'))
      .then(() => {
        this.delivering = undefined;
        const due = nextDue(this.db);
        if (due !== undefined) this.after(Math.max(10, due - this.now()), () => this.deliver());
      });
  }

  private after(ms: number, f: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    t.unref();
    this.timers.add(t);
    return t;
  }

  private every(ms: number, f: () => void): void {
    const tick = (): void => {
      f();
      if (!this.stopped) this.after(ms, tick);
    };
    this.after(ms, tick);
  }
}
