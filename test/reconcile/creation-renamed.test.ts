// A rename's making is judged on what the old name held (issue 15), on both engines: the new
// name's account-created of `useradd -o -u 0 toor; usermod -l backup toor` was judged on the
// making alone (`usermod -l` says nothing of UID 0) and raised high, never critical, though backup
// is a superuser; the same for Windows 4720 + 4732 Administrators + 4781 and CloudTrail CreateUser
// + AttachUserPolicy AdministratorAccess + UpdateUser newUserName. Records made by the real
// pipeline from the sources' lines.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { CLOUDTRAIL_RENAMED, PLAIN_RENAMED, RENAME_T0, TOOR_RENAMED, windowsRenamed } from '../support/rename-sources.js';

const MIN = 60_000;
const T = RENAME_T0;
const RECEIVED = T + 5000;
const roster = parseRosterYaml('administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const options = (now: number): ReconcileOptions => ({
  roster, devices: [{ name: 'web1', platform: 'linux', groups: [] }], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: [], relays: [] },
});

const lines = [
  ...TOOR_RENAMED,
  // A rename of an account that held nothing stays judged on its making.
  ...PLAIN_RENAMED,
  ...windowsRenamed(),
  ...CLOUDTRAIL_RENAMED,
];

describeEngines('account-created of a rename judged on what the old name held', (engine) => {
  let side: Side;
  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    // The first run on an empty store: account records from now on raise account-created.
    await side.run(options(T - MIN));
    await side.ingest(lines, '192.0.2.21', 'a', RECEIVED);
    await side.run(options(T + MIN));
  });
  afterAll(() => side?.close());

  const finding = async (account: string) => {
    const found = await side.rows(`SELECT severity, summary, evidence FROM findings WHERE kind = 'account-created' AND account = '${account}'`);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    return { severity: f.severity as string, summary: f.summary as string, events: (JSON.parse(f.evidence as string) as { events: number[] }).events };
  };
  const ids = async (target: string, action: string) =>
    (await side.rows(`SELECT id FROM events WHERE target = '${target}' AND action = '${action}'`)).map((r) => Number(r.id));

  it('shadow-utils: usermod -l of a UID 0 account is critical, citing the useradd', async () => {
    const backup = await finding('backup');
    expect(backup.severity).toBe('critical');
    expect(backup.summary).toContain('granting full administrative rights');
    expect(backup.events).toEqual(expect.arrayContaining(await ids('toor', 'account.create')));
    // Nothing held, nothing carried: judged on its making.
    expect((await finding('plain2')).severity).toBe('high');
  });

  it('Windows: 4781 of a member of Administrators is critical, citing the 4732', async () => {
    const renamed = await finding('svc.backup');
    expect(renamed.severity).toBe('critical');
    expect(renamed.events).toEqual(expect.arrayContaining(await ids('eve', 'group.add_member')));
  });

  it('CloudTrail: UpdateUser newUserName of a user with AdministratorAccess is critical, citing the attach', async () => {
    const renamed = await finding('dana.admin');
    expect(renamed.severity).toBe('critical');
    const attached = (await side.rows(`SELECT id FROM events WHERE target = 'dana' AND action NOT IN ('account.create', 'account.delete')`)).map((r) => Number(r.id));
    expect(attached.length).toBeGreaterThan(0);
    expect(renamed.events).toEqual(expect.arrayContaining(attached));
  });
});
