// A running aaawatch for the web tests: a real ingest on loopback with a real SQLite file, fed
// hostile syslog (the corpus's XSS and formula payloads as usernames, commands and hostnames)
// over TCP, a device with two snapshots and an account change, findings about both, three
// users (viewer, auditor, admin), and the web interface on a free port.

import { randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Config } from '../../src/config/schema.js';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { insertAccount, insertAccountChange, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';
import type { WebServer } from '../../src/web/server.js';
import { startWebThread } from '../../src/web/thread.js';
import { saveUser, type Role } from '../../src/web/store.js';
import { corpusPath } from '../support/corpus.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';

export const PASSWORD: Record<Role, string> = { viewer: 'viewer-password-1', auditor: 'auditor-password-1', admin: 'admin-password-1' };

/** The corpus, plus real control characters (escape sequences, a right-to-left override, C1's CSI and NEL, line and paragraph separators) the file cannot hold. */
export function hostileStrings(): string[] {
  const lines = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter((l) => l !== '');
  return [...lines, 'esc\u001b[31mred\u001b[0m', 'rlo\u202eexe.txt', 'c1\u009b2J\u0085nel', 'ls\u2028ps\u2029end'];
}

/** An RFC 5424 HOSTNAME is printable ASCII without spaces: hostile text as a device sends it there. */
export function asHostname(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, '_').slice(0, 255);
}

function sdValue(text: string): string {
  return text.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** A Junos interactive-command record: actor, command (and the account it creates) are hostile. */
export function junosLine(host: string, user: string, command: string, at: Date): string {
  return `<29>1 ${at.toISOString()} ${host} mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="${sdValue(user)}" command="${sdValue(command)}"] User '${user}', command '${command}'`;
}

export interface WebFixture {
  t: TestIngest;
  web: WebServer;
  base: string;
  hostile: string[];
  /** The plain finding (core-sw1, bob) with a snapshot diff and evidence. */
  findingId: number;
  /** Findings whose device and account are hostile strings. */
  hostileFindings: number[];
  hostileDevices: string[];
  stop(): Promise<void>;
}

/** Lines to the ingest's TCP listener, LF-framed, as a device or relay sends them. */
export async function sendTcp(port: number, lines: readonly string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end(lines.map((l) => `${l}\n`).join(''), () => resolve());
    });
    s.on('error', reject);
  });
}

const CONFIG_1 = `hostname core-sw1\n!\nusername admin privilege 15 secret 9 <redacted>\n!\naaa accounting commands 15 default start-stop group tacacs+\nlogging host 192.0.2.10\nend\n`;
const CONFIG_2 = CONFIG_1.replace('!\naaa', 'username bob privilege 15 secret 9 <redacted>\n!\naaa');

/**
 * The fixture's users' hashes at a test-only scrypt cost (N = 2^10, ~1 ms). A hash carries its cost
 * and verifyPassword reads it from there, so a sign-in takes the path it takes in production; at the
 * production cost (N = 2^17: ~0.45 s of CPU a hash or a check, 1.5 s at load 15) the three users of
 * each of the suite's 11 fixtures and every sign-in as one of them paid it (suite22). The production
 * cost is what `aaawatch user add` writes (test/web/cli.test.ts) and what http.test.ts's and
 * pg-web.test.ts's own users sign in with; a name no user has is checked against the production
 * cost's dummy hash, here as there.
 */
function fixtureHash(password: string): string {
  const cost = { N: 2 ** 10, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, 32, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A roster: admin is authorised (until soon), bob is not on it; a window and an administrator. */
function roster(now: number): string {
  const day = (offset: number): string => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  return `administrators:
  - jdoe
changeWindows:
  - name: weekly maintenance
    days: [sat]
    from: "22:00"
    to: "04:00"
    zone: Europe/Berlin
accounts:
  - name: admin
    devices: [core-*]
    privilege: 15
    type: break-glass
    owner: Network Operations
    department: Infrastructure
    approval: ACC-2026-0001
    approver: CISO
    start: ${day(-300)}
    expires: ${day(20)}
  - name: jdoe
    devices: ["*"]
    privilege: 15
    type: human
    owner: Jane Doe
    approval: ACC-2026-0141
    approver: Head of Network Operations
`;
}

export async function startWebFixture(patch: (c: Config) => void = () => {}): Promise<WebFixture> {
  const dir = tempDir('aaawatch-roster-');
  writeFileSync(join(dir, 'roster.yaml'), roster(Date.now()));
  const t = await startTestIngest((c) => {
    c.web.port = 0;
    c.reconcile.roster = join(dir, 'roster.yaml');
    // One second: the pull below, made after jdoe's line was received, is judged by a run a second later.
    c.reconcile.attributionSkewSeconds = 1;
    c.devices.push({ name: 'core-sw1', address: '192.0.2.11', platform: 'cisco-ios', groups: ['core'], port: 22, pull: false });
    patch(c);
  });
  const hostile = hostileStrings();
  const now = Date.now();
  const lines: string[] = [];
  hostile.forEach((h, i) => {
    const at = new Date(now - (hostile.length - i) * 60_000);
    lines.push(junosLine(asHostname(h), h, `set system login user ${h} class super-user`, at));
  });
  lines.push(junosLine('core-sw1', 'jdoe', 'set system login user bob class super-user', new Date(now - 30 * 60_000)));
  await sendTcp(t.ingest.tcp!.port, lines);
  const expected = lines.length * 2;
  await t.until(() => (t.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n >= expected);
  // Sender rows follow their records by up to a second (the writer holds a known device's, src/store/writer.ts COUNTS_MS).
  await t.until(() => t.db.prepare("SELECT 1 FROM device_senders WHERE device = 'core-sw1'").get() !== undefined);

  // What a pull stores: two snapshots of core-sw1, bob added between them. The second pull reads the
  // configuration after jdoe's line was received: that line's stamp is 30 minutes behind its receipt,
  // more than the skew, so the skew rule places it at its receipt (held.ts madeAt), and a pull before
  // then would have shown bob before anyone made him (a re-issue, not his making).
  const db = t.db;
  const pulledAt = Date.now();
  const s1 = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: now - 3_600_000, hash: 'a'.repeat(64), config: CONFIG_1, bytes: CONFIG_1.length });
  const s2 = insertSnapshot(db, { device: 'core-sw1', platform: 'cisco-ios', taken_at: pulledAt, hash: 'b'.repeat(64), config: CONFIG_2, bytes: CONFIG_2.length });
  const values = (name: string): { privilege: string; roles: string; credentials: string; lines: string } => ({
    privilege: '15', roles: '[]', credentials: '["secret"]', lines: JSON.stringify([`username ${name} privilege 15 secret 9 <redacted>`]),
  });
  insertAccount(db, { device: 'core-sw1', name: 'admin', ...values('admin'), at: now - 3_600_000, snapshotId: s1 });
  const bob = insertAccount(db, { device: 'core-sw1', name: 'bob', ...values('bob'), at: pulledAt, snapshotId: s2 });
  // Account names a device reported that are formula and markup payloads: they reach the exports.
  for (const name of ["=cmd|' /C calc'!A0", '@SUM(1+1)*cmd', '<script>alert(1)</script>']) {
    insertAccount(db, { device: 'core-sw1', name, ...values('x'), at: pulledAt, snapshotId: s2 });
  }
  insertAccountChange(db, { account_id: bob, device: 'core-sw1', name: 'bob', change: 'added', at: pulledAt, before: null, after: '{"privilege":"15","roles":[],"credentials":["secret"]}', from_snapshot_id: s1, to_snapshot_id: s2 });
  pullSucceeded(db, 'core-sw1', pulledAt, s2);
  // The skew (one second) passes before the callers' reconciliation judges that pull.
  while (Date.now() <= pulledAt + 1000) await new Promise((r) => setTimeout(r, 50));

  const eventIds = (device: string): number[] => (db.prepare('SELECT id FROM events WHERE device = ? ORDER BY id').all(device) as Array<{ id: number }>).map((r) => r.id);
  const findingId = raiseFinding(db, {
    kind: 'unauthorised-account',
    severity: 'high',
    device: 'core-sw1',
    account: 'bob',
    summary: 'bob (privilege 15) on core-sw1 is not on the roster',
    attribution: 'bob (privilege 15) on core-sw1 created by jdoe over SSH CLI, outside any change window',
    technique: 'T1136.001',
    evidence: { events: eventIds('core-sw1'), snapshots: [s1, s2] },
  }).id;
  const hostileDevices = hostile.map(asHostname);
  const hostileFindings = hostile.map(
    (h, i) =>
      raiseFinding(db, {
        kind: 'account-created',
        severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4]!,
        device: hostileDevices[i]!,
        account: h,
        summary: `${h} created on ${hostileDevices[i]} by ${h}`,
        attribution: `${h} on ${hostileDevices[i]} created by ${h} over SSH CLI`,
        evidence: { events: eventIds(hostileDevices[i]!), note: h },
      }).id,
  );
  for (const role of ['viewer', 'auditor', 'admin'] as const) saveUser(db, role, role, fixtureHash(PASSWORD[role]), now, false);

  // The web thread `serve` runs, with its own connection to the store the fixture filled.
  const web = await startWebThread({ ...t.config, log: { ...t.config.log, level: 'fatal' } }, pino({ level: 'silent' }));
  return {
    t,
    web,
    base: web.url,
    hostile,
    findingId,
    hostileFindings,
    hostileDevices,
    async stop() {
      await web.close();
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A signed-in client for plain HTTP requests (no browser): cookies and the session's CSRF token. */
export interface Client {
  cookie: string;
  csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

export function hiddenCsrf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1]!;
}

/** One sign-in form posted as a browser does (the form's cookie and CSRF token), `headers` added: its answer. */
export async function postSignIn(base: string, user: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  const form = await fetch(`${base}/login`);
  const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  return fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ _csrf: csrf, user, password }).toString(),
  });
}

export async function signIn(base: string, user: Role): Promise<Client> {
  const form = await fetch(`${base}/login`);
  const loginCookie = cookiesOf(form).join('; ');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: hiddenCsrf(await form.text()), user, password: PASSWORD[user], next: '/' }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in as ${user} answered ${res.status}`);
  const cookie = cookiesOf(res).filter((c) => c.startsWith('aaawatch_session=')).join('; ');
  const home = await fetch(`${base}/`, { headers: { cookie } });
  const csrf = hiddenCsrf(await home.text());
  return {
    cookie,
    csrf,
    get: (path, headers = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers: { cookie, ...headers } }),
    post: (path, body, headers = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      }),
  };
}

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
