// Moving a whole SQLite store up, and the command line on what it moved to. One SQLite store made
// by the built commands and the store APIs — records (`aaawatch import`), two pulls of a device
// (snapshots, accounts and their change, host key, runs), a finding raised by `aaawatch reconcile`
// and acknowledged by `aaawatch finding ack`, a web user with a token — is migrated into a throwaway
// PostgreSQL; then each is read back through the PostgreSQL stores serve's web, pulls and
// reconciliation use, `verify` passes there, and every reading command prints on PostgreSQL what it
// prints on SQLite, never touching store.path. Commands that do not run on PostgreSQL refuse with
// exit 2; `pull` and `reconcile` run under the collectors' leases. Reconciliation's positions are
// translated, so what SQLite judged is not raised or alerted again. One cluster for the file.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { sqlitePullStore } from '../../src/pull/pull-store.js';
import { sqliteEstateStore } from '../../src/reconcile/estate-store.js';
import { reconcile } from '../../src/reconcile/run.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import type { IngestBatch } from '../../src/store/batch.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import { copyFromSqlite } from '../../src/store/pg/copy-from-sqlite.js';
import { reconcileEstateNow } from '../../src/store/pg/estate-service.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { LEADER_LEASE, Leases } from '../../src/store/pg/leases.js';
import { PgPullStore } from '../../src/store/pg/pull-store.js';
import type { LocalAccount } from '../../src/types.js';
import type { WebAccess } from '../../src/web/data/access.js';
import { PG_NUMBERS, pgAccess } from '../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../src/web/data/sqlite-access.js';
import { iosLine } from '../reconcile/support.js';
import { batchesFor, iosCommand, iosCommands } from '../support/ingest-batches.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { aaawatch, type Run } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { startWebhookReceiver } from '../support/webhook.js';

const account = (name: string, privilege: string): LocalAccount => ({
  name, privilege, roles: [], credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`],
});
const digestOf = (accounts: LocalAccount[]): Digest => {
  const text = `hostname sw1\n${accounts.map((a) => a.lines[0]).join('\n')}\n`;
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};
const hostKey = (): HostKey => {
  const blob = createHash('sha256').update('sw1').digest();
  return { type: 'ssh-ed25519', blob, fingerprint: `SHA256:${blob.toString('base64').replace(/=+$/, '')}` };
};

describe.skipIf(!postgresAvailable())('a whole store moved up, and the commands on PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let pool: pg.Pool;
  let dir: string;
  let liteConfig: string;
  let pgConfig: string;
  let litePath: string;
  let unused: string;
  let token: string;
  let findingId: number;
  const env = (): Record<string, string> => ({ AAAWATCH_TEST_PG: cluster.url });
  const count = async (sql: string): Promise<number> => Number((await pool.query<{ n: string | number }>(sql)).rows[0]!.n);
  const onBoth = (args: string[]): Promise<[Run, Run]> => Promise.all([aaawatch([...args, '--config', liteConfig]), aaawatch([...args, '--config', pgConfig], env())]);

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4, types: PG_NUMBERS });
    pool.on('error', () => undefined);
    dir = tempDir('aaawatch-pgcommands-');
    litePath = join(dir, 'site-a.db');
    unused = join(dir, 'not-the-store.db');
    const roster = join(dir, 'roster.yaml');
    writeFileSync(roster, 'accounts:\n  - { name: admin, devices: ["*"], privilege: 15, type: human, owner: Ann Admin }\n');
    // sw1 listens nowhere: a pull of it fails at once (connection refused).
    const device = `devices:\n  - { name: sw1, address: 127.0.0.1, port: ${await freePort()}, platform: cisco-ios }\n`;
    writeFileSync(join(dir, 'credentials.yaml'), 'default:\n  username: aaawatch\n  password: not-used\n', { mode: 0o600 });
    // The change between sw1's two pulls is judged an hour after them (attributionSkewSeconds), after
    // this file has ended: with the default 5 minutes a slow machine crossed it mid-file, and each
    // engine's own run raised unlogged-change at its own moment, so the two printed different rows.
    const common = `${device}pull:\n  retries: 0\n  failuresBeforeFinding: 1\n  credentialsFile: ${join(dir, 'credentials.yaml')}\nreconcile:\n  roster: ${roster}\n  attributionSkewSeconds: 3600\n`;
    liteConfig = join(dir, 'site-a.yaml');
    writeFileSync(liteConfig, `store:\n  path: ${litePath}\n${common}`);
    pgConfig = join(dir, 'pg.yaml');
    writeFileSync(pgConfig, `collector: site-a\nstore:\n  path: ${unused}\n  url: { env: AAAWATCH_TEST_PG }\n${common}`);

    // Records, one of them with a value found to be secret later: purged, its chain re-anchored.
    const lines = join(dir, 'a.log');
    writeFileSync(lines, [...iosCommands(1, 300, ' a'), iosCommand(9001, 'description note XYZZY-LEAK-42')].join('\n') + '\n');
    const imported = await aaawatch(['import', lines, '--config', liteConfig]);
    expect(imported.code, imported.stderr).toBe(0);
    writeFileSync(join(dir, 'leak'), 'XYZZY-LEAK-42\n');
    const purged = await aaawatch(['purge-secret', '--value-file', join(dir, 'leak'), '--reason', 'a key pasted into a description', '--by', 'carol', '--config', liteConfig]);
    expect(purged.code, purged.stderr).toBe(0);
    // Two pulls of sw1: a baseline, then ops added.
    const db: Db = openDatabase(litePath);
    const pulls = sqlitePullStore(db);
    const pulled = (at: number, accounts: LocalAccount[]) =>
      pulls.recordSuccess({ device: 'sw1', platform: 'cisco-ios', startedAt: at - 500, finishedAt: at, attempts: 1, digest: digestOf(accounts), hostKey: hostKey(), keySource: 'tofu' });
    const now = Date.now();
    await pulled(now - 60_000, [account('admin', '15')]);
    await pulled(now - 30_000, [account('admin', '15'), account('ops', '15')]);
    // A web user with a token.
    const lite = sqliteAccess(db);
    await lite.saveUser('alice', 'auditor', 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', now, false);
    token = await lite.createToken((await lite.findUser('alice'))!.id, 'ci', now, now + 86_400_000);
    await lite.logActivity({ at: now, user: 'root (command line)', address: null, action: 'user.add', detail: { name: 'alice', role: 'auditor' } });
    db.close();
    // ops is not on the roster: reconciliation raises it; a person acknowledges it.
    const reconciled = await aaawatch(['reconcile', '--json', '--config', liteConfig]);
    expect(reconciled.code, reconciled.stderr).toBe(0);
    const raised = (JSON.parse(reconciled.stdout) as { findings: Array<{ id: number; kind: string; account: string }> }).findings;
    findingId = raised.find((f) => f.kind === 'unauthorised-account' && f.account === 'ops')!.id;
    const ack = await aaawatch(['finding', 'ack', String(findingId), '--by', 'bob', '--reason', 'asked the owner', '--config', liteConfig]);
    expect(ack.code, ack.stderr).toBe(0);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('migrates everything the store holds: findings with their decisions, pulls, users and tokens, the activity log; read back through the PostgreSQL stores', async () => {
    const before = await aaawatch(['verify', '--json', '--config', liteConfig]);
    const liteHead = (JSON.parse(before.stdout) as { head: string }).head;
    const run = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--config', liteConfig], env());
    expect(run.code, run.stderr).toBe(0);
    for (const [table, rows] of [['events', '301 records'], ['chain_purges', '1 rows'], ['snapshots', '2 rows'], ['accounts', '2 rows'], ['account_changes', '2 rows'],
      ['host_keys', '1 rows'], ['pull_runs', '2 rows'], ['pull_state', '1 rows'], ['web_users', '1 rows'], ['web_tokens', '1 rows']] as const) {
      expect(run.stdout).toMatch(new RegExp(`^  ${table} +${rows}$`, 'm'));
    }
    // ops unauthorised, and what else the run raised; the history of each, and bob's decision.
    const liteCount = (table: string): number => {
      const db = openDatabase(litePath, { readonly: true });
      try {
        return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      } finally {
        db.close();
      }
    };
    expect(run.stdout).toMatch(new RegExp(`^  findings +${liteCount('findings')} rows$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^  finding_history +${liteCount('finding_history')} rows$`, 'm'));
    expect(run.stdout).not.toContain('not copied');

    // As serve's web, pulls and reconciliation read them on PostgreSQL.
    const db = openDatabase(litePath, { readonly: true });
    const lite: WebAccess = sqliteAccess(db);
    const onPg = pgAccess(pool);
    expect(await onPg.getFinding(findingId)).toEqual(await lite.getFinding(findingId));
    expect((await onPg.getFinding(findingId))!.status).toBe('acknowledged');
    expect(await onPg.findingHistory(findingId)).toEqual(await lite.findingHistory(findingId));
    expect(await onPg.findUser('alice')).toEqual(await lite.findUser('alice'));
    expect((await onPg.userByToken(token, Date.now()))?.name).toBe('alice');
    const recordIds = (db.prepare('SELECT id FROM events ORDER BY id LIMIT 3').pluck().all() as number[]);
    expect(await onPg.eventsWithRaw(recordIds)).toEqual((await lite.eventsWithRaw(recordIds)).map((e) => ({ ...e, collector: 'site-a' })));
    const plain = new pg.Pool({ connectionString: cluster.url, max: 2 });
    try {
      const [pgEstate, liteEstate] = [new PgEstateStore(plain), sqliteEstateStore(db)];
      expect(await pgEstate.presentAccounts()).toEqual(await liteEstate.presentAccounts());
      const kinds = new Set(['unauthorised-account']);
      expect(await pgEstate.openFindings(kinds)).toEqual(await liteEstate.openFindings(kinds));
      expect(await new PgPullStore(plain, 'site-a').hostKeys()).toEqual(await sqlitePullStore(db).hostKeys());
    } finally {
      await plain.end();
    }
    db.close();

    // The records' chain, the purge log against the records it re-chained, the activity log (the import, the purge, the user, bob's acknowledgement from the command line).
    const verify = await aaawatch(['verify', '--config', pgConfig], env());
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^collector site-a: chain OK, 301 records, head ${liteHead}\ncollector site-a: purges OK: 1 recorded\n  #1 \\S+ by carol: "a key pasted into a description"; .*\nactivity log OK: 4 entries chained, head [0-9a-f]{64}\n$`));
    await pool.query("UPDATE chain_purges SET reason = 'nothing to see' WHERE id = 1");
    const tampered = await aaawatch(['verify', '--config', pgConfig], env());
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('collector site-a: purge log BROKEN at purge #1: its content was changed\n');
    await pool.query("UPDATE chain_purges SET reason = 'a key pasted into a description' WHERE id = 1");

    // Again: refused; --replace replaces the collector and the estate, to the same rows.
    const again = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--config', liteConfig], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds collector site-a's chain (301 records)");
    const replaced = await aaawatch(['migrate', '--to', 'env:AAAWATCH_TEST_PG', '--collector', 'site-a', '--replace', '--json', '--config', liteConfig], env());
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ idsKept: true, notCopied: [] });
    expect(await onPg.getFinding(findingId)).toMatchObject({ status: 'acknowledged' });
    expect((await onPg.userByToken(token, Date.now()))?.name).toBe('alice');
    // A new user made on PostgreSQL gets an id after the copied ones.
    expect(await onPg.saveUser('carol', 'viewer', 'scrypt$x', Date.now(), false)).toBe('added');
    expect((await onPg.findUser('carol'))!.id).toBeGreaterThan((await onPg.findUser('alice'))!.id);
  });

  it('prints on PostgreSQL what it prints on SQLite: findings, a finding, accounts and their history, snapshots, diff, pull status, stats, unknowns', async () => {
    const same = async (args: string[], shape: (out: string) => unknown = (out) => out): Promise<string> => {
      const [lite, onPg] = await onBoth(args);
      expect(lite.code, `${args.join(' ')}: ${lite.stderr}`).toBe(0);
      expect(onPg.code, `${args.join(' ')} on PostgreSQL: ${onPg.stderr}`).toBe(0);
      expect(shape(onPg.stdout), args.join(' ')).toEqual(shape(lite.stdout));
      return onPg.stdout;
    };
    expect(await same(['findings', '--json'])).toContain('"status":"acknowledged"');
    expect(await same(['finding', 'show', String(findingId)])).toMatch(/bob +acknowledged|open +→ acknowledged/);
    expect(await same(['accounts', '--pulled', '--json'])).toContain('"name":"ops"');
    // The population (the Accounts page's rows) from the command line: the same rows on either engine.
    const population = (out: string): unknown => out.trim().split('\n').map((l) => {
      const r = JSON.parse(l) as Record<string, unknown>;
      return [r.device, r.account, r.source, r.state, r.rosterMatch];
    });
    expect(await same(['accounts', '--json'], population)).toContain('"account":"ops"');
    expect(await same(['accounts', '--device', 'sw1', '--history'])).toContain('ops');
    expect(await same(['snapshots', 'sw1'])).toMatch(/bytes/);
    expect(await same(['diff', 'sw1'])).toContain('+username ops privilege 15');
    await same(['pull', '--status', '--json']);
    // Where the store is differs; what it counted does not.
    const counted = (out: string): unknown => {
      const { counters, traffic } = JSON.parse(out) as { counters: Record<string, number>; traffic: unknown[] };
      expect(traffic.length).toBeGreaterThan(0);
      return { counters, traffic };
    };
    await same(['stats', '--json'], counted);
    await same(['unknowns', '--json']);
    // The population auditors export, after each engine's run: the same rows, as a table and as JSON.
    const rows = await same(['reconcile', '--rows']);
    expect(rows.split('\n')[0]).toMatch(/^device\taccount\t/i);
    expect(rows).toMatch(/^sw1\tops\t/m);
    // Each engine's run refreshes a finding's last seen to its own moment; nothing else may differ.
    const ranAt = (out: string): unknown => out.replace(/"lastSeen":(\d+)(,"acceptedUntil")/g, '"lastSeen":"(run)"$2');
    expect(await same(['reconcile', '--rows', '--json', '--device', 'sw1'], ranAt)).toContain('"account":"ops"');
    expect(existsSync(unused)).toBe(false);
  });

  it('reads an acceptance that has ended as open on PostgreSQL as on SQLite, with nothing yet written of its reopening', async () => {
    const ended = Date.now() - 60_000;
    const [before] = (await pool.query<{ status: string; accepted_until: string | null }>('SELECT status, accepted_until FROM findings WHERE id = $1', [findingId])).rows;
    const set = async (status: string, until: number | null): Promise<void> => {
      await pool.query('UPDATE findings SET status = $1, accepted_until = $2 WHERE id = $3', [status, until, findingId]);
      const db = openDatabase(litePath);
      db.prepare('UPDATE findings SET status = ?, accepted_until = ? WHERE id = ?').run(status, until, findingId);
      db.close();
    };
    // The test before ran `reconcile` on each engine in turn, which stamps last_seen with its own
    // clock: the two can fall either side of a second. Both stores take PostgreSQL's here, so the
    // outputs compared below differ only in what this test is about.
    const seen = (await pool.query<{ id: string; last_seen: string }>('SELECT id, last_seen FROM findings')).rows;
    const liteDb = openDatabase(litePath);
    const stamp = liteDb.prepare('UPDATE findings SET last_seen = ? WHERE id = ?');
    for (const r of seen) stamp.run(Number(r.last_seen), Number(r.id));
    liteDb.close();
    await set('accepted', ended);
    try {
      for (const [status, listed] of [['accepted', false], ['open', true]] as const) {
        const [lite, onPg] = await onBoth(['findings', '--status', status, '--json']);
        expect(onPg.stdout).toBe(lite.stdout);
        const row = onPg.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; status: string; acceptedUntil: string | null }).find((f) => f.id === findingId);
        expect(row, status).toEqual(listed ? expect.objectContaining({ status: 'open', acceptedUntil: null }) : undefined);
      }
      const [lite, onPg] = await onBoth(['finding', 'show', String(findingId)]);
      expect(onPg.stdout).toBe(lite.stdout);
      expect(onPg.stdout).toMatch(new RegExp(`^finding ${findingId}: unauthorised-account, \\w+, open\\n`));
      // asof19: the case counts it undecided on both engines (PostgreSQL's case summary holds the stored status).
      const open = (await aaawatch(['findings', '--status', 'open', '--account', 'ops', '--json', '--config', pgConfig], env())).stdout.trim().split('\n').filter(Boolean).length;
      expect(open).toBeGreaterThan(0);
      for (const extra of [[], ['--undecided']]) {
        const [liteCases, pgCases] = await onBoth(['case', 'list', '--json', ...extra]);
        expect(pgCases.stdout).toBe(liteCases.stdout);
        const ops = pgCases.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { account: string; undecided: number }).find((c) => c.account === 'ops');
        expect(ops?.undecided, extra.join()).toBe(open);
      }
    } finally {
      await set(before!.status, before!.accepted_until === null ? null : Number(before!.accepted_until));
    }
  });

  it('takes a decision on many cases at once with a ticket on PostgreSQL as on SQLite, logged as the web logs it', async () => {
    const ops = JSON.stringify(['sw1', 'ops']);
    for (const [action, extra] of [['reopen', []], ['ack', ['--ticket', 'CHG-7']]] as const) {
      const [lite, onPg] = await onBoth(['case', action, String(findingId), ops, '--by', 'bob', '--reason', 'checked with the owner', ...extra]);
      expect([lite.code, onPg.code], lite.stderr + onPg.stderr).toEqual([0, 0]);
      expect(onPg.stdout).toBe(lite.stdout);
      expect(onPg.stdout).toMatch(/^sw1, ops: (reopen|acknowledge) findings \d+/);
    }
    expect((await pool.query('SELECT to_status, ticket FROM finding_history WHERE finding_id = $1 ORDER BY id DESC LIMIT 1', [findingId])).rows).toEqual([{ to_status: 'acknowledged', ticket: 'CHG-7' }]);
    const logged = (await pool.query<{ detail: string }>("SELECT detail FROM web_audit WHERE action = 'case.acknowledge'")).rows.map((r) => JSON.parse(r.detail) as { ticket: string; cases: Array<{ account: string }> });
    expect(logged.map((d) => [d.ticket, d.cases.map((c) => c.account)])).toEqual([['CHG-7', ['ops']]]);
    const verify = await aaawatch(['verify', '--config', pgConfig], env());
    expect(verify.stdout).toMatch(/^activity log OK: \d+ entries chained/m);
  });

  it('an evidence pack scoped to sw1 gives whole only the activity entries about sw1 on PostgreSQL as on SQLite; the rest as their hashes, still chained', async () => {
    // A case decision reaching another device, logged on each engine as the web logs one.
    const entry = { at: Date.now(), user: 'carol', address: null, action: 'case.acknowledge', detail: { reason: 'OUTSIDE sw2 too', cases: [{ device: 'sw1', account: 'ops', decided: [], skipped: [] }, { device: 'sw2', account: 'x', decided: [], skipped: [] }] } };
    const db = openDatabase(litePath);
    await sqliteAccess(db).logActivity(entry);
    db.close();
    await pgAccess(pool).logActivity(entry);
    for (const [config, extra] of [[liteConfig, {}], [pgConfig, env()]] as const) {
      const out = join(dir, `scoped-${config === liteConfig ? 'lite' : 'pg'}.zip`);
      const made = await aaawatch(['report', '--format', 'evidence', '--out', out, '--devices', 'sw1', '--config', config], extra);
      expect(made.code, made.stderr).toBe(0);
      const files = unzipSync(readFileSync(out));
      const lines = strFromU8(files['activity.jsonl']!).trim().split('\n').map((l) => JSON.parse(l) as { id: number; previousHash: string; hash: string; body?: string; withheld?: string });
      const actions = lines.map((e) => (e.body === undefined ? `withheld: ${e.withheld}` : (JSON.parse(e.body) as unknown[])[3]));
      // The case decisions on sw1 alone (the test before) whole; user.add and the decision reaching sw2 withheld.
      expect(actions, config).toEqual(expect.arrayContaining(['case.reopen', 'case.acknowledge', 'withheld: outside the scope']));
      expect(lines.find((e) => e.body?.includes('user.add')), config).toBeUndefined();
      expect(strFromU8(files['activity.jsonl']!) + strFromU8(files['activity.csv']!), config).not.toMatch(/OUTSIDE|sw2|alice/);
      lines.forEach((e, i) => {
        if (i > 0) expect(e.previousHash, `${config}: entry ${e.id}`).toBe(lines[i - 1]!.hash);
        if (e.body !== undefined) expect(createHash('sha256').update(Buffer.from(e.previousHash, 'hex')).update(e.body).digest('hex')).toBe(e.hash);
      });
      expect(lines.at(-1)!.withheld, config).toBe('outside the scope');
    }
  });

  it('pulls and reconciles on PostgreSQL under the leases; refuses what does not run there, naming store.url', async () => {
    // sw1 refuses the connection: the failed run is the estate's, by this collector.
    const pull = await aaawatch(['pull', 'sw1', '--config', pgConfig], env());
    expect(pull.code).toBe(1);
    expect(pull.stdout).toMatch(/^sw1 +failed .*connect/m);
    const runs = await pool.query<{ collector: string; outcome: string }>("SELECT collector, outcome FROM pull_runs WHERE device = 'sw1' ORDER BY id DESC LIMIT 1");
    expect(runs.rows).toEqual([{ collector: 'site-a', outcome: 'failed' }]);
    const status = await aaawatch(['pull', '--status', '--json', '--config', pgConfig], env());
    expect(JSON.parse(status.stdout)).toMatchObject({ device: 'sw1', failures: 1 });

    // The estate's run: ops is still unauthorised, and still acknowledged; the failed pull raised pull-failed.
    const reconciled = await aaawatch(['reconcile', '--json', '--config', pgConfig], env());
    expect(reconciled.code, reconciled.stderr).toBe(0);
    const { outcome, findings } = JSON.parse(reconciled.stdout) as { outcome: { devices: number; accounts: number }; findings: Array<{ id: number; kind: string; status: string }> };
    expect(outcome).toMatchObject({ devices: 1, accounts: 2 });
    expect(findings.find((f) => f.id === findingId)).toMatchObject({ kind: 'unauthorised-account', status: 'acknowledged' });
    expect(findings.map((f) => f.kind)).toContain('pull-failed');
    // A serve of another collector leads: the run is left to it.
    const other = new Leases(pool, 'site-b', 60_000);
    expect(await other.acquire(LEADER_LEASE)).toBeDefined();
    const held = await aaawatch(['reconcile', '--config', pgConfig], env());
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('the estate is reconciled by collector site-b, which holds the reconcile leader lease');
    await other.release(LEADER_LEASE);

    for (const args of [['pull', '--scheduled']]) {
      const r = await aaawatch([...args, '--config', pgConfig], env());
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args[0]).toMatch(/PostgreSQL store.*store\.url/);
    }
    expect(existsSync(unused)).toBe(false);
  });

  it('purges a secret found later from every collector\'s chain that holds it and the rows beside them; verify passes and names each purge', { timeout: 120_000 }, async () => {
    const leak = 'ZORK-KEY-7731';
    // site-a's migrated chain goes on; site-b is another collector; a message kept whole holds it too.
    await new PgBatchWriter(pool, 'site-a', 100).writeMany(batchesFor([iosCommand(9101, `description uplink ${leak}`), ...iosCommands(9102, 5, ' a2')]));
    await new PgBatchWriter(pool, 'site-b', 100).writeMany(batchesFor([...iosCommands(1, 3, ' b'), iosCommand(9201, `description peer ${leak}`), ...iosCommands(4, 3, ' b')]));
    await pool.query(`INSERT INTO messages (collector, received_at, time, time_quality, transport, device, raw) VALUES ('site-b', 1, 1, 'device', 'udp', 'r1', $1)`, [`note ${leak}`]);
    const holding = async (): Promise<number> =>
      Number((await pool.query<{ n: string }>('SELECT (SELECT count(*) FROM events WHERE raw LIKE $1 OR command LIKE $1) + (SELECT count(*) FROM messages WHERE raw LIKE $1) AS n', [`%${leak}%`])).rows[0]!.n);
    expect(await holding()).toBe(3);
    const file = join(dir, 'leak2');
    writeFileSync(file, `${leak}\n`);

    const dry = await aaawatch(['purge-secret', '--value-file', file, '--dry-run', '--config', pgConfig], env());
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: a value of 13 characters found in 3 stored rows; nothing changed$/m);
    expect(await holding()).toBe(3);

    const purged = await aaawatch(['purge-secret', '--value-file', file, '--reason', 'a community pasted into a description', '--by', 'dave', '--config', pgConfig], env());
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toMatch(/^collector site-a: purge #2\n  records \(hash-chained\)  1  /m);
    expect(purged.stdout).toMatch(/^collector site-b: purge #1\n  records \(hash-chained\)  1  .*\n  messages +1$/m);
    expect(purged.stderr).toContain('PostgreSQL keeps the old versions of the rows changed');
    expect(await holding()).toBe(0);
    expect(Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE command LIKE '%<redacted>%' OR command LIKE '%***%'")).rows[0]!.n)).toBeGreaterThan(0);

    const verify = await aaawatch(['verify', '--config', pgConfig], env());
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^collector site-a: chain OK, 307 records, head [0-9a-f]{64}$/m);
    expect(verify.stdout).toMatch(/^collector site-b: chain OK, 7 records, head [0-9a-f]{64}$/m);
    expect(verify.stdout).toMatch(/^collector site-a: purges OK: 2 recorded\n  #1 \S+ by carol: .*\n  #2 \S+ by dave: "a community pasted into a description"/m);
    expect(verify.stdout).toMatch(/^collector site-b: purges OK: 1 recorded\n  #1 \S+ by dave: "a community pasted into a description"/m);
    expect(verify.stdout).toMatch(/^activity log OK: \d+ entries chained, head [0-9a-f]{64}$/m);
    // Nothing holds it any more.
    const again = await aaawatch(['purge-secret', '--value-file', file, '--reason', 'again', '--config', pgConfig], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('found in no stored row');

    // A chain already broken is not re-chained over: refused, nothing changed, until it is put back.
    await new PgBatchWriter(pool, 'site-b', 100).writeMany(batchesFor([iosCommand(9301, `description spare ${leak}`)]));
    // RETURNING's subquery reads the row as it was before the update.
    const tampered = await pool.query<{ was: string | null }>("UPDATE events SET actor = 'mallory' WHERE collector = 'site-b' AND seq = 2 RETURNING (SELECT actor FROM events WHERE collector = 'site-b' AND seq = 2) AS was");
    const refused = await aaawatch(['purge-secret', '--value-file', file, '--reason', 'spare', '--config', pgConfig], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refused: collector site-b's chain is broken at number 2 (its content or message was changed); a purge would re-chain over it, so nothing was changed");
    expect(await holding()).toBe(1);
    await pool.query("UPDATE events SET actor = $1 WHERE collector = 'site-b' AND seq = 2", [tampered.rows[0]!.was]);
    const fixed = await aaawatch(['purge-secret', '--value-file', file, '--reason', 'spare', '--config', pgConfig], env());
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/^collector site-b: purge #2$/m);
    expect(await holding()).toBe(0);
  });

  it('imports a file as a collector into its own chain; refused while a serve of that collector is connected', { timeout: 120_000 }, async () => {
    const file = join(dir, 'a.log');
    const imported = await aaawatch(['import', file, '--collector', 'archive', '--json', '--config', pgConfig], env());
    expect(imported.code, imported.stderr).toBe(0);
    // The same lines gave the SQLite store 301 records.
    expect(JSON.parse(imported.stdout)).toMatchObject({ format: 'lines', read: 301, records: 301, malformed: 0, collector: 'archive' });
    expect((await pool.query("SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(DISTINCT transport)::int AS t FROM events WHERE collector = 'archive'")).rows).toEqual([{ lo: 1, hi: 301, t: 1 }]);
    // In the estate's activity log: the collector, the file's SHA-256, and the receive time its records carry.
    const logged = (await pool.query<{ detail: string }>("SELECT detail FROM web_audit WHERE action = 'import' ORDER BY id")).rows.map((r) => JSON.parse(r.detail) as Record<string, unknown>);
    const received = (await pool.query<{ at: string }>("SELECT DISTINCT received_at::text AS at FROM events WHERE collector = 'archive'")).rows.map((r) => new Date(Number(r.at)).toISOString());
    expect(logged.at(-1)).toMatchObject({ file, format: 'lines', read: 301, records: 301, malformed: 0, collector: 'archive', sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), receivedAt: received[0] });
    const verify = await aaawatch(['verify', '--config', pgConfig], env());
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^collector archive: chain OK, 301 records, head [0-9a-f]{64}$/m);

    // A serve of the collector is connected (its store thread's sessions are named `aaawatch NAME`).
    const live = new pg.Client({ connectionString: cluster.url, application_name: 'aaawatch archive' });
    await live.connect();
    try {
      const refused = await aaawatch(['import', file, '--collector', 'archive', '--config', pgConfig], env());
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('import refused: collector archive is live: a serve of it is connected to PostgreSQL 127.0.0.1:');
      expect(await count("SELECT count(*) AS n FROM events WHERE collector = 'archive'")).toBe(301);
    } finally {
      await live.end();
    }
    // Without --collector, the configuration's; a name that cannot be one, or --collector on SQLite, is a usage error.
    const own = await aaawatch(['import', file, '--config', pgConfig], env());
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/^.*a\.log: 301 lines read, 301 records stored as collector site-a, 0 malformed/m);
    const bad = await aaawatch(['import', file, '--collector', 'no spaces', '--config', pgConfig], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--collector "no spaces": must be 1-63 letters');
    const lite = await aaawatch(['import', file, '--collector', 'x', '--config', liteConfig]);
    expect(lite.code).toBe(2);
    expect(lite.stderr).toContain('--collector names a collector of a PostgreSQL store (store.url)');
    expect((await aaawatch(['verify', '--config', pgConfig], env())).code).toBe(0);
  });

  it('an unreachable database: one line naming the target, exit 1', async () => {
    const port = await freePort();
    const r = await aaawatch(['findings', '--config', pgConfig], { AAAWATCH_TEST_PG: `postgres://aaawatch:hunter2@127.0.0.1:${port}/x` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^aaawatch: store\\.url \\(postgres://aaawatch:\\*\\*\\*@127\\.0\\.0\\.1:${port}/x\\): cannot connect: nothing accepts connections there \\(.*\\)\\n$`));
    expect(r.stderr).not.toContain('hunter2');
    const m = await aaawatch(['migrate', '--to', `postgres://127.0.0.1:${port}/x`, '--collector', 'x', '--config', liteConfig]);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain(`--to (postgres://127.0.0.1:${port}/x): cannot connect`);
  });

  it('records that cannot keep their ids leave the estate and the purge log behind; a purge under way is refused', async () => {
    await pool.query('CREATE DATABASE renumbered');
    const url = new URL(cluster.url);
    url.pathname = '/renumbered';
    const target = new pg.Pool({ connectionString: url.toString(), max: 2 });
    const db = openDatabase(litePath);
    try {
      // The first copy's records hold the ids this store's have.
      expect(await copyFromSqlite(db, target, { collector: 'first', replace: false, recordsOnly: true })).toMatchObject({ idsKept: true });
      await expect(copyFromSqlite(db, target, { collector: 'second', replace: false })).rejects.toThrow(
        "holds other collectors' records under the ids this store's records have, and this store's findings, pulls and activity log cite records by id; nothing copied",
      );
      const second = await copyFromSqlite(db, target, { collector: 'second', replace: false, recordsOnly: true });
      expect(second).toMatchObject({ idsKept: false, tables: expect.arrayContaining([{ table: 'events', rows: 301 }]) });
      expect(second.notCopied.map((t) => t.table)).toEqual(expect.arrayContaining(['chain_purges', 'findings', 'web_users']));
      const ids = await target.query<{ collector: string; lo: string; hi: string }>('SELECT collector, min(id) AS lo, max(id) AS hi FROM events GROUP BY collector ORDER BY collector');
      expect(Number(ids.rows[1]!.lo)).toBeGreaterThan(Number(ids.rows[0]!.hi));
      const chains = await aaawatch(['verify', '--json', '--config', pgConfig], { AAAWATCH_TEST_PG: url.toString() });
      expect((JSON.parse(chains.stdout) as { collectors: Array<{ ok: boolean; checked: number }> }).collectors.map((c) => [c.ok, c.checked])).toEqual([[true, 301], [true, 301]]);

      db.prepare("INSERT INTO purge_progress (id, started_at, by, reason, selection, from_id, next_id, prev, anchor, changed, tables) VALUES (1, 0, 'dave', 'r', 'a pattern', 1, 5, x'00', x'00', '[]', '{}')").run();
      await expect(copyFromSqlite(db, target, { collector: 'third', replace: false, recordsOnly: true })).rejects.toThrow(
        'a purge of a pattern by dave was interrupted at record 5: run the same aaawatch purge-secret again to finish it, then migrate; nothing copied',
      );
      db.prepare('DELETE FROM purge_progress').run();
    } finally {
      db.close();
      await target.end();
    }
  });

  it('translates reconciliation\'s positions: what SQLite judged raises no account-created nor alert on PostgreSQL; a record stored after the move does', async () => {
    const { url: hook, received, close } = await startWebhookReceiver();
    await pool.query('CREATE DATABASE moved');
    const url = new URL(cluster.url);
    url.pathname = '/moved';
    const target = new pg.Pool({ connectionString: url.toString(), max: 2 });
    const here = tempDir('aaawatch-moved-');
    const roster = join(here, 'roster.yaml');
    writeFileSync(roster, 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n');
    const config = configSchema.parse({
      store: { path: join(here, 'moved.db') },
      devices: [{ name: 'sw1', address: '192.0.2.1', platform: 'cisco-ios' }],
      reconcile: { roster, alerts: { minSeverity: 'low', webhooks: [{ name: 'hook', url: hook }] } },
    });
    let n = 1;
    const created = (account: string): IngestBatch[] =>
      batchesFor([iosLine(n++, 'sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:username ${account} privilege 15 secret 9 $9$AbCdEfGhIjKlMn$SECRETSECRETSECRETSECRETSECRETSECRETSECRE`)],
        { source: '192.0.2.1', receivedAt: Date.now() });
    const db = openDatabase(config.store.path);
    const log = pino({ level: 'silent' });
    try {
      const lite = new BatchStore(db, 100);
      const liteRun = (): void => void reconcile(db, reconcileOptions(config, reconcileSetup(config), Date.now()));
      // oldtimer before reconciliation first ran (never raised), ghost after (raised on SQLite).
      for (const b of created('oldtimer')) lite.write(b);
      liteRun();
      for (const b of created('ghost')) lite.write(b);
      liteRun();
      const liteCreated = db.prepare("SELECT account, occurrences FROM findings WHERE kind = 'account-created'").all();
      expect(liteCreated).toEqual([{ account: 'ghost', occurrences: 1 }]);
      const liteState = Object.fromEntries((db.prepare('SELECT name, value FROM reconcile_state').all() as Array<{ name: string; value: number }>).map((r) => [r.name, r.value]));
      const records = db.prepare('SELECT count(*) FROM events').pluck().get() as number;

      await copyFromSqlite(db, target, { collector: 'moved', replace: false });
      const state = Object.fromEntries((await target.query<{ name: string; value: string }>('SELECT name, value FROM reconcile_state')).rows.map((r) => [r.name, Number(r.value)]));
      // SQLite's last judged id as a place in the chain (every record judged: its head); the start a time, not an id.
      expect(state['events.created@moved']).toBe(records);
      expect(state['events.created']).toBeGreaterThan(Date.now() - 600_000);
      expect(state['senders.seen@moved']).toBe(liteState['senders.seen']);
      expect(state['changes.judged']).toBe(liteState['changes.judged']);
      expect(Object.keys(state).sort()).toEqual(['events.created', 'events.created@moved', ...Object.keys(liteState).filter((k) => ['changes.judged', 'history.alerted'].includes(k)), 'senders.seen@moved'].sort());

      const first = await reconcileEstateNow(config, { url: url.toString(), collector: 'cli' }, log);
      expect(first).toMatchObject({ outcome: { created: 0 } });
      const pgCreated = async (): Promise<unknown[]> =>
        (await target.query("SELECT account, occurrences::int AS occurrences FROM findings WHERE kind = 'account-created' ORDER BY id")).rows;
      expect(await pgCreated()).toEqual(liteCreated);
      expect(received.filter((a) => a.finding.kind === 'account-created')).toEqual([]);

      // The migrated collector's chain goes on: its next record is judged.
      for (const b of created('newbie')) await new PgBatchWriter(target, 'moved', 100).write(b);
      const second = await reconcileEstateNow(config, { url: url.toString(), collector: 'cli' }, log);
      expect(second).toMatchObject({ outcome: { created: 1 } });
      expect(await pgCreated()).toEqual([...liteCreated, { account: 'newbie', occurrences: 1 }]);
      expect(received.filter((a) => a.finding.kind === 'account-created').map((a) => [a.event, a.finding.account])).toEqual([['new', 'newbie']]);
    } finally {
      db.close();
      await target.end();
      close();
    }
  });
});
