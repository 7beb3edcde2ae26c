// The commands an administrator and an auditor run (from dist, as installed): `user add` with
// the password from a file (never argv), `user list`, `user token`, `user remove`, `report` in
// each format, `verify-export`, `signing-key`; and the web interface over HTTPS with a
// configured certificate (Secure, `__Host-` cookies and HSTS).

import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { webSchema } from '../../src/config/web.js';
import { openDatabase } from '../../src/store/db.js';
import { startWeb } from '../../src/web/server.js';
import { REPO } from '../support/corpus.js';
import { requireTool } from '../support/tools.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('aaawatch-web-cli-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'aaawatch.yaml'), `store:\n  path: ${join(dir, 'aaawatch.db')}\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aaawatch(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'dist/src/cli.js'), ...args, '--config', join(dir, 'aaawatch.yaml')], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Each of these runs a dozen `aaawatch` processes: their time is a count of processes, given room on a busy machine.
describe('aaawatch user, report, verify-export', () => {
  it('manages users without a password on the command line', async () => {
    openDatabase(join(dir, 'aaawatch.db')).close();
    writeFileSync(join(dir, 'pw'), 'a long enough password\n', { mode: 0o600 });
    expect(await aaawatch(['user', 'add', 'alice', '--role', 'auditor', '--password-file', join(dir, 'pw')])).toMatchObject({ code: 0, stdout: 'added user alice (auditor)\n' });
    expect((await aaawatch(['user', 'add', 'bob', '--role', 'admin'], { AAAWATCH_PASSWORD: 'short' })).stderr).toContain('at least 12 characters');
    expect((await aaawatch(['user', 'add', 'bob', '--role', 'root'], { AAAWATCH_PASSWORD: 'a long enough password' })).stderr).toContain('--role must be one of viewer, auditor, admin');
    expect((await aaawatch(['user', 'add', '<b>x', '--role', 'viewer'], { AAAWATCH_PASSWORD: 'a long enough password' })).code).not.toBe(0);
    expect((await aaawatch(['user', 'add', 'alice', '--role', 'viewer', '--password-file', join(dir, 'pw')])).stderr).toContain('exists');
    const token = await aaawatch(['user', 'token', 'alice']);
    expect(token.stdout).toMatch(/^aaw_[A-Za-z0-9_-]{43}\n$/);
    // Tokens expire: 90 days unless told, or the date given.
    const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    expect(token.stderr).toContain(`until ${in90}`);
    const dated = await aaawatch(['user', 'token', 'alice', '--expires', '2099-01-31', '--label', 'siem']);
    expect(dated.stderr).toContain('until 2099-01-31T23:59:59.999Z');
    expect((await aaawatch(['user', 'token', 'alice', '--expires', '2001-01-01'])).stderr).toContain('--expires 2001-01-01: a number of days, or a date in the future');
    const list = await aaawatch(['user', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ name: 'alice', role: 'auditor', tokens: 2, sessions: 0, firstTokenExpires: expect.stringMatching(new RegExp(`^${in90}`)) });
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const stored = db.prepare('SELECT password FROM web_users').get() as { password: string };
    db.close();
    expect(stored.password).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored.password).not.toContain('a long enough password');
    expect(await aaawatch(['user', 'remove', 'alice'])).toMatchObject({ code: 0 });
    expect((await aaawatch(['user', 'list'])).stdout).toBe('');
    // Every change is in the activity log, with the system user who made it, and the log's chain verifies.
    const log = openDatabase(join(dir, 'aaawatch.db'));
    const actions = log.prepare('SELECT user, action, detail FROM web_audit ORDER BY id').all() as Array<{ user: string; action: string; detail: string }>;
    log.close();
    expect(actions.map((a) => a.action)).toEqual(['user.add', 'user.token', 'user.token', 'user.remove']);
    expect(actions[0]!.user).toMatch(/ \(command line\)$/);
    expect(JSON.parse(actions[2]!.detail)).toEqual({ name: 'alice', label: 'siem', expires: '2099-01-31T23:59:59.999Z' });
    const verify = await aaawatch(['verify']);
    // With the newest entry's hash, to compare with one taken earlier: a chain alone cannot show its newest entries removed.
    const head = (log2: ReturnType<typeof openDatabase>): string => (log2.prepare('SELECT hash FROM web_audit ORDER BY id DESC LIMIT 1').pluck().get() as Buffer).toString('hex');
    const before = openDatabase(join(dir, 'aaawatch.db'));
    const newest = head(before);
    expect(verify.stdout).toContain(`activity log OK: 4 entries chained, head ${newest}\n`);
    before.prepare('DELETE FROM web_audit WHERE id = (SELECT max(id) FROM web_audit)').run();
    before.close();
    const truncated = await aaawatch(['verify']);
    expect(truncated.stdout).toContain('activity log OK: 3 entries chained, head ');
    expect(truncated.stdout).not.toContain(newest);
  });

  it('ends a user\'s API tokens with their sessions when their role or password is replaced, and logs what it ended', async () => {
    expect((await aaawatch(['user', 'add', 'carol', '--role', 'admin', '--password-file', join(dir, 'pw')])).code).toBe(0);
    const token = (await aaawatch(['user', 'token', 'carol'])).stdout.trim();
    expect(token).toMatch(/^aaw_/);
    const replaced = await aaawatch(['user', 'add', 'carol', '--role', 'viewer', '--replace', '--password-file', join(dir, 'pw')]);
    expect(replaced).toMatchObject({ code: 0, stdout: 'updated user carol (viewer); ended 0 session(s) and 1 API token(s) (issue new ones with aaawatch user token)\n' });
    expect(JSON.parse((await aaawatch(['user', 'list', '--json'])).stdout)).toMatchObject({ name: 'carol', role: 'viewer', tokens: 0 });
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const held = db.prepare("SELECT count(*) AS n FROM web_tokens t JOIN web_users u ON u.id = t.user_id WHERE u.name = 'carol'").get() as { n: number };
    const entry = db.prepare("SELECT detail FROM web_audit WHERE action = 'user.replace' ORDER BY id DESC LIMIT 1").get() as { detail: string };
    db.close();
    expect(held.n).toBe(0);
    expect(JSON.parse(entry.detail)).toEqual({ name: 'carol', role: 'viewer', sessionsEnded: 0, tokensEnded: 1 });
    expect((await aaawatch(['user', 'remove', 'carol'])).code).toBe(0);
  });

  it('writes each export, and verify-export checks the evidence pack with the appliance key', async () => {
    for (const format of ['csv', 'json', 'pdf', 'evidence']) {
      const out = join(dir, `export.${format}`);
      const run = await aaawatch(['report', '--format', format, '--out', out]);
      expect(run, format).toMatchObject({ code: 0 });
      expect(run.stdout).toMatch(/sha256 [0-9a-f]{64}\n$/);
    }
    expect(readFileSync(join(dir, 'export.csv'), 'utf8').split('\r\n')[0]).toMatch(/^device,account,in inventory,source,state,privilege,superuser,roster match/);
    expect(statSync(join(dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    const ok = await aaawatch(['verify-export', join(dir, 'export.evidence')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('evidence pack OK');
    const pem = await aaawatch(['signing-key']);
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pem.stderr).toMatch(/fingerprint .*: [0-9a-f]{64}/);
    writeFileSync(join(dir, 'other.pub'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const other = await aaawatch(['verify-export', join(dir, 'export.evidence'), '--public-key', join(dir, 'other.pub')]);
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('does not verify with this public key');
  });

  it('verify-export shows a forged pack\'s file names as text: an escape sequence in one cannot rewrite or hide its verdict on the terminal', async () => {
    const pack = unzipSync(readFileSync(join(dir, 'export.evidence')));
    // A name that would erase its own BAD line, write "ok" over it and conceal the rest, and one reversing what follows it.
    const forged = ['\u001b[2K\u001b[Gok   every file as signed\u001b[8m', 'rlo\u202elanif'];
    pack['SHA256SUMS'] = Buffer.concat([Buffer.from(pack['SHA256SUMS']!), Buffer.from(forged.map((n) => `${'0'.repeat(64)}  ${n}\n`).join(''))]);
    for (const n of forged) pack[n] = Buffer.from('x');
    writeFileSync(join(dir, 'forged.zip'), zipSync(pack));
    const run = await aaawatch(['verify-export', join(dir, 'forged.zip')]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(run.stdout).toContain('BAD  \\u{1b}[2K\\u{1b}[Gok   every file as signed\\u{1b}[8m');
    expect(run.stdout).toContain('rlo\\u{202e}lanif does not match its SHA-256 in SHA256SUMS');
    expect(run.stdout).toContain('evidence pack FAILED:');
  });

  it('says a pack, key or output path it cannot open by that path, and leaves no output behind when it cannot write it', async () => {
    const missing = await aaawatch(['verify-export', join(dir, 'no-such.zip'), '--public-key', join(dir, 'no-such.pub')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot open ${join(dir, 'no-such.zip')}: ENOENT`);
    const key = await aaawatch(['verify-export', join(dir, 'export.evidence'), '--public-key', join(dir, 'no-such.pub')]);
    expect(key.stderr).toContain(`cannot open ${join(dir, 'no-such.pub')}: ENOENT`);
    const out = await aaawatch(['report', '--format', 'csv', '--out', join(dir, 'no-such-folder', 'x.csv')]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`cannot open ${join(dir, 'no-such-folder', 'x.csv')}: ENOENT`);
  });
});

describe('aaawatch report: a period or scope that does not exist is refused, not read as another', () => {
  it.each([
    [['--to', '2026-09-31'], '--to: a UTC date'],
    [['--from', '2026-13-01'], '--from: a UTC date'],
    [['--from', '2026-02-29'], '--from: a UTC date'],
    [['--from', '2026-11-01T24:00'], '--from: a UTC date'],
    [['--platforms', 'cisco-iso'], '--platforms: platform cisco-iso: not a platform id (' ],
    [['--groups', 'dc1'], '--groups: group dc1: no device in the inventory is in it (groups: none)'],
  ])('%j', async (args, message) => {
    const out = join(dir, 'refused.csv');
    const run = await aaawatch(['report', '--format', 'csv', '--out', out, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('refuses a device name or glob no device answers to (an empty review that read as complete), and takes a device only syslog named', async () => {
    const db = openDatabase(join(dir, 'aaawatch.db'));
    db.prepare("INSERT OR IGNORE INTO device_activity (device, source, first_seen, last_seen) VALUES ('fw-syslog-only', '192.0.2.9', 1, 2)").run();
    db.close();
    const out = join(dir, 'scoped.csv');
    for (const devices of ['core-sw9', 'fw-syslog-only,core-sw9', 'edge-*']) {
      const run = await aaawatch(['report', '--format', 'csv', '--out', out, '--devices', devices]);
      expect(run.code, devices).toBe(2);
      expect(run.stderr, devices).toMatch(/--devices: devices (core-sw9|edge-\*): names no device aaawatch knows \(in the inventory, pulled, or heard from by syslog or native accounting\)/);
      expect(existsSync(out), devices).toBe(false);
    }
    for (const devices of ['fw-syslog-only', 'FW-SYSLOG-ONLY', 'fw-*']) expect((await aaawatch(['report', '--format', 'csv', '--out', out, '--devices', devices])).code, devices).toBe(0);
    // Past the bound, said rather than read as the first 50 names.
    const many = await aaawatch(['report', '--format', 'csv', '--out', out, '--devices', ['fw-syslog-only', ...Array.from({ length: 50 }, (_, i) => `fw-${i}*`)].join(',')]);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--devices: at most 50 names or globs (51 given)');
  });
});

describe('web configuration', () => {
  it('refuses plain HTTP on an address other than loopback unless told it is behind a TLS proxy', () => {
    expect(webSchema.safeParse({ host: '0.0.0.0' }).success).toBe(false);
    expect(webSchema.safeParse({ host: '0.0.0.0', allowPlainHttp: true }).success).toBe(true);
    expect(webSchema.safeParse({ host: '0.0.0.0', tls: { cert: 'c.pem', key: 'k.pem' } }).success).toBe(true);
    expect(webSchema.safeParse({ tls: { cert: 'c.pem' } }).success).toBe(false);
    expect(webSchema.parse({}).host).toBe('127.0.0.1');
  });
});

describe.skipIf(!requireTool('openssl'))('over HTTPS', () => {
  it('serves with the configured certificate, Secure __Host- cookies and HSTS', async () => {
    const cert = join(dir, 'web.crt');
    const key = join(dir, 'web.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
    const config = configSchema.parse({ store: { path: join(dir, 'tls.db') }, web: { tls: { cert, key } } });
    config.web.port = 0;
    const db = openDatabase(config.store.path);
    const web = await startWeb(config, db, pino({ level: 'silent' }));
    try {
      expect(web.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await new Promise<{ headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        request(`${web.url}/login`, { ca: readFileSync(cert) }, (r) => {
          r.resume();
          resolve({ headers: r.headers });
        })
          .on('error', reject)
          .end();
      });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      const cookie = (res.headers['set-cookie'] as string[])[0]!;
      expect(cookie).toMatch(/^__Host-aaawatch-login=/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await web.close();
      db.close();
    }
  });
});
