// A renamed account keeps what it held (issue 15): `usermod -l`, Windows 4781 and CloudTrail
// UpdateUser newUserName are read as the old name's deletion and the new name's making (T1098),
// both from one message, and the new name's population row starts from what the old name held at
// the rename, citing the records that gave it, on both engines (the SQLite store, and PostgreSQL's
// page reading its records itself: src/web/data/pg-rows.ts PageRecords). Before, the new name
// started with nothing: `useradd -o -u 0 toor; usermod -l backup toor` listed backup with no
// privilege and 'superuser no'. Records made by the real pipeline from the sources' lines.

import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { PopulationContext, PopulationRow } from '../../../src/reconcile/population.js';
import type { IngestBatch } from '../../../src/store/batch.js';
import { BatchStore } from '../../../src/store/batch-store.js';
import { openDatabase } from '../../../src/store/db.js';
import { PgBatchWriter } from '../../../src/store/pg/batch-writer.js';
import { createIngestTables } from '../../../src/store/pg/migrate.js';
import { createPullTables } from '../../../src/store/pg/pull-tables.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, PG_NUMBERS, pgAccess } from '../../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { describeEngines } from '../../support/engines.js';
import { batchesFor } from '../../support/ingest-batches.js';
import { tempDir } from '../../support/temp.js';
import { CLOUDTRAIL_RENAMED, DC, linux, PLAIN_RENAMED, windowsRenamed } from '../../support/rename-sources.js';

const DAY = 86_400_000;
const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);

function lines(): string[] {
  return [
    // useradd -o -u 0 toor; usermod -l backup toor; then usermod -l svcbak backup (a rename of a rename).
    linux(1, 'useradd', 'new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/1'),
    linux(2, 'usermod', "change user name 'toor' to 'backup'"),
    // usermod -aG sudo carol; usermod -l carla carol.
    linux(3, 'usermod', "add 'carol' to group 'sudo'"),
    linux(4, 'usermod', "change user name 'carol' to 'carla'"),
    linux(5, 'usermod', "change user name 'backup' to 'svcbak'"),
    // usermod -aG sudo gus; userdel gus: a removed row shows what it held, its groups included.
    linux(8, 'usermod', "add 'gus' to group 'sudo'"),
    linux(9, 'userdel', "delete user 'gus'"),
    // A rename of an account that held nothing carries nothing.
    ...PLAIN_RENAMED,
    ...windowsRenamed(),
    ...CLOUDTRAIL_RENAMED,
  ];
}

async function open(target: Awaited<ReturnType<Parameters<Parameters<typeof describeEngines>[1]>[0]['fresh']>>): Promise<{ access: WebAccess; write(bs: IngestBatch[]): Promise<void> }> {
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    const store = new BatchStore(db, 100);
    return { access: sqliteAccess(db, true), write: async (bs) => void bs.forEach((b) => store.write(b)) };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  pool.on('error', () => undefined);
  await createIngestTables(pool);
  await createWebTables(pool);
  await createPullTables(pool);
  const writer = new PgBatchWriter(pool, 'site-a', 100);
  return { access: pgAccess(pool, true), write: async (bs) => { for (const b of bs) await writer.write(b); } };
}

describeEngines('a renamed account keeps what it held', (engine) => {
  let batches: IngestBatch[];
  let access: WebAccess;
  beforeAll(() => {
    batches = batchesFor(lines(), { dbPath: join(tempDir(), 'pipeline.db'), receivedAt: RECEIVED });
  });
  beforeEach(async () => {
    const s = await open(await engine.fresh());
    access = s.access;
    await s.write(batches);
  });
  afterEach(async () => {
    await access.close();
  });

  const ctx: PopulationContext = { roster: undefined, dormantDays: 90, from: RECEIVED - 30 * DAY, to: RECEIVED + DAY, inventory: new Map() };
  const row = async (account: string): Promise<PopulationRow> => {
    const rows = (await access.populationPage(ctx, { account }, undefined, 10)).rows.filter((r) => r.account === account);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const recordId = async (target: string, action: string): Promise<number> =>
    (await access.searchEvents({ kind: 'account', target }, {}, 20)).rows.find((r) => r.action === action)!.id;

  it('shadow-utils: usermod -l of a UID 0 account (twice) and of a sudo member', async () => {
    const made = await recordId('toor', 'account.create');
    expect(await row('toor')).toMatchObject({ state: 'removed', privilege: 'privilege uid=0', superuser: true, removal: 'renamed to backup' });
    expect(await row('backup')).toMatchObject({ state: 'removed', privilege: 'privilege uid=0', superuser: true, attribution: 'renamed from toor', removal: 'renamed to svcbak' });
    const svcbak = await row('svcbak');
    expect(svcbak).toMatchObject({ state: 'present', privilege: 'privilege uid=0', superuser: true, attribution: 'renamed from backup' });
    expect(svcbak.records).toContain(made);
    const sudo = await recordId('carol', 'group.add_member');
    const carla = await row('carla');
    expect(carla).toMatchObject({ state: 'present', superuser: true, attribution: 'renamed from carol' });
    expect(carla.privilege).toContain('sudo');
    expect(carla.records).toContain(sudo);
    // The old name's removed row shows what it held when renamed, its groups included (ren15q: 'superuser no').
    const carol = await row('carol');
    expect(carol).toMatchObject({ state: 'removed', superuser: true, removal: 'renamed to carla' });
    expect(carol.privilege).toContain('sudo');
    // The case page's row is the population's, on either engine.
    expect((await access.caseModel({ device: 'web1', account: 'svcbak' }, ctx))!.row).toMatchObject({ privilege: 'privilege uid=0', superuser: true, attribution: 'renamed from backup' });
    expect(await row('plain2')).toMatchObject({ state: 'present', privilege: '', superuser: false, attribution: 'renamed from plain' });
    const gus = await row('gus');
    expect(gus).toMatchObject({ state: 'removed', superuser: true });
    expect(gus.privilege).toContain('sudo');
  });

  it('Windows: 4781 of a member of Administrators', async () => {
    const added = await recordId('eve', 'group.add_member');
    const renamed = await row('svc.backup');
    expect(renamed).toMatchObject({ device: DC, state: 'present', superuser: true, attribution: 'renamed from eve' });
    expect(renamed.privilege).toContain('Administrators');
    expect(renamed.records).toContain(added);
    const eve = await row('eve');
    expect(eve).toMatchObject({ state: 'removed', superuser: true, removal: 'renamed to svc.backup' });
    expect(eve.privilege).toContain('Administrators');
  });

  it('CloudTrail: UpdateUser newUserName of a user with AdministratorAccess', async () => {
    const attached = (await access.searchEvents({ kind: 'account', target: 'dana' }, {}, 20)).rows.find((r) => r.action !== 'account.create' && r.action !== 'account.delete')!.id;
    const renamed = await row('dana.admin');
    expect(renamed).toMatchObject({ state: 'present', superuser: true, attribution: 'renamed from dana' });
    expect(renamed.privilege).toContain('AdministratorAccess');
    expect(renamed.records).toContain(attached);
    expect(await row('dana')).toMatchObject({ state: 'removed', superuser: true, removal: 'renamed to dana.admin' });
  });
});
