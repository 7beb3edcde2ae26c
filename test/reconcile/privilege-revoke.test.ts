// A role taken away, end to end: two real Office 365 audit records (Sekoia's intake tests, probe 5)
// — `Add member to role.` giving john.doe Global Administrator, and `Remove member from role.`
// taking it back six minutes later — imported by the built CLI into a fresh store, then read as the
// auditor reads them: the population row (what the account holds, and the revocation with who did
// it) and the account's timeline. Before the revocation the same row shows a superuser.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { population, type PopulationContext } from '../../src/reconcile/population.js';
import { accountTimeline } from '../../src/reconcile/timeline.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { corpusPath, REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const CLI = join(REPO, 'dist/src/cli.js');
const DEVICE = 'entra:ANONYMIZED';
const ACCOUNT = 'john.doe@example.com';
const GRANTED = Date.parse('2024-07-10T14:25:49Z');
const REVOKED = Date.parse('2024-07-10T14:31:24Z');

let db: Db;
beforeAll(() => {
  const dir = tempDir('aaawatch-revoke-');
  const o365 = readFileSync(corpusPath('cloud', 'sekoia-o365.relevant'), 'utf8').split('\n');
  const lines = join(dir, 'roles.log');
  writeFileSync(lines, `${o365[3]}\n${o365[48]}\n`);
  const config = join(dir, 'aaawatch.yaml');
  writeFileSync(config, `store:\n  path: ${join(dir, 'store.db')}\n`);
  const run = spawnSync(process.execPath, [CLI, 'import', lines, '--json', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ read: 2, records: 2 });
  db = openDatabase(join(dir, 'store.db'));
});
afterAll(() => db?.close());

const ctx = (to: number): PopulationContext => ({ roster: undefined, inventory: new Map(), dormantDays: 90, from: Date.parse('2024-07-01T00:00:00Z'), to });
const row = (to: number) => [...population(db, ctx(to))].find((r) => r.device === DEVICE && r.account === ACCOUNT);

describe('a role taken away', () => {
  it('is stored as privilege.revoke naming the role, with who took it', () => {
    expect(db.prepare("SELECT action, actor, target, role FROM events WHERE kind = 'account' ORDER BY time").all()).toEqual([
      { action: 'privilege.change', actor: 'user1', target: ACCOUNT, role: 'Global Administrator' },
      { action: 'privilege.revoke', actor: 'user1', target: ACCOUNT, role: 'Global Administrator' },
    ]);
  });

  it('leaves the account holding nothing, and the population names the revocation, when and by whom', () => {
    const r = row(Date.parse('2024-08-01T00:00:00Z'))!;
    expect(r).toMatchObject({ source: 'syslog', state: 'present', privilege: '', superuser: false, revoked: 'role Global Administrator', revokedAt: REVOKED, revokedBy: 'user1' });
    const revocation = db.prepare("SELECT id FROM events WHERE action = 'privilege.revoke'").get() as { id: number };
    expect(r.records).toContain(revocation.id);
  });

  it('before the revocation, the same account is a superuser with nothing taken away', () => {
    const r = row(GRANTED + 60_000)!;
    expect(r).toMatchObject({ superuser: true, revoked: null, revokedAt: null, revokedBy: null });
    expect(r.privilege).toContain('Global Administrator');
  });

  it("shows in the account's timeline, newest first, with who did it", () => {
    expect(accountTimeline(db, DEVICE, ACCOUNT).map((e) => [e.at, e.what, e.actor, e.detail])).toEqual([
      [REVOKED, 'privilege.revoke', 'user1', 'role Global Administrator'],
      [GRANTED, 'privilege.change', 'user1', 'role Global Administrator'],
    ]);
  });
});
