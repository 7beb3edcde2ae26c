// `aaawatch verify` (the built command) on a shared PostgreSQL store, and the configuration keys
// that name it: store.url (inline or from the environment) and collector. `serve` on it: pg-serve.test.ts.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { REPO } from '../support/corpus.js';
import { batchesFor, iosCommands } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aaawatch(config: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'dist/src/cli.js'), ...args, '--config', config], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!postgresAvailable())('aaawatch verify on a shared PostgreSQL store', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  let dir: string;
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    dir = tempDir();
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('says when no collector has written yet, then checks every collector\'s chain and names the one that breaks', async () => {
    const config = file('a.yaml', `collector: site-a\nstore:\n  path: ${join(dir, 'a.db')}\n  url: ${cluster.url}\n`);
    const empty = await aaawatch(config, ['verify']);
    expect(empty).toMatchObject({ code: 1 });
    expect(empty.stderr).toContain('no aaawatch tables in the database store.url names');

    await createIngestTables(pool);
    for (const b of batchesFor(iosCommands(1, 60, ' a'), { source: '192.0.2.1' })) await new PgBatchWriter(pool, 'site-a', 100).write(b);
    for (const b of batchesFor(iosCommands(1, 20, ' b'), { source: '192.0.2.2' })) await new PgBatchWriter(pool, 'site-b', 100).write(b);
    const ok = await aaawatch(config, ['verify']);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toMatch(/^collector site-a: chain OK, 60 records, head [0-9a-f]{64}\ncollector site-b: chain OK, 20 records, head [0-9a-f]{64}\n$/);

    // The URL from the environment, as a password in it should be.
    const fromEnv = file('env.yaml', `collector: site-b\nstore:\n  path: ${join(dir, 'b.db')}\n  url: { env: AAAWATCH_TEST_PG }\n`);
    const tampered = await pool.query("UPDATE events SET actor = 'mallory' WHERE collector = 'site-b' AND seq = 11 RETURNING id");
    const broken = await aaawatch(fromEnv, ['verify', '--json'], { AAAWATCH_TEST_PG: cluster.url });
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { ok: boolean; collectors: Array<{ collector: string; ok: boolean; broken?: { id: number; seq: number } }> };
    expect(report.ok).toBe(false);
    expect(report.collectors.map((c) => [c.collector, c.ok])).toEqual([['site-a', true], ['site-b', false]]);
    expect(report.collectors[1]!.broken).toMatchObject({ id: Number(tampered.rows[0].id), seq: 11, reason: 'its content or message was changed' });
    const text = await aaawatch(fromEnv, ['verify'], { AAAWATCH_TEST_PG: cluster.url });
    expect(text.stdout).toContain(`collector site-b: chain BROKEN at record ${tampered.rows[0].id}, number 11 in its chain: its content or message was changed\n  10 records before it verified.\n`);
  });

  it('refuses a store.url without a collector name, and a URL that is not PostgreSQL\'s', async () => {
    const noName = await aaawatch(file('n.yaml', `store:\n  url: ${cluster.url}\n`), ['verify']);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/n\.yaml:2: store\.url: a shared PostgreSQL store needs collector/);
    const notPg = await aaawatch(file('m.yaml', `collector: x\nstore:\n  url: mysql://db/aaawatch\n`), ['verify']);
    expect(notPg.code).toBe(2);
    expect(notPg.stderr).toMatch(/m\.yaml:3: store\.url: .*must be a PostgreSQL URL/);
  });
});
