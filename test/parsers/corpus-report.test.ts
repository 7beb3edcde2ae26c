// The same comparison `npm run corpus` prints, over the full platform registry: CI fails when any
// platform's records differ from its reviewed cases, or when a case names a line that is not there.

import { describe, expect, it } from 'vitest';
import { CORPUS_RECEIVED_AT, compareCorpus } from '../tools/corpus-cases.js';
import { RECEIVED } from './harness.js';

describe('corpus report', () => {
  it('reads the corpus at the receive time the platform tests use', () => {
    expect(CORPUS_RECEIVED_AT).toBe(RECEIVED);
  });

  it('finds no mismatch and no invalid case with every platform registered', async () => {
    const result = await compareCorpus();
    expect(result.invalid).toEqual([]);
    for (const p of result.platforms) expect(p.mismatches, p.platform).toEqual([]);
  });
});
