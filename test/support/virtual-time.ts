// Virtual time for tests whose subject is time (timeouts, schedules, jitter) but whose peers are
// real sockets in this process (the SSH emulator). Timers and Date are faked; the clock moves one
// millisecond per turn of the event loop, and real I/O happens between turns. A loopback write is
// readable on the next turn, so how far the clock moves while waiting depends on the work done and
// the messages exchanged, not on how fast or how loaded the machine is: a 600 ms timeout fires
// after 600 idle turns, whatever they cost in wall-clock time.

import { vi } from 'vitest';

const realSetImmediate = setImmediate;
const turn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/** Fake setTimeout/setInterval and Date until the returned function is called. */
export function useVirtualTime(): () => void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  return () => vi.useRealTimers();
}

/** Move the clock `ms` milliseconds, one per turn of the event loop. */
export async function elapse(ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await turn();
    vi.advanceTimersByTime(1);
  }
}

/** The value of `work`, run in virtual time; its error is thrown. */
export async function settle<T>(work: Promise<T>, limitMs?: number): Promise<T> {
  const r = await until(work, limitMs);
  if (!r.ok) throw r.error;
  return r.value;
}

/** How `work` ended, and after how many virtual milliseconds. */
export type Settled<T> = ({ ok: true; value: T } | { ok: false; error: unknown }) & { ms: number };

/**
 * Run the clock until `work` settles, at most `limitMs` virtual milliseconds (then it throws: the
 * work hung past any timeout it should have had).
 */
export async function until<T>(work: Promise<T>, limitMs = 120_000): Promise<Settled<T>> {
  const started = Date.now();
  let done: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  work.then(
    (value) => (done = { ok: true, value }),
    (error: unknown) => (done = { ok: false, error }),
  );
  while (!done) {
    if (Date.now() - started > limitMs) throw new Error(`still running after ${limitMs} virtual ms`);
    await turn();
    if (!done) vi.advanceTimersByTime(1);
  }
  return { ...done, ms: Date.now() - started };
}
