// `npm run bench:parse`: header parsing (with the platforms' header quirks and the envelope layer,
// as the reader runs them) plus every platform's recognition, on one core, over a mixed file of
// real-format lines (90% device chatter, 10% AAA/CLI records). Target (issue 13): 1,000,000
// lines/s with every platform and the envelopes loaded. Prints the median of several runs and
// records it in BENCHMARKS.md.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platforms } from '../../parsers/index.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import { CORPUS } from '../support/corpus.js';
import { median, recordRow } from './record.js';
import { writeTrafficFile } from './traffic.js';

const LINES = 500_000;
const TARGET = 1_000_000;
const RUNS = 7;

const dir = mkdtempSync(join(tmpdir(), 'aaawatch-bench-'));
const file = join(dir, 'traffic.log');
writeTrafficFile(file, LINES, CORPUS);
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
rmSync(dir, { recursive: true, force: true });

const recognise = createRecogniser(platforms);
const receivedAt = Date.now();
let records = 0;
const rates: number[] = [];
const headerOnly: number[] = [];
for (let run = 0; run < RUNS; run++) {
  let t = process.hrtime.bigint();
  for (const l of lines) readMessage(l, { receivedAt, transport: 'tcp', source: '192.0.2.1' });
  headerOnly.push(lines.length / (Number(process.hrtime.bigint() - t) / 1e9));
  t = process.hrtime.bigint();
  let n = 0;
  for (const l of lines) n += recognise(readMessage(l, { receivedAt, transport: 'tcp', source: '192.0.2.1' })).records.length;
  rates.push(lines.length / (Number(process.hrtime.bigint() - t) / 1e9));
  records = n;
}
// The first runs warm the JIT; the median of all runs is quoted.
const rate = median(rates);
const header = median(headerOnly);
console.log(`lines: ${lines.length} (10% AAA/CLI), records produced per pass: ${records}`);
console.log(`header + envelopes:        ${Math.round(header).toLocaleString('en')} lines/s (median of ${RUNS})`);
console.log(`header + all ${platforms.length} platforms: ${Math.round(rate).toLocaleString('en')} lines/s (median of ${RUNS}; target ${TARGET.toLocaleString('en')})`);
recordRow(
  'bench:parse — header parsing + recognition, one core',
  ['lines', 'platforms', 'header + envelopes (lines/s)', 'header + envelopes + recognition (lines/s)', 'target'],
  [String(lines.length), String(platforms.length), Math.round(header).toLocaleString('en'), Math.round(rate).toLocaleString('en'), `≥ ${TARGET.toLocaleString('en')}`],
  'A 500,000-line file of real-format lines (test/bench/traffic.ts: 90% chatter, 10% AAA/CLI, some real corpus lines), read as the reader does (header, header quirks, envelopes) and offered to every platform on one thread.',
);
if (rate < TARGET) process.exitCode = 1;
