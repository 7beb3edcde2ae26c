// Scheduled pulls: one node-cron task per schedule (a device's own, its group's, or the
// default), each device started at a fixed offset within the jitter window so a thousand devices
// do not all connect in the same second, and never twice at once. Collectors sharing a store
// pull a device under its lease: the one that takes it pulls; the others leave the device for
// that round, whether they find the lease held or the device's run already begun this round.

import { createHash } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { DeviceConfig, PullConfig } from '../config/inventory.js';
import { pullDevice, type DeviceResult, type PullContext } from './run.js';
import type { Target } from './target.js';

/** A device's schedule: its own, else the first of its groups that has one, else the default. */
export function scheduleOf(device: DeviceConfig, pull: PullConfig): string {
  if (device.schedule) return device.schedule;
  for (const g of device.groups) {
    const s = pull.groups[g]?.schedule;
    if (s) return s;
  }
  return pull.schedule;
}

/** The same offset for a device on every run, spread evenly over the window. */
export function jitterMs(device: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  return createHash('sha256').update(device).digest().readUInt32BE(0) % windowMs;
}

/**
 * How far apart collectors' clocks may be for a round to be one round: a run of the device started
 * by another collector no earlier than this before our own round began is that round's pull.
 * Collectors keep time with NTP; a second is far more than NTP lets them drift.
 */
export const ROUND_SKEW_MS = 1000;

/**
 * A scheduled pull of one device in the round that began at `roundAt`: under its lease when
 * collectors share the store; 'left' when another collector holds the device or already pulled it.
 */
async function pullInRound(ctx: PullContext, t: Target, roundAt: number): Promise<DeviceResult | 'left'> {
  if (!ctx.leases) return pullDevice(ctx, t);
  const name = t.device.name;
  const r = await ctx.leases.exclusive(name, async (lost) => {
    const last = await ctx.store.lastRunStarted(name);
    if (last !== undefined && last >= roundAt - ROUND_SKEW_MS) return 'left' as const;
    return pullDevice(ctx, t, lost);
  });
  if (r === 'held-elsewhere' || r === 'left') {
    ctx.log.debug({ device: name, why: r === 'left' ? 'already pulled this round' : 'another collector holds its lease' }, 'pull left to another collector');
    return 'left';
  }
  return r;
}

export interface Scheduler {
  /** The schedules running, with the devices on each. */
  schedules: Array<{ expression: string; devices: string[] }>;
  stop(): Promise<void>;
}

export function startScheduler(ctx: PullContext, targets: readonly Target[]): Scheduler {
  const byExpression = new Map<string, Target[]>();
  for (const t of targets) {
    const e = scheduleOf(t.device, ctx.pull);
    byExpression.set(e, [...(byExpression.get(e) ?? []), t]);
  }
  const running = new Set<string>();
  const pending = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  const windowMs = ctx.pull.jitterSeconds * 1000;

  const start = (t: Target, roundAt: number): void => {
    const name = t.device.name;
    if (running.has(name)) {
      // Its previous run has not started (jitter) or not finished: a device is never pulled twice at once.
      ctx.log.warn({ device: name }, 'previous pull still waiting or running; this run is skipped');
      return;
    }
    running.add(name);
    const timer = setTimeout(() => {
      pending.delete(timer);
      const p = pullInRound(ctx, t, roundAt)
        .catch((err: unknown) => ctx.log.error({ device: name, error: err instanceof Error ? err.message : String(err) }, 'pull could not be recorded'))
        .finally(() => {
          running.delete(name);
          inFlight.delete(p);
        });
      inFlight.add(p);
    }, jitterMs(name, windowMs));
    pending.add(timer);
  };

  const tasks: ScheduledTask[] = [...byExpression].map(([expression, list]) =>
    cron.schedule(
      expression,
      () => {
        const roundAt = Date.now();
        ctx.log.info({ schedule: expression, devices: list.length }, 'scheduled pulls starting');
        ctx.store.pruneRuns(roundAt - ctx.pull.runHistoryDays * 86_400_000).catch((err: unknown) => {
          ctx.log.error({ error: err instanceof Error ? err.message : String(err) }, 'could not prune old pull runs');
        });
        for (const t of list) start(t, roundAt);
      },
      { name: `pull ${expression}` },
    ),
  );

  return {
    schedules: [...byExpression].map(([expression, list]) => ({ expression, devices: list.map((t) => t.device.name) })),
    async stop() {
      for (const task of tasks) await task.destroy();
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
