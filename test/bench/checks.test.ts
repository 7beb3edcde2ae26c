import { describe, expect, it } from 'vitest';
import { creationsWithin, roundProblems } from './checks.js';
import { accountPrefix, writeProfile } from './profiles.js';
import { CORPUS } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const window = { part: 'the window', lines: 600_000, received: 400_000, creations: 24_000, raised: 24_000 };
const warmUp = { part: 'the warm-up', lines: 300_000, received: 150_000, creations: 9_000, raised: 9_000 };
const ok = { sent: 550_000, received: 550_000, dropped: 0, chainVerified: true, files: [warmUp, window] };

describe('bench:ingest round checks', () => {
  it('passes a round that stored, chained and reconciled everything it was sent', () => {
    expect(roundProblems(ok)).toEqual([]);
  });

  it('names each shortfall: unreceived, dropped, chain, replayed file, findings missing', () => {
    expect(roundProblems({ ...ok, received: 549_000, dropped: 5, chainVerified: false, files: [warmUp, { ...window, lines: 200_000, raised: 23_000 }] })).toEqual([
      '1,000 of 550,000 sent were not received',
      '5 dropped',
      'the chain did not verify',
      'the window: the 200,000-line file was replayed (400,000 received): creations after its end were not distinct (BENCH_LINES)',
      'the window: account-created for 23,000 of 24,000 distinct creations',
    ]);
  });

  it("holds the warm-up's lines to the same checks as the window's", () => {
    expect(roundProblems({ ...ok, files: [{ ...warmUp, received: 310_000, raised: 8_999 }, window] })).toEqual([
      'the warm-up: the 300,000-line file was replayed (310,000 received): creations after its end were not distinct (BENCH_LINES)',
      'the warm-up: account-created for 8,999 of 9,000 distinct creations',
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

  it("writes the warm-up's file of the same mix with creations of its own, so the window after it repeats none", () => {
    const dir = tempDir('aaawatch-profile-');
    for (const [profile, seed] of [['aaa-only', 7], ['mixed-random', 750015678]] as const) {
      const window = writeProfile(join(dir, 'window.log'), profile, 5_000, seed, CORPUS);
      const warm = writeProfile(join(dir, 'warm.log'), profile, 5_000, seed, CORPUS, 'warm-up');
      expect(warm.mix).toBe(window.mix);
      expect(warm.prefix).toBe(accountPrefix(seed, 'warm-up'));
      expect(window.prefix).toBe(accountPrefix(seed));
      // Neither's names fall in the other's range (bench:ingest counts findings by prefix).
      expect(warm.prefix.startsWith(window.prefix) || window.prefix.startsWith(warm.prefix)).toBe(false);
      const windowLines = readFileSync(join(dir, 'window.log'), 'utf8').split('\n');
      const warmLines = readFileSync(join(dir, 'warm.log'), 'utf8').split('\n');
      expect(warm.creates).toBeGreaterThan(0);
      expect(warm.createAt.every((i) => warmLines[i]!.includes(warm.prefix) && !warmLines[i]!.includes(window.prefix))).toBe(true);
      // Templates' lines: none the same (mixed-random's real corpus lines repeat within a file too).
      const seen = new Set(windowLines);
      expect(warm.createAt.filter((i) => seen.has(warmLines[i]!))).toEqual([]);
      if (profile === 'aaa-only') expect(warmLines.filter((l) => l && seen.has(l))).toEqual([]);
    }
  });
});
