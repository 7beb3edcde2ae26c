// `aaawatch purge-secret --reapply` and what reviewers typed (issue 15): a decision's reason and
// ticket, and an activity entry's reason, stored by an older release as typed (before reviewer
// text was redacted at write) are rewritten under reviewerText's rule — the secret in them
// redacted, the prose around it kept ("password vaulted in CyberArk" is not a value) — on SQLite
// and, after `aaawatch migrate`, on PostgreSQL. The activity log is chained: the entries from the
// first one rewritten are re-chained, and `aaawatch verify` passes on both engines afterwards; a
// second --reapply finds nothing to change. PostgreSQL against a throwaway cluster (test/support/postgres.ts).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { openDatabase } from '../../src/store/db.js';
import { PG_NUMBERS } from '../../src/web/data/pg-access.js';
import { activityBody, activityHash, logActivity } from '../../src/web/store.js';
import { iosCommands } from '../support/ingest-batches.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { aaawatch } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const OLD_REASON = 'password vaulted in CyberArk; the old one was username ops secret 0 OldSecret99';
const OLD_TICKET = 'CHG-7 password=TkSecret77';
const PROSE = 'accepted per CHG0031337, break-glass account, password vaulted in CyberArk';
const SHOWN_REASON = 'password vaulted in CyberArk; the old one was username ops secret 0 <redacted>';

let dir: string;
let liteConfig: string;
let litePath: string;

/** A SQLite store holding what an older release stored as typed: a history row and an activity entry between two of this release's. */
async function olderStore(): Promise<void> {
  dir = tempDir('aaawatch-purge-reviewer-');
  litePath = join(dir, 'site-a.db');
  liteConfig = join(dir, 'site-a.yaml');
  writeFileSync(liteConfig, `store:\n  path: ${litePath}\n`);
  const lines = join(dir, 'a.log');
  writeFileSync(lines, iosCommands(1, 5, ' a').join('\n') + '\n');
  const imported = await aaawatch(['import', lines, '--config', liteConfig]);
  expect(imported.code, imported.stderr).toBe(0);
  const db = openDatabase(litePath);
  const at = Date.now() - 60_000;
  const { id } = raiseFinding(db, { kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: 'ops', summary: 'ops is not on the roster', evidence: { events: [] }, at });
  db.prepare('INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity, ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(id, at + 1, 'carol', 'open', 'acknowledged', OLD_REASON, 'high', OLD_TICKET);
  logActivity(db, { at: at + 2, user: 'alice', address: null, action: 'finding.acknowledge', detail: { finding: id, reason: PROSE } });
  const detail = JSON.stringify({ finding: id, reason: OLD_REASON, ticket: OLD_TICKET });
  const prev = (db.prepare('SELECT hash FROM web_audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { hash: Buffer }).hash;
  db.prepare('INSERT INTO web_audit (at, user, address, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(at + 3, 'carol', null, 'finding.acknowledge', detail, prev, activityHash(prev, activityBody(at + 3, 'carol', null, 'finding.acknowledge', detail)));
  logActivity(db, { at: at + 4, user: 'alice', address: null, action: 'login', detail: { role: 'auditor' } });
  db.close();
}

const findingIdOf = (): number => {
  const db = openDatabase(litePath);
  try {
    return (db.prepare("SELECT finding_id AS id FROM finding_history WHERE by = 'carol'").get() as { id: number }).id;
  } finally {
    db.close();
  }
};

/** What --reapply leaves, read through `rows` on either engine. */
async function expectReapplied(rows: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<void> {
  expect(await rows("SELECT reason, ticket FROM finding_history WHERE by = 'carol'")).toEqual([{ reason: SHOWN_REASON, ticket: 'CHG-7 password=<redacted>' }]);
  const details = (await rows("SELECT detail FROM web_audit WHERE action = 'finding.acknowledge' ORDER BY id")).map((r) => JSON.parse(r.detail as string) as Record<string, unknown>);
  expect(details.map((d) => [d.reason, d.ticket, d.redacted])).toEqual([
    [PROSE, undefined, undefined],
    [SHOWN_REASON, 'CHG-7 password=<redacted>', ['reason', 'ticket']],
  ]);
  const text = JSON.stringify(await rows('SELECT * FROM finding_history')) + JSON.stringify(await rows('SELECT "user", detail FROM web_audit'));
  expect(text).not.toContain('OldSecret99');
  expect(text).not.toContain('TkSecret77');
}

describe('purge-secret --reapply over what reviewers typed', () => {
  beforeAll(olderStore);

  it('shows the older release\'s reason in `aaawatch finding show` under the rule before any reapply: prose kept, the secret not', async () => {
    const id = String(findingIdOf());
    const shown = await aaawatch(['finding', 'show', id, '--config', liteConfig]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(SHOWN_REASON);
    const json = await aaawatch(['finding', 'show', id, '--json', '--config', liteConfig]);
    expect((JSON.parse(json.stdout) as { history: Array<{ reason: string }> }).history.map((h) => h.reason)).toContain(SHOWN_REASON);
    expect(shown.stdout + json.stdout).not.toContain('OldSecret99');
  });

  it('rewrites history rows and activity entries on SQLite, re-chains the log, and verify passes', async () => {
    const copy = join(dir, 'copy.db');
    // Kept as the older release left it, for PostgreSQL's migrate below.
    const db = openDatabase(litePath);
    await db.backup(copy);
    db.close();
    const dry = await aaawatch(['purge-secret', '--reapply', '--dry-run', '--config', liteConfig]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/finding_history +1\n/);
    expect(dry.stdout).toMatch(/web_audit +1\n/);
    const done = await aaawatch(['purge-secret', '--reapply', '--reason', 'reviewer text under its own rule', '--by', 'dave', '--config', liteConfig]);
    expect(done.code, done.stderr).toBe(0);
    const after = openDatabase(litePath);
    await expectReapplied(async (sql) => after.prepare(sql).all() as Array<Record<string, unknown>>);
    after.close();
    const verify = await aaawatch(['verify', '--config', liteConfig]);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/activity log OK: 5 entries chained/);
    const again = await aaawatch(['purge-secret', '--reapply', '--reason', 'again', '--config', liteConfig]);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('found in no stored row; nothing changed') });
    writeFileSync(liteConfig, `store:\n  path: ${copy}\n`);
  });
});

describe.skipIf(!postgresAvailable())('purge-secret --reapply over what reviewers typed, on PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  let pgConfig: string;
  const env = (): Record<string, string> => ({ AAAWATCH_TEST_PG: cluster.url });
  beforeAll(async () => {
    if (!dir) await olderStore();
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2, types: PG_NUMBERS });
    pool.on('error', () => undefined);
    pgConfig = join(dir, 'pg.yaml');
    writeFileSync(pgConfig, `collector: site-a\nstore:\n  path: ${join(dir, 'not-the-store.db')}\n  url: { env: AAAWATCH_TEST_PG }\n`);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('rewrites them in the estate\'s tables and the activity log, re-chained in the purge\'s transaction; verify passes', { timeout: 120_000 }, async () => {
    const moved = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--config', liteConfig], env());
    expect(moved.code, moved.stderr).toBe(0);
    const before = (await pool.query<{ detail: string }>("SELECT detail FROM web_audit WHERE detail LIKE '%OldSecret99%'")).rows;
    expect(before).toHaveLength(1);
    const done = await aaawatch(['purge-secret', '--reapply', '--reason', 'reviewer text under its own rule', '--by', 'dave', '--config', pgConfig], env());
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/web_audit +1\n/);
    await expectReapplied(async (sql) => (await pool.query(sql)).rows as Array<Record<string, unknown>>);
    const verify = await aaawatch(['verify', '--config', pgConfig], env());
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/activity log OK: 5 entries chained/);
    const again = await aaawatch(['purge-secret', '--reapply', '--reason', 'again', '--config', pgConfig], env());
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('found in no stored row') });
  });
});
