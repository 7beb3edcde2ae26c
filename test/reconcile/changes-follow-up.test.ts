// A running reconciler judges a pull's changes once the skew after the pull has passed, by itself:
// SQLite's service and the PostgreSQL estate leader alike. The pull's own run finds the change too
// recent (late syslog may still explain it); without a run once the skew has passed, the leader left
// the account's attribution and its unlogged-change to the next scheduled run (up to 15 minutes on),
// so for that long every node's Accounts page, findings and exports said less than SQLite's.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { ASA_FW, asaPull, JDOE_ROSTER_YAML } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, runningReconciler, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const SKEW_S = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeEngines('a running reconciler judges a pull\'s changes once the skew has passed', (engine) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('attributes nothing while the change is recent, then raises its unlogged-change with no other trigger', { timeout: 30_000 }, async () => {
    const target = await engine.fresh();
    const dir = tempDir('aaawatch-follow-');
    const rosterFile = join(dir, 'roster.yaml');
    writeFileSync(rosterFile, JDOE_ROSTER_YAML);
    const config: Config = configSchema.parse({
      store: { path: target.kind === 'sqlite' ? target.path : join(dir, 'unused.db') },
      devices: [{ name: ASA_FW.name, address: ASA_FW.address, platform: ASA_FW.platform, pull: false }],
      // No scheduled run within the test; pulls looked for every second.
      reconcile: { roster: rosterFile, schedule: '0 0 1 1 *', pullCheckSeconds: 1, attributionSkewSeconds: SKEW_S },
    });
    const side: Side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    cleanup.push(() => side.close());
    // A baseline long judged: its changes are ready at the first run.
    await side.pulls.recordSuccess(asaPull(Date.now() - 600_000, ['jdoe']));

    cleanup.push(runningReconciler(target, config));
    const judged = async (): Promise<string[]> => (await side.rows(`SELECT name FROM change_attribution WHERE change = 'added' ORDER BY name`)).map((r) => String(r.name));
    const unlogged = async (): Promise<string[]> => (await side.rows(`SELECT account FROM findings WHERE kind = 'unlogged-change'`)).map((r) => String(r.account));
    // The first run (start, or becoming leader) has judged the baseline (which no record made: nothing to attribute).
    const baselineJudged = async (): Promise<boolean> => (await side.rows(`SELECT 1 FROM reconcile_state WHERE name = 'changes.judged'`)).length > 0;
    const deadline = Date.now() + 10_000;
    while (!(await baselineJudged()) && Date.now() < deadline) await sleep(100);
    expect(await baselineJudged()).toBe(true);
    // The first look for pulls takes every pull so far as seen (the first run covered them): let it pass.
    await sleep(1500);

    // ghost appears in a pull with no record that made it; the pull's run comes within a second or two.
    const pulledAt = Date.now();
    await side.pulls.recordSuccess(asaPull(pulledAt, ['jdoe', 'ghost']));
    await sleep(2000);
    expect(Date.now()).toBeLessThan(pulledAt + SKEW_S * 1000);
    expect(await unlogged()).toEqual([]);

    // Once the skew has passed (and the follow-up's second), judged without any further pull or schedule.
    while (!(await unlogged()).length && Date.now() < pulledAt + SKEW_S * 1000 + 8000) await sleep(100);
    expect(await unlogged()).toEqual(['ghost']);
    expect(await judged()).toEqual(['ghost']);
  });
});
