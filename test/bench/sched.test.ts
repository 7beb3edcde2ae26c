import { describe, expect, it } from 'vitest';
import { schedText, watchSched } from './sched.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("bench: where a process's threads spent a stretch", () => {
  it('tells the main thread busy (running or waiting for a core) from asleep', async () => {
    const watch = watchSched(process.pid);
    // Busy for 400 ms of wall time: running, or runnable and waiting, however loaded the box is.
    for (const until = Date.now() + 400; Date.now() < until; );
    await sleep(400);
    const s = watch.stop()!;
    const main = s.jobs.main!;
    // ~0.5 busy and ~0.5 asleep over ~800 ms; a late timer on a loaded box only lengthens the sleep (so the
    // busy share's floor is low: 400 ms against a sleep stretched up to 3.6 s).
    expect(main.running + main.waiting).toBeGreaterThan(0.1);
    expect(main.running + main.waiting).toBeLessThan(0.75);
    expect(main.asleep).toBeGreaterThan(0.25);
    expect(main.running + main.waiting + main.asleep).toBeCloseTo(1, 1);
    expect(s.idleCores).toBeGreaterThanOrEqual(0);
    expect(schedText(s)).toMatch(/^time running \/ waiting for a core \/ asleep: main \d+\/\d+\/\d+%(, other threads \d+\/\d+%)?; box idle \d+\.\d\d cores/);
  });
});
