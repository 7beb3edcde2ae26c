// An account whose creation was logged and that a later successful pull does not hold, with no
// record of its removal, is an unlogged change an auditor must see, as a pulled account vanishing
// between two pulls without a record is: `unlogged-change`, once for the pull that judges the
// record (the first started more than the skew after it, as the Accounts row finds it removed),
// citing the creating record and the pull's snapshot; judged once the skew after the pull has
// passed. Not when a removal record (502102) within the skew explains it, not when the pull holds
// the account, not while no successful pull came since the record, and not again at the next
// pull. run.ts (`aaawatch reconcile` on SQLite), the estate's run over SQLite and PostgreSQL (the
// leader's, and `aaawatch reconcile` on store.url), and a running serve's ReconcileService, which
// runs again by itself once the skew after such a pull has passed.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { openDatabase } from '../../src/store/db.js';
import { ASA_FW, asaLine, asaOptions, asaPull } from '../support/asa-fw.js';
import { describeEngines, type TestEngine } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const ROSTER = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const roster = parseRosterYaml(ROSTER, join(tempDir(), 'roster.yaml'));
const added = (t: number, name: string): string => asaLine(t, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);
const deleted = (t: number, name: string): string => asaLine(t, 'ASA-5-502102', `User deleted from local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: mallory`);


const P1 = T0 + HOUR;
const P2 = T0 + 2 * HOUR;
/**
 * Before P1: carol made, never removed (vanished); dave made and removed (logged); fay made, removed
 * a minute after the pull (within the skew: logged); gus made and in the pull; erin made within
 * the skew before P1 (judged at P2).
 */
const BEFORE_P1: Array<[number, string]> = [
  [T0 + 10 * MIN, added(T0 + 10 * MIN, 'carol')],
  [T0 + 12 * MIN, added(T0 + 12 * MIN, 'dave')],
  [T0 + 20 * MIN, deleted(T0 + 20 * MIN, 'dave')],
  [T0 + 25 * MIN, added(T0 + 25 * MIN, 'fay')],
  [T0 + 30 * MIN, added(T0 + 30 * MIN, 'gus')],
  [P1 - 2 * MIN, added(P1 - 2 * MIN, 'erin')],
  // ivan: stamped by a clock 3 h behind, received before the pull: placed by its receipt (judged at P1, not at the first pull).
  [T0 + 40 * MIN, added(T0 + 40 * MIN - 3 * HOUR, 'ivan')],
];
const FAY_GONE = [deleted(P1 + MIN, 'fay')];

/** Each line received a second after its stamp, as from a device whose clock is right. */
async function ingestTimed(side: Side, lines: ReadonlyArray<[number, string]>): Promise<void> {
  for (const [t, line] of lines) await side.ingest([line], ASA_FW.address, 'a', t + S);
}
/** After P1, before P2: hank, while no pull comes. */
const HANK_AT = P1 + 30 * MIN;

interface Unlogged {
  account: string;
  severity: string;
  occurrences: number;
  attribution: string;
  evidence: string;
}

const unlogged = async (side: Side): Promise<Unlogged[]> =>
  (await side.rows(`SELECT account, severity, occurrences, attribution, evidence FROM findings WHERE kind = 'unlogged-change' ORDER BY account`)) as unknown as Unlogged[];

const recordOf = async (side: Side, name: string, action: string): Promise<number> =>
  Number((await side.rows(`SELECT id FROM events WHERE target = ? AND action = ? ORDER BY id`, name, action))[0]!.id);

function scenario(title: string, open: (engine: TestEngine) => Promise<Side>): void {
  describeEngines(title, (engine) => {
    let side: Side;
    const seen: Record<string, Unlogged[]> = {};
    let snapshots: number[] = [];

    beforeAll(async () => {
      side = await open(engine);
      await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
      await side.run(asaOptions(roster, T0 + MIN));
      await ingestTimed(side, BEFORE_P1);
      await side.pulls.recordSuccess(asaPull(P1, ['jdoe', 'gus']));
      await side.ingest(FAY_GONE, ASA_FW.address, 'a', P1 + MIN + S);
      // Within the skew after the pull: not judged yet.
      await side.run(asaOptions(roster, P1 + 3 * MIN));
      seen.early = await unlogged(side);
      await side.run(asaOptions(roster, P1 + 10 * MIN));
      seen.p1 = await unlogged(side);
      await side.ingest([added(HANK_AT, 'hank')], ASA_FW.address, 'a', HANK_AT);
      await side.run(asaOptions(roster, HANK_AT + 20 * MIN));
      seen.noPull = await unlogged(side);
      await side.pulls.recordSuccess(asaPull(P2, ['jdoe', 'gus']));
      await side.run(asaOptions(roster, P2 + 10 * MIN));
      seen.p2 = await unlogged(side);
      await side.run(asaOptions(roster, P2 + 30 * MIN));
      seen.again = await unlogged(side);
      snapshots = (await side.rows('SELECT snapshot_id FROM pull_runs ORDER BY id')).map((r) => Number(r.snapshot_id));
    });
    afterAll(() => side?.close());

    it('is judged only once the skew after the pull has passed', () => {
      expect(seen.early).toEqual([]);
    });

    it('raises unlogged-change for the account the pull lacks, citing its creating record and the snapshot', async () => {
      expect(seen.p1!.map((f) => f.account)).toEqual(['carol', 'ivan']);
      const carol = seen.p1![0]!;
      expect(carol.attribution).toBe('carol (privilege 15) on fw1 vanished between its logged creation at 2026-12-06 02:10 UTC and the pull of 2026-12-06 03:00 UTC; no record explains it');
      expect(carol.severity).toBe('high');
      const evidence = JSON.parse(carol.evidence) as { events: number[]; snapshots: number[] };
      expect(evidence.events).toContain(await recordOf(side, 'carol', 'account.create'));
      expect(evidence.snapshots).toEqual([snapshots[1]]);
    });

    it('a record from a skewed clock is placed by its receipt', () => {
      expect(seen.p1![1]!.attribution).toBe('ivan (privilege 15) on fw1 vanished between its logged creation at 2026-12-06 02:40 UTC and the pull of 2026-12-06 03:00 UTC; no record explains it');
    });

    it('not while no successful pull came since the record', () => {
      expect(seen.noPull!.map((f) => f.account)).toEqual(['carol', 'ivan']);
    });

    it('the Accounts row says removed at the pull, with the finding', async () => {
      const ctx = { roster: undefined, inventory: new Map([[ASA_FW.name, { name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }]]), dormantDays: 90, from: T0, to: P2 + 30 * MIN };
      const row = (await (await side.access()).populationPage(ctx, { account: 'carol' }, undefined, 10)).rows[0];
      expect({ source: row?.source, state: row?.state, removedAt: row?.removedAt, kinds: row?.findings.map((f) => f.kind) })
        .toEqual({ source: 'syslog', state: 'removed', removedAt: P1, kinds: expect.arrayContaining(['unlogged-change']) });
    });

    it('the next pull judges the records since, and not carol again', () => {
      expect(seen.p2!.map((f) => [f.account, f.occurrences])).toEqual([['carol', 1], ['erin', 1], ['hank', 1], ['ivan', 1]]);
      expect(seen.again).toEqual(seen.p2);
    });
  });
}

scenario('a syslog-made account a later pull lacks (run.ts, as aaawatch reconcile)', async (engine) => {
  const target = await engine.fresh();
  return target.kind === 'sqlite' ? sqliteSide(target.path) : postgresSide(target);
});

scenario('a syslog-made account a later pull lacks (the estate\'s run, as the leader)', async (engine) => {
  const target = await engine.fresh();
  return target.kind === 'sqlite' ? sqliteSide(target.path, true) : postgresSide(target);
});

describe('a syslog-made account a later pull lacks, in a running serve', () => {
  it('the service runs again once the skew after the pull has passed, with no other pull or schedule, and raises it', async () => {
    const dir = tempDir('aaawatch-vanished-');
    const path = join(dir, 'store.db');
    const rosterFile = join(dir, 'roster.yaml');
    writeFileSync(rosterFile, ROSTER);
    const side = sqliteSide(path);
    let clock = T0 + MIN;
    const config = configSchema.parse({ store: { path }, reconcile: { roster: rosterFile, attributionSkewSeconds: 300, telemetry: { collectorAddresses: ['192.0.2.10'] } } });
    const db = openDatabase(path);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const service = new ReconcileService({ config, db, log: pino({ level: 'silent' }), now: () => clock });
    try {
      await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
      service.run();
      await side.ingest([added(T0 + 10 * MIN, 'carol')], ASA_FW.address, 'a', T0 + 10 * MIN);
      await side.pulls.recordSuccess(asaPull(P1, ['jdoe']));
      clock = P1 + MIN;
      // As checkPulls does when it sees the pull.
      service.run();
      expect(await unlogged(side)).toEqual([]);
      clock = P1 + 10 * MIN;
      await vi.advanceTimersByTimeAsync(6 * MIN);
      expect((await unlogged(side)).map((f) => f.account)).toEqual(['carol']);
    } finally {
      vi.useRealTimers();
      await service.stop();
      db.close();
      await side.close();
    }
  });
});
