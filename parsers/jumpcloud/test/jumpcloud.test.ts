import { describe, expect, it } from 'vitest';
import { jumpcloud } from '../index.js';
import { platformById } from '../../index.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'jumpcloud';
const run = (line: string) => recogniser(jumpcloud.recognise!, P)(line);

describe('jumpcloud corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(jumpcloud, files, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(jumpcloud);
  });
});

// Events in the Directory Insights shape (`event_type`, `initiated_by`, `resource`, `changes`
// `{field, from, to}`, `organization`, `timestamp`), with JumpCloud's event types. Names invented.
const event = (fields: Record<string, unknown>) =>
  JSON.stringify({
    initiated_by: { id: '1', type: 'admin', email: 'admin@example.com' }, service: 'directory', organization: 'org1',
    client_ip: '203.0.113.9', timestamp: '2026-11-21T22:10:01.123Z', ...fields,
  });
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'jumpcloud:org1', actor: 'admin@example.com', actorAddress: '203.0.113.9', path: 'cloud' } as const;
const bob = { id: '2', type: 'user', username: 'bob' };

describe('jumpcloud directory insights', () => {
  it('reads a user created, a password set and sudo granted', () => {
    expect(run(event({ event_type: 'user_create', resource: bob })).records).toEqual([{ ...base, action: 'account.create', target: 'bob', technique: 'T1136.003' }]);
    expect(run(event({ event_type: 'user_update', resource: bob, changes: [{ field: 'password' }, { field: 'sudo', from: false, to: true }] })).records).toEqual([
      { ...base, action: 'password.change', target: 'bob', technique: 'T1098' },
      { ...base, action: 'privilege.change', target: 'bob', role: 'sudo', technique: 'T1098.003' },
    ]);
  });

  it('reads a user added to a user group', () => {
    const association = { op: 'add', connection: { from: { name: 'admins', type: 'user_group' }, to: { name: 'bob', type: 'user' } } };
    expect(run(event({ event_type: 'association_change', association })).records).toEqual([
      { ...base, action: 'group.add_member', target: 'bob', group: 'admins', technique: 'T1098.007' },
    ]);
  });
});
