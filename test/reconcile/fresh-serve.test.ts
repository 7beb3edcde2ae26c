// The built `aaawatch serve` on a fresh SQLite store, between its runs (its schedule once a year,
// reconcile.pullCheckSeconds small), read as an operator reads it: `aaawatch findings`, `aaawatch
// finding show` and the overview API.
//   - `aaawatch pull` from a shell finishing after serve's start-up run is reconciled at serve's first
//     look for pulls: the first look on a fresh store took it as read, and its findings waited for
//     the next scheduled run (up to 15 minutes);
//   - core-sw1, "a blind spot: no syslog received from it" at start, sends a line over UDP: its
//     telemetry gap resolves within pullCheckSeconds, the history saying why, and the overview stops
//     counting it, where it stayed open until the next scheduled run.
// Real processes from dist, the SSH device emulator, real UDP syslog.

import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { startPulledServe, until, type PulledServe } from '../support/pulled-serve.js';
import { iosLine } from './support.js';

const CHECK_S = 5;
/** Bounded by the configuration: two looks, and the run the second asks for. */
const WITHIN_MS = 2 * CHECK_S * 1000 + 3000;

let h: PulledServe | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface FindingJson {
  id: number;
  kind: string;
  status: string;
  device: string;
  account: string;
  summary: string;
}

const findings = async (p: PulledServe, ...args: string[]): Promise<FindingJson[]> => {
  const out = await p.aaawatch('findings', '--status', 'all', '--json', ...args);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FindingJson);
};

/** Polls `check` (a command's answer each time) until it holds, at most `ms`. */
async function eventually(check: () => Promise<boolean>, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}\n${h?.log() ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const started = (p: PulledServe): boolean => p.log().includes('"why":"start"');

describe('serve on a fresh store, between its runs', () => {
  it('reconciles a command-line pull finishing after the start-up run at the first look', async () => {
    h = await startPulledServe('aaawatch-fresh-pull-', { pullCheckSeconds: CHECK_S, roster: 'accounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n' });
    const p = h;
    await until(() => started(p), `the start-up run:\n${p.log()}`);
    // The pull finishes between the start-up run and the first look (CHECK_S after the start): serve
    // is held still meanwhile, so however long the pull takes on a busy machine, the look comes after it.
    p.pause();
    try {
      const pull = await p.aaawatch('pull', 'core-sw1');
      expect(pull.code, pull.stderr).toBe(0);
      expect(pull.stdout).toMatch(/^core-sw1\s+changed/m);
    } finally {
      p.resume();
    }
    // The pulled accounts the roster does not list (`oxidized`, `rocks`, …) are unauthorised: the run after the pull says so.
    await eventually(async () => (await findings(p, '--kind', 'unauthorised-account')).some((f) => f.account === 'oxidized' && f.status === 'open'), 'unauthorised-account for oxidized', WITHIN_MS);
    expect(p.log()).toContain('"why":"pull"');
  });

  it("resolves a silent device's telemetry gap within pullCheckSeconds of its first line, and the overview follows", async () => {
    const webPort = await freePort();
    h = await startPulledServe('aaawatch-fresh-heard-', { pullCheckSeconds: CHECK_S, webPort });
    const p = h;
    await until(() => started(p), `the start-up run:\n${p.log()}`);
    const [gap] = await findings(p, '--kind', 'telemetry-gap', '--device', 'core-sw1');
    expect(gap).toMatchObject({ status: 'open', summary: 'core-sw1 is a blind spot: no syslog received from it' });

    writeFileSync(join(p.dir, 'pw'), 'a long enough password\n', { mode: 0o600 });
    expect((await p.aaawatch('user', 'add', 'vera', '--role', 'viewer', '--password-file', join(p.dir, 'pw'))).code).toBe(0);
    const token = (await p.aaawatch('user', 'token', 'vera')).stdout.trim();
    const overview = async (): Promise<{ devices: { 'telemetry-gap': number; attention: Array<{ device: string; problems: string[] }> } }> => {
      const res = await fetch(`http://127.0.0.1:${webPort}/api/overview`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as { devices: { 'telemetry-gap': number; attention: Array<{ device: string; problems: string[] }> } };
    };
    const before = await overview();
    expect(before.devices['telemetry-gap']).toBe(1);
    expect(before.devices.attention.find((d) => d.device === 'core-sw1')?.problems).toContain('telemetry-gap');

    const client = dgram.createSocket('udp4');
    try {
      client.send(iosLine(1, 'core-sw1', Date.now(), 'SYS-5-CONFIG_I', 'Configured from console by jdoe on vty0 (10.1.1.4)'), p.port, '127.0.0.1');
      await eventually(async () => (await findings(p, '--kind', 'telemetry-gap', '--device', 'core-sw1'))[0]?.status === 'resolved', 'the telemetry gap resolved', WITHIN_MS);
    } finally {
      client.close();
    }
    const shown = await p.aaawatch('finding', 'show', String(gap!.id), '--json');
    const history = (JSON.parse(shown.stdout) as { history: Array<{ by: string; to: string; reason: string | null }> }).history;
    expect(history.at(-1)).toMatchObject({ by: 'aaawatch', to: 'resolved', reason: 'syslog arrives and the configuration checks pass' });
    const after = await overview();
    expect(after.devices['telemetry-gap']).toBe(0);
    expect(after.devices.attention.find((d) => d.device === 'core-sw1')?.problems ?? []).not.toContain('telemetry-gap');
  });
});
