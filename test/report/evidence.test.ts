// The evidence pack checked the way an auditor without aaawatch checks it: downloaded from the
// exports page, unpacked with unzip, and every command VERIFY.txt gives run as written, in bash,
// with OpenSSL, sha256sum and base64 — the key's fingerprint, the Ed25519 signature over
// SHA256SUMS, every file's hash, nothing unlisted in the archive, and a record's chain link. Then
// the pack is changed and the same commands must fail. The pack also carries what it says: the
// cited records with sender, transport, receive time and chain position, the diffs, the decision
// log, the roster file with its hash, the activity log. And the population is the same in every
// file of it: a role taken away, sent as two real Office 365 records over TCP, is in accounts.csv,
// report.json and the PDF's text (as pdftotext reads it), with when and by whom.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledge } from '../../src/reconcile/lifecycle.js';
import { reconcile } from '../../src/reconcile/run.js';
import { csvRecords } from '../../src/reconcile/roster.js';
import { logActivity } from '../../src/web/store.js';
import { reconcileOptions, reconcileSetup } from '../../src/reconcile/setup.js';
import { loadSigningKey, signingKeyPath } from '../../src/report/signing.js';
import { corpusPath } from '../support/corpus.js';
import { pdfWords } from '../support/pdf.js';
import { tempDir } from '../support/temp.js';
import { requireTool } from '../support/tools.js';
import { recordChecks, runSteps, steps } from '../support/verify-steps.js';
import { sendTcp, signIn, startWebFixture, type WebFixture } from '../web/fixture.js';

const run = promisify(execFile);
const TOOLS = ['openssl', 'sha256sum', 'shasum', 'unzip', 'base64', 'bash', 'pdftotext'].every((t) => requireTool(t) !== undefined);
/** Office 365 (Sekoia's intake tests): `Add member to role.` giving john.doe Global Administrator, `Remove member from role.` taking it back. */
const ROLE_LINES = [3, 48];
/** The period starts before those records (2024-07-10), so the pack holds the revocation. */
const FROM = '2024-07-01';

let f: WebFixture;
let dir: string;
let downloaded: string;
beforeAll(async () => {
  if (!TOOLS) return;
  f = await startWebFixture();
  const o365 = readFileSync(corpusPath('cloud', 'sekoia-o365.relevant'), 'utf8').split('\n');
  await sendTcp(f.t.ingest.tcp!.port, ROLE_LINES.map((i) => o365[i]!));
  await f.t.until(() => f.t.db.prepare(`SELECT 1 FROM events WHERE action = 'privilege.revoke'`).get() !== undefined);
  reconcile(f.t.db, reconcileOptions(f.t.config, reconcileSetup(f.t.config), Date.now()));
  acknowledge(f.t.db, f.findingId, { by: 'auditor', path: { kind: 'web', user: 'auditor' }, reason: 'asked the core team', ticket: 'CHG-1234' });
  dir = tempDir('aaawatch-evidence-');
  const auditor = await signIn(f.base, 'auditor');
  const res = await auditor.get(`/exports/evidence.zip?from=${FROM}`);
  expect(res.status).toBe(200);
  const pack = Buffer.from(await res.arrayBuffer());
  // As a browser saves it: under the download's own name (and again in a folder whose name has a space).
  downloaded = /filename="?([^";]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '';
  writeFileSync(join(dir, downloaded), pack);
  mkdirSync(join(dir, 'saved here'));
  writeFileSync(join(dir, 'saved here', downloaded), pack);
});
afterAll(async () => {
  await f?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!TOOLS)('an evidence pack, checked without aaawatch', () => {
  it('verifies with the commands VERIFY.txt gives', async () => {
    const verify = (await run('unzip', ['-p', join(dir, downloaded), 'VERIFY.txt'])).stdout;
    const key = loadSigningKey(signingKeyPath(f.t.config));
    expect(verify).toContain(`Signing key fingerprint (SHA-256 of the raw 32-byte Ed25519 public key): ${key.fingerprint}`);
    const list = steps(verify);
    // Then a record's hash recomputed from the pack's files alone, each cited record following the one before it in its
    // collector's chain (awk), an activity entry's hash (the decision above is in the log) and each entry following the one before it.
    expect(list.map((s) => s.command.split(' ')[0])).toEqual(['mkdir', 'openssl', 'openssl', 'sha256sum', 'unzip', '{', 'awk', 'grep', 'awk', '{', 'awk']);
    expect(verify).toMatch(/For example, entry \d+ \(the last of the period that needs no redaction\):/);
    const { outputs, code } = await runSteps(list, dir);
    expect(code).toBe(0);
    expect(outputs).toHaveLength(list.length);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    // sha256sum -c: every file OK; the unlisted-file check printed nothing.
    const checked = outputs[3]!.split('\n');
    expect(checked.length).toBeGreaterThan(10);
    expect(checked.every((l) => l.endsWith(': OK'))).toBe(true);
    expect([outputs[4], outputs[6], outputs[7], outputs[8], outputs[10]]).toEqual(['', '', '', '', '']);
  });

  it('says what to run without sha256sum (macOS: shasum -a 256), and the steps so changed check the same', async () => {
    const verify = (await run('unzip', ['-p', join(dir, downloaded), 'VERIFY.txt'])).stdout;
    expect(verify).toContain('`shasum -a 256` does the same: put it wherever sha256sum is written');
    const where = join(dir, 'shasum');
    mkdirSync(where);
    copyFileSync(join(dir, downloaded), join(where, downloaded));
    const list = steps(verify).map((s) => ({ ...s, command: s.command.replace(/\bsha256sum\b/g, 'shasum -a 256') }));
    expect(list.filter((s) => s.command.includes('shasum -a 256'))).toHaveLength(5);
    const { outputs, code } = await runSteps(list, where);
    expect(code).toBe(0);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    expect(outputs[3]!.split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
  });

  it('names itself as downloaded: its commands run as written where the browser saved it', async () => {
    expect(downloaded).toMatch(/^aaawatch-evidence-\d{8}T\d{4}Z\.zip$/);
    const where = join(dir, 'saved here');
    const list = steps((await run('unzip', ['-p', join(where, downloaded), 'VERIFY.txt'])).stdout);
    expect(list[0]!.command).toBe(`mkdir pack && cd pack && unzip -q ../${downloaded}`);
    const { outputs, code } = await runSteps(list, where);
    expect(code).toBe(0);
    expect(outputs[3]!.split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
    expect(outputs[4]).toBe('');
  });

  it('the exports page gives the same checks as VERIFY.txt, the archive written PACK.zip', async () => {
    const auditor = await signIn(f.base, 'auditor');
    const page = await (await auditor.get('/exports')).text();
    const shown = /<pre class="raw">(mkdir[^<]*)<\/pre>/.exec(page)![1]!
      .replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&#39;/g, "'").replace(/&quot;/g, '"').split('\n');
    const verify = steps((await run('unzip', ['-p', join(dir, downloaded), 'VERIFY.txt'])).stdout);
    expect(shown).toEqual(verify.slice(0, 5).map((s) => s.command.split(`../${downloaded}`).join('../PACK.zip')));
  });

  it('fails those commands for any member changed by one byte, removed or added', async () => {
    const where = join(dir, 'saved here');
    const archive = join(where, downloaded);
    const list = steps((await run('unzip', ['-p', archive, 'VERIFY.txt'])).stdout);
    const members = (await run('unzip', ['-Z1', archive])).stdout.trim().split('\n');
    expect(members.length).toBeGreaterThan(10);
    /** Steps 2-5 run in a copy of the unpacked pack changed by `change`, next to `zip`: they must fail. */
    const fails = async (what: string, change: (pack: string) => void, zip = archive): Promise<void> => {
      const work = tempDir('aaawatch-tamper-');
      try {
        cpSync(zip, join(work, downloaded));
        await run('unzip', ['-q', join(work, downloaded), '-d', join(work, 'pack')]);
        change(join(work, 'pack'));
        const { code } = await runSteps(list.slice(1), join(work, 'pack'));
        expect(code, what).not.toBe(0);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    };
    for (const m of members) {
      await fails(`one byte of ${m}`, (pack) => {
        const bytes = readFileSync(join(pack, m));
        const at = bytes.length >> 1;
        bytes[at] = bytes[at]! ^ 0x01;
        writeFileSync(join(pack, m), bytes);
      });
    }
    await fails('records.csv removed', (pack) => rmSync(join(pack, 'records.csv')));
    // A member added to the archive (and unpacked with the rest): step 5 lists it.
    const added = join(dir, 'added.zip');
    cpSync(archive, added);
    writeFileSync(join(dir, 'extra.csv'), 'not signed\n');
    await run('zip', ['-q', '-j', added, join(dir, 'extra.csv')]);
    await fails('extra.csv added', () => undefined, added);
  });

  it("checks every record's hash, the records cited and the chain's head with its own commands, each tamper named by one", async () => {
    const archive = join(dir, 'saved here', downloaded);
    const checks = recordChecks(steps((await run('unzip', ['-p', archive, 'VERIFY.txt'])).stdout));
    /** Steps 6 to 8, each in a copy of the unpacked pack changed by `change` (SHA256SUMS aside: what each check itself sees): what each prints. */
    const after = async (change: (pack: string) => void): Promise<string[]> => {
      const work = tempDir('aaawatch-tamper-');
      try {
        await run('unzip', ['-q', archive, '-d', join(work, 'pack')]);
        change(join(work, 'pack'));
        const outputs: string[] = [];
        for (const step of [checks.hashes, checks.cited, checks.links]) {
          const { outputs: [printed], code } = await runSteps([step], join(work, 'pack'));
          // Each prints what it finds; diff (step 7) also exits 1 for it.
          expect(code, step.command).toBe(printed && step === checks.cited ? 1 : 0);
          outputs.push(printed ?? '');
        }
        return outputs;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    };
    const lines = (await run('unzip', ['-p', archive, 'records.jsonl'])).stdout.trim().split('\n');
    type Line = { id: number; collector: string; seq: number; hash: string; body: string };
    const records = lines.map((l) => JSON.parse(l) as Line);
    expect(records.length).toBeGreaterThan(3);
    // What the awk reading each line unescapes is there: quotes, a backslash, a character JSON writes as \u003c, text not ASCII.
    expect(lines.some((l) => l.includes('\\\\'))).toBe(true);
    expect(lines.some((l) => l.includes('\\u003c'))).toBe(true);
    expect(records.some((r) => /[^\x20-\x7e]/.test(r.body))).toBe(true);
    expect(await after(() => undefined)).toEqual(['', '', '']);

    const write = (pack: string, list: readonly string[]): void => writeFileSync(join(pack, 'records.jsonl'), list.join('\n') + '\n');
    // A record's body changed (one character of its raw message): step 6 names it, whatever else holds.
    const i = records.findIndex((r) => /[^\x20-\x7e]/.test(r.body));
    const changed = lines.slice();
    changed[i] = changed[i]!.replace(/(\\",)(\\")([^\\])/, '$1$2X');
    expect(changed[i]).not.toBe(lines[i]);
    expect(await after((pack) => write(pack, changed))).toEqual([`record ${records[i]!.id} does not match its hash`, '', '']);
    // A record dropped: step 7 names it, cited and missing.
    const dropped = records[1]!;
    const [, cited] = await after((pack) => write(pack, lines.filter((_, k) => k !== 1)));
    expect(cited).toMatch(new RegExp(`^< ${dropped.id}$`, 'm'));
    // The head changed: the last record is cited, at the head's position, and is no longer the head.
    const heads = (await run('unzip', ['-p', archive, 'chain-heads.txt'])).stdout;
    const last = records.at(-1)!;
    expect(heads).toBe(`${last.seq} ${last.hash} ${hostname()}\n`);
    const [, , other] = await after((pack) => writeFileSync(join(pack, 'chain-heads.txt'), heads.replace(last.hash, 'f'.repeat(64))));
    expect(other).toBe(`record ${last.id} is at the head of the chain of ${hostname()} and is not that head`);
    // A head put earlier than a record: that record lies past it.
    const [, , past] = await after((pack) => writeFileSync(join(pack, 'chain-heads.txt'), heads.replace(/^\d+/, String(last.seq - 1))));
    expect(past!.split('\n')).toContain(`record ${last.id} lies past the head of the chain of ${hostname()}`);
  });

  it('holds the records, diffs, decision log, roster and activity it cites', () => {
    const pack = join(dir, 'pack');
    const files = readdirSync(pack, { recursive: true }).map(String).sort();
    expect(files).toEqual(expect.arrayContaining(['accounts.csv', 'findings.csv', 'decisions.csv', 'records.csv', 'records.jsonl', 'activity.csv', 'activity.jsonl', 'report.json', 'report.pdf', 'roster/1-roster.yaml']));
    expect(files.some((x) => /^diffs\/snapshot-\d+-to-\d+\.diff$/.test(x))).toBe(true);
    // Every snapshot a row or finding cites has its file: the diff from the one before, or a
    // device's first whole (admin, on core-sw1 since its first snapshot, cites only that one).
    const snapshotsOf = (file: string): string[] => {
      const table = csvRecords(readFileSync(join(pack, file), 'utf8')).map((r) => r.fields);
      const column = table[0]!.indexOf('snapshots');
      return table.slice(1).flatMap((r) => r[column]!.split(' ').filter(Boolean));
    };
    const citedSnapshots = new Set([...snapshotsOf('accounts.csv'), ...snapshotsOf('findings.csv')]);
    expect(citedSnapshots.size).toBeGreaterThan(1);
    for (const s of citedSnapshots) expect(files.filter((x) => new RegExp(`^diffs/snapshot-(\\d+-to-)?${s}\\.diff$`).test(x)), `snapshot ${s}`).toHaveLength(1);
    const first = files.find((x) => /^diffs\/snapshot-\d+\.diff$/.test(x))!;
    expect(readFileSync(join(pack, first), 'utf8')).toMatch(/^# device: "core-sw1"; snapshot \d+ \([^)]+\), the first of this device: its whole configuration; secrets redacted\n--- \/dev\/null\n\+\+\+ core-sw1 snapshot \d+\t[^\n]+\n@@ -0,0 \+1,\d+ @@\n(\+[^\n]*\n)*\+username admin /m);
    // The roster as read, with its hash in the manifest.
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as { header: { roster: Array<{ sha256: string }>; chain: { head: string } } };
    expect(manifest.header.roster[0]!.sha256).toBe(createHash('sha256').update(readFileSync(join(pack, 'roster/1-roster.yaml'))).digest('hex'));
    expect(manifest.header.chain.head).toMatch(/^[0-9a-f]{64}$/);
    // Every record a row cites is in records.csv with its sender address, transport, receive time and chain position.
    const accounts = csvRecords(readFileSync(join(pack, 'accounts.csv'), 'utf8')).map((r) => r.fields);
    const recordsColumn = accounts[0]!.indexOf('records');
    const bob = accounts.find((r) => r[0] === 'core-sw1' && r[1] === 'bob')!;
    const cited = bob[recordsColumn]!.split(' ').filter(Boolean);
    expect(cited.length).toBeGreaterThan(0);
    const records = readFileSync(join(pack, 'records.csv'), 'utf8');
    expect(records.split('\r\n')[0]).toBe("id,collector,chain position (in its collector's chain),time,device stamp,received at,transport,sender address,device,platform,kind,action,actor,actor address,account,privilege / role / group,path,command,raw message,raw bytes (base64; a message not UTF-8),previous hash,hash");
    for (const id of cited) expect(records).toMatch(new RegExp(`^${id},[^\\r\\n]*,tcp,(::ffff:)?127\\.0\\.0\\.1,core-sw1,`, 'm'));
    // SQLite's one chain: every record is the one collector's (the host name, no collector configured), at its id.
    const lines = readFileSync(join(pack, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; collector: string; seq: number });
    expect(lines.every((r) => r.collector === hostname() && r.seq === r.id)).toBe(true);
    for (const id of cited) expect(records).toContain(`\r\n${id},${hostname()},${id},`);
    // The decision log carries the reviewer, reason and ticket, and the path the decision came by; so does the finding.
    expect(readFileSync(join(pack, 'decisions.csv'), 'utf8')).toMatch(/,auditor,open,acknowledged,,CHG-1234,asked the core team,web,yes,"web, signed in as auditor"\r\n/);
    expect(readFileSync(join(pack, 'findings.csv'), 'utf8')).toMatch(new RegExp(`^${f.findingId},(critical|high),acknowledged,unauthorised-account,core-sw1,bob,.*,auditor,acknowledged,[^,]+,asked the core team,CHG-1234,.*,web,yes,"web, signed in as auditor"\r$`, 'm'));
    expect(readFileSync(join(pack, 'activity.csv'), 'utf8')).toMatch(/,auditor,[^,]*,login,/);
    // The activity log's entries as hashed: each one's hash recomputed from the pack alone, each linked to the one before it.
    const entries = readFileSync(join(pack, 'activity.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; previousHash: string; hash: string; body: string });
    expect(entries.length).toBeGreaterThan(0);
    entries.forEach((e, i) => {
      expect(createHash('sha256').update(Buffer.from(e.previousHash, 'hex')).update(e.body).digest('hex'), `entry ${e.id}`).toBe(e.hash);
      if (i > 0 && entries[i - 1]!.id === e.id - 1) expect(e.previousHash).toBe(entries[i - 1]!.hash);
    });
    expect(entries.some((e) => (JSON.parse(e.body) as unknown[])[3] === 'login')).toBe(true);
    // No secret reached the pack.
    for (const x of files.filter((n) => /\.(csv|json|jsonl|txt|diff)$/.test(n))) expect(readFileSync(join(pack, x), 'utf8'), x).not.toMatch(/\$9\$|secret 9 [^<]/);
  });

  it('scoped to a device, gives whole only the activity entries about it, the others as their hashes, and still verifies as VERIFY.txt says', async () => {
    // Decisions logged as the web and the command line log them: on core-sw1's finding (in the
    // scope), on another device's, and a bulk case decision reaching both; sign-ins are already in.
    const other = f.hostileDevices.findIndex((d) => /^[a-z0-9.-]+$/i.test(d) && d !== 'core-sw1');
    const now = Date.now();
    const log = (action: string, detail: Record<string, unknown>): void => logActivity(f.t.db, { at: now, user: 'carol', address: '192.0.2.50', action, detail });
    log('finding.acknowledge', { finding: f.findingId, reason: 'INSIDE-1 asked the owner' });
    log('finding.acknowledge', { finding: f.hostileFindings[other], reason: 'OUTSIDE-1 another team' });
    log('case.acknowledge', { reason: 'OUTSIDE-2 both at once', cases: [{ device: 'core-sw1', account: 'bob', decided: [f.findingId], skipped: [] }, { device: f.hostileDevices[other], account: f.hostile[other], decided: [], skipped: [] }] });
    log('case.acknowledge', { reason: 'INSIDE-2 the case alone', cases: [{ device: 'core-sw1', account: 'bob', decided: [], skipped: [{ id: f.findingId, why: 'already acknowledged' }] }] });
    const auditor = await signIn(f.base, 'auditor');
    const res = await auditor.get(`/exports/evidence.zip?from=${FROM}&devices=core-sw1`);
    expect(res.status).toBe(200);
    const where = join(dir, 'scoped');
    mkdirSync(where);
    // Saved under its own download name, which VERIFY.txt's commands give (a minute after the first pack's, on a busy machine).
    const scoped = /filename="?([^";]+)/.exec(res.headers.get('content-disposition') ?? '')![1]!;
    writeFileSync(join(where, scoped), Buffer.from(await res.arrayBuffer()));
    const verify = (await run('unzip', ['-p', join(where, scoped), 'VERIFY.txt'])).stdout;
    expect(verify).toContain('This pack is scoped: only the entries about its devices');
    const list = steps(verify);
    expect(list.map((s) => s.command.split(' ')[0])).toEqual(['mkdir', 'openssl', 'openssl', 'sha256sum', 'unzip', '{', 'awk', 'grep', 'awk', '{', 'awk']);
    expect(verify).toMatch(/For example, entry \d+ \(the last of the period given whole that needs no redaction\):/);
    const { outputs, code } = await runSteps(list, where);
    expect(code).toBe(0);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    expect(outputs[3]!.split('\n').every((l) => l.endsWith(': OK'))).toBe(true);
    expect([outputs[4], outputs[6], outputs[7], outputs[8], outputs[10]]).toEqual(['', '', '', '', '']);

    const pack = join(where, 'pack');
    const text = readFileSync(join(pack, 'activity.jsonl'), 'utf8');
    const entries = text.trim().split('\n').map((l) => JSON.parse(l) as { id: number; previousHash: string; hash: string; body?: string; withheld?: string });
    const whole = entries.filter((e) => e.body !== undefined);
    // The two entries about core-sw1 alone are whole; every other (sign-ins, the other device's
    // decision, the bulk one reaching outside) is its id and hashes, marked withheld.
    expect(whole.map((e) => (JSON.parse(JSON.parse(e.body!)[4] as string) as { reason: string }).reason)).toEqual(['INSIDE-1 asked the owner', 'INSIDE-2 the case alone']);
    expect(entries.filter((e) => e.body === undefined).every((e) => e.withheld === 'outside the scope' && Object.keys(e).join() === 'id,previousHash,hash,withheld')).toBe(true);
    expect(entries.length - whole.length).toBeGreaterThanOrEqual(3);
    for (const file of ['activity.jsonl', 'activity.csv']) {
      const content = readFileSync(join(pack, file), 'utf8');
      expect(content, file).not.toMatch(/OUTSIDE-|,login,|"login"/);
      expect(content, file).not.toContain(f.hostileDevices[other]!);
    }
    expect(readFileSync(join(pack, 'activity.csv'), 'utf8')).toMatch(/^\d+,,,,\(withheld: outside the scope\),,[0-9a-f]{64},[0-9a-f]{64}\r$/m);
    // The chain checks across the withheld entries: each whole one's hash recomputed, each entry linked to the one before.
    entries.forEach((e, i) => {
      if (e.body !== undefined) expect(createHash('sha256').update(Buffer.from(e.previousHash, 'hex')).update(e.body).digest('hex'), `entry ${e.id}`).toBe(e.hash);
      if (i > 0) expect(e.previousHash, `entry ${e.id}`).toBe(entries[i - 1]!.hash);
    });
    // VERIFY.txt's link check names an entry whose predecessor was taken out.
    const lines = text.trim().split('\n');
    writeFileSync(join(where, 'cut.jsonl'), [...lines.slice(0, 1), ...lines.slice(2)].join('\n') + '\n');
    const awk = list[10]!.command.replace(/activity\.jsonl$/, '../cut.jsonl');
    expect((await run('bash', ['-c', awk], { cwd: pack })).stdout).toBe(`entry ${entries[2]!.id} does not follow the one before it\n`);
  });

  it('shows a privilege taken away, when and by whom, in the CSV, the JSON, the manifest and the PDF alike', () => {
    const pack = join(dir, 'pack');
    const accounts = csvRecords(readFileSync(join(pack, 'accounts.csv'), 'utf8')).map((r) => r.fields);
    const head = accounts[0]!;
    const john = accounts.find((r) => r[0] === 'entra:ANONYMIZED' && r[1] === 'john.doe@example.com')!;
    const cell = (title: string): string => john[head.indexOf(title)]!;
    expect([cell('privilege taken away'), cell('taken away at'), cell('taken away by'), cell('superuser')]).toEqual(['role Global Administrator', '2024-07-10T14:31:24Z', 'user1', 'no']);
    const json = JSON.parse(readFileSync(join(pack, 'report.json'), 'utf8')) as { summary: { revoked: number }; accounts: Array<Record<string, unknown>> };
    const row = json.accounts.find((r) => r.device === 'entra:ANONYMIZED' && r.account === 'john.doe@example.com')!;
    expect(row).toMatchObject({ revoked: 'role Global Administrator', revokedAt: '2024-07-10T14:31:24Z', revokedBy: 'user1', superuser: false });
    // Every time the CSV gives as ISO 8601 the JSON gives the same way (a number there was a time the JSON forgot).
    for (const r of json.accounts) for (const k of ['expires', 'createdAt', 'firstSeen', 'lastSeen', 'removedAt', 'revokedAt', 'lastLogin']) expect(r[k] === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(String(r[k])), k).toBe(true);
    expect(json.summary.revoked).toBe(1);
    const manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8')) as { summary: { revoked: number } };
    expect(manifest.summary.revoked).toBe(1);
    const pdf = pdfWords(readFileSync(join(pack, 'report.pdf')))!;
    expect(pdf).toContain('1 with a privilege taken away in the period');
    expect(pdf).toContain('john.doe@example.com');
    expect(pdf).toContain('taken away: role Global Administrator at 2024-07-10 14:31 by user1');
  });

  it('fails the same commands when a file, the file list or the signature is changed', async () => {
    const pack = join(dir, 'pack');
    const sums = readFileSync(join(pack, 'SHA256SUMS'), 'utf8');
    appendFileSync(join(pack, 'accounts.csv'), 'core-sw1,eve,yes,pulled,present\r\n');
    const changed = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: pack }).catch((e: { code: number; stdout: string }) => e);
    expect(changed).toMatchObject({ code: 1 });
    expect((changed as { stdout: string }).stdout).toContain('accounts.csv: FAILED');
    // Rewriting SHA256SUMS to match the change breaks the signature instead.
    const line = `${createHash('sha256').update(readFileSync(join(pack, 'accounts.csv'))).digest('hex')}  accounts.csv`;
    writeFileSync(join(pack, 'SHA256SUMS'), sums.replace(/^[0-9a-f]{64}  accounts\.csv$/m, line));
    const verify = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'signing-key.pem', '-rawin', '-in', 'SHA256SUMS', '-sigfile', 'SHA256SUMS.sig'], { cwd: pack }).catch((e: { code: number; stdout: string }) => e);
    expect(verify).toMatchObject({ code: 1 });
    expect((verify as { stdout: string }).stdout).toContain('Signature Verification Failure');
  });
});
