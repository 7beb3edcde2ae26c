// The store-unwritable finding on a shared PostgreSQL store: raised by the collector whose writes
// were held (the server down, unreachable, out of room or refusing writes), once its store thread
// can write again, with SQLite's wording and rule (src/reconcile/store-unwritable.ts: one open
// finding on `(aaawatch)` gathers every episode). The database may fail again before the finding
// is in: episodes wait in memory and are tried again until written or serve stops, as SQLite's
// wait for room. The leader alerts it from the finding's history, as any collector's findings.

import type pg from 'pg';
import type { Logger } from '../../log.js';
import { storeUnwritableFinding } from '../../reconcile/store-unwritable.js';
import type { StoreEpisode } from '../store-failure.js';
import { raiseFindingPg } from './findings.js';
import { inTransaction } from './transaction.js';

/** Between attempts while the database still refuses: the store thread's retries get there first. */
const RETRY_MS = 5000;

export class UnwritableFindings {
  private readonly waiting: StoreEpisode[] = [];
  private timer: NodeJS.Timeout | undefined;
  private raising: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly retryMs = RETRY_MS,
  ) {}

  /** An episode just ended: raise its finding now, or as soon as the database takes it. */
  add(e: StoreEpisode): void {
    this.waiting.push(e);
    this.kick();
  }

  /** Every episode told so far is raised (tests). */
  async settled(): Promise<void> {
    while (this.raising || this.timer) await (this.raising ?? new Promise((r) => setTimeout(r, 50)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.raising;
    if (this.waiting.length) this.log.error({ episodes: this.waiting.length }, 'stopped before the store-unwritable finding could be raised');
  }

  private kick(): void {
    if (this.raising || this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.raising = this.raiseWaiting().finally(() => {
      this.raising = undefined;
    });
  }

  private async raiseWaiting(): Promise<void> {
    while (this.waiting.length && !this.stopped) {
      const e = this.waiting[0]!;
      try {
        await inTransaction(this.pool, (c) => raiseFindingPg(c, storeUnwritableFinding(e)));
        this.waiting.shift();
      } catch (err) {
        this.log.error({ error: err instanceof Error ? err.message : String(err) }, `the store-unwritable finding could not be raised yet; trying again in ${this.retryMs / 1000} s`);
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.kick();
        }, this.retryMs);
        this.timer.unref();
        return;
      }
    }
  }
}
