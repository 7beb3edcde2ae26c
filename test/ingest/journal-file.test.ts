// journalctl's exports read entry by entry, however the text is cut, as the syslog lines journald
// forwards; the shapes claimed by their beginning only.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimsJournalExport, claimsJournalJson, JournalExport, JournalJson } from '../../src/ingest/journal-file.js';
import { claimsJsonEvents } from '../../src/ingest/json-file.js';
import type { ImportItem, ImportReader } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';

const file = (name: string): string => readFileSync(corpusPath('files', 'journald', name), 'latin1');

function read(reader: () => ImportReader, text: string, size: number): ImportItem[] {
  const r = reader();
  const out: ImportItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...r.push(text.slice(i, i + size)));
  return [...out, ...r.end()];
}

describe('journalctl -o export', () => {
  const real = file('beats-journal1.first3.export');
  const want = [1, 2, 3].map((k) => ({ text: `<14>2025-09-17T19:24:16.${['706827', '709853', '712935'][k - 1]}Z archlinux journald-test-1[${[7136, 7140, 7144][k - 1]}]: [ ${k}] log entry` }));

  it('is claimed by its first entry, and read the same however the text is cut', () => {
    expect(claimsJournalExport(real.slice(0, 4096))).toBe(true);
    for (const size of [1, 3, 8, 100, 100_000]) expect(read(() => new JournalExport(1 << 16), real, size), `chunks of ${size}`).toEqual(want);
  });

  it('reads a binary field by its length (an LF and an `=` in it are its bytes), and a last entry without its empty line', () => {
    const message = Buffer.from('two\nlines = one message');
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(message.length));
    const text = Buffer.concat([Buffer.from('__REALTIME_TIMESTAMP=1000001\n_HOSTNAME=h1\nSYSLOG_IDENTIFIER=sshd\n_PID=7\nMESSAGE\n'), length, message, Buffer.from('\n')]).toString('latin1');
    for (const size of [1, 5, 1000]) expect(read(() => new JournalExport(1 << 16), text, size)).toEqual([{ text: '1970-01-01T00:00:01.000001Z h1 sshd[7]: two\nlines = one message' }]);
  });

  it('counts an entry longer than the bound, and reads the next', () => {
    const text = `__REALTIME_TIMESTAMP=1\n_HOSTNAME=h\nMESSAGE=${'x'.repeat(1500)}\n\n${real}`;
    for (const size of [7, 1000]) {
      const items = read(() => new JournalExport(1000), text, size);
      expect(items[0]).toMatchObject({ malformed: 'oversize-record' });
      expect(items.slice(1)).toEqual(want);
    }
  });

  it('is not claimed for other files', () => {
    for (const head of ['<13>Nov 21 22:10:01 h1 app: one\n', 'Date=today\n\n', '{"__REALTIME_TIMESTAMP":"1"}\n', 'Mon Nov 21 22:10:01 2026\n\tUser-Name = "bob"\n']) expect(claimsJournalExport(head), head).toBe(false);
  });
});

describe('journalctl -o json', () => {
  const pretty = file('beats-sample-journal-event.json');
  const entry = JSON.parse(pretty) as Record<string, string>;
  const want = { text: '<14>2024-08-19T15:20:55.230058Z millennium-falcon TestRestartsJournalctlOnError[235728]: Count: 0000000001' };

  it('is claimed before JSON events would be, as lines, pretty-printed or in an array', () => {
    for (const text of [JSON.stringify(entry), pretty, JSON.stringify([entry], null, 2)]) {
      expect(claimsJournalJson(text)).toBe(true);
      expect(claimsJsonEvents(text) || text === JSON.stringify(entry)).toBe(true);
    }
    expect(claimsJournalJson('{"eventName":"CreateUser"}\n')).toBe(false);
  });

  it('reads an entry a line, pretty-printed entries and arrays the same however the text is cut; a damaged line costs itself only', () => {
    const line = JSON.stringify(entry);
    for (const size of [1, 7, 100_000]) {
      expect(read(() => new JournalJson(1 << 16), `${line}\n${line}\n`, size)).toEqual([want, want]);
      expect(read(() => new JournalJson(1 << 16), `${pretty}${pretty}`, size)).toEqual([want, want]);
      expect(read(() => new JournalJson(1 << 16), JSON.stringify([entry, entry], null, 1), size)).toEqual([want, want]);
      expect(read(() => new JournalJson(1 << 16), `${line}\n${line.slice(0, 50)}\n${line}`, size)).toEqual([want, { malformed: 'json-syntax', sample: line.slice(0, 50) }, want]);
    }
  });

  it('counts a line longer than the bound, and reads the next', () => {
    const line = JSON.stringify(entry);
    const long = JSON.stringify({ ...entry, MESSAGE: 'x'.repeat(5000) });
    for (const size of [7, 100_000]) {
      const items = read(() => new JournalJson(2000), `${line}\n${long}\n${line}\n`, size);
      expect(items.map((i) => ('text' in i ? 'entry' : i.malformed))).toEqual(['entry', 'oversize-record', 'entry']);
    }
  });
});
