// Alerts from an outbox of either engine (AlertOutbox, alerts.ts): queue what finding_history says
// since the last look, deliver what is due, and come back when the next retry falls due. The
// PostgreSQL leader (leader.ts) sends through it while it holds the leader lease; SQLite's
// ReconcileService keeps its own synchronous calls (its thread's step order is measured).

import type { AlertsConfig } from '../config/reconcile.js';
import type { Logger } from '../log.js';
import { deliverFrom, type AlertDestination, type AlertOutbox } from './alerts.js';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class AlertSender {
  private delivering: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** `mayDeliver`: asked before each write to the outbox (a leader that lost its lease leaves the outbox to the next). */
  constructor(
    private readonly outbox: AlertOutbox,
    private readonly destinations: readonly AlertDestination[],
    private readonly config: AlertsConfig,
    private readonly log: Logger,
    private readonly mayDeliver: () => boolean = () => true,
    private readonly now: () => number = Date.now,
  ) {}

  /** On a store that never sent alerts, findings raised before are not sent. */
  async startHere(): Promise<void> {
    await this.outbox.startHere();
  }

  /** Queue alerts for what changed, and deliver. Throws nothing. */
  async alert(): Promise<void> {
    if (this.stopped || !this.mayDeliver()) return;
    try {
      await this.outbox.collect(this.destinations.map((d) => d.name), this.config.minSeverity, this.now());
      this.deliver();
    } catch (err) {
      this.log.error({ error: errorText(err) }, 'alerts could not be queued');
    }
  }

  /** Wait for deliveries in progress. */
  async settle(): Promise<void> {
    while (this.delivering) await this.delivering;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.settle();
    for (const d of this.destinations) d.close?.();
  }

  private deliver(): void {
    if (this.delivering || this.stopped || this.destinations.length === 0 || !this.mayDeliver()) return;
    const c = this.config;
    this.delivering = deliverFrom(this.outbox, this.destinations, { attempts: c.attempts, retryDelayMs: c.retryDelaySeconds * 1000 }, this.log, this.now)
      .then(() => this.outbox.nextDue())
      .then(
        (due) => {
          this.delivering = undefined;
          if (due === undefined || this.stopped) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.deliver(), Math.max(10, due - this.now()));
          this.timer.unref();
        },
        (err: unknown) => {
          this.delivering = undefined;
          this.log.error({ error: errorText(err) }, 'alert delivery failed');
        },
      );
  }
}
