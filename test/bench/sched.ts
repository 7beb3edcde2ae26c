// Where a receiver's threads' time went over a stretch: running, runnable but waiting for a core, or
// asleep (/proc/<pid>/task/*/schedstat), and how often the box had a core idle (/proc/stat). CPU
// seconds alone cannot tell a receiver starved of CPU (its threads wait for a core) from one that
// stops itself while cores sit idle (a stop-and-go cycle: the UDP thread pausing while the store is
// behind, the main thread holding what was posted); this can.

import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { jobOf } from './process.js';

/** Each thread's name and its cumulative ns running and ns runnable but waiting, by thread id. */
function threadSched(pid: number): Map<number, { name: string; run: number; wait: number }> {
  const byThread = new Map<number, { name: string; run: number; wait: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      byThread.set(Number(tid), { name: readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(), run: Number(run), wait: Number(wait) });
    } catch {
      // The thread ended between the listing and the read, or the kernel keeps no schedstat.
    }
  }
  return byThread;
}

/** The box's idle (and iowait) and total jiffies so far, over every core. */
export function boxJiffies(): { idle: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3]! + f[4]!, total: f.reduce((a, b) => a + b, 0) };
}

/** What each job's threads did, as shares of the stretch (a job of several threads can pass 100%). */
export interface SchedSummary {
  jobs: Record<string, { running: number; waiting: number; asleep: number }>;
  /** Cores idle on average over the stretch. */
  idleCores: number;
  /** The share of samples in which at least a quarter of a core was idle; and of those, the main thread mostly asleep. */
  idleSamples: number;
  idleMainAsleep: number;
}

/**
 * Starts sampling process `pid` every `everyMs` (the caller's event loop must turn meanwhile: it
 * awaits a sender); `stop` ends it and sums the stretch. Undefined from `stop` when the kernel keeps
 * no per-thread schedstat.
 */
export function watchSched(pid: number, everyMs = 100): { stop: () => SchedSummary | undefined } {
  const cores = cpus().length;
  const first = { at: process.hrtime.bigint(), threads: threadSched(pid), box: boxJiffies() };
  let last = first;
  let samples = 0;
  let idle = 0;
  let idleMainAsleep = 0;
  const sample = (): typeof first => {
    const now = { at: process.hrtime.bigint(), threads: threadSched(pid), box: boxJiffies() };
    const ns = Number(now.at - last.at);
    const total = now.box.total - last.box.total;
    if (ns > 0 && total > 0) {
      samples++;
      if ((cores * (now.box.idle - last.box.idle)) / total >= 0.25) {
        idle++;
        const m0 = last.threads.get(pid);
        const m1 = now.threads.get(pid);
        if (m0 && m1 && 1 - (m1.run - m0.run + m1.wait - m0.wait) / ns >= 0.5) idleMainAsleep++;
      }
    }
    last = now;
    return now;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const end = sample();
      if (end.threads.size === 0) return undefined;
      const ns = Number(end.at - first.at);
      const jobs: SchedSummary['jobs'] = {};
      for (const [tid, t] of end.threads) {
        const t0 = first.threads.get(tid) ?? { run: 0, wait: 0 };
        const job = tid === pid ? 'main' : (jobOf(t.name) ?? 'rest');
        const j = (jobs[job] ??= { running: 0, waiting: 0, asleep: 0 });
        const running = (t.run - t0.run) / ns;
        const waiting = (t.wait - t0.wait) / ns;
        j.running += running;
        j.waiting += waiting;
        // A thread started within the stretch was not asleep before it began; the rest have one whole stretch each.
        if (first.threads.has(tid)) j.asleep += Math.max(0, 1 - running - waiting);
      }
      const box = end.box.total - first.box.total;
      return {
        jobs,
        idleCores: box > 0 ? (cores * (end.box.idle - first.box.idle)) / box : 0,
        idleSamples: samples ? idle / samples : 0,
        idleMainAsleep: samples ? idleMainAsleep / samples : 0,
      };
    },
  };
}

/** One line: each job's running / waiting for a core / asleep, and the box's idle. */
export function schedText(s: SchedSummary): string {
  const pct = (x: number): string => `${Math.round(100 * x)}`;
  const named = ['main', 'udp', 'store', 'reconcile'];
  const jobs = named
    .filter((j) => s.jobs[j])
    .map((j) => `${j} ${pct(s.jobs[j]!.running)}/${pct(s.jobs[j]!.waiting)}/${pct(s.jobs[j]!.asleep)}%`);
  // The other threads together (a peer's workers, V8's helpers, the checkpoint thread): running and
  // waiting only, as a dozen mostly idle threads' sleep says nothing.
  const others = Object.entries(s.jobs).filter(([j]) => !named.includes(j));
  if (others.length) {
    const sum = (k: 'running' | 'waiting'): number => others.reduce((a, [, t]) => a + t[k], 0);
    jobs.push(`other threads ${pct(sum('running'))}/${pct(sum('waiting'))}%`);
  }
  return `time running / waiting for a core / asleep: ${jobs.join(', ')}; box idle ${s.idleCores.toFixed(2)} cores on average, ≥ 0.25 core idle in ${pct(s.idleSamples)}% of 100 ms samples (the main thread asleep in ${pct(s.idleMainAsleep)}%)`;
}
