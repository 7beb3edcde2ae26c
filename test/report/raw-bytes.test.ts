// The evidence pack's cited records hold the stored bytes. A frame that was not UTF-8 is stored
// escaped (each such byte, and every backslash, as \xNN: src/store/raw-bytes.ts) with its exact bytes
// beside it; a UTF-8 line may carry the same four characters `\xE9` literally. Before, the pack
// gave only the escaped text, so the two read alike and the bytes the device sent were not in it:
// records.csv and records.jsonl now give them (base64), and only for the frame that had them.
// Real TCP ingest into SQLite; ASA 502101 lines as Cisco's syslog guide prints them, names invented.

import net from 'node:net';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/report/document.js';
import { evidencePack } from '../../src/report/evidence.js';
import { loadOrCreateSigningKey } from '../../src/report/signing.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';

const stamp = 'Dec 06 2026 02:42:58';
/** Latin-1 `josé` and a byte no encoding gives a letter. */
const LATIN1 = Buffer.concat([Buffer.from(`<166>${stamp} fw1 : %ASA-5-502101: New user added to local dbase: Uname: jos`), Buffer.from([0xe9, 0xff]), Buffer.from(' Priv: 15 Encpass: ***** Executed by: jdoe')]);
/** UTF-8, naming an account whose name holds the four characters `\xE9`. */
const LITERAL = Buffer.from(`<166>${stamp} fw1 : %ASA-5-502101: New user added to local dbase: Uname: jos\\xE9\\xFF Priv: 15 Encpass: ***** Executed by: jdoe`);

let t: TestIngest;
let files: Record<string, Uint8Array>;
beforeAll(async () => {
  t = await startTestIngest();
  await new Promise<void>((resolve, reject) => {
    const s = net.connect(t.ingest.tcp!.port, '127.0.0.1', () => s.end(Buffer.concat([LATIN1, Buffer.from('\n'), LITERAL, Buffer.from('\n')]), () => resolve()));
    s.on('error', reject);
  });
  await t.until(() => (t.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'account'`).get() as { n: number }).n === 2);
  const now = Date.now();
  const doc = buildDocument(t.db, t.config, undefined, { from: Date.UTC(2026, 11, 1), to: now, now, by: 'test' });
  const key = loadOrCreateSigningKey(join(tempDir('aaawatch-key-'), 'signing-key.pem'));
  files = unzipSync(await evidencePack(t.db, doc, key));
});
afterAll(async () => {
  await t?.stop();
});

describe('records that were not UTF-8, in the evidence pack', () => {
  it('records.jsonl gives the bytes as received for the frame that was not UTF-8, and none for the UTF-8 line that reads alike', () => {
    const records = Buffer.from(files['records.jsonl']!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { body: string; rawBytes?: string });
    expect(records).toHaveLength(2);
    const [latin1, literal] = records;
    expect(Buffer.from(latin1!.rawBytes!, 'base64')).toEqual(LATIN1);
    expect(literal!.rawBytes).toBeUndefined();
    // The escaped form the chain covers tells them apart too: the UTF-8 line's backslashes are its own.
    expect(JSON.parse(latin1!.body).at(-1)).toBe(LATIN1.toString('latin1').replace('\u00e9\u00ff', '\\xE9\\xFF'));
    expect(JSON.parse(literal!.body).at(-1)).toBe(LITERAL.toString('utf8'));
  });

  it('records.csv has the same bytes under "raw bytes", and VERIFY.txt says how the raw message is written', () => {
    const csv = Buffer.from(files['records.csv']!).toString('utf8');
    const header = csv.split('\r\n')[0]!;
    expect(header).toContain('raw bytes (base64; a message not UTF-8)');
    expect(csv).toContain(LATIN1.toString('base64'));
    expect(Buffer.from(files['VERIFY.txt']!).toString('utf8')).toContain('a message that was not UTF-8 is stored escaped');
  });
});
