// Offering a message to every platform: records from each in order, and a platform that throws
// costs nothing but its own answer.

import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import type { AaaRecord, Platform } from '../../src/types.js';
import { platforms } from '../../parsers/index.js';

const msg = parseSyslog('<13>Nov 21 22:10:01 h1 app: hello', { receivedAt: Date.now(), transport: 'udp' });
const record = (platform: string): AaaRecord => ({ kind: 'command', action: 'command', time: '2026-11-21T22:10:01.000Z', device: 'h1', platform, command: 'x' });

describe('recogniser', () => {
  it('gathers the records of every platform, in order, and reports a platform that throws as not understood', () => {
    const own: Platform[] = [
      { id: 'one', name: 'One', recognise: () => [record('one')] },
      { id: 'broken', name: 'Broken', recognise: () => { throw new Error('bug'); } },
      { id: 'none', name: 'None' },
      { id: 'two', name: 'Two', recognise: (m) => (m.appName === 'app' ? [record('two'), record('two')] : []) },
      { id: 'quiet', name: 'Quiet', recognise: (_m, ctx) => (ctx.unknown('quiet:odd', 'h2'), []) },
    ];
    const recognise = createRecogniser(own);
    const got = recognise(msg);
    expect(got.records.map((r) => r.platform)).toEqual(['one', 'two', 'two']);
    expect(got.unknown).toEqual([{ type: 'broken:error' }, { type: 'quiet:odd', device: 'h2' }]);
    // Unknowns belong to the message they came with.
    expect(recognise(parseSyslog('<13>Nov 21 22:10:01 h1 other: x', { receivedAt: Date.now(), transport: 'udp' })).unknown).toEqual([
      { type: 'broken:error' },
      { type: 'quiet:odd', device: 'h2' },
    ]);
  });

  it('offers chatter to every shipped platform and gets nothing back', () => {
    const recognise = createRecogniser(platforms);
    expect(recognise(msg)).toEqual({ records: [], unknown: [] });
  });
});
