// VERIFY.txt's record checks run as an auditor runs them (real awk, printf, sha256sum, in a clean
// bash), over records whose bodies hold everything records.jsonl escapes: quotes and backslashes,
// `<`, `>` and `&` (written \u003c…), U+2028 and U+2029 (which JSON.stringify leaves and inertJson
// escapes), a tab, text beyond the BMP, and a frame that was not UTF-8 (stored escaped). Before,
// VERIFY.txt checked one record's hash: a changed line among the others passed every command but
// sha256sum's. And an empty period's pack: its VERIFY.txt spoke of commands and files "below" that
// were not there.
// Real TCP ingest into SQLite; ASA 502101 lines as Cisco's syslog guide prints them, names invented.

import net from 'node:net';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/report/document.js';
import { evidencePack } from '../../src/report/evidence.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/report/signing.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';
import { requireTool } from '../support/tools.js';
import { recordChecks, runSteps, steps } from '../support/verify-steps.js';

const TOOLS = ['openssl', 'sha256sum', 'unzip', 'base64', 'bash', 'awk'].every((t) => requireTool(t) !== undefined);
const stamp = 'Dec 06 2026 02:42:58';
const asa = (name: string, by: string): Buffer => Buffer.from(`<166>${stamp} fw1 : %ASA-5-502101: New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: ${by}`);
const LINES = [
  asa('eve', 'jdoe "quoted" \\ back\\slash <script>&amp; \u2028 and \u2029 here\tafter a tab'),
  asa('zoë', 'j\u00f6rg 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202eevil'),
  Buffer.concat([asa('jos', 'x').subarray(0, 90), Buffer.from([0xe9, 0xff]), Buffer.from(' Priv: 15 Encpass: ***** Executed by: jdoe')]),
  asa('mallory', 'jdoe'),
];

let t: TestIngest;
let key: SigningKey;
let dir: string;
beforeAll(async () => {
  t = await startTestIngest();
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(t.ingest.tcp!.port, '127.0.0.1', () => s.end(Buffer.concat(LINES.flatMap((l) => [l, Buffer.from('\n')])), () => resolve()));
    s.on('error', reject);
  });
  await t.until(() => (t.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'account'`).get() as { n: number }).n === LINES.length);
  key = loadOrCreateSigningKey(join(tempDir('aaawatch-key-'), 'signing-key.pem'));
  dir = tempDir('aaawatch-verify-records-');
});
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The pack for `from`–`to` saved in a new folder as evidence.zip, its VERIFY.txt's steps, and the folder. */
async function saved(name: string, from: number, to: number): Promise<{ where: string; verify: string; zip: Record<string, Uint8Array> }> {
  const doc = buildDocument(t.db, t.config, undefined, { from, to, now: Date.now(), by: 'test' });
  const pack = await evidencePack(t.db, doc, key, { archive: 'evidence.zip' });
  const where = join(dir, name);
  mkdirSync(where);
  writeFileSync(join(where, 'evidence.zip'), pack);
  const zip = unzipSync(pack);
  return { where, verify: Buffer.from(zip['VERIFY.txt']!).toString('utf8'), zip };
}

describe.skipIf(!TOOLS)("VERIFY.txt's record checks", () => {
  it("recompute every record's hash from records.jsonl, whatever its body holds, and name a line changed", async () => {
    const { where, verify } = await saved('all', Date.UTC(2026, 11, 1), Date.now());
    const list = steps(verify);
    const { outputs, code } = await runSteps(list, where);
    expect(code).toBe(0);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    const checks = recordChecks(list);
    expect(verify).toContain(`6. Every record's hash (the ${LINES.length} of the ${LINES.length} records in records.jsonl), recomputed from its line the same way:`);
    for (const s of [checks.hashes, checks.cited, checks.links]) expect(outputs[list.indexOf(s)], s.command).toBe('');

    const pack = join(where, 'pack');
    const lines = readFileSync(join(pack, 'records.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(LINES.length);
    for (const escaped of ['\\u003c', '\\u003e', '\\u0026', '\\u2028', '\\u2029', '\\\\t', '\\\\\\"', '\\\\\\\\']) expect(lines.join('\n'), escaped).toContain(escaped);
    // Each line changed in turn (its body's raw message: one letter more after "Uname: "): step 6 names that record alone.
    for (const [i, line] of lines.entries()) {
      const id = (JSON.parse(line) as { id: number }).id;
      const changed = lines.map((l, k) => (k === i ? l.replace('Uname: ', 'Uname: X') : l));
      expect(changed[i]).not.toBe(line);
      writeFileSync(join(pack, 'records.jsonl'), changed.join('\n') + '\n');
      const { outputs: [printed], code: exit } = await runSteps([checks.hashes], pack);
      expect(exit).toBe(0);
      expect(printed).toBe(`record ${id} does not match its hash`);
    }
  });

  it("an empty period's pack: every command VERIFY.txt gives is there and prints what it says, and it names no file the pack lacks", async () => {
    const { where, verify, zip } = await saved('empty', Date.UTC(2020, 0, 1), Date.UTC(2020, 1, 1));
    expect(JSON.parse(Buffer.from(zip['report.json']!).toString('utf8')).accounts).toEqual([]);
    expect(Buffer.from(zip['records.jsonl']!).toString('utf8')).toBe('');
    const list = steps(verify);
    const { outputs, code } = await runSteps(list, where);
    expect(code).toBe(0);
    list.forEach((s, i) => {
      if (s.prints.length) expect(outputs[i], s.command).toBe(s.prints.join('\n'));
    });
    recordChecks(list);
    expect(verify).toContain("6. Every record's hash (records.jsonl holds none in this pack)");
    // Whatever the text says is below is below: a command after each such line.
    const text = verify.split('\n');
    text.forEach((line, i) => {
      if (/\bbelow\b/.test(line)) expect(text.slice(i + 1).some((l) => l.startsWith('   $ ')), line).toBe(true);
    });
    // No example of a record or an entry (none to give), no diffs/ nor roster/ named as if in it.
    expect(verify).not.toMatch(/For example|examples below|^ {2}diffs\/|^ {2}roster\//m);
    expect(verify).toContain('(no roster/)    no roster was configured');
    expect(Object.keys(zip).some((n) => n.startsWith('diffs/') || n.startsWith('roster/'))).toBe(false);
    // Every file the text lists by name is in the pack.
    for (const m of verify.matchAll(/^ {2}([a-z-]+\.[a-z]+) /gm)) expect(Object.keys(zip), m[1]).toContain(m[1]);
  });
});
