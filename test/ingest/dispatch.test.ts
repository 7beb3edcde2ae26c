// Offering a message only to the platforms whose declared prefixes select it (src/ingest/dispatch.ts):
// the index itself, and, over every corpus line and the bench's traffic, the same records and
// unknowns as offering every message to every platform.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { createDispatch } from '../../src/ingest/dispatch.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { parseSyslog } from '../../src/ingest/header.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { writeTrafficFile } from '../bench/traffic.js';
import { CORPUS, corpusPath } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { CORPUS_RECEIVED_AT, corpusInput, corpusLogFiles, corpusMessages } from '../tools/corpus-cases.js';

const at = (line: string): SyslogMessage => parseSyslog(line, { receivedAt: CORPUS_RECEIVED_AT, transport: 'udp' });
const record = (platform: string): AaaRecord => ({ kind: 'command', action: 'command', time: '2026-11-21T22:10:01.000Z', device: 'h1', platform, command: 'x' });
const saying = (id: string, offer?: Platform['offer']): Platform => ({ id, name: id, recognise: () => [record(id)], ...(offer ? { offer } : {}) });
const chosen = (list: readonly Platform[], line: string): string[] => {
  const bits = createDispatch(list)(at(line));
  return list.filter((_, k) => (bits[k >> 5]! & (1 << (k & 31))) !== 0).map((p) => p.id);
};

describe('dispatch by declared prefixes', () => {
  const own = [
    saying('tagged', { tags: ['SYS-'] }),
    saying('program', { programs: ['useradd'] }),
    saying('text', { texts: ['%%', 'id='] }),
    saying('undeclared'),
    saying('unicode', { texts: ['ß'] }),
  ];

  it('offers a message to the platforms one of whose prefixes starts its tag, program or text, and always to those that declare none', () => {
    expect(chosen(own, '<189>12: Nov 21 22:10:01 UTC: %SYS-5-CONFIG_I: Configured from console by a on vty0')).toEqual(['tagged', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 useradd[12]: new user: name=x')).toEqual(['program', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 id=fw sn=1 m=29')).toEqual(['text', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 ßtraße')).toEqual(['undeclared', 'unicode']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 cron[1]: %SYS in the text, useradd too')).toEqual(['undeclared']);
    expect(createRecogniser(own)(at('<86>Nov 21 22:10:01 h1 id=x')).records.map((r) => r.platform)).toEqual(['text', 'undeclared']);
  });

  it('keeps platforms beyond the first 32 apart', () => {
    const many = Array.from({ length: 70 }, (_, k) => saying(`p${k}`, { texts: [`k${k}-`] }));
    expect(chosen(many, '<86>Nov 21 22:10:01 h1 app: k33- x')).toEqual(['p33']);
    expect(chosen(many, '<86>Nov 21 22:10:01 h1 app: k69- x')).toEqual(['p69']);
    expect(createRecogniser(many)(at('<86>Nov 21 22:10:01 h1 app: k64- x')).records.map((r) => r.platform)).toEqual(['p64']);
  });

  it('refuses an empty prefix, which would offer everything while looking selective', () => {
    expect(() => createDispatch([saying('bad', { texts: [''] })])).toThrow(/empty prefix/);
  });
});

describe('the shipped platforms’ offers', () => {
  const undeclared = platforms.map(({ offer: _offer, ...p }) => p);

  function same(texts: Iterable<{ where: string; text: string }>): number {
    const filtered = createRecogniser(platforms);
    const everyone = createRecogniser(undeclared);
    let n = 0;
    for (const { where, text } of texts) {
      const msg = (): SyslogMessage => readMessage(text, { receivedAt: CORPUS_RECEIVED_AT, transport: 'file' });
      const a = filtered(msg());
      const want = everyone(msg());
      expect(JSON.stringify(a), where).toBe(JSON.stringify(want));
      n++;
    }
    return n;
  }

  it('change nothing over the corpus: every line gives the records and unknowns it gives when offered to every platform', () => {
    const texts: Array<{ where: string; text: string }> = [];
    for (const file of corpusLogFiles()) {
      for (const { line, text } of corpusMessages(file)) texts.push({ where: `${file}:${line}`, text: corpusInput(file, text) });
    }
    for (const [i, text] of readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').entries()) texts.push({ where: `hostile-strings.txt:${i + 1}`, text });
    expect(same(texts)).toBeGreaterThan(800);
  });

  it('change nothing over the bench traffic', () => {
    const file = join(tempDir(), 'traffic.log');
    writeTrafficFile(file, 20_000, CORPUS);
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(same(lines.map((text, i) => ({ where: `traffic:${i + 1}`, text })))).toBe(20_000);
  });
});
