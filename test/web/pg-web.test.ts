// The web interface on a shared PostgreSQL store, end to end: two `aaawatch serve` processes (the
// built command) as collectors site-a and site-b on one throwaway PostgreSQL 15 cluster, real
// syslog from util-linux logger into each, users made by `aaawatch user add` on PostgreSQL. Signed
// in on either node, one sees every record with the collector that received it; a finding decided
// on one node is decided on the other, and its case shows it on both; the evidence packs both nodes
// export for the same period verify and carry the same review and the same records; a device pulled
// by site-b has its page (snapshots with the collector that pulled them) and its accounts on both.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/report/evidence.js';
import { readPublicKey } from '../../src/report/signing.js';
import { PG_NUMBERS, pgAccess } from '../../src/web/data/pg-access.js';
import { hashPassword } from '../../src/web/passwords.js';
import { REPO } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { watch, type Watched } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';
import { PASSWORD, signIn, type Client } from './fixture.js';

const CLI = join(REPO, 'dist/src/cli.js');
const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const children: ChildProcess[] = [];
let cluster: ThrowawayPostgres;
let pool: pg.Pool;
let dir: string;

interface Node {
  collector: string;
  file: string;
  udp: number;
  tcp: number;
  base: string;
  out: Watched;
}

async function configFor(collector: string): Promise<Omit<Node, 'out'>> {
  const udp = await freePort();
  const tcp = await freePort();
  const web = await freePort();
  const file = join(dir, `${collector}.yaml`);
  writeFileSync(file, [
    `collector: ${collector}`,
    'store:',
    `  path: ${join(dir, collector, 'unused.db')}`,
    '  url: { env: AAAWATCH_TEST_PG }',
    'ingest:',
    `  udp: { host: 127.0.0.1, port: ${udp} }`,
    `  tcp: { host: 127.0.0.1, port: ${tcp} }`,
    'web:',
    '  host: 127.0.0.1',
    `  port: ${web}`,
    // Each node its own signing key, as two machines would have.
    `  signingKey: ${join(dir, collector, 'signing-key.pem')}`,
    '',
  ].join('\n'));
  return { collector, file, udp, tcp, base: `http://127.0.0.1:${web}` };
}

const env = (): NodeJS.ProcessEnv => ({ ...process.env, AAAWATCH_CONFIG: '', AAAWATCH_TEST_PG: cluster.url });

async function serve(node: Omit<Node, 'out'>): Promise<Node> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', node.file], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = watch(child);
  // The last line serve says at start on PostgreSQL.
  await out.said('web interface on');
  return { ...node, out };
}

async function until(what: string, f: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await sleep(100);
  }
}

const useradd = (n: number): string => `new user: name=u${n}, UID=${10_000 + n}, GID=100, home=/home/u${n}, shell=/bin/bash, from=/dev/pts/0`;

async function download(client: Client, path: string): Promise<Buffer> {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe.skipIf(!postgresAvailable())('the web interface on a shared PostgreSQL store', () => {
  let a: Node;
  let b: Node;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 2, types: PG_NUMBERS });
    pool.on('error', () => undefined);
    dir = tempDir();
    const [ca, cb] = [await configFor('site-a'), await configFor('site-b')];
    // Users made on PostgreSQL by the command, before any serve made the web's tables.
    for (const role of ['admin', 'auditor'] as const) {
      const pw = join(dir, `${role}.pw`);
      writeFileSync(pw, PASSWORD[role]);
      const r = await run(process.execPath, [CLI, 'user', 'add', role, '--role', role, '--password-file', pw, '--config', ca.file], { env: env() });
      expect(r.stdout).toBe(`added user ${role} (${role})\n`);
    }
    a = await serve(ca);
    b = await serve(cb);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await pool?.end();
    cluster?.stop();
  });

  it('shows every collector\'s records on either node, takes a decision on one that the other sees, and both export the same evidence', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    expect(a.out.output()).not.toContain('web interface off');
    // syslog into each collector, one over UDP, one over TCP.
    await run('logger', ['--udp', '-n', '127.0.0.1', '-P', String(a.udp), '--rfc3164', '--id=101', '-t', 'useradd', useradd(1)]);
    await run('logger', ['-T', '--octet-count', '-n', '127.0.0.1', '-P', String(b.tcp), '--rfc5424', '--id=102', '-t', 'useradd', useradd(2)]);
    await until('both records stored', async () => (await pool.query("SELECT count(*)::int AS n FROM events WHERE kind = 'account'")).rows[0].n === 2);
    const stored = (await pool.query<{ id: number; collector: string; target: string; device: string }>("SELECT id, collector, target, device FROM events WHERE kind = 'account' ORDER BY target")).rows;
    expect(stored.map((r) => [r.collector, r.target])).toEqual([['site-a', 'u1'], ['site-b', 'u2']]);

    // The leader (one of the two collectors) raises account-created for both records, whichever
    // collector received each; the decision below is taken on site-a's.
    const u1 = stored[0]!;
    const created = async (): Promise<Array<{ id: number; account: string }>> =>
      (await pool.query<{ id: number; account: string }>("SELECT id, account FROM findings WHERE kind = 'account-created' ORDER BY account")).rows;
    await until('account-created raised for both records', async () => (await created()).length === 2);
    const [findingId, u2FindingId] = (await created()).map((f) => f.id) as [number, number];
    const now = Date.now();

    const onA = await signIn(a.base, 'admin');
    const onB = await signIn(b.base, 'auditor');
    // Every record on either node, each with the collector that received it.
    for (const client of [onA, onB]) {
      const audit = await (await client.get('/audit?kind=account')).text();
      const rows = [...audit.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
      expect(rows[0]).toContain('Collector');
      expect(rows.find((r) => r.includes(' u1 '))).toContain('site-a');
      expect(rows.find((r) => r.includes(' u2 '))).toContain('site-b');
      const api = (await (await client.get('/api/events?kind=account')).json()) as { records: Array<{ target: string; collector: string }> };
      expect(api.records.map((r) => [r.target, r.collector])).toEqual([['u2', 'site-b'], ['u1', 'site-a']]);
    }
    const page = await (await onB.get(`/findings/${findingId}`)).text();
    expect(page).toContain('received by collector <code>site-a</code>');
    // The sending host is in no inventory: an unverified sender, whose page carries its own health (two undecided findings), not "healthy".
    const host = await (await onA.get(`/api/devices/${encodeURIComponent(u1.device)}`)).json() as { unverified: boolean; health: { undecidedFindings: number; lastSyslog: number | null } | null };
    expect(host.unverified).toBe(true);
    expect(host.health).toMatchObject({ undecidedFindings: 2 });
    expect(host.health!.lastSyslog).not.toBeNull();

    // Decided on site-b's node by the auditor; seen decided on site-a's.
    const decided = await onB.post(`/findings/${findingId}/acknowledge`, { _csrf: onB.csrf, reason: 'asked the owner of u1' });
    expect(decided.status).toBe(303);
    const seen = (await (await onA.get(`/api/findings/${findingId}`)).json()) as { finding: { status: string }; history: Array<{ by: string; to_status: string; reason: string }> };
    expect(seen.finding.status).toBe('acknowledged');
    expect(seen.history.map((h) => [h.by, h.to_status, h.reason])).toEqual([['aaawatch', 'open', null], ['auditor', 'acknowledged', 'asked the owner of u1']]);
    const list = (await (await onA.get('/api/findings')).json()) as { findings: Array<{ id: number; status: string }> };
    // Ids in the order the leader raised them, which a busy machine may take either way round.
    const byId = (x: Array<number | string>, y: Array<number | string>): number => Number(x[0]) - Number(y[0]);
    expect(list.findings.map((f) => [f.id, f.status]).sort(byId)).toEqual([[findingId, 'acknowledged'], [u2FindingId, 'open']].sort(byId));
    // A position naming no finding is a stale link (400), not the first page again; one at the last finding, an empty page.
    expect((await onA.get('/api/findings?before=999999.999999')).status).toBe(400);
    expect((await onA.get('/findings?before=999999.999999')).status).toBe(400);
    const last = list.findings[list.findings.length - 1]!.id;
    expect(((await (await onA.get(`/api/findings?before=${last}.${last}`)).json()) as { findings: unknown[] }).findings).toEqual([]);

    // The case on either node: its finding decided, the record it cites with the collector that received it.
    const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const client of [onA, onB]) {
      const cases = await (await client.get('/api/cases')).json() as { cases: Array<{ device: string; account: string; findings: number }> };
      expect(cases.cases.map((c) => [c.device, c.account, c.findings]).sort()).toEqual([[u1.device, 'u1', 1], [stored[1]!.device, 'u2', 1]].sort());
      const casePage = await client.get(`/case?device=${encodeURIComponent(u1.device)}&account=u1`);
      expect(casePage.status).toBe(200);
      const caseText = text(await casePage.text());
      expect(caseText).toContain('account created on vm: u1');
      expect(caseText).toContain('received by collector site-a');
      expect(caseText).toContain('asked the owner of u1');
      // Linked by a finding of the case, as the Cases list links it: the same page.
      const byFinding = await client.get(`/case?finding=${findingId}`);
      expect(byFinding.status).toBe(200);
      const byFindingText = text(await byFinding.text());
      for (const part of ['account created on vm: u1', 'received by collector site-a', 'asked the owner of u1']) expect(byFindingText).toContain(part);
    }

    // The same period exported from both nodes.
    const period = `from=${new Date(now - 86_400_000).toISOString().slice(0, 10)}&to=${new Date(now + 86_400_000).toISOString().slice(0, 10)}`;
    const packs = [];
    for (const client of [onA, onB]) {
      const pem = (await download(client, '/exports/signing-key.pem')).toString('utf8');
      const zip = await download(client, `/exports/evidence.zip?${period}`);
      const checked = verifyEvidence(zip, readPublicKey(pem));
      expect(checked.problems).toEqual([]);
      packs.push({ files: unzipSync(zip), header: checked.header!, sha256: createHash('sha256').update(zip).digest('hex') });
    }
    const [fromA, fromB] = packs as [(typeof packs)[number], (typeof packs)[number]];
    for (const name of ['accounts.csv', 'findings.csv', 'decisions.csv', 'records.csv', 'records.jsonl']) {
      expect(Buffer.from(fromB.files[name]!).toString('utf8'), name).toBe(Buffer.from(fromA.files[name]!).toString('utf8'));
    }
    const findingsCsv = Buffer.from(fromA.files['findings.csv']!).toString('utf8');
    expect(findingsCsv).toContain('acknowledged');
    expect(Buffer.from(fromA.files['decisions.csv']!).toString('utf8')).toContain('asked the owner of u1');
    const records = Buffer.from(fromA.files['records.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number });
    expect(records.map((r) => r.id)).toContain(u1.id);
    expect(fromA.header.chain.collectors?.map((c) => c.collector)).toEqual(['site-a', 'site-b']);
    expect(fromB.header.chain).toEqual(fromA.header.chain);
    // One activity log for the estate: the sign-ins on both nodes, the decision, the first export
    // (logged before its download ended, so the second node's export, taken at once, lists it).
    const activity = Buffer.from(fromB.files['activity.csv']!).toString('utf8');
    for (const action of ['login', 'finding.acknowledge', 'export']) expect(activity).toContain(action);
    expect(activity).toContain(fromA.sha256);
    expect(activity.match(/,login,/g)?.length).toBe(2);

    // The command line's export on PostgreSQL: the same findings as both nodes'.
    const csv = join(dir, 'findings.csv');
    const from = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(now + 86_400_000).toISOString().slice(0, 10);
    const report = await run(process.execPath, [CLI, 'report', '--format', 'findings', '--out', csv, '--from', from, '--to', to, '--config', b.file], { env: env() });
    expect(report.stdout).toContain('2 findings, 1 decisions');
    expect(readFileSync(csv, 'utf8')).toBe(findingsCsv);

    // A decision from the shell on PostgreSQL, seen by the web.
    const resolved = await run(process.execPath, [CLI, 'finding', 'resolve', String(findingId), '--by', 'lead', '--reason', 'u1 removed', '--config', a.file], { env: env() });
    expect(resolved.stdout).toBe(`finding ${findingId} is resolved (account-created on ${u1.device}, u1); recorded as self-asserted from the command line by OS user ${userInfo().username}: --by is the reviewer claimed, not a signed-in user\n`);
    const after = (await (await onB.get(`/api/findings/${findingId}`)).json()) as { finding: { status: string }; history: Array<{ by: string; to_status: string; path: { kind: string; user: string | null } }> };
    // Each entry with the path it came by: aaawatch's own, the signed-in auditor's, the shell's (its OS user).
    expect(after.history.map((h) => [h.by, h.path.kind, h.path.user])).toEqual([['aaawatch', 'system', null], ['auditor', 'web', 'auditor'], ['lead', 'cli', userInfo().username]]);
    expect(after.finding.status).toBe('resolved');
    expect(after.history.map((h) => [h.by, h.to_status])).toEqual([['aaawatch', 'open'], ['auditor', 'acknowledged'], ['lead', 'resolved']]);

    // verify on any node: both collectors' chains and the one activity log; an entry changed behind the web is named.
    const verify = async (): Promise<{ code: number; stdout: string }> =>
      run(process.execPath, [CLI, 'verify', '--config', b.file], { env: env() }).then((r) => ({ code: 0, stdout: r.stdout }), (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }));
    const ok = await verify();
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^collector site-a: chain OK, 1 records, head [0-9a-f]{64}\ncollector site-b: chain OK, 1 records, head [0-9a-f]{64}\nactivity log OK: \d+ entries chained, head [0-9a-f]{64}\n$/);
    const entry = (await pool.query<{ id: number }>("SELECT id FROM web_audit WHERE action = 'finding.acknowledge'")).rows[0]!.id;
    await pool.query(`UPDATE web_audit SET detail = replace(detail, 'asked', 'told') WHERE id = $1`, [entry]);
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`activity log BROKEN at entry ${entry}: its content was changed\n`);

    // A device as site-b's pull left it (pulls themselves: test/store/pg-pull.test.ts), on the devices and accounts
    // pages of either node.
    const snap = async (at: number, config: string): Promise<number> =>
      (await pool.query<{ id: number }>("INSERT INTO snapshots (device, platform, taken_at, hash, config, bytes) VALUES ('edge-r1', 'cisco-ios', $1, $2, $3, $4) RETURNING id", [at, `h${at}`, config, config.length])).rows[0]!.id;
    const s1 = await snap(now - 7_200_000, 'hostname edge-r1\nusername ops privilege 15 secret 5 <redacted>\n');
    const s2 = await snap(now - 3_600_000, 'hostname edge-r1\nusername ops privilege 15 secret 5 <redacted>\nusername vendor privilege 15 secret 5 <redacted>\n');
    for (const [at, id] of [[now - 7_200_000, s1], [now - 3_600_000, s2]]) {
      await pool.query("INSERT INTO pull_runs (collector, device, started_at, finished_at, attempts, outcome, snapshot_id) VALUES ('site-b', 'edge-r1', $1, $1, 1, 'changed', $2)", [at, id]);
    }
    await pool.query("INSERT INTO pull_state (device, last_attempt, last_success, snapshot_id, failures) VALUES ('edge-r1', $1, $1, $2, 0)", [now - 3_600_000, s2]);
    for (const [name, first] of [['ops', s1], ['vendor', s2]] as const) {
      await pool.query(
        `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
         VALUES ('edge-r1', $1, '15', '[]', '["secret"]', '[]', $2, $3, $4, $5)`,
        [name, first === s1 ? now - 7_200_000 : now - 3_600_000, now - 3_600_000, first, s2],
      );
    }
    for (const client of [onA, onB]) {
      const list = await client.get('/devices');
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('href="/devices/edge-r1"');
      const edge = await client.get('/devices/edge-r1');
      expect(edge.status).toBe(200);
      const edgeText = text(await edge.text());
      expect(edgeText).toContain(`Pulled by`);
      expect(edgeText).toMatch(new RegExp(`${s2} .*site-b.* ${s1} .*site-b`));
      expect(edgeText).toContain('+username vendor privilege 15 secret 5 &lt;redacted&gt;');
      // The syslog device: its records with the collector that received each.
      const heard = text(await (await client.get(`/devices/${encodeURIComponent(u1.device)}?kind=account`)).text());
      expect(heard).toMatch(/Collector/);
      expect(heard).toContain('site-a');
      expect(heard).toContain('site-b');
      const accounts = await client.get('/accounts');
      expect(accounts.status).toBe(200);
      const listed = text(await accounts.text());
      for (const name of ['ops', 'vendor', 'u1', 'u2']) expect(listed).toContain(` ${name} `);
      const api = (await (await client.get('/api/accounts')).json()) as { accounts: Array<{ device: string; account: string; source: string }> };
      expect(api.accounts.map((r) => [r.device, r.account, r.source])).toEqual(
        [['edge-r1', 'ops', 'pulled'], ['edge-r1', 'vendor', 'pulled'], [u1.device, 'u1', 'syslog'], [u1.device, 'u2', 'syslog']].sort((x, y) => Buffer.compare(Buffer.from(`${x[0]}\0${x[1]}`), Buffer.from(`${y[0]}\0${y[1]}`))),
      );
    }

    // A 7,000-character account pulled from edge-r1 (percent-encoded, longer than Node's 16 KiB of
    // headers): linked by its key from the Accounts page of either node, its case read by it.
    const huge = `huge-${'ü€'.repeat(3_500)}`.slice(0, 7_000);
    await pool.query(
      `INSERT INTO accounts (device, name, privilege, roles, credentials, lines, first_seen, last_seen, first_snapshot_id, last_snapshot_id)
       VALUES ('edge-r1', $1, '1', '[]', '["secret"]', '[]', $2, $2, $3, $3)`,
      [huge, now - 3_600_000, s2],
    );
    for (const client of [onA, onB]) {
      const page = await (await client.get('/accounts?device=edge-r1')).text();
      const link = [...page.matchAll(/href="(\/case\?device=edge-r1&amp;starts=[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
      expect(link).toHaveLength(1);
      expect(link[0]!.length).toBeLessThan(2_000);
      const byKey = await client.get(link[0]!);
      expect(byKey.status).toBe(200);
      expect(await byKey.text()).toContain(`<h1>Case: ${huge} on edge-r1</h1>`);
      // The next page after it, by its key: the accounts after it on edge-r1, not it again.
      const key = new URL(link[0]!, 'http://x').searchParams;
      const after = (await (await client.get(`/api/accounts?device=edge-r1&afterDevice=edge-r1&afterStarts=${encodeURIComponent(key.get('starts')!)}&afterSha256=${key.get('sha256')}`)).json()) as { accounts: Array<{ account: string }> };
      expect(after.accounts.map((r) => r.account)).toEqual(['ops', 'vendor']);
    }
  });

  it('counts sign-ins in the store: failures on either node lock the name on both; a hundred guesses through both nodes at once get five checks, and the right password is refused once they are counted', async () => {
    const access = pgAccess(pool);
    const right = 'victim-password-1';
    for (const name of ['victim', 'victim2']) await access.saveUser(name, 'viewer', await hashPassword(right), Date.now(), false);
    /** A sign-in form of `node` (its token is bound to its cookie and to that node's key). */
    const form = async (node: Node): Promise<{ node: Node; cookie: string; csrf: string }> => {
      const res = await fetch(`${node.base}/login`);
      return { node, cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrf: /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]! };
    };
    const post = async (f: { node: Node; cookie: string; csrf: string }, user: string, password: string): Promise<number> =>
      (await fetch(`${f.node.base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: f.csrf, user, password }).toString(),
      })).status;

    // Four failures on site-a, the fifth on site-b: locked on both, the right password too.
    for (let i = 0; i < 4; i++) expect(await post(await form(a), 'victim', `wrong-${i}`)).toBe(401);
    expect(await post(await form(b), 'victim', 'wrong-4')).toBe(401);
    expect(await post(await form(a), 'victim', right)).toBe(429);
    expect(await post(await form(b), 'victim', right)).toBe(429);
    const limited = (await pool.query<{ user: string; detail: string }>("SELECT \"user\", detail FROM web_audit WHERE action = 'login.limited' ORDER BY id")).rows;
    expect(limited.map((r) => [r.user, (JSON.parse(r.detail) as { refusedWhileLocked: number }).refusedWhileLocked])).toEqual([['victim', 1]]);

    // A hundred wrong guesses sent at once, half to each node.
    const forms = await Promise.all(Array.from({ length: 100 }, (_, i) => form(i % 2 ? a : b)));
    const guesses = Promise.all(forms.map((f, i) => post(f, 'victim2', `guess-${i}`)));
    // Counted before they are checked: the right password, sent once the store holds five of them, is refused.
    await until('five guesses counted', async () => {
      const row = (await pool.query<{ attempts: string; locked_until: number }>("SELECT attempts, locked_until FROM web_login_limits WHERE key = 'user:victim2'")).rows[0];
      return row !== undefined && ((JSON.parse(row.attempts) as number[]).length >= 5 || row.locked_until > 0);
    });
    // Its form asked for now: a connection left idle while the guesses are checked may be closed by the server's keep-alive timeout.
    const last = await form(b);
    expect(await post(last, 'victim2', right)).toBe(429);
    const answers = await guesses;
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(95);
    const refused = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM web_audit WHERE action = 'login.refused' AND \"user\" = 'victim2'")).rows[0]!.n;
    expect(refused).toBe(5);
  });
});
