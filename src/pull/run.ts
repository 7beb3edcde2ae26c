// Pulling devices: each device's attempts (retried with backoff when another try may pass),
// under a shared concurrency limit, each outcome recorded. A device's failure is its own: it is
// logged and recorded, never thrown at the caller; a store that cannot take an outcome is a failed
// result too, logged and recorded nowhere.

import type { PullConfig } from '../config/inventory.js';
import type { Logger } from '../log.js';
import { attemptPull, type Pulled, type Trust } from './attempt.js';
import { digest, type Digest } from './digest.js';
import { asPullError, type PullFailure } from './errors.js';
import { describeKey } from './hostkeys.js';
import { knownKeysFor, type KnownHostsEntry } from './known-hosts.js';
import type { Limiter } from './limiter.js';
import type { PullStore } from './pull-store.js';
import type { ReadLimits } from './reader.js';
import type { AccountCounts } from './record.js';
import { backoffMs, sleep } from './retry.js';
import { scrub } from './secret.js';
import { storeCause } from '../store/store-failure.js';
import type { Target } from './target.js';

/** How long output must pause after a prompt before it is taken as the end of a command. */
const SETTLE_MS = 25;

export interface PullContext {
  store: PullStore;
  log: Logger;
  pull: PullConfig;
  knownHosts: readonly KnownHostsEntry[];
  limiter: Limiter;
  /** Told of every finished pull (the collector refreshes what it knows of the device's accounts, and reconciles). */
  onResult?: (result: DeviceResult) => void;
  /**
   * Collectors sharing a store (PostgreSQL): a scheduled pull runs only under the device's lease,
   * so one collector pulls a device at a time. Absent on SQLite, where one process pulls.
   */
  leases?: PullLeases;
}

export interface PullLeases {
  /**
   * Run `work` as the only collector pulling `device`: 'held-elsewhere' when another collector is.
   * `lost` aborts when the lease could not be renewed in time (another collector may take it).
   */
  exclusive<T>(device: string, work: (lost: AbortSignal) => Promise<T>): Promise<T | 'held-elsewhere'>;
}

export interface DeviceResult {
  device: string;
  outcome: 'changed' | 'unchanged' | 'failed';
  attempts: number;
  ms: number;
  snapshotId?: number;
  accounts?: AccountCounts;
  failure?: PullFailure;
  error?: string;
}

async function trustFor(ctx: PullContext, target: Target): Promise<Trust & { source: 'tofu' | 'known_hosts' }> {
  const { device } = target;
  const known = knownKeysFor(ctx.knownHosts, [device.address, device.name], device.port);
  if (known.trusted.length || known.revoked.length) return { ...known, source: 'known_hosts' };
  const pin = await ctx.store.hostKey(device.name);
  return { trusted: pin ? [describeKey(pin.key)] : [], revoked: [], source: 'tofu' };
}

/**
 * Pull a device, retrying what may pass, and record the outcome. `lease`: the signal of the pull
 * lease it runs under (collectors sharing a store); once it aborts, another collector may be
 * pulling the device, so this pull stops and records nothing (two runs of a device never overlap
 * in the store).
 */
export async function pullDevice(ctx: PullContext, target: Target, lease?: AbortSignal): Promise<DeviceResult> {
  const tried: Tried = { attempts: 0, startedAt: Date.now(), marks: [] };
  let result: DeviceResult;
  try {
    result = await pullWithRetries(ctx, target, lease, tried);
  } catch (err) {
    result = notRecorded(ctx, target.device.name, tried, err);
  }
  await endMarks(ctx, target.device.name, tried.marks);
  ctx.onResult?.(result);
  return result;
}

/** How far a pull got: its attempts so far, when it started, and its attempts' marks as under way (markUnderWay). */
interface Tried {
  attempts: number;
  startedAt: number;
  marks: number[];
}

/**
 * Where a store's account records may hold what a pull is reading: an attempt is marked as under
 * way before it connects, so that reconciliation judges a creation logged meanwhile only against
 * what the pull then shows (src/reconcile/under-way.ts). Without a mark (the store refused it) such
 * a creation is judged as before: a re-issue logged while the pull stores can be raised as
 * account-created. The mark lasts the attempt's total timeout and a margin for storing its outcome.
 */
async function markUnderWay(ctx: PullContext, target: Target, tried: Tried): Promise<void> {
  const at = Date.now();
  try {
    tried.marks.push(await ctx.store.markUnderWay(target.device.name, at, at + target.timeouts.total + MARK_MARGIN_MS));
  } catch (err) {
    ctx.log.warn({ device: target.device.name, error: storeCause(err) }, 'the pull could not be marked as under way; a username re-issued while it runs may be raised as account-created');
  }
}

/** How long past an attempt's total timeout its mark stands: the outcome's transaction waits its turn for the write lock (db.ts busy timeout). */
const MARK_MARGIN_MS = 60_000;

/** The pull ended, its outcome stored or not: its marks go (one the store keeps expires on its own). */
async function endMarks(ctx: PullContext, device: string, marks: readonly number[]): Promise<void> {
  if (!marks.length) return;
  try {
    await ctx.store.endMarks(marks);
  } catch (err) {
    ctx.log.warn({ device, error: storeCause(err) }, 'the pull could not be marked as ended; creations logged on the device wait for its mark to expire');
  }
}

/**
 * The store could not take the pull's outcome (its write lock held past the busy timeout, a full
 * disk, PostgreSQL gone): nothing of this pull is recorded. A failed result naming the store and
 * the cause, not an exception: the command line prints it against the device and exits 1 (one
 * thrown out of `pull --all` ended the command while other devices were still being pulled).
 */
function notRecorded(ctx: PullContext, device: string, tried: Tried, err: unknown): DeviceResult {
  const error = `not recorded: the store at ${ctx.store.where} could not take the outcome: ${storeCause(err)}`;
  ctx.log.error({ device, attempts: tried.attempts, error }, 'pull could not be recorded');
  return { device, outcome: 'failed', attempts: tried.attempts, ms: Date.now() - tried.startedAt, error };
}

/** The result of a pull whose lease ran out before its outcome was recorded. */
function leaseLost(ctx: PullContext, device: string, attempts: number, startedAt: number): DeviceResult {
  const error = 'the pull lease ran out before the outcome could be recorded (another collector may pull it now); nothing recorded';
  ctx.log.warn({ device, attempts }, error);
  return { device, outcome: 'failed', attempts, ms: Date.now() - startedAt, error };
}

async function pullWithRetries(ctx: PullContext, target: Target, lease: AbortSignal | undefined, tried: Tried): Promise<DeviceResult> {
  const { device, credential } = target;
  const secrets = [credential.password, credential.enableSecret, credential.passphrase];
  const limits: ReadLimits = { maxBytes: ctx.pull.maxConfigBytes, maxLineLength: ctx.pull.maxLineLength, settleMs: SETTLE_MS };
  const { startedAt } = tried;
  for (let attempt = 1; ; attempt++) {
    if (lease?.aborted) return leaseLost(ctx, device.name, attempt - 1, startedAt);
    const trust = await trustFor(ctx, target);
    tried.attempts = attempt;
    let read: { pulled: Pulled; digest: Digest };
    try {
      const pulled = await ctx.limiter.run(async () => {
        await markUnderWay(ctx, target, tried);
        return attemptPull(target, trust, limits);
      });
      read = { pulled, digest: digest(target.platform, pulled.raw) };
    } catch (err) {
      if (lease?.aborted) return leaseLost(ctx, device.name, attempt, startedAt);
      const error = asPullError(err);
      const message = scrub(error.message, secrets);
      if (error.retryable && attempt <= ctx.pull.retries) {
        const wait = backoffMs(attempt, ctx.pull.retryDelaySeconds * 1000);
        ctx.log.warn({ device: device.name, failure: error.failure, error: message, attempt, retryInMs: wait }, 'pull failed, will retry');
        await sleep(wait);
        continue;
      }
      const finishedAt = Date.now();
      const failures = await ctx.store.recordFailure({
        device: device.name, startedAt, finishedAt, attempts: attempt, error, message, failuresBeforeFinding: ctx.pull.failuresBeforeFinding,
      });
      ctx.log.error({ device: device.name, failure: error.failure, error: message, attempts: attempt, consecutiveFailures: failures }, 'pull failed');
      return { device: device.name, outcome: 'failed', attempts: attempt, ms: finishedAt - startedAt, failure: error.failure, error: message };
    }
    if (lease?.aborted) return leaseLost(ctx, device.name, attempt, startedAt);
    // Outside the device's failures: a store that cannot take the outcome (SQLITE_BUSY past the
    // busy timeout) is not the device failing, and taken for one it was recorded as a failed run,
    // "connect: cannot connect: SQLITE_BUSY" (pullDevice's notRecorded says what it is).
    const { pulled, digest: d } = read;
    const finishedAt = Date.now();
    const saved = await ctx.store.recordSuccess({
      device: device.name, platform: target.platform.id, startedAt, readAt: pulled.readAt, finishedAt, attempts: attempt,
      digest: d, hostKey: pulled.hostKey, keySource: trust.source,
    });
    const result: DeviceResult = {
      device: device.name, outcome: saved.changed ? 'changed' : 'unchanged', attempts: attempt, ms: finishedAt - startedAt,
      snapshotId: saved.snapshotId, accounts: saved.accounts,
    };
    ctx.log.info({ device: device.name, outcome: result.outcome, snapshot: saved.snapshotId, accounts: saved.accounts, ms: result.ms, attempts: attempt }, 'configuration pulled');
    for (const refused of pulled.refused) ctx.log.warn({ device: device.name, refused: scrub(refused, secrets) }, 'setup command refused');
    return result;
  }
}

export function pullAll(ctx: PullContext, targets: readonly Target[]): Promise<DeviceResult[]> {
  return Promise.all(targets.map((t) => pullDevice(ctx, t)));
}
