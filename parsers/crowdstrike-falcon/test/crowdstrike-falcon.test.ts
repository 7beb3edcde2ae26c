import { describe, expect, it } from 'vitest';
import { crowdstrikeFalcon } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';
import { corpusLines } from '../../../test/support/corpus.js';
import { recogniser } from '../../../test/parsers/harness.js';

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

describe('crowdstrike-falcon role changes', () => {
  const run = (line: string) => recogniser(crowdstrikeFalcon.recognise!, P)(line);
  // Panther's real grantUserRoles event, as its test carries it; revokeUserRoles is its pair in Falcon's audit events.
  const granted = (JSON.parse(corpusLines('cloud/crowdstrike_admin_role_assigned.tests.jsonl')[0]!) as { Log: { event: Record<string, unknown> } }).Log;
  const as = (operation: string, success = true) => JSON.stringify({ ...granted, event: { ...granted.event, OperationName: operation, Success: success } });

  it('reads revokeUserRoles as the roles taken away, and nothing when it failed', () => {
    const [grant] = run(as('grantUserRoles')).records;
    expect(grant).toMatchObject({ action: 'privilege.change', target: 'merry.brandybuck@hobbiton.co', role: 'billing_dashboard_admin' });
    const { action: _a, technique: _t, ...rest } = grant as unknown as Record<string, unknown>;
    expect(run(as('revokeUserRoles')).records).toEqual([{ ...rest, action: 'privilege.revoke' }]);
    expect(run(as('revokeUserRoles', false)).records).toEqual([]);
  });
});
