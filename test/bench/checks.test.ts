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

  it("writes every other part's file of the same mix with creations of its own, so no part repeats another's", () => {
    const dir = tempDir('aaawatch-profile-');
    for (const [profile, seed] of [['aaa-only', 7], ['mixed-random', 750015678]] as const) {
      const window = writeProfile(join(dir, 'window.log'), profile, 5_000, seed, CORPUS);
      const windowLines = readFileSync(join(dir, 'window.log'), 'utf8').split('\n');
      const seen = new Set(windowLines);
      const stamp = (line: string): number => Date.parse(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/.exec(line)?.[0] ?? 'x');
      const stamps = (lines: string[]): number[] => lines.map(stamp).filter((t) => !Number.isNaN(t));
      const others = [
        { part: 'warm-up', after: 0, run: 0 },
        // After a window of 100,000 lines (1,300 s of stamps, past the profiles' jitter of up to 600 s).
        { part: 'udp', after: 100_000, run: 0 },
        { part: 'udp', after: 105_000, run: 1 },
        { part: 'flood', after: 110_000, run: 2 },
      ] as const;
      const prefixes = [window.prefix];
      for (const { part, after, run } of others) {
        const file = join(dir, `${part}-${run}.log`);
        const w = writeProfile(file, profile, 5_000, seed, CORPUS, part, after, run);
        const lines = readFileSync(file, 'utf8').split('\n');
        expect(lines.length).toBe(5_001);
        expect(w.mix).toBe(window.mix);
        expect(w.prefix).toBe(accountPrefix(seed, part, run));
        // No part's names fall in another's range (bench:ingest counts findings by prefix).
        for (const p of prefixes) expect(w.prefix.startsWith(p) || p.startsWith(w.prefix)).toBe(false);
        prefixes.push(w.prefix);
        expect(w.creates).toBeGreaterThan(0);
        expect(w.createAt.every((i) => lines[i]!.includes(w.prefix) && !lines[i]!.includes(window.prefix))).toBe(true);
        // Templates' lines: none the same (mixed-random's real corpus lines repeat within a file too).
        expect(w.createAt.filter((i) => seen.has(lines[i]!))).toEqual([]);
        if (profile === 'aaa-only') expect(lines.filter((l) => l && seen.has(l))).toEqual([]);
        // A later part's stamps come after every one of the window's lines' (RFC 5424 stamps carry
        // the year), the warm-up's before its last (its jitter overlaps the window's first minutes).
        const mine = stamps(lines);
        const windows = stamps(windowLines);
        expect(mine.length).toBeGreaterThan(0);
        if (part === 'warm-up') expect(Math.max(...mine)).toBeLessThan(Math.max(...windows));
        else expect(Math.min(...mine)).toBeGreaterThan(Math.max(...windows));
      }
    }
  });
});
