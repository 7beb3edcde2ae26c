// JSON events other than one a line, for `aaawatch import` (src/ingest/json-file.ts): which files
// are claimed, and the events read the same however the text is cut into pieces.

import { describe, expect, it } from 'vitest';
import { jsonEvents } from '../../src/ingest/json-file.js';
import type { ImportItem } from '../../src/types.js';

const read = (text: string, size: number, max = 1 << 20): ImportItem[] => {
  const reader = jsonEvents.reader(max);
  const out: ImportItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...reader.push(text.slice(i, i + size)));
  return [...out, ...reader.end()];
};
const kinds = (items: ImportItem[]): string[] => items.map((i) => ('text' in i ? 'event' : i.malformed));

// Strings holding the characters that open, close and separate: only structure outside strings counts.
const a = { eventType: 'user.lifecycle.create', note: 'a "quoted" [x] {y}, \\ end', items: [{ value: [1] }] };
const b = { activityDisplayName: 'Add user', value: 'v', targetResources: [{ id: '1' }] };
const events = [a, b].map((e) => ({ text: JSON.stringify(e) }));

describe('JSON events files', () => {
  it('reads an array, a page (value, items), pretty-printed events, and them concatenated, however the text is cut', () => {
    const files = [
      JSON.stringify([a, b]),
      JSON.stringify([a, b], null, 4),
      JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', value: [a, b], '@odata.nextLink': 'https://x/?$skiptoken=1' }, null, 2),
      JSON.stringify({ kind: 'admin#reports#activities', etag: '"e"', items: [a, b], nextPageToken: 't' }),
      `${JSON.stringify(a, null, 2)}\n${JSON.stringify(b, null, 2)}\n`,
      `\uFEFF${JSON.stringify({ value: [a] }, null, 1)}${JSON.stringify([b])}\r\n`,
      // Compact pages as curl saves them (Google's etag is a quoted string).
      `${JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#x', value: [a, b] })}\n`,
      JSON.stringify({ kind: 'admin#reports#activities', etag: '"Xy/z"', items: [a, b] }),
    ];
    for (const file of files) {
      expect(jsonEvents.claims(file.slice(0, 4096)), file).toBe(true);
      for (const size of [1, 3, 7, 64, file.length]) expect(read(file, size), `${size}: ${file}`).toEqual(events);
    }
  });

  it('counts what is not an event: scalars, arrays, broken and oversize events, a file cut short, text after it', () => {
    const big = { ...a, blob: 'x'.repeat(5000) };
    expect(kinds(read(`[${JSON.stringify(a)}, 42, "text", null, [1], {"broken": tru}, ${JSON.stringify(big)}, ${JSON.stringify(b)}]`, 11, 4096)))
      .toEqual(['event', 'not-a-record', 'not-a-record', 'not-a-record', 'not-a-record', 'json-syntax', 'oversize-record', 'event']);
    expect(kinds(read(JSON.stringify([a, b], null, 2).slice(0, -20), 5))).toEqual(['event', 'json-structure']);
    expect(kinds(read(`${JSON.stringify([a])} trailing`, 5))).toEqual(['event', 'json-structure']);
  });

  it('declines JSON lines, syslog lines, and logs whose lines open with a bracket', () => {
    for (const head of [
      `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`,
      `{"value": [1, 2], "x": 1}\n`,
      // An event holding a list of objects is an event, not a page.
      `{"id": "1", "items": [{"a": 1}]}\n`,
      '<14>Nov 21 22:10:01 host sshd[1]: x\n',
      '[2024-05-01 10:00:00] local.INFO: user created {"id":1}\n',
      '[Wed May 01 10:00:00.123 2024] [core:error] [pid 1] x\n',
      '',
    ]) expect(jsonEvents.claims(head), head).toBe(false);
  });
});
