import { describe, expect, it } from 'vitest';
import { teleport } from '../index.js';
import { platformById } from '../../index.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, pantherFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'teleport';
const run = (line: string) => recogniser(teleport.recognise!, P)(line);

describe('teleport corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(teleport, files, cases)).toEqual([]);
  });

  it("agrees with panther's ExpectedResult wherever the meaning matches, and says why elsewhere", () => {
    expect(pantherAgreement(pantherFiles, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(teleport);
  });
});

// Events in the audit log's shape (`event`, `code`, `time`, `user`, `name`, `roles`,
// `cluster_name`), names and codes from Teleport's audit event reference. Names invented.
const event = (fields: Record<string, unknown>) => JSON.stringify({ time: '2026-11-21T22:10:01.123Z', cluster_name: 'tp.example.com', uid: '1', user: 'alice', ...fields });
const base = { kind: 'account', platform: P, time: '2026-11-21T22:10:01.123Z', device: 'teleport:tp.example.com', actor: 'alice', path: 'cloud' } as const;

describe('teleport audit events', () => {
  it('reads a user updated with several roles as one role text, and a user updated without roles as a modify', () => {
    expect(run(event({ event: 'user.update', code: 'T1003I', name: 'bob', roles: ['access', 'editor'] })).records).toEqual([
      { ...base, action: 'privilege.change', target: 'bob', role: 'access, editor', technique: 'T1098.003' },
    ]);
    expect(run(event({ event: 'user.update', code: 'T1003I', name: 'bob' })).records).toEqual([{ ...base, action: 'account.modify', target: 'bob', technique: 'T1098' }]);
  });

  it('reads a user-management program run in a session on the node it ran on, and nothing when it failed', () => {
    const command = { event: 'session.command', code: 'T4000I', login: 'root', server_hostname: 'web1', path: '/usr/sbin/gpasswd', argv: ['-d', 'bob', 'sudo'], return_code: 0 };
    expect(run(event(command)).records).toEqual([
      { ...base, device: 'web1', path: 'cli', action: 'group.remove_member', target: 'bob', group: 'sudo' },
    ]);
    expect(run(event({ ...command, return_code: 3 })).records).toEqual([]);
  });

  it('yields nothing for a refused or failed event, an event without a Teleport code, or a user not named', () => {
    expect(run(event({ event: 'user.create', code: 'T1002W', name: 'bob', roles: ['editor'] })).records).toEqual([]);
    expect(run(event({ event: 'user.create', name: 'bob', roles: ['editor'] })).records).toEqual([]);
    expect(run(event({ event: 'user.create', code: 'create', name: 'bob' })).records).toEqual([]);
    expect(run(event({ event: 'user.delete', code: 'T1004I' })).records).toEqual([]);
  });

  it('holds `editor` and the older `admin` as full administration, in a list of roles too', () => {
    const superuser = teleport.privileges!.superuser!;
    for (const r of ['editor', 'access, editor', 'admin', 'editor, auditor']) expect(superuser.test(r), r).toBe(true);
    for (const r of ['access', 'auditor', 'editors', 'access, not-admin']) expect(superuser.test(r), r).toBe(false);
  });
});
