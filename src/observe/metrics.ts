// The collector's metrics, kept in this process as things happen: ingest counters as each batch
// is handed to the store thread (never per message), store commits, pulls, reconciliations. A
// batch's counters and a commit's time are noted and added to the series when they are read: the
// scrape pays for them, not the reading thread (see `batch`). A scrape takes a snapshot (plain data: prom-client's JSON form, which crosses threads as it is)
// and renders it as text apart from any web framework, so the page that serves it can move to
// another thread without this changing.

import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { VERSION } from '../version.js';
import { FAMILIES, metricFor, type FamilySpec } from './names.js';

export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Unresolved findings of one kind, severity and status. */
export interface FindingCount {
  kind: string;
  severity: string;
  status: string;
  n: number;
}

/** Values read when scraped rather than pushed as they change. */
export interface MetricSources {
  /** Batches waiting for the store thread. */
  backlog?: () => number;
  backlogLimit?: number;
  /** The store takes writes (false while they are held: disk full, I/O error, locked). */
  writable?: () => boolean;
  /** Asked at each scrape (the reconciliation thread counts them). */
  findings?: () => FindingCount[] | Promise<FindingCount[]>;
}

type Outcome = 'changed' | 'unchanged' | 'failed';

/** Commit times noted before they are added to the histogram even though nobody has read it. */
const PENDING_COMMITS_MAX = 4096;

export class CollectorMetrics {
  private readonly registry = new Registry();
  private readonly families = new Map<string, Counter<string> | Gauge<string>>();
  /** Last absolute value of each counter-type series that is set, not added to (kernel drop totals). */
  private readonly lastAbsolute = new Map<string, number>();
  private readonly storeBatch: Histogram;
  private readonly pulls: Counter<'outcome'>;
  private readonly pullSeconds: Histogram<'outcome'>;
  private readonly reconcileSeconds: Histogram;
  private readonly reconcileFailures: Counter;
  /** Counter increments by name, and commit times (s), noted since the series were last read. */
  private pendingCounts = new Map<string, number>();
  private pendingCommits: number[] = [];

  constructor(sources: MetricSources = {}, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    for (const f of FAMILIES) {
      const config = { name: f.metric, help: f.help, labelNames: f.label ? [f.label] : [], registers };
      this.families.set(f.metric, f.type === 'counter' ? new Counter(config) : new Gauge(config));
    }
    this.storeBatch = new Histogram({
      name: 'aaawatch_store_batch_seconds',
      help: 'Time the store thread spent writing one batch (one transaction).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'aaawatch_store_backlog_batches',
      help: 'Batches handed to the store thread and not yet committed.',
      registers,
      collect() {
        if (sources.backlog) this.set(sources.backlog());
      },
    });
    new Gauge({
      name: 'aaawatch_store_writable',
      help: 'Whether the store takes writes: 0 while they are held (disk full, I/O error, locked) and batches wait to be retried.',
      registers,
      collect() {
        this.set(sources.writable?.() === false ? 0 : 1);
      },
    });
    if (sources.backlogLimit !== undefined) {
      new Gauge({ name: 'aaawatch_store_backlog_limit_batches', help: 'Backlog past which new records are dropped (dropped.store-behind).', registers }).set(sources.backlogLimit);
    }
    this.pulls = new Counter({ name: 'aaawatch_pulls_total', help: 'Configuration pulls finished, by outcome.', labelNames: ['outcome'], registers });
    this.pullSeconds = new Histogram({
      name: 'aaawatch_pull_duration_seconds',
      help: 'Time a configuration pull took, retries included, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
      registers,
    });
    for (const outcome of ['changed', 'unchanged', 'failed'] as const) this.pulls.inc({ outcome }, 0);
    this.reconcileSeconds = new Histogram({
      name: 'aaawatch_reconcile_duration_seconds',
      help: 'Time a full reconciliation took.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.reconcileFailures = new Counter({ name: 'aaawatch_reconcile_failures_total', help: 'Reconciliations that failed (the log says why).', registers });
    new Gauge({
      name: 'aaawatch_findings',
      help: 'Unresolved findings, by kind, severity and status.',
      labelNames: ['kind', 'severity', 'status'],
      registers,
      async collect() {
        if (!sources.findings) return;
        const counts = await sources.findings();
        this.reset();
        for (const f of counts) this.set({ kind: f.kind, severity: f.severity, status: f.status }, f.n);
      },
    });
    new Gauge({ name: 'aaawatch_build_info', help: 'The running version.', labelNames: ['version', 'node'], registers }).set({ version: VERSION, node: process.versions.node }, 1);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Start series at zero, so a rate is defined before the first event (e.g. each configured transport). */
  declare(names: Iterable<string>): void {
    for (const name of names) this.add(name, 0);
  }

  /**
   * A batch's counters (added) and absolute values (set), as the writer gathered them. The counts
   * are noted by name and added when read: RADIUS hands the store a batch per ~14 requests, and
   * prom-client's `inc` (labels built, validated and hashed) with the commit's histogram
   * `observe` in code run too seldom to be optimised took 5.6% of the main thread's CPU under
   * radclient load (perf, bench:aaa's load, 2026-12-03, shared machine).
   */
  batch(counters: Iterable<readonly [string, number]>, gauges: Iterable<readonly [string, number]>): void {
    const pending = this.pendingCounts;
    for (const [name, n] of counters) pending.set(name, (pending.get(name) ?? 0) + n);
    let first = true;
    for (const [name, v] of gauges) {
      // In the order given: a name counted and then set takes its count first.
      if (first) this.applyPending();
      first = false;
      this.set(name, v);
    }
  }

  storeCommitted(ms: number): void {
    this.pendingCommits.push(ms / 1000);
    // Bounded when nobody scrapes.
    if (this.pendingCommits.length >= PENDING_COMMITS_MAX) this.applyPending();
  }

  pulled(outcome: Outcome, ms: number): void {
    this.pulls.inc({ outcome });
    this.pullSeconds.observe({ outcome }, ms / 1000);
  }

  reconciled(ms: number, ok: boolean): void {
    if (ok) this.reconcileSeconds.observe(ms / 1000);
    else this.reconcileFailures.inc();
  }

  /** Everything now, as plain data. */
  snapshot(): Promise<MetricsSnapshot> {
    this.applyPending();
    return this.registry.getMetricsAsJSON();
  }

  /** What was noted since the series were last read, added to them. */
  private applyPending(): void {
    if (this.pendingCounts.size > 0) {
      const counts = this.pendingCounts;
      this.pendingCounts = new Map();
      for (const [name, n] of counts) this.add(name, n);
    }
    if (this.pendingCommits.length > 0) {
      const commits = this.pendingCommits;
      this.pendingCommits = [];
      for (const s of commits) this.storeBatch.observe(s);
    }
  }

  private metric(family: FamilySpec): Counter<string> | Gauge<string> {
    return this.families.get(family.metric)!;
  }

  private add(name: string, n: number): void {
    const { family, labels } = metricFor(name, false);
    this.metric(family).inc(labels, n);
  }

  private set(name: string, value: number): void {
    const { family, labels } = metricFor(name, true);
    const m = this.metric(family);
    if (m instanceof Gauge) {
      m.set(labels, value);
      return;
    }
    // A counter given its total: add what it grew by; a total that fell (a new socket) starts over.
    const last = this.lastAbsolute.get(name) ?? 0;
    this.lastAbsolute.set(name, value);
    if (value >= last) m.inc(labels, value - last);
    else {
      m.remove(labels);
      m.inc(labels, value);
    }
  }
}

/** Prometheus text exposition of one or more snapshots (this thread's, others' as they report). */
export function renderMetrics(snapshots: readonly MetricsSnapshot[]): Promise<string> {
  return AggregatorRegistry.aggregate(snapshots as MetricsSnapshot[]).metrics();
}
