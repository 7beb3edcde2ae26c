// The sign-in limit survives a restart: `aaawatch serve` (the built command) on a SQLite store,
// a name locked by wrong passwords, serve stopped and started again on the same store: the
// right password is still refused (429) until the lock ends, and the activity log says so. The
// limit was kept in each process's memory before, so a restart let an attacker guess again at once.

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { REPO } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { aaawatch, watch, type Watched } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { postSignIn } from './fixture.js';

const CLI = join(REPO, 'dist/src/cli.js');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function serve(config: string): Promise<Watched> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = watch(child);
  await out.said('web interface on', 120_000);
  return out;
}

async function attempt(base: string, user: string, password: string): Promise<{ status: number; retryAfter: string | null }> {
  const res = await postSignIn(base, user, password);
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

describe('the sign-in limit across a restart of serve (SQLite)', () => {
  it('refuses a locked name after serve is restarted, and logs the lock', async () => {
    const dir = tempDir();
    const db = join(dir, 'aaawatch.db');
    const web = await freePort();
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(config, [
      'store:', `  path: ${db}`,
      'ingest:', `  udp: { host: 127.0.0.1, port: ${await freePort()} }`, `  tcp: { host: 127.0.0.1, port: ${await freePort()} }`,
      'web:', '  host: 127.0.0.1', `  port: ${web}`,
      // Two per name: fewer slow password checks for the test.
      '  loginMaxFailures: 2', '',
    ].join('\n'));
    const base = `http://127.0.0.1:${web}`;
    const right = 'victim-password-1';
    writeFileSync(join(dir, 'pw'), right);
    expect((await aaawatch(['user', 'add', 'victim', '--role', 'viewer', '--password-file', join(dir, 'pw'), '--config', config])).code).toBe(0);

    let node = await serve(config);
    for (let i = 0; i < 2; i++) expect((await attempt(base, 'victim', `wrong-${i}`)).status).toBe(401);
    expect((await attempt(base, 'victim', right)).status).toBe(429);
    expect(await node.stop()).toBe(0);

    node = await serve(config);
    const after = await attempt(base, 'victim', right);
    expect(after.status).toBe(429);
    // The lock counted from the second failure, 30 minutes by default: most of it still to run.
    expect(Number(after.retryAfter)).toBeGreaterThan(25 * 60);
    expect(await node.stop()).toBe(0);

    const store = openDatabase(db);
    try {
      const limited = store.prepare(`SELECT user, detail FROM web_audit WHERE action = 'login.limited' ORDER BY id`).all() as Array<{ user: string; detail: string }>;
      // The first refusal of the lock, before the restart; the restart does not start a new lock.
      expect(limited.map((r) => [r.user, (JSON.parse(r.detail) as { refusedWhileLocked: number }).refusedWhileLocked])).toEqual([['victim', 1]]);
      expect(store.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = 'login.refused' AND user = 'victim'`).pluck().get()).toBe(2);
    } finally {
      store.close();
    }
  }, 400_000);
});
