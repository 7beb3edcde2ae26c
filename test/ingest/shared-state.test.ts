// The command line and a running server share one store, and the server learns from it: `aaawatch
// pull` run from a shell (as cron runs it) while `aaawatch serve` is up, and a `username` command
// for an account that pull found is then read by the server as a change, not a creation. Real
// processes (serve and pull from dist), a real SSH device emulator, real UDP syslog.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { corpusPath, REPO } from '../support/corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { tempDir } from '../support/temp.js';
import { freePort } from '../support/ports.js';
import { iosLine } from '../reconcile/support.js';

const CLI = join(REPO, 'dist/src/cli.js');
const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));
const dir = tempDir('aaawatch-shared-');
let serve: ChildProcess | undefined;
let emulator: RunningEmulator | undefined;
afterAll(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

function aaawatch(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--config', join(dir, 'aaawatch.yaml')], { env: { ...process.env, AAAWATCH_CONFIG: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('aaawatch pull while aaawatch serve runs', () => {
  it('the server reads a re-issued username for an account the command-line pull found as a change', async () => {
    emulator = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const creds = join(dir, 'credentials.yaml');
    writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
    chmodSync(creds, 0o600);
    const port = await freePort();
    writeFileSync(
      join(dir, 'aaawatch.yaml'),
      [
        `store: { path: ${join(dir, 'aaawatch.db')} }`,
        'web: { enabled: false }',
        `ingest: { udp: { host: 127.0.0.1, port: ${port} }, tcp: { enabled: false }, batchMillis: 20 }`,
        'devices:',
        // Pulled from the command line only: the server's own schedule is once a year.
        `  - { name: core-sw1, address: 127.0.0.1, port: ${emulator.port}, platform: cisco-ios, schedule: "0 0 1 1 *" }`,
        `pull: { credentialsFile: ${creds}, retries: 0, jitterSeconds: 0 }`,
        // reconcile.pullCheckSeconds left at its default (15 s): the server reads pulled accounts every second.
      ].join('\n') + '\n',
    );
    serve = spawn(process.execPath, [CLI, 'serve', '--config', join(dir, 'aaawatch.yaml')], { env: { ...process.env, AAAWATCH_CONFIG: '' } });
    let log = '';
    serve.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    serve.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await until(() => log.includes('syslog UDP listening'), `serve to start:\n${log}`);

    const client = dgram.createSocket('udp4');
    const db = openDatabase(join(dir, 'aaawatch.db'), { readonly: true });
    const actionFor = (target: string): string | undefined =>
      (db.prepare(`SELECT action FROM events WHERE kind = 'account' AND target = ? ORDER BY id DESC LIMIT 1`).get(target) as { action: string } | undefined)?.action;
    const send = (seq: number, text: string): void => {
      client.send(iosLine(seq, 'core-sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:${text}`), port, '127.0.0.1');
    };
    try {
      const pull = await aaawatch('pull', 'core-sw1');
      expect(pull.code).toBe(0);
      expect(pull.stdout).toMatch(/^core-sw1\s+changed/m);
      // The server reads the new snapshot from the store (it pulled nothing itself), every second whatever
      // reconcile.pullCheckSeconds is: read at 15 s, a username re-issued 3 s after the pull was a creation (aud19a).
      await until(() => log.includes('accounts read from new snapshots'), `serve to read the snapshot well before pullCheckSeconds:\n${log}`, 10_000);
      // `oxidized` is on the device (the pull found it); `newbie` is not.
      send(1, 'username oxidized privilege 15 secret *');
      send(2, 'username newbie privilege 1 secret *');
      await until(() => actionFor('oxidized') !== undefined && actionFor('newbie') !== undefined, 'the records');
      expect(actionFor('oxidized')).toBe('account.modify');
      expect(actionFor('newbie')).toBe('account.create');
    } finally {
      client.close();
      db.close();
    }
  });
});
