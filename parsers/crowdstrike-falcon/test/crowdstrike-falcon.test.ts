import { describe, expect, it } from 'vitest';
import { crowdstrikeFalcon } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';

const P = 'crowdstrike-falcon';

describe('crowdstrike-falcon corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(crowdstrikeFalcon, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    expect(pantherAgreement(pantherFiles, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(crowdstrikeFalcon);
  });
});
