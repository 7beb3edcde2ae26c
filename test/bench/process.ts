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

/** CPU seconds (user + system) of each of a process's threads so far, by thread id. */
export function threadCpuSeconds(pid: number): Map<number, number> {
  const byThread = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      byThread.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byThread;
}

/**
 * What a process's threads spent between two readings: the main thread (its id is the process's),
 * the busiest other thread (for aaawatch, the store thread: Node names none of its threads), the
 * second busiest (for aaawatch under write load, the WAL checkpoint thread), and the rest together
 * (V8's and libuv's helpers, the reconciliation thread).
 */
export function threadSplit(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; busiest: number; second: number; rest: number } {
  const others: number[] = [];
  let main = 0;
  for (const [tid, cpu] of after) {
    const spent = cpu - (before.get(tid) ?? 0);
    if (tid === pid) main = spent;
    else others.push(spent);
  }
  others.sort((a, b) => b - a);
  return { main, busiest: others[0] ?? 0, second: others[1] ?? 0, rest: others.slice(2).reduce((a, b) => a + b, 0) };
}
