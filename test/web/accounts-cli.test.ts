// `aaawatch accounts` (from dist, as installed) against the store the web fixture filled: the
// population the Accounts page shows — an account seen only in syslog (a `useradd` of UID 0) is a
// row, as on the page — its filters and order, `--csv` the page's "export this view" byte for byte,
// `--pulled` the pull-only view; device and account text with control characters, bidi overrides,
// TABs and newlines never reaches the terminal raw and never breaks a TSV row.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/run.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import { insertAccount, insertSnapshot } from '../../src/store/pull.js';
import { sendTcp, signIn, startWebFixture, type WebFixture } from './fixture.js';
import { aaawatch as run, type Run } from '../support/process.js';

let f: WebFixture;
let config: string;
/** A device and an account a pull reported, each holding what a terminal acts on or a TSV splits on. */
const EVIL_DEVICE = 'evil\u001b]0;owned\u0007\r\u0000sw\u202e';
const EVIL_ACCOUNT = 'tab\tname\nnext\u001b[2Jline\u2066';

beforeAll(async () => {
  f = await startWebFixture();
  // A UID 0 account made on a Linux host nobody pulls: syslog is all that shows it.
  const before = (f.t.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  await sendTcp(f.t.ingest.tcp!.port, [`<86>${new Date().toUTCString().slice(5, 25).replace(/^(\d\d) (\w+) \d{4}/, '$2 $1')} linux-host1 useradd[4242]: new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0`]);
  await f.t.until(() => (f.t.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n > before);
  const snapshot = insertSnapshot(f.t.db, { device: EVIL_DEVICE, platform: 'cisco-ios', taken_at: Date.now() - 60_000, hash: 'c'.repeat(64), config: 'hostname x\n', bytes: 11 });
  insertAccount(f.t.db, { device: EVIL_DEVICE, name: EVIL_ACCOUNT, privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: Date.now() - 60_000, snapshotId: snapshot });
  reconcile(f.t.db, reconcileOptions(f.t.config, reconcileSetup(f.t.config), Date.now()));
  config = join(f.t.dir, 'cli.yaml');
  // The configuration serve runs with: the same store, roster and inventory.
  writeFileSync(
    config,
    `store:\n  path: ${JSON.stringify(f.t.config.store.path)}\nreconcile:\n  roster: ${JSON.stringify(f.t.config.reconcile.roster)}\n` +
      'devices:\n  - name: core-sw1\n    address: 192.0.2.11\n    platform: cisco-ios\n    groups: [core]\n    pull: false\n',
  );
});
afterAll(async () => {
  await f?.stop();
});

const aaawatch = (...args: string[]): Promise<Run> => run([...args, '--config', config]);

const json = (out: string): Array<Record<string, unknown>> => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Nothing a terminal acts on: C0 controls but TAB and LF, DEL, C1, bidi overrides and isolates. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// Each runs several `aaawatch` processes: their time is a count of processes, given room on a busy machine.
describe('aaawatch accounts', () => {
  it('prints the population, as the Accounts page and /api/accounts list it: the syslog-only UID 0 account is there, not only what pulls found', async () => {
    const auditor = await signIn(f.base, 'auditor');
    const api = (await (await auditor.get('/api/accounts?device=linux-host1')).json()) as { accounts: Array<Record<string, unknown>> };
    expect(api.accounts.map((r) => [r.account, r.source, r.superuser])).toEqual([['toor', 'syslog', true]]);
    const rows = json((await aaawatch('accounts', '--json')).stdout);
    expect(rows.find((r) => r.device === 'linux-host1')).toMatchObject({ account: 'toor', source: 'syslog', state: 'present', superuser: true });
    // The same rows as the API's, in the same order (the API a page at a time).
    const all: unknown[] = [];
    let next: { device: string; account: string } | null | undefined;
    do {
      const q = next ? `?afterDevice=${encodeURIComponent(next.device)}&afterAccount=${encodeURIComponent(next.account)}` : '';
      const page = (await (await auditor.get(`/api/accounts${q}`)).json()) as { accounts: Array<{ device: string; account: string }>; next: { device: string; account: string } | null };
      all.push(...page.accounts.map((r) => [r.device, r.account]));
      next = page.next;
    } while (next);
    expect(rows.map((r) => [r.device, r.account])).toEqual(all);
    // The pull-only view, as before, under its own option: the syslog account is not in it.
    const pulled = json((await aaawatch('accounts', '--pulled', '--json')).stdout);
    expect(pulled.map((r) => r.device)).not.toContain('linux-host1');
    expect(pulled.filter((r) => r.device === 'core-sw1').map((r) => r.name)).toContain('bob');
    expect((await aaawatch('accounts', '--pulled', '--device', 'CORE-SW1')).stdout).toMatch(/^core-sw1\s+bob\s+15\s/m);
    expect((await aaawatch('accounts', '--device', 'core-sw1', '--history')).stdout).toMatch(/added\s+bob\s+snapshot \d+ -> \d+/);
  });

  it('filters and sorts as the page does, and --csv is the page\'s "export this view", byte for byte', async () => {
    const auditor = await signIn(f.base, 'auditor');
    for (const [args, query] of [
      [[], ''],
      [['--source', 'syslog', '--sort', 'severity'], 'source=syslog&sort=severity'],
      [['--findings', 'open', '--sort', 'createdBy', '--reverse'], 'findings=open&sort=createdBy&reverse=1'],
      [['--device', 'core-sw1', '--roster', 'not on roster'], 'device=core-sw1&roster=not+on+roster'],
      [['--severity', 'critical'], 'severity=critical'],
    ] as const) {
      const cli = await aaawatch('accounts', '--csv', ...args);
      expect(cli.code, cli.stderr).toBe(0);
      const page = Buffer.from(await (await auditor.get(`/accounts/export.csv${query ? `?${query}` : ''}`)).arrayBuffer());
      expect(Buffer.from(cli.stdout, 'utf8').equals(page), query).toBe(true);
      expect(cli.stdout.split('\r\n').length, query).toBeGreaterThan(1);
    }
    // By severity, the worst first, whole: a critical row first.
    const bySeverity = json((await aaawatch('accounts', '--json', '--sort', 'severity')).stdout);
    const worst = (r: Record<string, unknown>): string | undefined => (r.findings as Array<{ severity: string; status: string }>).filter((x) => x.status !== 'resolved')[0]?.severity;
    expect(worst(bySeverity[0]!)).toBe('critical');
    // A filter value the page refuses is a usage error here, in the page's words.
    const bad = await aaawatch('accounts', '--sort', 'password');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sort: one of device, account,');
    expect((await aaawatch('accounts', '--state', 'gone')).stderr).toContain('--state: one of present, removed, missing');
    expect((await aaawatch('accounts', '--removed')).stderr).toContain('--state removed');
    expect((await aaawatch('accounts', '--pulled', '--sort', 'severity')).code).toBe(2);
    // A list of devices past an export's bound: said as the page and the API say it, not read as its first 50 names.
    const many = await aaawatch('accounts', '--devices', Array.from({ length: 51 }, (_, i) => `core-sw${i}`).join(','));
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--devices: at most 50 names or globs (51 given)');
  });

  it('never writes device text raw: control characters and bidi overrides escaped, a TAB or newline kept in its cell', async () => {
    const tsv = await aaawatch('accounts');
    expect(tsv.code, tsv.stderr).toBe(0);
    expect(tsv.stdout).not.toMatch(RAW);
    const lines = tsv.stdout.replace(/\n$/, '').split('\n');
    const columns = lines[0]!.split('\t').length;
    expect(columns).toBeGreaterThan(10);
    for (const l of lines) expect(l.split('\t'), l).toHaveLength(columns);
    const evil = lines.find((l) => l.startsWith('evil'))!;
    expect(evil.split('\t').slice(0, 2)).toEqual(['evil\\u{1b}]0;owned\\u{7}\\u{d}\\u{0}sw\\u{202e}', 'tab\\u{9}name\\u{a}next\\u{1b}[2Jline\\u{2066}']);
    // The syslog accounts with hostile names (ESC sequences, a right-to-left override) too.
    expect(tsv.stdout).toContain('esc\\u{1b}[31mred\\u{1b}[0m');
    for (const args of [['accounts', '--pulled'], ['accounts', '--json'], ['accounts', '--pulled', '--json'], ['accounts', '--device', 'core-sw1', '--pulled', '--history']]) {
      const out = await aaawatch(...args);
      expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
      expect(out.stdout, args.join(' ')).not.toMatch(RAW);
    }
    const table = (await aaawatch('accounts', '--pulled')).stdout.split('\n');
    expect(table.find((l) => l.startsWith('evil'))).toContain('tab\\u{9}name\\u{a}next');
    // JSON keeps the value: the escapes are JSON's own.
    expect(json((await aaawatch('accounts', '--json')).stdout).some((r) => r.device === EVIL_DEVICE && r.account === EVIL_ACCOUNT)).toBe(true);
  });

  it('aaawatch findings --sort lists the findings in the findings page\'s order, with its filters', async () => {
    const auditor = await signIn(f.base, 'auditor');
    for (const [args, query] of [
      [['--sort', 'severity'], 'sort=severity'],
      [['--sort', 'device', '--reverse', '--status', 'all'], 'sort=device&reverse=1&status=any'],
      [['--sort', 'kind', '--kind', 'account-created'], 'sort=kind&kind=account-created'],
    ] as const) {
      const api = (await (await auditor.get(`/api/findings?${query}`)).json()) as { findings: Array<{ id: number }> };
      const cli = await aaawatch('findings', '--json', ...args);
      expect(cli.code, cli.stderr).toBe(0);
      const ids = json(cli.stdout).map((x) => x.id);
      expect(api.findings.length, query).toBeGreaterThan(1);
      expect(ids.slice(0, api.findings.length), query).toEqual(api.findings.map((x) => x.id));
    }
    expect((await aaawatch('findings', '--sort', 'password')).stderr).toContain('--sort: one of severity,');
    expect((await aaawatch('findings', '--json', '--sort', 'severity', '--limit', '2')).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('aaawatch case list lists the cases as the Cases page does, with its filters, device text printable', async () => {
    const auditor = await signIn(f.base, 'auditor');
    for (const [args, query] of [[[], ''], [['--severity', 'critical'], 'severity=critical'], [['--kind', 'account-created', '--undecided'], 'kind=account-created&undecided=1']] as const) {
      const api = (await (await auditor.get(`/api/cases${query ? `?${query}` : ''}`)).json()) as { cases: Array<{ id: number; device: string; account: string }> };
      const cli = await aaawatch('case', 'list', '--json', ...args);
      expect(cli.code, cli.stderr).toBe(0);
      expect(api.cases.length, query).toBeGreaterThan(0);
      expect(json(cli.stdout).slice(0, api.cases.length).map((c) => [c.id, c.device, c.account]), query).toEqual(api.cases.map((c) => [c.id, c.device, c.account]));
    }
    const table = await aaawatch('case', 'list');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).not.toMatch(RAW);
    expect(table.stdout).toContain('esc\\u{1b}[31mred');
  });
});
