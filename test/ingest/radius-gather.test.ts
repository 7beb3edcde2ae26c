// The commit gate's gathering window (src/ingest/native/commit.ts), as RADIUS uses it: requests that
// arrive within the window share one batch and one commit, and none is answered before that commit.
// A real IngestWriter; its sink stands for the store thread, committing when the test says. The
// clock is vitest's, so a window's edges are exact whatever the machine's load.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommitGate } from '../../src/ingest/native/commit.js';
import { GATHER_DEPTH } from '../../src/ingest/radius/requests.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { IngestWriter } from '../../src/store/writer.js';

/** Time passes (timers and immediates run, and the promise reactions they cause). */
const sleep = (ms: number): Promise<void> => vi.advanceTimersByTimeAsync(ms).then(() => undefined);
/** One turn of the event loop: the immediates queued so far run. */
const nextTurn = (): Promise<void> => vi.advanceTimersByTimeAsync(0).then(() => undefined);

/** A writer whose batches wait until the test commits (or fails) them, oldest first. */
function storeThread() {
  const batches: IngestBatch[] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const writer = new IngestWriter(
    { write: (b) => (batches.push(b), new Promise<void>((resolve, reject) => pending.push({ resolve, reject }))) },
    { batchRows: 1000, batchMillis: 60_000, keepRejectedPerReason: 0 },
  );
  return {
    writer,
    batches,
    commit: () => pending.shift()!.resolve(),
    fail: () => pending.shift()!.reject(new Error('disk full')),
  };
}

/** One request: its row handed to the writer after a mark, its answer noted when the gate says. */
function request(gate: CommitGate, writer: IngestWriter, source: string, answers: string[]): void {
  const mark = gate.mark();
  writer.nativeRequest('radius', source, source, Date.now(), 'accepted');
  gate.whenCommitted(mark, { stored: () => answers.push(`stored ${source}`), failed: () => answers.push(`failed ${source}`) });
}

const sourcesOf = (b: IngestBatch): string[] => (b.native ?? []).map((n) => n.source);

describe('the commit gate with a gathering window', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('requests arriving within the window share one batch, answered only once it is committed', async () => {
    const s = storeThread();
    // Under the writer's own idle hand-over (20 ms), which would otherwise send the batch first.
    const gate = new CommitGate(s.writer, 15);
    const answers: string[] = [];
    request(gate, s.writer, '10.0.0.1', answers);
    await sleep(5);
    request(gate, s.writer, '10.0.0.2', answers);
    await sleep(5);
    request(gate, s.writer, '10.0.0.3', answers);
    await sleep(4);
    expect(s.batches).toHaveLength(0);
    await sleep(1);
    expect(s.batches.map(sourcesOf)).toEqual([['10.0.0.1', '10.0.0.2', '10.0.0.3']]);
    await sleep(10);
    expect(answers).toEqual([]);
    s.commit();
    await sleep(0);
    expect(answers).toEqual(['stored 10.0.0.1', 'stored 10.0.0.2', 'stored 10.0.0.3']);
  });

  it('without a window, each turn of the event loop is a group of its own', async () => {
    const s = storeThread();
    const gate = new CommitGate(s.writer);
    const answers: string[] = [];
    request(gate, s.writer, '10.0.0.1', answers);
    request(gate, s.writer, '10.0.0.2', answers);
    await nextTurn();
    request(gate, s.writer, '10.0.0.3', answers);
    await nextTurn();
    expect(s.batches.map(sourcesOf)).toEqual([['10.0.0.1', '10.0.0.2'], ['10.0.0.3']]);
    s.commit();
    s.commit();
    await sleep(0);
    expect(answers).toEqual(['stored 10.0.0.1', 'stored 10.0.0.2', 'stored 10.0.0.3']);
  });

  it('a group gathering while two are under way waits for a place; each answer follows its own commit, a failed one answers failed', async () => {
    const s = storeThread();
    const gate = new CommitGate(s.writer, 5, 2);
    const answers: string[] = [];
    request(gate, s.writer, '10.0.0.1', answers);
    await sleep(10);
    request(gate, s.writer, '10.0.0.2', answers);
    await sleep(10);
    request(gate, s.writer, '10.0.0.3', answers);
    await sleep(10);
    s.fail();
    await sleep(10);
    expect(answers).toEqual(['failed 10.0.0.1']);
    s.commit();
    await sleep(10);
    expect(answers).toEqual(['failed 10.0.0.1', 'stored 10.0.0.2']);
    s.commit();
    await sleep(10);
    expect(answers).toEqual(['failed 10.0.0.1', 'stored 10.0.0.2', 'stored 10.0.0.3']);
    expect(s.batches.map(sourcesOf)).toEqual([['10.0.0.1'], ['10.0.0.2'], ['10.0.0.3']]);
  });

  it("with one group under way (RADIUS's), a group whose window is over keeps gathering until the one before is committed, then goes in that turn", async () => {
    expect(GATHER_DEPTH).toBe(1);
    const s = storeThread();
    const gate = new CommitGate(s.writer, 5, GATHER_DEPTH);
    const answers: string[] = [];
    request(gate, s.writer, '10.0.0.1', answers);
    await sleep(5);
    expect(s.batches.map(sourcesOf)).toEqual([['10.0.0.1']]);
    await sleep(5);
    request(gate, s.writer, '10.0.0.2', answers);
    await sleep(6);
    // Its window is over, the first group is still being committed: it waits, and gathers on.
    expect(s.batches).toHaveLength(1);
    request(gate, s.writer, '10.0.0.3', answers);
    // (Within the writer's own idle hand-over, 20 ms from the group's first row here, which would send the batch first.)
    await sleep(10);
    expect(s.batches).toHaveLength(1);
    s.commit();
    await nextTurn();
    expect(answers).toEqual(['stored 10.0.0.1']);
    expect(s.batches.map(sourcesOf)).toEqual([['10.0.0.1'], ['10.0.0.2', '10.0.0.3']]);
    s.commit();
    await sleep(0);
    expect(answers).toEqual(['stored 10.0.0.1', 'stored 10.0.0.2', 'stored 10.0.0.3']);
  });
});
