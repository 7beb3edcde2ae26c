// The Accounts row folds an account's records over what a pull read, comparing roles by what they
// are (privilege.ts roleRule), on both engines (PostgreSQL's page reads its rows with the same
// population code over a copy, src/web/data/pg-rows.ts). A pull reads a custom role with its grant
// (FortiOS `helpdesk (admin read-write)`, Junos `ops-custom (permissions all)`), syslog names it bare
// (`accprofile[helpdesk]`, `class ops-custom`). Compared as text, a record re-stating the pulled role
// added a second role beside it on the row (/api/accounts, `aaawatch accounts --json`, the population
// export), and a revocation of the bare class left the pulled one held. Lines in the shapes of
// test/reconcile/held-roles (FortiOS logid 0100044547, Junos mgd's UI_CMDLINE_READ_LINE), read by a
// reader that knows no pull; the pulls stored as a pull stores them.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { platformById } from '../../../parsers/index.js';
import { digest } from '../../../src/pull/digest.js';
import type { HostKey } from '../../../src/pull/hostkeys.js';
import type { PullablePlatform } from '../../../src/pull/target.js';
import type { PopulationContext } from '../../../src/reconcile/population.js';
import { typedRow } from '../../../src/report/formats.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, PG_NUMBERS, pgAccess } from '../../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { openDatabase } from '../../../src/store/db.js';
import { describeEngines, type StoreTarget } from '../../support/engines.js';
import { batchesFor } from '../../support/ingest-batches.js';
import { aaawatch } from '../../support/process.js';
import { openReconStores, storeBatches, type ReconStores } from '../../support/recon-stores.js';
import { tempDir } from '../../support/temp.js';

const T = Date.parse('2026-11-20T08:00:00Z');
const hostKey = (device: string): HostKey => ({ type: 'ssh-ed25519', blob: createHash('sha256').update(device).digest(), fingerprint: `SHA256:${device}` });

// FortiOS sends no syslog hostname: the device is `devname`, the time `eventtime` (ns).
const fgt = (minute: number, obj: string, attr: string): string =>
  `<189>date=2026-11-20 time=08:0${minute}:00 devname="FGT-EDGE" devid="FG100FTK00000001" eventtime=${T + minute * 60_000}000000 tz="+0000" `
  + `logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="netadmin" `
  + `ui="GUI(192.0.2.44)" action="Edit" cfgtid=1 cfgpath="system.admin" cfgobj="${obj}" cfgattr="${attr}" msg="Edit system.admin ${obj}"`;
const junos = (minute: number, command: string): string => `<189>Nov 20 08:0${minute}:00 mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'mallory', command '${command} '`;

// helpdesk administers administrators (ranked as prof_admin); ops-custom is `permissions all`.
const FORTIOS = [
  'config system accprofile',
  '    edit "helpdesk"', '        set sysgrp read-write', '        set fwgrp read', '    next',
  '    edit "auditor"', '        set sysgrp read', '        set fwgrp read', '    next',
  'end',
  'config system admin',
  '    edit "au"', '        set accprofile "auditor"', '    next',
  '    edit "hd"', '        set accprofile "helpdesk"', '    next',
  'end',
].join('\n');
const JUNOS = [
  'set system login class ops-custom permissions all',
  'set system login user bob class ops-custom',
  'set system login user dan class ops-custom',
].join('\n');

/** The web's data access on the store: what /api/accounts and the Accounts page read. */
async function webAccess(target: StoreTarget): Promise<WebAccess> {
  if (target.kind === 'sqlite') return sqliteAccess(openDatabase(target.path), true);
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  pool.on('error', () => undefined);
  await createWebTables(pool);
  return pgAccess(pool, true);
}

describeEngines('an Accounts row folding a bare role over the one a pull read with its grant', (engine) => {
  let target: StoreTarget;
  let e: ReconStores;
  let access: WebAccess;
  beforeAll(async () => {
    target = await engine.fresh();
    e = await openReconStores(target);
    // The pulls first (finished at T + 3 s), then what syslog said of their accounts.
    for (const [device, platform, config] of [['FGT-EDGE', 'fortinet-fortios', FORTIOS], ['mx1', 'juniper-junos', JUNOS]] as const) {
      await e.pulls.recordSuccess({
        device, platform, startedAt: T, finishedAt: T + 3000, attempts: 1, hostKey: hostKey(device), keySource: 'tofu',
        digest: digest(platformById(platform) as PullablePlatform, config),
      });
    }
    const batches = batchesFor([
      // hd re-stated in helpdesk (a password change beside it); bob in ops-custom.
      fgt(1, 'hd', 'password[*]accprofile[helpdesk]'),
      // au moved from auditor to helpdesk: an administrator holds one profile.
      fgt(2, 'au', 'accprofile[auditor->helpdesk]'),
      junos(1, 'set system login user bob class ops-custom'),
      // dan re-stated in ops-custom, then the class taken away.
      junos(1, 'set system login user dan class ops-custom'),
      junos(2, 'delete system login user dan class ops-custom'),
    ], { receivedAt: T + 180_000 });
    await storeBatches(target, e, batches);
    access = await webAccess(target);
  }, 60_000);
  afterAll(async () => {
    await access?.close();
    await e?.close();
  });

  const ctx: PopulationContext = { roster: undefined, dormantDays: 90, from: T - 86_400_000, to: T + 86_400_000, inventory: new Map() };

  it('stores the roles bare and the pulled ones resolved', async () => {
    const stated = await e.rows(`SELECT target, action, role FROM events WHERE kind = 'account' ORDER BY target, id`);
    expect(stated.map((r) => [r.target, r.action, r.role])).toEqual([
      ['au', 'privilege.change', 'helpdesk'],
      ['bob', 'account.create', 'ops-custom'], ['dan', 'account.create', 'ops-custom'], ['dan', 'privilege.revoke', 'ops-custom'], ['hd', 'privilege.change', 'helpdesk'],
    ]);
    const pulled = await e.rows(`SELECT name, roles FROM accounts ORDER BY name`);
    expect(pulled.map((r) => [r.name, r.roles])).toEqual([
      ['au', '["auditor (read only)"]'], ['bob', '["ops-custom (permissions all)"]'], ['dan', '["ops-custom (permissions all)"]'], ['hd', '["helpdesk (admin read-write)"]'],
    ]);
  });

  it('holds the pulled role once when syslog re-states it bare, one profile where syslog moves it, and none once the bare class is taken away (/api/accounts)', async () => {
    const rows = (await access.populationPage(ctx, {}, undefined, 50)).rows.map(typedRow);
    expect(rows.map((r) => [r.device, r.account, r.privilege, r.superuser])).toEqual([
      // Not `accprofile auditor (read only), accprofile helpdesk`: an administrator holds one profile.
      ['FGT-EDGE', 'au', 'accprofile helpdesk', false],
      ['FGT-EDGE', 'hd', 'accprofile helpdesk (admin read-write)', false],
      ['mx1', 'bob', 'class ops-custom (permissions all)', true],
      ['mx1', 'dan', '', false],
    ]);
    // The record that re-stated it is cited as what gives it.
    const restated = (await e.rows(`SELECT id FROM events WHERE target = 'hd' AND kind = 'account'`))[0]!.id as number;
    expect(rows[1]!.records).toContain(restated);
  });

  it('prints the same rows from `aaawatch accounts --json`', async () => {
    const dir = tempDir('aaawatch-rolefold-');
    const config = join(dir, 'aaawatch.yaml');
    const store = target.kind === 'sqlite' ? `store:\n  path: ${JSON.stringify(target.path)}\n` : `collector: c1\nstore:\n  path: ${JSON.stringify(join(dir, 'unused.db'))}\n  url: { env: AAAWATCH_TEST_PG }\n`;
    writeFileSync(config, store);
    const run = await aaawatch(['accounts', '--json', '--from', '2026-11-19', '--to', '2026-11-21', '--config', config], target.kind === 'postgres' ? { AAAWATCH_TEST_PG: target.url } : {});
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.account, r.privilege])).toEqual([
      ['au', 'accprofile helpdesk'], ['hd', 'accprofile helpdesk (admin read-write)'], ['bob', 'class ops-custom (permissions all)'], ['dan', ''],
    ]);
  });
});
