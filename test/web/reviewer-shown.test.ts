// What a reviewer typed is shown as typed (issue 15): a reason such as "password vaulted in
// CyberArk" reads so on every page (finding, case, Accounts, activity log), in the API's JSON, in
// findings.csv, decisions.csv, accounts.csv, report.json, the PDF's text and the evidence pack —
// not "password <redacted> in CyberArk", which the device gate made of it — while a secret typed
// in a reason (`password: Hunter2!x`) is in none of them, nor one an older release stored before
// reasons were redacted at write. The pack's activity line for such a decision is not marked
// redacted: its hash is recomputed from the pack's bytes by VERIFY.txt's own commands.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityBody, activityHash } from '../../src/web/store.js';
import { pdfWords } from '../support/pdf.js';
import { tempDir } from '../support/temp.js';
import { requireTool } from '../support/tools.js';
import { runSteps, steps } from '../support/verify-steps.js';
import { signIn, startWebFixture, type Client, type WebFixture } from './fixture.js';

const run = promisify(execFile);
const TOOLS = ['openssl', 'sha256sum', 'unzip', 'base64', 'bash', 'pdftotext'].every((t) => requireTool(t) !== undefined);

const PROSE = 'accepted per CHG0031337, break-glass account, password vaulted in CyberArk';
const TICKET = 'CHG0031337';
const SECRET = 'Hunter2!x';
const TYPED_SECRET = `accepted; password: ${SECRET} typed by mistake`;
/** A reason an older release stored as typed (before reasons were redacted at write). */
const OLD_SECRET = 'OldSecret99';
const OLD_REASON = `old note: password kept in the safe; username ops secret 0 ${OLD_SECRET}`;

let f: WebFixture;
let auditor: Client;
let admin: Client;
let prose: number;
let secret: number;
let pack: Record<string, string>;
let zip: Buffer;
let dir: string;
let downloaded: string;
const text = async (r: Response | Promise<Response>): Promise<string> => {
  const res = await r;
  expect(res.status).toBe(200);
  return res.text();
};

beforeAll(async () => {
  f = await startWebFixture();
  auditor = await signIn(f.base, 'auditor');
  admin = await signIn(f.base, 'admin');
  const db = f.t.db;
  prose = f.findingId;
  secret = f.hostileFindings[0]!;
  // As an older release stored them: a history row and a chained activity entry holding the secret as typed.
  const now = Date.now();
  db.prepare('INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity) VALUES (?, ?, ?, ?, ?, ?, ?)').run(secret, now - 5000, 'carol', 'open', 'open', OLD_REASON, 'high');
  const detail = JSON.stringify({ finding: secret, reason: OLD_REASON });
  const prev = (db.prepare('SELECT hash FROM web_audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { hash: Buffer }).hash;
  db.prepare('INSERT INTO web_audit (at, user, address, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(now - 5000, 'carol', null, 'finding.acknowledge', detail, prev, activityHash(prev, activityBody(now - 5000, 'carol', null, 'finding.acknowledge', detail)));
  expect((await auditor.post(`/findings/${secret}/acknowledge`, { _csrf: auditor.csrf, reason: TYPED_SECRET })).status).toBe(303);
  // The last decision, so the pack's activity example (the period's last entry that needs no redaction) is its entry.
  expect((await auditor.post(`/findings/${prose}/acknowledge`, { _csrf: auditor.csrf, reason: PROSE, ticket: TICKET })).status).toBe(303);
  if (!TOOLS) return;
  dir = tempDir('aaawatch-reviewer-shown-');
  const res = await auditor.get('/exports/evidence.zip');
  expect(res.status).toBe(200);
  zip = Buffer.from(await res.arrayBuffer());
  downloaded = /filename="?([^";]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'evidence.zip';
  writeFileSync(join(dir, downloaded), zip);
  pack = Object.fromEntries(Object.entries(unzipSync(zip)).map(([name, bytes]) => [name, Buffer.from(bytes).toString('utf8')]));
});
afterAll(async () => {
  await f?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Shows the prose whole and no secret, plain or HTML-escaped. */
function expectShown(where: string, body: string, o: { prose?: boolean } = {}): void {
  if (o.prose !== false) expect(body, where).toContain('password vaulted in CyberArk');
  expect(body, where).not.toContain('password &lt;redacted&gt; in CyberArk');
  expect(body, where).not.toContain('password <redacted> in CyberArk');
  expect(body, where).not.toContain(SECRET);
  expect(body, where).not.toContain(OLD_SECRET);
}

describe('a reviewer\'s reason, on the pages and in the API', () => {
  it('reads as typed on the finding, case, Accounts and activity pages; a typed secret is on none', async () => {
    const findingPage = await text(auditor.get(`/findings/${prose}`));
    expectShown('finding page', findingPage);
    expect(findingPage).toContain(PROSE);
    const secretPage = await text(auditor.get(`/findings/${secret}`));
    expectShown('the other finding\'s page', secretPage, { prose: false });
    expect(secretPage).toContain('accepted; password: &lt;redacted&gt; typed by mistake');
    expect(secretPage).toContain('old note: password kept in the safe; username ops secret 0 &lt;redacted&gt;');
    expectShown('case page', await text(auditor.get(`/case?finding=${prose}`)));
    expectShown('Accounts page', await text(auditor.get('/accounts?account=bob')));
    const activity = await text(admin.get('/activity'));
    expectShown('activity page', activity);
    expect(activity).toContain('accepted; password: &lt;redacted&gt; typed by mistake');
  });

  it('reads as typed in the API\'s JSON (finding history, case, accounts)', async () => {
    const finding = JSON.parse(await text(auditor.get(`/api/findings/${prose}`))) as { history: Array<{ reason: string | null; ticket: string | null }> };
    expect(finding.history.at(-1)).toMatchObject({ reason: PROSE, ticket: TICKET });
    const other = JSON.parse(await text(auditor.get(`/api/findings/${secret}`))) as { history: Array<{ reason: string | null }> };
    expect(other.history.map((h) => h.reason).filter((r) => r !== null && r.includes('<redacted>'))).toHaveLength(2);
    expectShown('API finding', JSON.stringify(other), { prose: false });
    expectShown('API case', await text(auditor.get(`/api/case?finding=${prose}`)));
    expectShown('API accounts', await text(auditor.get('/api/accounts?account=bob')));
  });
});

describe.skipIf(!TOOLS)('a reviewer\'s reason, in the exports', () => {
  it('reads as typed in findings.csv, decisions.csv, accounts.csv, report.json and the PDF\'s text', async () => {
    for (const name of ['findings.csv', 'decisions.csv', 'accounts.csv', 'report.json']) {
      const body = await text(auditor.get(`/exports/${name}`));
      expectShown(name, body);
      // JSON writes `<` and `>` escaped, as \u003c and \u003e, so the file stays inert in a page.
      expect(body, name).toContain(name.endsWith('.json') ? 'password: \\u003credacted\\u003e typed by mistake' : 'password: <redacted> typed by mistake');
    }
    const pdf = pdfWords(Buffer.from(await (await auditor.get('/exports/report.pdf')).arrayBuffer()))!;
    expectShown('report.pdf', pdf);
  });

  it('reads as typed in every file of the evidence pack', () => {
    for (const [name, body] of Object.entries(pack)) {
      if (name.endsWith('.pdf')) continue;
      expectShown(name, body, { prose: /^(findings|decisions|accounts)\.csv$|^report\.json$|^activity\./.test(name) });
    }
    expectShown('report.pdf in the pack', pdfWords(Buffer.from(unzipSync(zip)['report.pdf']!))!);
  });

  it('gives the decision\'s activity line unmarked, its hash recomputed by VERIFY.txt\'s commands from the pack\'s bytes', async () => {
    const lines = pack['activity.jsonl']!.trim().split('\n').map((l) => JSON.parse(l) as { id: number; previousHash: string; hash: string; body: string; redacted?: true });
    const decided = lines.find((l) => l.body.includes(PROSE))!;
    expect(decided.redacted).toBeUndefined();
    expect(createHash('sha256').update(Buffer.from(decided.previousHash, 'hex')).update(decided.body).digest('hex')).toBe(decided.hash);
    // The one an older release stored with the secret is still given redacted, and says so.
    expect(lines.filter((l) => l.redacted).map((l) => l.body.includes('secret 0 <redacted>'))).toEqual([true]);
    const verify = pack['VERIFY.txt']!;
    expect(verify).toContain(`For example, entry ${decided.id} (the last of the period that needs no redaction):`);
    const list = steps(verify);
    const { outputs, code } = await runSteps(list, dir);
    expect(code).toBe(0);
    const example = list.findIndex((s) => s.prints.includes(`${decided.hash}  -`));
    expect(example).toBeGreaterThan(0);
    expect(outputs[example]).toBe(`${decided.hash}  -`);
    expect((await run('unzip', ['-p', join(dir, downloaded), 'activity.jsonl'])).stdout).toContain(PROSE);
  });
});
