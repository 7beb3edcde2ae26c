// `aaawatch hostkey list` and `accept` (the built command) on a shared PostgreSQL store: the key a
// device presented instead of its pinned one, recorded by a collector's pull, is listed and
// accepted from another node's configuration, for every collector.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyChanged } from '../../src/pull/errors.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import { REPO } from '../support/corpus.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';

const CLI = join(REPO, 'dist/src/cli.js');
const run = promisify(execFile);
let cluster: ThrowawayPostgres;
let pool: pg.Pool;

const key = (seed: string): HostKey => {
  const blob = createHash('sha256').update(seed).digest();
  return { type: 'ssh-ed25519', blob, fingerprint: `SHA256:${seed}` };
};

async function aaawatch(args: string[], config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args, '--config', config], { env: { ...process.env, AAAWATCH_TEST_PG: cluster.url } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(!postgresAvailable())('aaawatch hostkey on a shared PostgreSQL store', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    await createIngestTables(pool);
    await createPullTables(pool);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('lists the pinned and the changed key, and accepts the changed one only as checked', async () => {
    // site-a pulled sw1 (key one pinned), then found key two instead.
    const store = new PgPullStore(pool, 'site-a');
    await store.recordSuccess({
      device: 'sw1', platform: 'cisco-ios', startedAt: 1_000, finishedAt: 2_000, attempts: 1,
      digest: { redacted: 'hostname sw1', hash: 'h1', accounts: [] }, hostKey: key('one'), keySource: 'tofu',
    });
    const changed = new HostKeyChanged(key('two'), [key('one').fingerprint]);
    await store.recordFailure({ device: 'sw1', startedAt: 3_000, finishedAt: 4_000, attempts: 1, error: changed, message: changed.message, failuresBeforeFinding: 3 });

    // Another node's configuration: the same database as collector site-b.
    const config = join(tempDir(), 'site-b.yaml');
    writeFileSync(config, 'collector: site-b\nstore:\n  url: { env: AAAWATCH_TEST_PG }\n');
    const list = await aaawatch(['hostkey', 'list', '--json'], config);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { device: 'sw1', state: 'pinned', fingerprint: 'SHA256:one', source: 'tofu' },
      { device: 'sw1', state: 'changed', fingerprint: 'SHA256:two' },
    ]);

    const wrong = await aaawatch(['hostkey', 'accept', 'sw1', '--fingerprint', 'SHA256:three', '--by', 'jane'], config);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('the key waiting for sw1 is SHA256:two, not SHA256:three; nothing was accepted');
    const ok = await aaawatch(['hostkey', 'accept', 'sw1', '--fingerprint', 'SHA256:two', '--by', 'jane'], config);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('sw1: now trusting ssh-ed25519 SHA256:two\n');
    const { rows } = await pool.query<{ fingerprint: string; source: string; pinned_by: string }>('SELECT fingerprint, source, pinned_by FROM host_keys');
    expect(rows).toEqual([{ fingerprint: 'SHA256:two', source: 'accepted', pinned_by: 'jane' }]);
    expect((await pool.query('SELECT * FROM host_key_changes')).rows).toEqual([]);
    // Every collector now trusts it.
    expect((await store.hostKey('sw1'))!.fingerprint).toBe('SHA256:two');
  });
});
