// A built `aaawatch serve` beside one emulated IOS switch (core-sw1) that only the command line pulls
// (the server's own schedule is once a year), syslog over UDP: the harness of the tests where
// `aaawatch pull` run from a shell and a running server share one store. Real processes from
// dist, the SSH device emulator replaying a real transcript.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPath, REPO } from './corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, startEmulator, type EmulatorOptions, type RunningEmulator } from './emulator/device.js';
import { loadTranscript } from './emulator/transcript.js';
import { freePort } from './ports.js';
import { watch } from './process.js';
import { tempDir } from './temp.js';

const CLI = join(REPO, 'dist/src/cli.js');
const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));

export interface PulledServe {
  dir: string;
  /** The server's syslog UDP port on 127.0.0.1. */
  port: number;
  emulator: RunningEmulator;
  /** Stop serve's process (SIGSTOP) until `resume` (SIGCONT): its timers fall due meanwhile and fire at once after. */
  pause(): void;
  resume(): void;
  /** What serve has written to stdout and stderr so far. */
  log(): string;
  /** An `aaawatch` command on the same configuration, as a shell runs it. */
  aaawatch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Polls `check` every `everyMs` until it holds; `ms` guards a hang only (a test sets a tighter one where the time is what it checks). */
export async function until(check: () => boolean, what: string, ms = 120_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Wait until the pull being watched has asked for the configuration, and then for the clock to pass
 * the millisecond it was seen in: a line logged next is stamped after the pull's reading
 * (pull_runs.read_at, taken as the command is sent). A record stamped in the very millisecond of
 * the reading counts as made by it (held.ts makesPulled, pulledBeforeMaking): a creation at that
 * instant is in what the pull read, and is one.
 */
export async function pastConfigurationCommand(received: readonly string[]): Promise<void> {
  await until(() => received.some((c) => c.includes('running-config')), 'the pull to ask for the configuration', 20_000, 1);
  const seen = Date.now();
  while (Date.now() <= seen) await new Promise((r) => setTimeout(r, 1));
}

export interface PulledServeOptions {
  /** reconcile.pullCheckSeconds (its default unless given); given, the schedule is once a year, so only serve's looks run. */
  pullCheckSeconds?: number;
  /** A roster file's text (reconcile.roster; none unless given). */
  roster?: string;
  /** The web on 127.0.0.1 at this port (off unless given). */
  webPort?: number;
  /** The emulated device's options over the IOS recording's. */
  device?: Partial<EmulatorOptions>;
}

/** Starts the emulator (the IOS recording, with `o.device`) and serve (reconcile as `o` says) and waits for serve's UDP listener. */
export async function startPulledServe(dirPrefix: string, o: PulledServeOptions = {}): Promise<PulledServe> {
  const dir = tempDir(dirPrefix);
  const emulator = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE, ...o.device });
  const creds = join(dir, 'credentials.yaml');
  writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
  chmodSync(creds, 0o600);
  const port = await freePort();
  const config = join(dir, 'aaawatch.yaml');
  if (o.roster !== undefined) writeFileSync(join(dir, 'roster.yaml'), o.roster);
  const reconcile = [
    ...(o.pullCheckSeconds !== undefined ? [`pullCheckSeconds: ${o.pullCheckSeconds}`, 'schedule: "0 0 1 1 *"'] : []),
    ...(o.roster !== undefined ? [`roster: ${join(dir, 'roster.yaml')}`] : []),
  ];
  writeFileSync(
    config,
    [
      `store: { path: ${join(dir, 'aaawatch.db')} }`,
      o.webPort !== undefined ? `web: { host: 127.0.0.1, port: ${o.webPort} }` : 'web: { enabled: false }',
      ...(reconcile.length ? [`reconcile: { ${reconcile.join(', ')} }`] : []),
      `ingest: { udp: { host: 127.0.0.1, port: ${port} }, tcp: { enabled: false }, batchMillis: 20 }`,
      'devices:',
      `  - { name: core-sw1, address: 127.0.0.1, port: ${emulator.port}, platform: cisco-ios, schedule: "0 0 1 1 *" }`,
      `pull: { credentialsFile: ${creds}, retries: 0, jitterSeconds: 0 }`,
    ].join('\n') + '\n',
  );
  const env = { ...process.env, AAAWATCH_CONFIG: '' };
  const serve: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--config', config], { env });
  const out = watch(serve);
  const close = async (): Promise<void> => {
    if (serve.exitCode === null) {
      serve.kill('SIGCONT');
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // On serve's output or its exit, no clock of its own: a 20 s poll failed at load 20 (fresh-serve,
    // suite23); vitest's 5 min hook and test timeouts bound a hang.
    await out.said('syslog UDP listening');
  } catch (err) {
    await close();
    throw err;
  }
  return {
    dir,
    port,
    emulator,
    pause: () => void serve.kill('SIGSTOP'),
    resume: () => void serve.kill('SIGCONT'),
    log: () => out.output(),
    aaawatch: (...args) =>
      new Promise((resolve) => {
        execFile(process.execPath, [CLI, ...args, '--config', config], { env }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      }),
    close,
  };
}
