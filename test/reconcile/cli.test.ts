// The command line end to end (the built `aaawatch`, as npm test builds it): `reconcile`,
// `findings`, `finding show|ack|accept|resolve`, roster mistakes, and `serve` raising
// account-created from a syslog line on its own.

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { insertAccount, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';
import { REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { freePort } from '../support/ports.js';
import { watch, type Watched } from '../support/process.js';
import { iosLine } from './support.js';

const CLI = join(REPO, 'dist/src/cli.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aaawatch(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AAAWATCH_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dir: string;
let config: string;
const ROSTER = `accounts:
  - { name: jdoe, devices: ["*"], privilege: 15, type: human, owner: Jane Doe, approval: ACC-1 }
  - { name: bg, devices: ["*"], privilege: 15, type: break-glass }
`;

beforeAll(() => {
  dir = tempDir('aaawatch-reconcile-cli-');
  writeFileSync(join(dir, 'roster.yaml'), ROSTER);
  config = join(dir, 'aaawatch.yaml');
  writeFileSync(
    config,
    [
      `store: { path: ${join(dir, 'aaawatch.db')} }`,
      'web: { enabled: false }',
      'devices:',
      '  - { name: core-sw1, address: 192.0.2.11, platform: cisco-ios, groups: [core], pull: false }',
      'reconcile:',
      `  roster: ${join(dir, 'roster.yaml')}`,
      '  telemetry: { require: [] }',
    ].join('\n') + '\n',
  );
  // What a pull would have left: a snapshot and two accounts, one of them not on the roster.
  const db = openDatabase(join(dir, 'aaawatch.db'));
  const now = Date.now();
  const snap = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: now, hash: 'h', config: 'hostname core-sw1\nend\n', bytes: 20 });
  insertAccount(db, { device: 'core-sw1', name: 'jdoe', privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: now, snapshotId: snap });
  insertAccount(db, { device: 'core-sw1', name: 'backdoor', privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: now, snapshotId: snap });
  pullSucceeded(db, 'core-sw1', now, snap);
  db.prepare('INSERT INTO device_activity (device, source, first_seen, last_seen) VALUES (?, ?, ?, ?)').run('core-sw1', '192.0.2.11', now, now);
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A command-line decision's path as the activity log and the JSON carry it. */
const cliPathJson = (os: string): Record<string, unknown> => ({ kind: 'cli', authenticated: false, user: os, token: null, text: `command line, self-asserted by OS user ${os}` });

describe('reconcile and findings', () => {
  let backdoor: number;

  it('reconcile prints what it did and what is open', async () => {
    const r = await aaawatch(['reconcile', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`reconciled 1 devices and 2 accounts against 2 roster entries (${join(dir, 'roster.yaml')}) in `);
    // The pull found backdoor just now: who granted its privilege 15 is judged once the skew has passed, and the summary says so (severity.ts provisionalNote).
    expect(r.stdout).toMatch(/^ +\d+ +high +open +unauthorised-account +core-sw1 +backdoor +backdoor \(privilege 15\) on core-sw1 is not on the roster; provisional until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: who granted its full administrative rights is judged once records have had reconcile\.attributionSkewSeconds to arrive/m);
    expect(r.stdout).toMatch(/^ +\d+ +medium +open +missing-account +core-sw1 +bg +bg \(break-glass, must exist/m);
  });

  it('--json and --rows for tools and auditors', async () => {
    const r = await aaawatch(['reconcile', '--config', config, '--json']);
    const out = JSON.parse(r.stdout) as { outcome: { conditions: { raised: number } }; findings: Array<{ id: number; kind: string; account: string }> };
    expect(out.outcome.conditions.raised).toBe(0); // the second run raises nothing new
    backdoor = out.findings.find((f) => f.account === 'backdoor')!.id;
    const rows = (await aaawatch(['reconcile', '--config', config, '--rows', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x.account, x.source, x.rosterMatch, (x.findings as Array<{ kind: string }>).map((f) => f.kind)])).toEqual([
      ['backdoor', 'pulled', 'not on roster', ['unauthorised-account']],
      ['bg', 'roster', 'missing', ['missing-account']],
      ['jdoe', 'pulled', 'authorised', []],
    ]);
    const tsv = (await aaawatch(['reconcile', '--config', config, '--rows'])).stdout.split('\n');
    expect(tsv[0]!.split('\t').slice(0, 10)).toEqual(['device', 'account', 'in inventory', 'source', 'state', 'privilege', 'superuser', 'roster match', 'allowed', 'type']);
    expect(tsv[1]).toMatch(/^core-sw1\tbackdoor\tyes\tpulled\tpresent\tprivilege 15\tyes\tnot on roster\t/);
    // The inventory device named in another case or by its FQDN, as ingest files its lines.
    for (const written of ['CORE-SW1', 'core-sw1.corp.example']) {
      const named = (await aaawatch(['reconcile', '--config', config, '--rows', '--json', '--device', written])).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { account: string }).account);
      expect(named, written).toEqual(['backdoor', 'bg', 'jdoe']);
    }
  });

  it('a reviewer acknowledges, accepts and resolves; every step is in the history', async () => {
    const ack = await aaawatch(['finding', 'ack', String(backdoor), '--by', 'auditor1', '--reason', 'asked the NOC', '--config', config]);
    // --by is claimed: the decision says it is recorded as self-asserted, with the OS user who ran it (issue 15).
    const os = userInfo().username;
    const selfAsserted = `recorded as self-asserted from the command line by OS user ${os}: --by is the reviewer claimed, not a signed-in user`;
    expect(ack.stdout).toBe(`finding ${backdoor} is acknowledged (unauthorised-account on core-sw1, backdoor); ${selfAsserted}\n`);
    const noUntil = await aaawatch(['finding', 'accept', String(backdoor), '--by', 'netlead', '--reason', 'r', '--config', config]);
    expect(noUntil.code).not.toBe(0);
    expect(noUntil.stderr).toContain("required option '--until <date>' not specified");
    // An end in the past is a wrong option value, exit 2 like a date that does not exist.
    for (const until of ['2020-01-31', '2026-02-30']) {
      const wrong = await aaawatch(['finding', 'accept', String(backdoor), '--by', 'netlead', '--reason', 'r', '--until', until, '--config', config]);
      expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(new RegExp(`^aaawatch: --until ${until}: `))]);
    }
    const accepted = await aaawatch(['finding', 'accept', String(backdoor), '--by', 'netlead', '--reason', 'vendor, until migration', '--until', '2099-01-31', '--ticket', 'RISK-42', '--config', config]);
    expect(accepted.stdout).toBe(`finding ${backdoor} is accepted until 2099-01-31T23:59:59Z (unauthorised-account on core-sw1, backdoor); ${selfAsserted}\n`);
    const spoof = await aaawatch(['finding', 'resolve', String(backdoor), '--by', 'aaawatch', '--reason', 'x', '--config', config]);
    expect(spoof.code).toBe(1);
    expect(spoof.stderr).toBe('aaawatch: "aaawatch" is reserved for automatic changes; give your own name\n');
    const show = await aaawatch(['finding', 'show', String(backdoor), '--config', config]);
    expect(show.stdout).toContain(`finding ${backdoor}: unauthorised-account, high, accepted until 2099-01-31T23:59:59Z`);
    expect(show.stdout).toMatch(/auditor1 +open +→ acknowledged +asked the NOC/);
    expect(show.stdout).toMatch(/netlead +acknowledged +→ accepted +until 2099-01-31T23:59:59Z vendor, until migration\n +via command line, self-asserted by OS user /);
    expect(show.stdout.split('\n').filter((l) => l.trim() === `via command line, self-asserted by OS user ${os}`)).toHaveLength(2);
    const shown = JSON.parse((await aaawatch(['finding', 'show', String(backdoor), '--json', '--config', config])).stdout) as { history: Array<{ by: string; path: { kind: string; authenticated: boolean; user: string } }> };
    expect(shown.history.filter((h) => h.by !== 'aaawatch').map((h) => [h.by, h.path.kind, h.path.authenticated, h.path.user])).toEqual([['auditor1', 'cli', false, os], ['netlead', 'cli', false, os]]);
    const listed = await aaawatch(['findings', '--status', 'accepted', '--json', '--config', config]);
    expect(listed.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([backdoor]);
    expect((await aaawatch(['findings', '--status', 'bogus', '--config', config])).stderr).toContain('--status: unknown status bogus');
    // Each decision taken is in the activity log, chained, with the system user who ran the command
    // beside the reviewer --by named (free text); the refused one is not.
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const logged = db.prepare(`SELECT user, address, action, detail FROM web_audit WHERE action LIKE 'finding.%' ORDER BY id`).all() as Array<{ user: string; address: string | null; action: string; detail: string }>;
    db.close();
    const me = `${userInfo().username} (command line)`;
    expect(logged.map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown }))).toEqual([
      { user: me, address: null, action: 'finding.acknowledge', detail: { finding: backdoor, by: 'auditor1', reason: 'asked the NOC', path: cliPathJson(os) } },
      { user: me, address: null, action: 'finding.accept', detail: { finding: backdoor, by: 'netlead', reason: 'vendor, until migration', path: cliPathJson(os), until: '2099-01-31T23:59:59.999Z', ticket: 'RISK-42' } },
    ]);
    expect((await aaawatch(['verify', '--config', config])).stdout).toMatch(/^activity log OK: \d+ entries chained/m);
  });

  it('decides many cases at once with a ticket, in one transaction, logged as the web logs a bulk decision', async () => {
    const bg = JSON.stringify(['core-sw1', 'bg']);
    // A case with nothing open: nothing decided, not even the cases before it.
    const none = await aaawatch(['case', 'ack', bg, JSON.stringify(['core-sw1', 'nobody']), '--by', 'auditor1', '--reason', 'r', '--config', config]);
    expect([none.code, none.stderr]).toEqual([1, 'aaawatch: no open case for nobody on core-sw1; nothing decided\n']);
    const bad = await aaawatch(['case', 'ack', 'core-sw1/bg', '--by', 'auditor1', '--reason', 'r', '--config', config]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^aaawatch: core-sw1\/bg: a case is a finding id or \["DEVICE","ACCOUNT"\]/)]);
    // A finding id stands for its case (backdoor's, accepted: left as it is) beside a case key.
    const ack = await aaawatch(['case', 'ack', String(backdoor), bg, '--by', 'auditor1', '--reason', 'checking with the NOC', '--ticket', 'CHG-9', '--json', '--config', config]);
    expect(ack.stderr).toBe('');
    const out = JSON.parse(ack.stdout) as { action: string; ticket: string; cases: Array<{ device: string; account: string; decided: number[]; skipped: Array<{ id: number; why: string }> }> };
    expect(out.ticket).toBe('CHG-9');
    expect(out.cases.map((c) => [c.account, c.decided.length, c.skipped.map((x) => x.why)])).toEqual([['backdoor', 0, ['already accepted']], ['bg', 1, []]]);
    const bgFinding = out.cases[1]!.decided[0]!;
    const listed = await aaawatch(['findings', '--status', 'acknowledged', '--json', '--config', config]);
    expect(listed.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([bgFinding]);
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const logged = db.prepare(`SELECT user, address, action, detail FROM web_audit WHERE action LIKE 'case.%' ORDER BY id`).all() as Array<{ user: string; address: string | null; action: string; detail: string }>;
    const history = db.prepare('SELECT by, to_status, ticket, path, path_user FROM finding_history WHERE finding_id = ? ORDER BY id DESC LIMIT 1').get(bgFinding);
    db.close();
    expect(history).toEqual({ by: 'auditor1', to_status: 'acknowledged', ticket: 'CHG-9', path: 'cli', path_user: userInfo().username });
    expect(logged.map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown }))).toEqual([{
      user: `${userInfo().username} (command line)`, address: null, action: 'case.acknowledge',
      detail: {
        by: 'auditor1', reason: 'checking with the NOC', path: cliPathJson(userInfo().username), ticket: 'CHG-9',
        cases: [{ device: 'core-sw1', account: 'backdoor', decided: [], skipped: [{ id: backdoor, why: 'already accepted' }] }, { device: 'core-sw1', account: 'bg', decided: [bgFinding], skipped: [] }],
      },
    }]);
    const resolved = await aaawatch(['case', 'resolve', bg, '--by', 'netlead', '--reason', 'bg made', '--config', config]);
    expect(resolved.stdout).toBe(`core-sw1, bg: resolve findings ${bgFinding}\nrecorded as self-asserted from the command line by OS user ${userInfo().username}: --by is the reviewer claimed, not a signed-in user\n`);
  });

  it('reads an acceptance that has ended as open, with serve stopped and no reconciliation since, as the exports do', async () => {
    const backdoorCase = async (...extra: string[]): Promise<{ undecided: number } | undefined> =>
      (await aaawatch(['case', 'list', '--json', ...extra, '--config', config])).stdout.trim().split('\n').filter(Boolean)
        .map((l) => JSON.parse(l) as { device: string; account: string; undecided: number }).find((c) => c.device === 'core-sw1' && c.account === 'backdoor');
    const standing = (await backdoorCase())!.undecided;
    // backdoor's acceptance ran out a minute ago; nothing has written the reopening.
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const stored = db.prepare('SELECT status, accepted_until FROM findings WHERE id = ?').get(backdoor) as { status: string; accepted_until: number };
    expect(stored.status).toBe('accepted');
    db.prepare('UPDATE findings SET accepted_until = ? WHERE id = ?').run(Date.now() - 60_000, backdoor);
    db.close();
    try {
      const ids = (r: Run): number[] => r.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id);
      expect(ids(await aaawatch(['findings', '--status', 'accepted', '--json', '--config', config]))).not.toContain(backdoor);
      const open = await aaawatch(['findings', '--status', 'open', '--json', '--config', config]);
      expect((open.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; status: string; acceptedUntil: string | null }).find((f) => f.id === backdoor))).toMatchObject({ status: 'open', acceptedUntil: null });
      const table = await aaawatch(['findings', '--config', config]);
      expect(table.stdout.split('\n').find((l) => l.trimStart().startsWith(`${backdoor} `))).toMatch(/ open /);
      const show = await aaawatch(['finding', 'show', String(backdoor), '--config', config]);
      expect(show.stdout).toContain(`finding ${backdoor}: unauthorised-account, high, open\n`);
      // asof19: case list counted it decided (accepted) until something wrote the reopening.
      expect((await backdoorCase())!.undecided).toBe(standing + 1);
      expect((await backdoorCase('--undecided'))!.undecided).toBe(standing + 1);
    } finally {
      const back = openDatabase(join(dir, 'aaawatch.db'));
      back.prepare('UPDATE findings SET accepted_until = ? WHERE id = ?').run(stored.accepted_until, backdoor);
      back.close();
    }
  });

  it('a roster mistake names file, line and field, and exits non-zero', async () => {
    writeFileSync(join(dir, 'roster.yaml'), ROSTER + '  - { name: temp, devices: ["*"], privilege: 15, type: contractor }\n');
    const r = await aaawatch(['reconcile', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `aaawatch: configuration error\n${join(dir, 'roster.yaml')}:4: accounts[2].type: Invalid option: expected one of "human"|"service"|"shared"|"break-glass"|"vendor"\n`,
    );
    writeFileSync(join(dir, 'roster.yaml'), ROSTER);
  });

  it('--help describes each command', async () => {
    for (const args of [['reconcile'], ['findings'], ['finding', 'accept']]) {
      const r = await aaawatch([...args, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: aaawatch ${args.join(' ')}`);
    }
  });
});

describe('serve', () => {
  let serve: Watched | undefined;
  afterAll(async () => {
    await serve?.stop();
  });

  it('raises account-created from a syslog line within seconds, through the reconciliation thread', async () => {
    const port = await freePort();
    const serveConfig = join(dir, 'serve.yaml');
    writeFileSync(
      serveConfig,
      [
        `store: { path: ${join(dir, 'aaawatch.db')} }`,
        'web: { enabled: false }',
        `ingest: { udp: { host: 127.0.0.1, port: ${port} }, tcp: { enabled: false }, batchMillis: 20 }`,
        'devices:',
        '  - { name: core-sw1, address: 192.0.2.11, platform: cisco-ios, groups: [core], pull: false }',
        'reconcile:',
        `  roster: ${join(dir, 'roster.yaml')}`,
        // No scheduled run during the test: only the start-up run and the ingest path reconcile.
        '  schedule: "0 0 1 1 *"',
      ].join('\n') + '\n',
    );
    const running = watch(spawn(process.execPath, [CLI, 'serve', '--config', serveConfig], { env: { ...process.env, AAAWATCH_CONFIG: '' } }));
    serve = running;
    await running.said('syslog UDP listening');
    await running.said('"msg":"reconciled"');
    const client = dgram.createSocket('udp4');
    client.send(iosLine(7, 'core-sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:mallory  logged command:username sneaky privilege 15 secret *'), port, '127.0.0.1');
    const db = openDatabase(join(dir, 'aaawatch.db'), { readonly: true });
    let found: { severity: string; summary: string } | undefined;
    // Polled until it is there; the test's timeout bounds the wait.
    while (!found) {
      found = db.prepare(`SELECT severity, summary FROM findings WHERE kind = 'account-created' AND account = 'sneaky'`).get() as typeof found;
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    db.close();
    client.close();
    expect(found).toEqual({
      severity: 'critical',
      summary: 'account created on core-sw1: sneaky by mallory (mallory is not an authorised administrator, outside any change window, granting full administrative rights)',
    });
    // Raised by the record itself: the only full reconciliation was the one at start-up, before it.
    expect(running.output().match(/"msg":"reconciled"/g)).toHaveLength(1);
    expect(await running.stop()).toBe(0);
    expect(running.output()).not.toMatch(/"level":50/);
  });

  it('refuses to start on a roster mistake, naming file, line and field', async () => {
    const bad = join(dir, 'bad-roster.yaml');
    writeFileSync(bad, 'accounts:\n  - { name: x, devices: ["*"], privilege: 1, type: human, expires: someday }\n');
    const serveConfig = join(dir, 'serve-bad.yaml');
    writeFileSync(serveConfig, [`store: { path: ${join(dir, 'bad.db')} }`, 'web: { enabled: false }', 'ingest: { udp: { enabled: false }, tcp: { enabled: false } }', `reconcile: { roster: ${bad} }`].join('\n') + '\n');
    const r = await aaawatch(['serve', '--config', serveConfig]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: accounts[0].expires: must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)`);
  });
});
