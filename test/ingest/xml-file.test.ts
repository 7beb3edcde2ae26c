// Windows event XML files for `aaawatch import` (src/ingest/xml-file.ts): which files are claimed,
// and each event handed on whole however the text is cut.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { xmlEvents } from '../../src/ingest/xml-file.js';
import type { ImportItem } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';

const read = (text: string, size: number, max = 1 << 20): ImportItem[] => {
  const reader = xmlEvents.reader(max);
  const out: ImportItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  return [...out, ...reader.end()];
};

// Microsoft's example events, pretty-printed as Event Viewer renders them (`- ` before an opening element).
const docs = readdirSync(corpusPath('envelopes', 'windows-xml')).sort().map((f) => readFileSync(corpusPath('envelopes', 'windows-xml', f), 'utf8').trim());

describe('Windows event XML files', () => {
  it('hands on each event whole, from <Event to </Event>, however the text is cut', () => {
    const want = docs.map((text) => ({ text }));
    const files = [
      docs.join('\n'),
      `<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n${docs.join('\r\n')}\r\n</Events>\r\n`,
      `\uFEFF${docs.join('')}`,
    ];
    for (const file of files) {
      expect(xmlEvents.claims(file.slice(0, 4096))).toBe(true);
      for (const size of [1, 5, 64, file.length]) expect(read(file, size), `${size}`).toEqual(want);
    }
  });

  it('counts an oversize event and a file cut inside one, and reads on past them', () => {
    const big = docs[0]!.replace('</EventData>', `<Data Name="x">${'y'.repeat(5000)}</Data></EventData>`);
    const items = read(`<Events>${docs[1]}${big}${docs[2]}${docs[3]!.slice(0, 200)}`, 7, 4096);
    expect(items.map((i) => ('text' in i ? i.text : i.malformed))).toEqual([docs[1], 'oversize-record', docs[2], 'xml-structure']);
  });

  it('declines an event a line (read as lines, as before), syslog lines and JSON', () => {
    const oneLine = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>4720</EventID></System></Event>';
    for (const head of [`${oneLine}\n${oneLine}\n`, '<14>Nov 21 22:10:01 host sshd[1]: x\n', '{"Event": {}}\n', '<Eventlog>\n', '']) {
      expect(xmlEvents.claims(head), head).toBe(false);
    }
  });
});
