// What `serve` starts to be observed: the metrics, the health checks over its listeners and
// threads, and the systemd notifications (READY=1 once listening, WATCHDOG=1 while alive, STATUS=
// when the checks change, STOPPING=1). The web server asks it for /metrics and /healthz text.

import type { Logger } from '../log.js';
import { MAX_BACKLOG, type StoreThreadState } from '../store/writer-thread.js';
import { alive, evaluateHealth, starting, summary, type HealthReport, type ListenerState, type ThreadState } from './health.js';
import { CollectorMetrics, METRICS_CONTENT_TYPE, renderMetrics, type FindingCount, type MetricsSnapshot } from './metrics.js';
import { systemdNotifier, type Notifier } from './systemd.js';

const failingChecks = (r: HealthReport): string =>
  Object.entries(r.checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name)
    .join(',');

/** How often the threads are pinged when no watchdog asks for more. */
const PROBE_MS = 5000;

export interface Watched {
  listeners(): ListenerState[];
  store: { state(): StoreThreadState; ping(): void };
  reconcile?: { state(): ThreadState; ping(): void; findingCounts(): Promise<FindingCount[]> };
  /** The store's path and free space, for what says it cannot be written. */
  storeWhere?: () => string;
}

interface Bound {
  address: string;
  port: number;
  listening(): boolean;
}

/**
 * What serve runs, as the health checks see it: every receiver (syslog over UDP, TCP, TLS and
 * RELP, TACACS+ and RADIUS accounting; a receiver added to ingest is added here), the web server,
 * the store and reconciliation threads.
 */
export function watching(
  ingest: {
    udp?: Bound; tcp?: Bound; tls?: Bound; relp?: Bound;
    native: { tacacs?: Bound; tacacsTls?: Bound; radius?: Bound; radsec?: Bound };
    store: Watched['store'];
    storeWhere?: () => string;
  },
  reconcile: Watched['reconcile'],
  web: Bound | undefined,
): Watched {
  // Name, and the transport whose `received.<transport>` counts what the receiver takes in.
  const receivers: Array<[string, string, Bound | undefined]> = [
    ['syslog udp', 'udp', ingest.udp],
    ['syslog tcp', 'tcp', ingest.tcp],
    ['syslog tls', 'tls', ingest.tls],
    ['syslog relp', 'relp', ingest.relp],
    ['tacacs+', 'tacacs', ingest.native.tacacs],
    ['tacacs+ tls', 'tacacs', ingest.native.tacacsTls],
    ['radius', 'radius', ingest.native.radius],
    ['radsec', 'radius', ingest.native.radsec],
  ];
  return {
    listeners: () => [
      ...receivers.flatMap(([name, transport, l]) =>
        l ? [{ name, transport, address: l.address, port: l.port, listening: l.listening() }] : [],
      ),
      ...(web ? [{ name: 'web', address: web.address, port: web.port, listening: web.listening() }] : []),
    ],
    store: ingest.store,
    ...(ingest.storeWhere ? { storeWhere: ingest.storeWhere } : {}),
    ...(reconcile ? { reconcile } : {}),
  };
}

/** What the web server needs from this: a transport for the two answers, nothing more (asked across threads, so either may be awaited). */
export interface ObservePages {
  readonly metricsContentType: string;
  metricsText(): Promise<string>;
  health(): HealthReport | Promise<HealthReport>;
}

export class Observability implements ObservePages {
  readonly metrics: CollectorMetrics;
  readonly metricsContentType = METRICS_CONTENT_TYPE;
  private readonly notifier: Notifier | undefined;
  private watched: Watched | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The checks failing at the last look: the log and STATUS= change when these do. */
  private failing = '';

  constructor(
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.notifier = systemdNotifier(log, env);
    this.metrics = new CollectorMetrics({
      backlog: () => this.watched?.store.state().backlog ?? 0,
      backlogLimit: MAX_BACKLOG,
      writable: () => this.watched?.store.state().held === undefined,
      findings: () => this.watched?.reconcile?.findingCounts() ?? [],
    });
  }

  /** The store thread's events that feed the metrics (for startIngest). */
  get storeEvents(): { onBatch: (c: ReadonlyArray<readonly [string, number]>, g: ReadonlyArray<readonly [string, number]>) => void; onCommit: (ms: number) => void } {
    return {
      onBatch: (counters, gauges) => this.metrics.batch(counters, gauges),
      onCommit: (ms) => this.metrics.storeCommitted(ms),
    };
  }

  /** Listeners bound and the store ready: probe from now on, and tell systemd. */
  ready(watched: Watched): void {
    this.watched = watched;
    // Series that exist before their first event, so a rate over them is defined from the start.
    this.metrics.declare([...watched.listeners().flatMap((l) => (l.transport ? [`received.${l.transport}`] : [])), 'dropped.store-behind', 'dropped.store-unwritable']);
    const interval = Math.min(PROBE_MS, this.notifier?.watchdogIntervalMs ?? PROBE_MS);
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
    const report = this.health();
    this.failing = failingChecks(report);
    this.notifier?.send({ READY: '1', STATUS: this.status(report) });
    if (this.notifier?.watchdogIntervalMs && alive(report)) this.notifier.send({ WATCHDOG: '1' });
  }

  health(now = Date.now()): HealthReport {
    const w = this.watched;
    if (!w) return starting();
    return evaluateHealth({ listeners: w.listeners(), store: w.store.state(), reconcile: w.reconcile?.state(), backlogLimit: MAX_BACKLOG, ...(w.storeWhere ? { storePath: w.storeWhere } : {}) }, now);
  }

  async metricsText(): Promise<string> {
    return renderMetrics([await this.metricsSnapshot()]);
  }

  /** The metrics as plain data, for the web thread to render. */
  metricsSnapshot(): Promise<MetricsSnapshot> {
    return this.metrics.snapshot();
  }

  /** Shutting down: systemd stops waiting for pings. */
  stopping(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.notifier?.send({ STOPPING: '1', STATUS: 'stopping' });
  }

  /** Every notification handed to systemd: before the process exits. */
  async close(): Promise<void> {
    await this.notifier?.flushed();
  }

  /** Ping the threads, judge, feed the watchdog while alive, and say when the verdict changes. */
  private tick(): void {
    const w = this.watched!;
    const report = this.health();
    w.store.ping();
    w.reconcile?.ping();
    const failing = failingChecks(report);
    if (failing !== this.failing) {
      if (report.ok) this.log.info('health: all checks pass again');
      else this.log.warn({ checks: report.checks }, `health: ${summary(report)}`);
      this.notifier?.send({ STATUS: this.status(report) });
      this.failing = failing;
    }
    if (this.notifier?.watchdogIntervalMs && alive(report)) this.notifier.send({ WATCHDOG: '1' });
  }

  private status(report: HealthReport): string {
    if (!report.ok) return summary(report);
    return `collecting; ${(this.watched?.listeners() ?? []).map((l) => `${l.name} :${l.port}`).join(', ')}`;
  }
}
