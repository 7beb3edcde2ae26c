// A chained body holding text that reads as a secret — a password a reviewer typed into a reason —
// is given redacted in the evidence pack, as everything there is. Before, activity.jsonl gave such an
// entry's body redacted under the hash of the unredacted one (an auditor recomputing it found a
// mismatch, with no word why), and VERIFY.txt's example, the last entry of the period, printed the
// body unredacted: the secret, in the pack. Now the line says so (`"redacted": true`) and the
// example is the last entry that needs no redaction. A reason is redacted before it is stored now
// (src/reconcile/reviewer-text.ts): such an entry is one an older release stored, written here as it did.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/report/document.js';
import { evidencePack } from '../../src/report/evidence.js';
import { loadOrCreateSigningKey } from '../../src/report/signing.js';
import { activityBody, activityHash, logActivity } from '../../src/web/store.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';

const TYPED = 'Typed-In-Reason-9137';

let t: TestIngest;
let files: Record<string, Uint8Array>;
beforeAll(async () => {
  t = await startTestIngest();
  const now = Date.now();
  logActivity(t.db, { at: now - 2000, user: 'alice', address: '192.0.2.4', action: 'login', detail: { role: 'admin' } });
  const detail = JSON.stringify({ finding: 1, reason: `the new one: username ops secret 0 ${TYPED}` });
  const prev = (t.db.prepare('SELECT hash FROM web_audit ORDER BY id DESC LIMIT 1').get() as { hash: Buffer }).hash;
  t.db.prepare('INSERT INTO web_audit (at, user, address, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(now - 1000, 'alice', '192.0.2.4', 'finding.accept', detail, prev, activityHash(prev, activityBody(now - 1000, 'alice', '192.0.2.4', 'finding.accept', detail)));
  const doc = buildDocument(t.db, t.config, undefined, { from: now - 86_400_000, to: now, now, by: 'test' });
  const key = loadOrCreateSigningKey(join(tempDir('aaawatch-key-'), 'signing-key.pem'));
  files = unzipSync(await evidencePack(t.db, doc, key));
});
afterAll(async () => {
  await t?.stop();
});

describe('an activity entry holding text that reads as a secret, in the evidence pack', () => {
  it('is nowhere in the pack, VERIFY.txt included (plain or base64)', () => {
    for (const [name, bytes] of Object.entries(files)) {
      const text = Buffer.from(bytes).toString('utf8');
      expect(text, name).not.toContain(TYPED);
      for (const shift of [0, 1, 2]) expect(text, name).not.toContain(Buffer.from(`${'x'.repeat(shift)}${TYPED}`).toString('base64').slice(4, 20));
    }
  });

  it('is marked redacted in activity.jsonl; every other entry recomputes to its hash', () => {
    const entries = Buffer.from(files['activity.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; previousHash: string; hash: string; body: string; redacted?: boolean });
    expect(entries).toHaveLength(2);
    const recomputes = (e: (typeof entries)[number]): boolean => createHash('sha256').update(Buffer.from(e.previousHash, 'hex')).update(e.body).digest('hex') === e.hash;
    expect(entries.map((e) => [e.redacted ?? false, recomputes(e)])).toEqual([[false, true], [true, false]]);
  });

  it("VERIFY.txt's example is the last entry that needs no redaction, and says why a marked one does not recompute", () => {
    const verify = Buffer.from(files['VERIFY.txt']!).toString('utf8');
    const first = Buffer.from(files['activity.jsonl']!).toString('utf8').split('\n')[0]!;
    const { id, hash } = JSON.parse(first) as { id: number; hash: string };
    expect(verify).toContain(`For example, entry ${id} (the last of the period that needs no redaction):`);
    expect(verify).toContain(`     ${hash}  -`);
    expect(verify).toContain('"redacted": true in its .jsonl line: its hash cannot be recomputed from the pack');
  });
});
