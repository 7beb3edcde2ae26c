// A roster edited while serve runs: the pages read the new roster at once (an account's row says
// "authorised"), and its findings follow within reconcile.pullCheckSeconds, not at the next scheduled
// run (up to 15 minutes on, while the same account's case, health and exports still held an open
// unauthorised-account; found with two serve nodes on PostgreSQL, the same on SQLite). Both engines:
// SQLite's service and the PostgreSQL estate leader, with no schedule, pull or record to trigger a run.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { ASA_FW, asaPull, JDOE_ROSTER_YAML } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, runningReconciler, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeEngines('a roster edited while reconciliation runs', (engine) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('resolves the unauthorised-account of an account the edit authorises, within pullCheckSeconds', { timeout: 30_000 }, async () => {
    const target = await engine.fresh();
    const dir = tempDir('aaawatch-roster-edit-');
    const rosterFile = join(dir, 'roster.yaml');
    writeFileSync(rosterFile, JDOE_ROSTER_YAML);
    const config = configSchema.parse({
      store: { path: target.kind === 'sqlite' ? target.path : join(dir, 'unused.db') },
      devices: [{ name: ASA_FW.name, address: ASA_FW.address, platform: ASA_FW.platform, pull: false }],
      reconcile: { roster: rosterFile, schedule: '0 0 1 1 *', pullCheckSeconds: 1 },
    });
    const side: Side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    cleanup.push(() => side.close());
    await side.pulls.recordSuccess(asaPull(Date.now() - 600_000, ['jdoe', 'ghost']));
    cleanup.push(runningReconciler(target, config));
    const status = async (): Promise<string | undefined> =>
      (await side.rows(`SELECT status FROM findings WHERE kind = 'unauthorised-account' AND account = 'ghost'`))[0]?.status as string | undefined;
    let deadline = Date.now() + 10_000;
    while ((await status()) !== 'open' && Date.now() < deadline) await sleep(100);
    expect(await status()).toBe('open');

    writeFileSync(rosterFile, `${JDOE_ROSTER_YAML}  - { name: ghost, devices: [fw1], privilege: 15, type: break-glass }\n`);
    deadline = Date.now() + 5000;
    while ((await status()) === 'open' && Date.now() < deadline) await sleep(100);
    expect(await status()).toBe('resolved');
  });
});
