import { describe, expect, it } from 'vitest';
import { github } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'github';
const run = (line: string) => recogniser(github.recognise!, P)(line);

describe('github corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(github, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    expect(pantherAgreement(pantherFiles, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(github);
  });
});

// Entries in the audit log's shape (`action`, `actor`, `user`, `org`, `team`, `@timestamp` in epoch
// ms, `actor_ip`), with action names from GitHub's "Audit log events for your organization". Names invented.
const entry = (fields: Record<string, unknown>) => JSON.stringify({ '@timestamp': 1795299001123, actor: 'octo-admin', actor_ip: '203.0.113.9', org: 'acme', ...fields });
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'github:acme', actor: 'octo-admin', actorAddress: '203.0.113.9', path: 'cloud' } as const;

describe('github audit log', () => {
  it('reads a member added to the organisation with a role, and one removed', () => {
    expect(run(entry({ action: 'org.add_member', user: 'mona', permission: 'admin' })).records).toEqual([
      { ...base, action: 'account.create', target: 'mona', role: 'admin', technique: 'T1136.003' },
    ]);
    expect(run(entry({ action: 'org.remove_member', user: 'mona' })).records).toEqual([{ ...base, action: 'account.delete', target: 'mona', technique: 'T1531' }]);
  });

  it('reads a team member added, the team named as the group', () => {
    expect(run(entry({ action: 'team.add_member', user: 'mona', team: 'acme/admins' })).records).toEqual([
      { ...base, action: 'group.add_member', target: 'mona', group: 'acme/admins', technique: 'T1098.007' },
    ]);
  });

  it('yields nothing for other actions, or an entry naming no member', () => {
    expect(run(entry({ action: 'repo.create', repo: 'acme/x' })).records).toEqual([]);
    expect(run(entry({ action: 'org.add_member' })).records).toEqual([]);
  });
});
