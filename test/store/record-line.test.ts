// The store reads each record line with its own reader (readRecordLine, src/store/batch.ts), not
// JSON.parse: for every line encodeRecord writes, it must give exactly what JSON.parse gives, and
// refuse a line that is not one.

import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import { decodeRecord, encodeRecord, readRecordLine, type RecordLine } from '../../src/store/batch.js';
import type { AaaRecord, SyslogMessage } from '../../src/types.js';
import { CORPUS_RECEIVED_AT, corpusAndHostileTexts } from '../tools/corpus-cases.js';

/** What JSON.parse makes of a line: the body's values, then the arrival's. */
function parsed(line: RecordLine): unknown[] {
  const tab = line.indexOf('\t');
  return [...(JSON.parse(line.slice(0, tab)) as unknown[]), ...(JSON.parse(line.slice(tab + 1)) as unknown[])];
}

function read(line: RecordLine): unknown[] {
  const into = new Array<unknown>(25).fill('untouched');
  const tab = readRecordLine(line, into, 1);
  expect(line[tab]).toBe('\t');
  expect(into[0]).toBe('untouched');
  expect(into[24]).toBe('untouched');
  return into.slice(1, 24);
}

const ODD = ['plain', 'a"b', '"', '\\', '\\"', '"\\', 'c\\\\d', 'ends in \\', 'tab\there', 'new\nline', '\r\u0000\u001f\u007f', 'lone \ud800 high', '\udc00\ud800',
  'non-BMP \u{1F600} \u{10FFFF}', 'Zürich €', '', ' ', ',', ']', '[1,"x"]', 'null', '12', '\u2028\u2029', 'x'.repeat(5000) + '"'];

describe('readRecordLine', () => {
  it('reads every record of the corpus and the hostile strings as JSON.parse does', () => {
    const recognise = createRecogniser(platforms);
    let n = 0;
    for (const { where, text } of corpusAndHostileTexts()) {
      const msg = readMessage(text, { receivedAt: CORPUS_RECEIVED_AT, transport: 'tcp', source: '192.0.2.1' });
      for (const r of recognise(msg).records) {
        const line = encodeRecord(r, redactSecrets(text), msg, { escaped: n % 2 === 0, truncated: n % 3 === 0 });
        expect(read(line), where).toEqual(parsed(line));
        n++;
      }
    }
    expect(n).toBeGreaterThan(300);
  });

  it('reads odd strings in every value, odd times and arrivals, as JSON.parse does', () => {
    for (const [k, s] of ODD.entries()) {
      const o = ODD[(k + 1) % ODD.length]!;
      const msg = { receivedAt: [0, 1, 1_764_700_000_000, 2 ** 53 + 2, -5, 1.5][k % 6], time: [-1, 0.25, 1e21, 7][k % 4], transport: s, source: k % 2 ? o : undefined, timeText: k % 3 ? s : undefined } as unknown as SyslogMessage;
      // Action, path and technique take any text here: a record line carries whatever a parser wrote.
      const r = {
        kind: 'account', action: s, time: k % 2 ? 'not a time' : '2026-12-04T22:10:01.000Z', device: s, platform: o, actor: s, actorAddress: o,
        target: s, privilege: o, role: s, group: o, path: s, technique: o, command: s, container: { id: s },
      } as unknown as AaaRecord;
      for (const raw of [s, o + s, 'clean raw']) {
        const line = encodeRecord(r, raw, msg);
        expect(read(line), JSON.stringify(s)).toEqual(parsed(line));
        expect(decodeRecord(line)).toEqual({ body: line.slice(0, line.indexOf('\t')), values: parsed(line).slice(0, 17), arrival: parsed(line).slice(17) });
      }
    }
  });

  it('refuses a line that is not a record line', () => {
    const good = encodeRecord({ kind: 'command', action: 'command', time: '2026-12-04T22:10:01.000Z', device: 'r1', platform: 'cisco-ios', command: 'show "x"' }, 'raw "q"', {
      receivedAt: 1, time: 1, transport: 'tcp', source: '192.0.2.1',
    } as unknown as SyslogMessage);
    expect(read(good)).toEqual(parsed(good));
    const tab = good.indexOf('\t');
    const bad = [
      good.slice(0, tab), // no arrival
      good.slice(0, tab) + '\t[1,"tcp",null,null,0]', // an arrival short of a value
      good.slice(0, tab) + '\t[1,"tcp",null,null,0,0,0]', // one too many
      good.replace('["command"', '["command",1'), // a body of 18 values
      good.replace('"command","command"', '"command" ,"command"'),
      good.replace(',null,', ',nul,'),
      good.replace(',null,', ',{},'),
      good.replace(',null,', ',x,'),
      good.replace(',null,', ',,'),
      good.slice(0, tab - 1) + '\t' + good.slice(tab + 1), // body not closed
      good.slice(0, tab - 2) + ']\t' + good.slice(tab + 1), // last string not closed
      good.slice(0, -1), // arrival not closed
    ];
    for (const line of bad) expect(() => readRecordLine(line, [], 0), line).toThrow(SyntaxError);
  });
});
