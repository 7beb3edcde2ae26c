// A device whose clock is off by more than reconcile.attributionSkewSeconds (3 h behind, 3 h
// ahead, or logging its local time without a zone, read as UTC): its 502101 falls outside the
// span of records that may explain the pull's change by its stamp, but inside by when it was
// received. The change is attributed to it (no unlogged-change beside the account-created that
// cites the same record), the sentence saying how far the device's clock disagreed; a record
// whose stamp and receipt both lie outside still leaves the change unlogged. run.ts (as aaawatch
// reconcile and serve run it on SQLite), its bulk read of every account record (a first run with
// more than 500 changes), and the estate's run on both engines.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordsInSpan } from '../../src/reconcile/judge.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { ASA_FW, asaLine, asaOptions, asaPull, JDOE_ROSTER_YAML, SKEW } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';
import { describe } from 'vitest';

const { MIN, HOUR, T0, P1, MADE } = SKEW;
const roster = parseRosterYaml(JDOE_ROSTER_YAML, join(tempDir(), 'roster.yaml'));
const added = (stamp: number, name: string): string => asaLine(stamp, 'ASA-5-502101', `New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: jdoe`);

/** Received at MADE, stamped by a clock 3 h behind, 3 h ahead, and on India's local time (UTC+05:30) written without a zone. */
const SKEWED = [added(MADE - 3 * HOUR, 'behind'), added(MADE + 3 * HOUR, 'ahead'), added(MADE + 5.5 * HOUR, 'local')];
/** Stamped 3 h behind and received before the previous pull (less the skew): both outside. */
const OUTSIDE = [added(MADE - 3 * HOUR, 'outside')];
/** Stamped 3 h behind and imported from a file at MADE: an import's receipt is when it ran, not when the device logged it. */
const IMPORTED = [added(MADE - 3 * HOUR, 'imported')];


/** Enough baseline accounts that the second pull's changes take run.ts's bulk read (more than 500 at once). */
const MANY = Array.from({ length: 520 }, (_, i) => `bulk${String(i).padStart(3, '0')}`);

function scenario(title: string, open: (target: Awaited<ReturnType<Parameters<Parameters<typeof describeEngines>[1]>[0]['fresh']>>) => Promise<Side>, bulk = false): void {
  describeEngines(title, (engine) => {
    let side: Side;
    beforeAll(async () => {
      side = await open(await engine.fresh());
      await side.ingest(OUTSIDE, ASA_FW.address, 'a', T0 - 2 * HOUR);
      await side.pulls.recordSuccess(asaPull(T0, ['jdoe']));
      await side.run(asaOptions(roster, T0 + MIN));
      await side.ingest(SKEWED, ASA_FW.address, 'a', MADE);
      await side.ingest(IMPORTED, ASA_FW.address, 'a', MADE, 'file');
      await side.pulls.recordSuccess(asaPull(P1, ['jdoe', 'behind', 'ahead', 'local', 'outside', 'imported', ...(bulk ? MANY : [])]));
      await side.run(asaOptions(roster, P1 + 10 * MIN));
    });
    afterAll(() => side?.close());

    it('attributes each skewed record by its receipt, saying how far the clock disagreed', async () => {
      const rows = (await side.rows(`SELECT name, explained, actor, at, sentence FROM change_attribution WHERE change = 'added' AND name IN ('behind', 'ahead', 'local') ORDER BY name`)) as Array<{ name: string; explained: number; actor: string; at: number; sentence: string }>;
      expect(rows.map((r) => [r.name, Number(r.explained), r.actor, Number(r.at)])).toEqual([['ahead', 1, 'jdoe', MADE], ['behind', 1, 'jdoe', MADE], ['local', 1, 'jdoe', MADE]]);
      const by = Object.fromEntries(rows.map((r) => [r.name, r.sentence]));
      expect(by.behind).toBe(
        'behind (privilege 15) on fw1 created 2026-12-06 02:30 UTC by jdoe, recorded by device log, outside any change window; ' +
          "the device's clock disagreed by 3 h 00 min (behind: stamped 2026-12-05 23:30 UTC, received 2026-12-06 02:30 UTC)",
      );
      expect(by.ahead).toContain("the device's clock disagreed by 3 h 00 min (ahead: stamped 2026-12-06 05:30 UTC, received 2026-12-06 02:30 UTC)");
      expect(by.local).toContain("the device's clock disagreed by 5 h 30 min (ahead: stamped 2026-12-06 08:00 UTC, received 2026-12-06 02:30 UTC)");
    });

    it('raises no unlogged-change beside the account-created citing the same record; one whose stamp and receipt both lie outside, or imported, still does', async () => {
      const unlogged = (await side.rows(`SELECT account FROM findings WHERE kind = 'unlogged-change' AND account NOT LIKE 'bulk%' ORDER BY account`)).map((r) => r.account);
      expect(unlogged).toEqual(['imported', 'outside']);
      const created = (await side.rows(`SELECT account, evidence FROM findings WHERE kind = 'account-created' AND account <> 'imported' ORDER BY account`)) as Array<{ account: string; evidence: string }>;
      expect(created.map((f) => f.account)).toEqual(['ahead', 'behind', 'local']);
      const cited = (await side.rows(`SELECT evidence FROM change_attribution WHERE name = 'behind'`))[0]!.evidence as string;
      const record = Number((await side.rows(`SELECT id FROM events WHERE target = 'behind'`))[0]!.id);
      expect((JSON.parse(cited) as { events: number[] }).events).toContain(record);
      expect((JSON.parse(created.find((f) => f.account === 'behind')!.evidence) as { events: number[] }).events).toContain(record);
    });
  });
}

scenario('a skewed device clock: the receipt places the record (run.ts)', async (t) => (t.kind === 'sqlite' ? sqliteSide(t.path) : postgresSide(t)));
scenario('a skewed device clock: the receipt places the record (run.ts\'s bulk read; the estate\'s run)', async (t) => (t.kind === 'sqlite' ? sqliteSide(t.path) : postgresSide(t)), true);
scenario('a skewed device clock: the receipt places the record (the estate\'s run over SQLite)', async (t) => (t.kind === 'sqlite' ? sqliteSide(t.path, true) : postgresSide(t)));

describe('recordsInSpan', () => {
  const r = (id: number, time: number, receivedAt: number): StoredRecord => ({ id, kind: 'account', action: 'account.create', time, device: 'd', platform: 'p', target: 'a', receivedAt });
  it('keeps the receipt only on a record placed by it', () => {
    expect(recordsInSpan([r(1, 50, 50), r(2, -500, 60), r(3, 500, 500)], 0, 100)).toEqual([
      { id: 1, kind: 'account', action: 'account.create', time: 50, device: 'd', platform: 'p', target: 'a' },
      r(2, -500, 60),
    ]);
  });
});
