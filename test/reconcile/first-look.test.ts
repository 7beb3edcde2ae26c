// What reconciliation running beside serve does between its runs, both engines (SQLite's service and
// the PostgreSQL estate leader), with no schedule to fall back on:
//   - a pull finishing after the start-up run read the pulls is run for at the first look
//     (reconcile.pullCheckSeconds): on a fresh SQLite store the first look took it as read, and the
//     pull's findings waited for the next scheduled run;
//   - a pull finishing while nothing ran is the start-up run's alone: the first look does not run
//     again for it; on PostgreSQL, a pull committing after one with a higher id is not missed;
//   - a device's "no syslog received" telemetry gap resolves within pullCheckSeconds of its records
//     being stored, or of its native accounting, not at the next scheduled run, with the history
//     saying why.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { ASA_FW, asaLine, asaPull, JDOE_ROSTER_YAML } from '../support/asa-fw.js';
import { describeEngines, type StoreTarget } from '../support/engines.js';
import { postgresSide, runningReconciler, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const CHECK_S = 1;

/** Until `check` holds, at most `ms`; whether it did. */
async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

describeEngines('reconciliation between runs', (engine) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  const setUp = async (): Promise<{ target: StoreTarget; side: Side; config: Config }> => {
    const target = await engine.fresh();
    const dir = tempDir('aaawatch-first-look-');
    writeFileSync(join(dir, 'roster.yaml'), JDOE_ROSTER_YAML);
    const config = configSchema.parse({
      store: { path: target.kind === 'sqlite' ? target.path : join(dir, 'unused.db') },
      devices: [{ name: ASA_FW.name, address: ASA_FW.address, platform: ASA_FW.platform, pull: false }],
      reconcile: { roster: join(dir, 'roster.yaml'), schedule: '0 0 1 1 *', pullCheckSeconds: CHECK_S },
    });
    const side: Side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    cleanup.push(() => side.close());
    return { target, side, config };
  };
  const ghost = async (side: Side): Promise<string | undefined> =>
    (await side.rows(`SELECT status FROM findings WHERE kind = 'unauthorised-account' AND account = 'ghost'`))[0]?.status as string | undefined;

  it('runs at the first look for a pull that finished after the start-up run', async () => {
    const { target, side, config } = await setUp();
    let runs = 0;
    cleanup.push(runningReconciler(target, config, () => runs++));
    expect(await within(10_000, () => runs >= 1)).toBe(true);
    // After the start-up run, well before the first look (CHECK_S on).
    await side.pulls.recordSuccess(asaPull(Date.now() - 600_000, ['jdoe', 'ghost']));
    expect(await within(3 * CHECK_S * 1000, async () => (await ghost(side)) === 'open')).toBe(true);
  });

  it('does not run again at the first look for the pulls the start-up run read', async () => {
    const { target, side, config } = await setUp();
    let runs = 0;
    const stop = runningReconciler(target, config, () => runs++);
    // A look or two, so a position is kept, then serve stops.
    expect(await within(10_000, () => runs >= 1)).toBe(true);
    await sleep(2 * CHECK_S * 1000);
    await stop();
    await side.pulls.recordSuccess(asaPull(Date.now() - 600_000, ['jdoe', 'ghost']));

    runs = 0;
    cleanup.push(runningReconciler(target, config, () => runs++));
    expect(await within(10_000, () => runs >= 1)).toBe(true);
    expect(await ghost(side)).toBe('open');
    // Three looks: none runs for the pull the start-up run read.
    await sleep(3 * CHECK_S * 1000);
    expect(runs).toBe(1);
  });

  // Two collectors' pulls commit out of id order: the leader's look reads the higher id while the lower
  // one's transaction is still open, and no later look runs for the lower one; the run that look asks
  // for waits for it (pullsToJudge's and changesToJudge's SHARE locks) and reads it. (A check of the
  // leader's own path: this holds on ef256c5 too.) PostgreSQL's alone: SQLite has one writer, so its
  // pulls commit in id order; the test is declared on that block only, not skipped on the other.
  if (engine.kind === 'postgres') it('runs for a pull whose id was given out before one that committed first', async () => {
    const { target, side, config } = await setUp();
    const both = configSchema.parse({ ...config, devices: [...config.devices, { name: 'fw2', address: '192.0.2.12', platform: ASA_FW.platform, pull: false }] });
    // fw1's pull holds its transaction open after its run row is inserted (its id given out), as a slow commit would.
    await side.exec(`CREATE FUNCTION slow_fw1() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.device = 'fw1' THEN PERFORM pg_sleep(4); END IF; RETURN NEW; END $$`);
    await side.exec('CREATE TRIGGER slow_fw1 AFTER INSERT ON pull_runs FOR EACH ROW EXECUTE FUNCTION slow_fw1()');
    let runs = 0;
    cleanup.push(runningReconciler(target, both, () => runs++));
    expect(await within(10_000, () => runs >= 1)).toBe(true);

    const slow = side.pulls.recordSuccess(asaPull(Date.now() - 600_000, ['jdoe', 'ghost']));
    expect(await within(5000, async () => (await side.rows(`SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep'`)).length > 0)).toBe(true);
    await side.pulls.recordSuccess({ ...asaPull(Date.now() - 600_000, ['jdoe', 'ghost']), device: 'fw2' });
    await slow;
    const open = async (device: string): Promise<boolean> =>
      (await side.rows(`SELECT 1 FROM findings WHERE kind = 'unauthorised-account' AND device = ? AND account = 'ghost' AND status = 'open'`, device)).length > 0;
    expect(await within(3 * CHECK_S * 1000, async () => (await open('fw1')) && (await open('fw2')))).toBe(true);
  });

  for (const how of ['syslog', 'native accounting'] as const) {
    it(`resolves a silent device's telemetry gap within pullCheckSeconds of its ${how}`, async () => {
      const { target, side, config } = await setUp();
      cleanup.push(runningReconciler(target, config));
      const gap = async (): Promise<{ id: number; status: string; summary: string } | undefined> =>
        (await side.rows(`SELECT id, status, summary FROM findings WHERE kind = 'telemetry-gap' AND device = ?`, ASA_FW.name))[0] as { id: number; status: string; summary: string } | undefined;
      expect(await within(10_000, async () => (await gap())?.status === 'open')).toBe(true);
      expect((await gap())!.summary).toContain('no syslog received from it');

      const now = Date.now();
      if (how === 'syslog') await side.ingest([asaLine(now, 'ASA-5-111008', "User 'jdoe' executed the 'show run' command.")], ASA_FW.address, 'a', now);
      else {
        const collector = target.kind === 'postgres' ? ['collector', 'a'] : undefined;
        await side.exec(
          `INSERT INTO native_senders (${collector ? 'collector, ' : ''}transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, refused)
           VALUES (${collector ? '?, ' : ''}'tacacs', ?, ?, ?, ?, 1, ?, 0, 0)`,
          ...(collector ? [collector[1]] : []), ASA_FW.address, ASA_FW.name, now, now, now,
        );
      }
      expect(await within(3 * CHECK_S * 1000, async () => (await gap())?.status === 'resolved')).toBe(true);
      const history = await side.rows(`SELECT to_status, reason FROM finding_history WHERE finding_id = ? ORDER BY id`, (await gap())!.id);
      expect(history.at(-1)).toMatchObject({
        to_status: 'resolved',
        reason: how === 'syslog' ? 'syslog arrives and the configuration checks pass' : 'native accounting (TACACS+, RADIUS) arrives and the configuration checks pass',
      });
    });
  }
});
