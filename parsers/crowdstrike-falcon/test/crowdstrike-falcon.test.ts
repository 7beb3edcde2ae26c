import { describe, expect, it } from 'vitest';
import { crowdstrikeFalcon } from '../index.js';
import { platformById } from '../../index.js';
import { fileLines, platformCaseProblems, runFile } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';

const P = 'crowdstrike-falcon';

describe('crowdstrike-falcon corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(crowdstrikeFalcon, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    const problems: string[] = [];
    for (const file of files) {
      const verdicts = new Map(fileLines(file).map(({ line, text }) => [line, (JSON.parse(text) as { ExpectedResult: boolean }).ExpectedResult]));
      for (const r of runFile(file)) {
        const c = cases.find((x) => x.file === file && x.line === r.line)!;
        const agrees = verdicts.get(r.line) === r.records.some((x) => x.kind === 'account');
        if (agrees === (c.note?.startsWith('DISAGREES') === true)) problems.push(`${file}:${r.line}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(crowdstrikeFalcon);
  });
});
