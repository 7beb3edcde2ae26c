// The receivers a benchmark runs as child processes: started until ready, stopped, and what they
// spend (CPU seconds over all threads, peak RSS) read from /proc.

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export async function startProcess(cmd: string, args: string[], ready: () => boolean, what: string, options: SpawnOptions = {}, waitMs = 10_000): Promise<ChildProcess> {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  // What it says, for the error when it does not start; kept short, and always read so it never blocks.
  let err = '';
  const keep = (d: Buffer): void => {
    err = (err + d.toString()).slice(-2000);
  };
  p.stdout!.on('data', keep);
  p.stderr!.on('data', keep);
  for (let i = 0; i < waitMs / 100; i++) {
    if (ready()) return p;
    if (p.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`${what} did not start (exit ${p.exitCode ?? "none"}): ${err.slice(-500)}`);
}

export function stop(p: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (p.exitCode !== null) return r();
    p.once('exit', () => r());
    p.kill('SIGTERM');
  });
}

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Start measuring what a receiver spends; `stop` returns the CPU seconds it used meanwhile. */
export function measure(pid: number): { stop: () => number } {
  const cpu0 = cpuSeconds(pid);
  return { stop: () => cpuSeconds(pid) - cpu0 };
}

/** One thread's name (its /proc comm) and CPU seconds (user + system) so far. */
export interface ThreadCpu {
  name: string;
  cpu: number;
}

/** CPU seconds of each of a process's threads so far, by thread id. */
export function threadCpuSeconds(pid: number): Map<number, ThreadCpu> {
  const byThread = new Map<number, ThreadCpu>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(') ');
      const fields = stat.slice(close + 2).split(' ');
      byThread.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, close), cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byThread;
}

/** What an aaawatch process's threads spent between two readings, by the thread's job. */
export interface ThreadSplit {
  /** The thread that reads the sockets (its id is the process's). */
  main: number;
  store: number;
  reconcile: number;
  checkpoint: number;
  /** The UDP receiving thread (`aaw-udp`; in the main thread before it). */
  udp: number;
  /** V8's GC and compiler helpers, libuv's pool, the web thread. */
  rest: number;
}

/** aaawatch's worker threads' jobs by the names they give themselves (src/thread-priority.ts). */
const JOBS = { 'aaw-store': 'store', 'aaw-reconcile': 'reconcile', 'aaw-checkpoint': 'checkpoint', 'aaw-udp': 'udp' } as const;

/** The job of a thread of aaawatch by its name; undefined for the main thread and any unnamed one. */
export function jobOf(name: string): (typeof JOBS)[keyof typeof JOBS] | undefined {
  return Object.hasOwn(JOBS, name) ? JOBS[name as keyof typeof JOBS] : undefined;
}

/**
 * A process's thread CPU between two readings, by the names aaawatch's worker threads give
 * themselves (src/thread-priority.ts). A build from before the names (BENCH_CLI, a base commit)
 * names none: its store thread is then taken to be the busiest other thread, as it always is under
 * write load, and its reconcile and checkpoint threads fall into the rest.
 */
export function threadSplit(pid: number, before: Map<number, ThreadCpu>, after: Map<number, ThreadCpu>): ThreadSplit {
  const split: ThreadSplit = { main: 0, store: 0, reconcile: 0, checkpoint: 0, udp: 0, rest: 0 };
  const unnamed: number[] = [];
  let named = false;
  for (const [tid, { name, cpu }] of after) {
    const spent = cpu - (before.get(tid)?.cpu ?? 0);
    const job = tid === pid ? 'main' : jobOf(name);
    if (job) split[job] = spent;
    else unnamed.push(spent);
    if (job === 'store') named = true;
  }
  unnamed.sort((a, b) => b - a);
  if (!named) split.store = unnamed.shift() ?? 0;
  split.rest = unnamed.reduce((a, b) => a + b, 0);
  return split;
}
