// Scheduled pulls: one node-cron task per schedule (a device's own, its group's, or the
// default), each device started at a fixed offset within the jitter window so a thousand devices
// do not all connect in the same second, and never twice at once.

import { createHash } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { DeviceConfig, PullConfig } from '../config/inventory.js';
import { pruneRuns } from '../store/pull.js';
import { pullDevice, type PullContext } from './run.js';
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

  const start = (t: Target): void => {
    const name = t.device.name;
    if (running.has(name)) {
      // Its previous run has not started (jitter) or not finished: a device is never pulled twice at once.
      ctx.log.warn({ device: name }, 'previous pull still waiting or running; this run is skipped');
      return;
    }
    running.add(name);
    const timer = setTimeout(() => {
      pending.delete(timer);
      const p = pullDevice(ctx, t)
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
        ctx.log.info({ schedule: expression, devices: list.length }, 'scheduled pulls starting');
        try {
          pruneRuns(ctx.db, Date.now() - ctx.pull.runHistoryDays * 86_400_000);
        } catch (err) {
          ctx.log.error({ error: err instanceof Error ? err.message : String(err) }, 'could not prune old pull runs');
        }
        for (const t of list) start(t);
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
