// Scale and schedules: the concurrency limit holds, a hung device holds one slot for its own
// timeout and delays no other device, and node-cron schedules start each device once per firing,
// at its own offset within the jitter window, never twice at once.
//
// Time is the subject here, so it is virtual (test/support/virtual-time.ts): cron, jitter and
// timeouts run on a clock that moves one millisecond per turn of the event loop, while the pulls
// talk to emulated devices over real sockets.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { parseConfig } from '../../src/config/load.js';
import { Limiter } from '../../src/pull/limiter.js';
import { sqlitePullStore } from '../../src/pull/pull-store.js';
import { pullAll, pullDevice } from '../../src/pull/run.js';
import { jitterMs, startScheduler } from '../../src/pull/schedule.js';
import { startPulls } from '../../src/pull/setup.js';
import { openDatabase } from '../../src/store/db.js';
import { listPullStates, recentRuns } from '../../src/store/pull.js';
import { corpusPath } from '../support/corpus.js';
import { startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { capturingLogger, emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { elapse, settle, until, useVirtualTime } from '../support/virtual-time.js';

const EOS = loadTranscript(corpusPath('ssh-sessions', 'eos#DCS-7050SX3-48YC8_4.29.2F#simulation.yaml'));
const running: RunningEmulator[] = [];
let realTime: (() => void) | undefined;
beforeEach(() => {
  realTime = useVirtualTime();
});
afterEach(() => realTime?.());
afterAll(async () => {
  for (const e of running) await e.close();
});

async function emulate(o: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const e = await startEmulator(o);
  running.push(e);
  return e;
}

describe('concurrency', () => {
  it('never runs more than the limit at once, and starts a waiting task as soon as a slot frees', async () => {
    const limiter = new Limiter(3);
    const release: Array<() => void> = [];
    let active = 0;
    let peak = 0;
    const all = Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise<void>((r) => release.push(r));
          active--;
        }),
      ),
    );
    await Promise.resolve();
    expect(active).toBe(3);
    for (let freed = 0; freed < 12; freed++) {
      release.shift()!();
      // The freed slot is taken by the next waiting task within the same few microtasks.
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(active).toBe(Math.min(3, 12 - freed - 1));
    }
    await all;
    expect(peak).toBe(3);
  });

  it('a hung device holds one slot for its own timeout and delays no other device', async () => {
    const db = openDatabase(':memory:');
    const hung = await emulate({ transcript: EOS, hang: 'command' });
    const fast = await emulate({ transcript: EOS });
    const ctx = pullContext(db, { pull: { concurrency: 3 } });
    const started = Date.now();
    const finished = new Map<string, number>();
    const targets = [
      emulatedTarget(hung.port, 'arista-eos', { name: 'hung', timeouts: { command: 3000 } }),
      ...Array.from({ length: 8 }, (_, i) => emulatedTarget(fast.port, 'arista-eos', { name: `fast-${i}` })),
    ];
    const results = await settle(
      Promise.all(
        targets.map((t) =>
          pullDevice(ctx, t).then((r) => {
            finished.set(r.device, Date.now() - started);
            return r;
          }),
        ),
      ),
    );
    expect(results.find((r) => r.device === 'hung')!.failure).toBe('timeout');
    expect(results.filter((r) => r.device !== 'hung').every((r) => r.outcome === 'changed')).toBe(true);
    // Eight devices through the two free slots, all before the hung device's 3 s are up.
    const slowestFast = Math.max(...[...finished].filter(([d]) => d !== 'hung').map(([, ms]) => ms));
    expect(slowestFast).toBeLessThan(3000);
    expect(finished.get('hung')!).toBeGreaterThanOrEqual(3000);
    db.close();
  });
});

describe('schedules', () => {
  it('fires per schedule, starts each device at its own offset in the jitter window, never twice at once, and stops cleanly', async () => {
    const db = openDatabase(':memory:');
    const emu = await emulate({ transcript: EOS });
    const hung = await emulate({ transcript: EOS, hang: 'command' });
    const { log, lines } = capturingLogger();
    // Six-field cron (with seconds), every second; a 1 s jitter window.
    const ctx = pullContext(db, { log, pull: { schedule: '* * * * * *', jitterSeconds: 1, groups: { slow: { schedule: '0 0 1 1 *' } } } });
    const targets = [
      ...Array.from({ length: 4 }, (_, i) => emulatedTarget(emu.port, 'arista-eos', { name: `sw${i}` })),
      // Hangs for 2.5 s, so the next two firings find it still running.
      emulatedTarget(hung.port, 'arista-eos', { name: 'stuck', timeouts: { command: 2500 } }),
      emulatedTarget(emu.port, 'arista-eos', { name: 'yearly', device: { groups: ['slow'] } }),
    ];
    const scheduler = startScheduler(ctx, targets);
    expect(scheduler.schedules.map((s) => [s.expression, s.devices.length])).toEqual([
      ['* * * * * *', 5],
      ['0 0 1 1 *', 1],
    ]);
    await elapse(4000);
    await settle(scheduler.stop());

    const states = listPullStates(db);
    expect(states.map((s) => s.device).sort()).toEqual(['stuck', 'sw0', 'sw1', 'sw2', 'sw3']);
    for (const name of ['sw0', 'sw1', 'sw2', 'sw3']) {
      const runs = recentRuns(db, name, 10);
      // Four firings in four seconds, less the last one's when its offset fell after the stop.
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.every((r) => r.outcome !== 'failed')).toBe(true);
      // Cron fires on the second; the device starts at its offset after it.
      for (const r of runs) expect(r.started_at % 1000).toBe(jitterMs(name, 1000));
    }
    const stuck = recentRuns(db, 'stuck', 10).reverse();
    expect(stuck.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < stuck.length; i++) expect(stuck[i]!.started_at).toBeGreaterThanOrEqual(stuck[i - 1]!.finished_at);
    expect(lines.filter((l) => l.includes('"device":"stuck"') && l.includes('this run is skipped')).length).toBeGreaterThanOrEqual(1);
    db.close();
  });

  it('startPulls: what `aaawatch serve` runs, from the configuration alone', async () => {
    const emu = await emulate({ transcript: EOS });
    process.env.AAAWATCH_TEST_PULL_PASSWORD = 'Emulator-Pass-42';
    const config = parseConfig(
      [
        'devices:',
        `  - { name: leaf1, address: 127.0.0.1, port: ${emu.port}, platform: arista-eos, schedule: "* * * * * *" }`,
        '  - { name: ise1, address: 127.0.0.1, platform: cisco-ise }',
        'pull:',
        '  jitterSeconds: 0',
        '  credentials:',
        '    default: { username: aaawatch, password: { env: AAAWATCH_TEST_PULL_PASSWORD } }',
      ].join('\n'),
      'serve.yaml',
      platforms,
    );
    const db = openDatabase(':memory:');
    const { log, lines } = capturingLogger();
    const scheduler = startPulls(config, sqlitePullStore(db), log);
    await elapse(2500);
    await settle(scheduler.stop());
    expect(listPullStates(db).map((s) => [s.device, s.failures])).toEqual([['leaf1', 0]]);
    expect(recentRuns(db, 'leaf1', 10).length).toBeGreaterThanOrEqual(2);
    expect(lines.join('')).toContain('pull schedule running');
    delete process.env.AAAWATCH_TEST_PULL_PASSWORD;
    db.close();
  });

  it('pullAll returns every device\'s outcome, failures included, without throwing', async () => {
    const db = openDatabase(':memory:');
    const emu = await emulate({ transcript: EOS });
    const r = await until(
      pullAll(pullContext(db), [emulatedTarget(emu.port, 'arista-eos', { name: 'ok' }), emulatedTarget(1, 'arista-eos', { name: 'refused', timeouts: { connect: 500 } })]),
    );
    expect(r.ok && r.value.map((d) => [d.device, d.outcome])).toEqual([
      ['ok', 'changed'],
      ['refused', 'failed'],
    ]);
    db.close();
  });
});
