import { describe, expect, it } from 'vitest';
import { okta } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'okta';
const run = (line: string) => recogniser(okta.recognise!, P)(line);

describe('okta corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(okta, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    expect(pantherAgreement(pantherFiles, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(okta);
  });
});

// Events in the System Log's shape (`eventType`, `published`, `actor.alternateId`,
// `client.ipAddress`, `outcome.result`, `target[]` with `type` User / UserGroup), event types from
// Okta's "Event types" catalogue. Names invented.
const event = (eventType: string, targets: unknown[], result = 'SUCCESS', debugData?: Record<string, string>) =>
  JSON.stringify({
    uuid: '1', published: '2026-11-21T22:10:01.123Z', eventType, displayMessage: eventType,
    actor: { id: '00u1', type: 'User', alternateId: 'admin@example.com' }, client: { ipAddress: '203.0.113.9' },
    outcome: { result }, target: targets, ...(debugData ? { debugContext: { debugData } } : {}),
  });
const user = { id: '00u2', type: 'User', alternateId: 'bob@example.com', displayName: 'Bob' };
const group = { id: '00g1', type: 'UserGroup', alternateId: 'unknown', displayName: 'Admins' };
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'okta', actor: 'admin@example.com', actorAddress: '203.0.113.9', path: 'cloud' } as const;

describe('okta system log', () => {
  it('reads a user created, suspended and given a password', () => {
    expect(run(event('user.lifecycle.create', [user])).records).toEqual([{ ...base, action: 'account.create', target: 'bob@example.com', technique: 'T1136.003' }]);
    expect(run(event('user.lifecycle.suspend', [user])).records).toEqual([{ ...base, action: 'account.modify', target: 'bob@example.com', technique: 'T1531' }]);
    expect(run(event('user.account.reset_password', [user])).records).toEqual([{ ...base, action: 'password.change', target: 'bob@example.com', technique: 'T1098' }]);
  });

  it('reads a group member added, the group by its name (its alternateId is `unknown`)', () => {
    expect(run(event('group.user_membership.add', [user, group])).records).toEqual([
      { ...base, action: 'group.add_member', target: 'bob@example.com', group: 'Admins', technique: 'T1098.007' },
    ]);
  });

  it('reads an administrator role revoked from a user and from a group, named as the grant names it, else by a ROLE target', () => {
    expect(run(event('user.account.privilege.grant', [user], 'SUCCESS', { privilegeGranted: 'Super administrator' })).records).toEqual([
      { ...base, action: 'privilege.change', target: 'bob@example.com', role: 'Super administrator', technique: 'T1098.003' },
    ]);
    expect(run(event('user.account.privilege.revoke', [user], 'SUCCESS', { privilegeRevoked: 'Super administrator' })).records).toEqual([
      { ...base, action: 'privilege.revoke', target: 'bob@example.com', role: 'Super administrator' },
    ]);
    expect(run(event('user.account.privilege.revoke', [{ id: 'ra1', type: 'ROLE', displayName: 'Help Desk Administrator' }, user])).records).toEqual([
      { ...base, action: 'privilege.revoke', target: 'bob@example.com', role: 'Help Desk Administrator' },
    ]);
    expect(run(event('group.privilege.revoke', [group], 'SUCCESS', { privilegeRevoked: 'Read-only administrator' })).records).toEqual([
      { ...base, action: 'privilege.revoke', target: 'Admins', group: 'Admins', role: 'Read-only administrator' },
    ]);
    // Naming no role, the revocation is still who took what from whom, as far as it says.
    expect(run(event('user.account.privilege.revoke', [user])).records).toEqual([{ ...base, action: 'privilege.revoke', target: 'bob@example.com' }]);
    expect(run(event('user.account.privilege.revoke', [user], 'FAILURE')).records).toEqual([]);
  });

  it('yields nothing for a failed event or a sign-in', () => {
    expect(run(event('user.lifecycle.create', [user], 'FAILURE')).records).toEqual([]);
    expect(run(event('user.session.start', [user])).records).toEqual([]);
  });
});
