import { describe, expect, it } from 'vitest';
import { gitlab } from '../index.js';
import { platformById } from '../../index.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'gitlab';
const run = (line: string) => recogniser(gitlab.recognise!, P)(line);

describe('gitlab corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(gitlab, files, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(gitlab);
  });
});

// audit_json.log entries as GitLab's AuditEventService writes a member's access (its details at
// the top level: `add`/`as`, `change`/`from`/`to`, `remove`). Names invented.
const audit = (fields: Record<string, unknown>) =>
  JSON.stringify({ severity: 'INFO', time: '2026-11-21T22:10:01.123Z', author_id: 1, author_name: 'Administrator', entity_id: 7, entity_type: 'Group', target_id: 42, target_type: 'User', target_details: 'bob', ...fields });
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'gitlab', actor: 'Administrator', target: 'bob', group: 'group 7' } as const;

describe('gitlab audit_json.log', () => {
  it('reads a member given access with a role, the access level changed, and the access taken away', () => {
    expect(run(audit({ add: 'user_access', as: 'Maintainer' })).records).toEqual([{ ...base, action: 'group.add_member', role: 'Maintainer', technique: 'T1098.007' }]);
    expect(run(audit({ change: 'access_level', from: 'Developer', to: 'Owner' })).records).toEqual([{ ...base, action: 'privilege.change', role: 'Owner', technique: 'T1098' }]);
    expect(run(audit({ remove: 'user_access' })).records).toEqual([{ ...base, action: 'group.remove_member' }]);
    expect(run(audit({ entity_type: 'Project', entity_id: 3, remove: 'user_access' })).records).toEqual([{ ...base, group: 'project 3', action: 'group.remove_member' }]);
  });

  it('yields nothing for another entity\'s change, or JSON that is not GitLab\'s', () => {
    expect(run(audit({ target_type: 'Project', change: 'visibility', from: 'Private', to: 'Public' })).records).toEqual([]);
    expect(run('{"message":"User \\"x\\" (x@example.com) was created"}').records).toEqual([]);
  });

  it('reads the text log\'s stamp in the zone configured for the sender', () => {
    const line = '<14>Nov 21 22:10:01 git1 gitlab: October 06, 2014 11:56: User "Jo" (jo@example.com) was created';
    expect(recogniser(gitlab.recognise!, P, { zoneFor: (host) => (host === 'git1' ? 'Europe/Berlin' : undefined) })(line).records).toEqual([
      { kind: 'account', platform: P, device: 'git1', time: '2014-10-06T09:56:00.000Z', action: 'account.create', target: 'jo@example.com', technique: 'T1136.001' },
    ]);
  });
});
