import { describe, expect, it } from 'vitest';
import { googleWorkspace } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'google-workspace';
const run = (line: string) => recogniser(googleWorkspace.recognise!, P)(line);

describe('google-workspace corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(googleWorkspace, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    expect(pantherAgreement(pantherFiles, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(googleWorkspace);
  });
});

// Fixtures in the Admin SDK Reports API's activity shape, with the event and parameter names of
// Google's "Admin activity events" reference (USER_SETTINGS CREATE_USER, CHANGE_PASSWORD;
// DELEGATED_ADMIN_SETTINGS ASSIGN_ROLE; GROUP_SETTINGS ADD_GROUP_MEMBER). Names invented.
const activity = (events: unknown[], actor = 'admin@example.com') =>
  JSON.stringify({
    kind: 'admin#reports#activity',
    id: { time: '2026-11-21T22:10:01.123Z', uniqueQualifier: '-1', applicationName: 'admin', customerId: 'C0abc123' },
    actor: { callerType: 'USER', email: actor, profileId: '1' },
    ipAddress: '203.0.113.9',
    events,
  });
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'google:C0abc123', actor: 'admin@example.com', actorAddress: '203.0.113.9', path: 'cloud' } as const;
const ev = (type: string, name: string, params: Record<string, string>) => ({ type, name, parameters: Object.entries(params).map(([n, value]) => ({ name: n, value })) });

describe('google-workspace admin activity', () => {
  it('reads a user created, a password set and an administrator role assigned', () => {
    const { records } = run(activity([
      ev('USER_SETTINGS', 'CREATE_USER', { USER_EMAIL: 'bob@example.com' }),
      ev('USER_SETTINGS', 'CHANGE_PASSWORD', { USER_EMAIL: 'bob@example.com' }),
      ev('DELEGATED_ADMIN_SETTINGS', 'ASSIGN_ROLE', { ROLE_NAME: '_SEED_ADMIN_ROLE', USER_EMAIL: 'bob@example.com' }),
    ]));
    expect(records).toEqual([
      { ...base, action: 'account.create', target: 'bob@example.com', technique: 'T1136.003' },
      { ...base, action: 'password.change', target: 'bob@example.com', technique: 'T1098' },
      { ...base, action: 'privilege.change', target: 'bob@example.com', role: '_SEED_ADMIN_ROLE', technique: 'T1098.003' },
    ]);
  });

  it('reads an administrator role taken away, and super administrator rights revoked', () => {
    const { records } = run(activity([
      ev('DELEGATED_ADMIN_SETTINGS', 'UNASSIGN_ROLE', { ROLE_NAME: '_SEED_ADMIN_ROLE', USER_EMAIL: 'bob@example.com' }),
      ev('USER_SETTINGS', 'REVOKE_ADMIN_PRIVILEGE', { USER_EMAIL: 'carol@example.com' }),
    ]));
    expect(records).toEqual([
      { ...base, action: 'privilege.revoke', target: 'bob@example.com', role: '_SEED_ADMIN_ROLE' },
      { ...base, action: 'privilege.revoke', target: 'carol@example.com', role: 'Super Admin' },
    ]);
  });

  it('reads a group member added by an administrator', () => {
    const { records } = run(activity([ev('GROUP_SETTINGS', 'ADD_GROUP_MEMBER', { USER_EMAIL: 'bob@example.com', GROUP_EMAIL: 'admins@example.com' })]));
    expect(records).toEqual([{ ...base, action: 'group.add_member', target: 'bob@example.com', group: 'admins@example.com', technique: 'T1098.007' }]);
  });

  it('yields nothing for an event naming no account, or for JSON that is no activity record', () => {
    expect(run(activity([ev('USER_SETTINGS', 'CREATE_USER', {})])).records).toEqual([]);
    expect(run('{"name":"CREATE_USER","parameters":{"USER_EMAIL":"bob@example.com"}}').records).toEqual([]);
  });
});

// Google's "User accounts activity events" (application `user_accounts`, type `password_change`,
// name `password_edit`): a user changing their own password. No public record of it was found.
describe('google-workspace user accounts activity', () => {
  it('reads a password changed by its own user, the account being the actor', () => {
    const own = JSON.stringify({
      kind: 'admin#reports#activity',
      id: { time: '2026-11-21T22:10:01.123Z', uniqueQualifier: '-1', applicationName: 'user_accounts', customerId: 'C0abc123' },
      actor: { callerType: 'USER', email: 'bob@example.com', profileId: '2' },
      ipAddress: '203.0.113.9',
      events: [{ type: 'password_change', name: 'password_edit' }],
    });
    expect(run(own).records).toEqual([{ ...base, actor: 'bob@example.com', action: 'password.change', target: 'bob@example.com', technique: 'T1098' }]);
  });
});
