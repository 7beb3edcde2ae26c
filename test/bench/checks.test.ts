import { describe, expect, it } from 'vitest';
import { creationsWithin, roundProblems } from './checks.js';
import { accountPrefix, writeProfile } from './profiles.js';
import { CORPUS } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const ok = { sent: 400_000, received: 400_000, dropped: 0, fileLines: 600_000, creations: 24_000, raised: 24_000, chainVerified: true };

describe('bench:ingest round checks', () => {
  it('passes a round that stored, chained and reconciled everything it was sent', () => {
    expect(roundProblems(ok)).toEqual([]);
  });

  it('names each shortfall: unreceived, dropped, chain, replayed file, findings missing', () => {
    expect(roundProblems({ ...ok, received: 399_000, dropped: 5, chainVerified: false, fileLines: 200_000, raised: 23_000 })).toEqual([
      '1,000 of 400,000 sent were not received',
      '5 dropped',
      'the chain did not verify',
      'the 200,000-line file was replayed (399,000 received): creations after its end were not distinct (BENCH_LINES)',
      'account-created for 23,000 of 24,000 distinct creations',
    ]);
  });

  it('counts the creations among the lines received, from where the profile put them', () => {
    const file = join(tempDir('aaawatch-profile-'), 'aaa.log');
    const w = writeProfile(file, 'aaa-only', 5_000, 7, CORPUS);
    const lines = readFileSync(file, 'utf8').split('\n');
    // Every line it names creates an account, each a distinct name; at least 5% of the lines (issue 14).
    const names = w.createAt.map((i) => new RegExp(`\\b(${accountPrefix(7)}[0-9a-z]+)\\b`).exec(lines[i]!)?.[1]);
    expect(names.every((x) => x !== undefined)).toBe(true);
    expect(new Set(names).size).toBe(w.creates);
    expect(w.creates).toBeGreaterThanOrEqual(0.05 * 5_000);
    expect(creationsWithin(w.createAt, 2_500)).toBe(w.createAt.filter((i) => i < 2_500).length);
    expect(creationsWithin(w.createAt, 5_000)).toBe(w.creates);
  });
});
