// Scale and schedules: the concurrency limit holds, a hung device holds one slot for its own
// timeout and delays no other device, and node-cron schedules start each device once, spread
// over the jitter window.

import { afterAll, describe, expect, it } from 'vitest';
import { Limiter } from '../../src/pull/limiter.js';
import { pullAll, pullDevice } from '../../src/pull/run.js';
import { startScheduler } from '../../src/pull/schedule.js';
import { startPulls } from '../../src/pull/setup.js';
import { parseConfig } from '../../src/config/load.js';
import { openDatabase } from '../../src/store/db.js';
import { listPullStates } from '../../src/store/pull.js';
import { corpusPath } from '../support/corpus.js';
import { startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { capturingLogger, emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { loadTranscript } from '../support/emulator/transcript.js';

const EOS = loadTranscript(corpusPath('ssh-sessions', 'eos#DCS-7050SX3-48YC8_4.29.2F#simulation.yaml'));
const running: RunningEmulator[] = [];
afterAll(async () => {
  for (const e of running) await e.close();
});

describe('concurrency', () => {
  it('never runs more than the limit at once', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 10));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('a hung device delays no other device beyond its own timeout', async () => {
    const db = openDatabase(':memory:');
    const hung = await startEmulator({ transcript: EOS, hang: 'command' });
    const fast = await startEmulator({ transcript: EOS });
    running.push(hung, fast);
    const ctx = pullContext(db, { pull: { concurrency: 3 } });
    const finished = new Map<string, number>();
    const started = Date.now();
    const targets = [
      emulatedTarget(hung.port, 'arista-eos', { name: 'hung', timeouts: { command: 3000 } }),
      ...Array.from({ length: 8 }, (_, i) => emulatedTarget(fast.port, 'arista-eos', { name: `fast-${i}` })),
    ];
    const results = await Promise.all(
      targets.map((t) =>
        pullDevice(ctx, t).then((r) => {
          finished.set(r.device, Date.now() - started);
          return r;
        }),
      ),
    );
    expect(results.find((r) => r.device === 'hung')!.failure).toBe('timeout');
    const fastest = Math.max(...[...finished].filter(([d]) => d !== 'hung').map(([, ms]) => ms));
    // Eight devices through the two free slots, all before the hung device's 3 s are up.
    expect(fastest).toBeLessThan(3000);
    expect(finished.get('hung')!).toBeGreaterThanOrEqual(3000);
    db.close();
  });
});

describe('schedules', () => {
  it('fires per schedule, pulls each device on it (spread over the jitter window, never twice at once), and stops cleanly', async () => {
    const db = openDatabase(':memory:');
    const emu = await startEmulator({ transcript: EOS });
    running.push(emu);
    // Six-field cron (with seconds), every second; a 1 s jitter window.
    const ctx = pullContext(db, { pull: { schedule: '* * * * * *', jitterSeconds: 1, groups: { slow: { schedule: '0 0 1 1 *' } } } });
    const targets = [
      ...Array.from({ length: 4 }, (_, i) => emulatedTarget(emu.port, 'arista-eos', { name: `sw${i}` })),
      emulatedTarget(emu.port, 'arista-eos', { name: 'yearly', device: { groups: ['slow'] } }),
    ];
    const scheduler = startScheduler(ctx, targets);
    expect(scheduler.schedules.map((s) => [s.expression, s.devices.length])).toEqual([
      ['* * * * * *', 4],
      ['0 0 1 1 *', 1],
    ]);
    await new Promise((r) => setTimeout(r, 4000));
    await scheduler.stop();
    const states = listPullStates(db);
    expect(states.map((s) => s.device).sort()).toEqual(['sw0', 'sw1', 'sw2', 'sw3']);
    expect(states.every((s) => s.last_success !== null)).toBe(true);
    db.close();
  });

  it('startPulls: what `aaawatch serve` runs, from the configuration alone', async () => {
    const emu = await startEmulator({ transcript: EOS });
    running.push(emu);
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
    );
    const db = openDatabase(':memory:');
    const { log, lines } = capturingLogger();
    const scheduler = startPulls(config, db, log);
    await new Promise((r) => setTimeout(r, 2500));
    await scheduler.stop();
    expect(listPullStates(db).map((s) => [s.device, s.failures])).toEqual([['leaf1', 0]]);
    expect(lines.join('')).toContain('pull schedule running');
    delete process.env.AAAWATCH_TEST_PULL_PASSWORD;
    db.close();
  });

  it('pullAll returns every device\'s outcome, failures included, without throwing', async () => {
    const db = openDatabase(':memory:');
    const emu = await startEmulator({ transcript: EOS });
    running.push(emu);
    const results = await pullAll(pullContext(db), [
      emulatedTarget(emu.port, 'arista-eos', { name: 'ok' }),
      emulatedTarget(1, 'arista-eos', { name: 'refused', timeouts: { connect: 500 } }),
    ]);
    expect(results.map((r) => [r.device, r.outcome])).toEqual([
      ['ok', 'changed'],
      ['refused', 'failed'],
    ]);
    db.close();
  });
});
