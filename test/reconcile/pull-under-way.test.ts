// A creation logged while a pull of its device is under way waits for that pull (under-way.ts), on
// both engines and by both creation passes (serve's on SQLite, run.ts; the leader's, estate.ts): a
// `username` re-issued while the pull reads or stores is then judged against what the pull showed
// (no account-created), a really new account is still one, and neither is raised before the pull
// ends. The wait is bounded: a mark whose pull never ended (its process killed) holds a creation
// PULL_WAIT_MS after its receipt at most, and an expired mark holds nothing. Before the marks, the
// pass judged the re-issue before the pull committed and raised it (test/reconcile/cli-pull-reissue,
// 2 of 6 full suites on 2026-12-07).

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { raiseCreationsEstate } from '../../src/reconcile/estate.js';
import { raiseCreations } from '../../src/reconcile/run.js';
import { PULL_WAIT_MS } from '../../src/reconcile/under-way.js';
import { openDatabase } from '../../src/store/db.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines, type StoreTarget } from '../support/engines.js';
import { batchesFor } from '../support/ingest-batches.js';
import { openReconStores, storeBatches, type ReconStores } from '../support/recon-stores.js';
import { iosLine, SKEW_MS } from './support.js';

const T = Date.parse('2026-11-20T08:00:00Z');
const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('sw1').digest(), fingerprint: 'SHA256:sw1' };
const user = (name: string): LocalAccount => ({ name, privilege: '15', roles: [], credentials: ['secret'], lines: [`username ${name} privilege 15 secret 9 <redacted>`] });
const digestOf = (accounts: LocalAccount[]): Digest => {
  const text = ['hostname sw1', ...accounts.map((a) => a.lines[0])].join('\n');
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};

/** Each `username … privilege 15` logged on sw1 (or sw2), read as a creation by a reader that knows no pull, at its receipt. */
const lines = (records: Array<{ account: string; received: number; device?: string }>): ReturnType<typeof batchesFor> =>
  records.flatMap((r, i) =>
    batchesFor([iosLine(i + 1, r.device ?? 'sw1', r.received, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:mallory  logged command:username ${r.account} privilege 15 secret *`)], { receivedAt: r.received }),
  );

/** One creation pass over a store at `now`. */
type Pass = (target: StoreTarget, e: ReconStores, now: number) => Promise<unknown>;

const leader: Pass = (_target, e, now) => raiseCreationsEstate(e.estate, undefined, new Map(), () => undefined, now, SKEW_MS);
/** serve's pass on SQLite (run.ts), over its own connection to the file. */
const serve: Pass = async (target, _e, now) => {
  if (target.kind !== 'sqlite') throw new Error('serve runs its own pass on SQLite only');
  const db = openDatabase(target.path);
  try {
    return raiseCreations(db, undefined, new Map(), SKEW_MS, Number.POSITIVE_INFINITY, now);
  } finally {
    db.close();
  }
};

/** The leader's pass (estate.ts); on SQLite, serve's too, each over a store of its own. */
const passes = (kind: StoreTarget['kind']): Array<[string, Pass]> => (kind === 'sqlite' ? [['the leader', leader], ['serve', serve]] : [['the leader', leader]]);

describeEngines('a creation logged while a pull of its device is under way', (engine) => {
  const opened: ReconStores[] = [];
  afterAll(async () => {
    for (const e of opened) await e.close();
  });
  const fresh = async (): Promise<{ target: StoreTarget; e: ReconStores }> => {
    const target = await engine.fresh();
    const e = await openReconStores(target);
    opened.push(e);
    await e.estate.startCreationsHere(T - 3_600_000);
    return { target, e };
  };
  const created = async (e: ReconStores): Promise<string[]> =>
    (await e.rows(`SELECT account FROM findings WHERE kind = 'account-created' ORDER BY account`)).map((r) => r.account as string);

  // One store for each pass: both read the same records and marks.
  let targets: Array<{ target: StoreTarget; e: ReconStores }> = [];
  beforeAll(async () => {
    targets = [await fresh(), await fresh()];
  }, 60_000);

  it('waits for the pull to end, then raises the new account and not the re-issue', async () => {
    for (const [i, [who, run]] of passes(engine.kind).entries()) {
      const { target, e } = targets[i]!;
      const pass = (now: number): Promise<unknown> => run(target, e, now);
      const mark = await e.pulls.markUnderWay('sw1', T, T + 300_000);
      await storeBatches(target, e, lines([
        // Made a minute before the pull started: a creation, judged at once.
        { account: 'carol', received: T - 60_000 },
        // Re-issued while the pull stored what it read (it reads at T + 500).
        { account: 'oxidized', received: T + 1000 },
        // New, logged while the pull runs; and new on a device no pull is reading.
        { account: 'newbie', received: T + 1500 },
        { account: 'other', received: T + 1600, device: 'sw2' },
      ]));
      await pass(T + 2000);
      // The pass stopped before the re-issue: nothing after it is judged yet.
      expect(await created(e), who).toEqual(['carol']);
      await pass(T + 2500);
      expect(await created(e), who).toEqual(['carol']);
      await e.pulls.recordSuccess({
        device: 'sw1', platform: 'cisco-ios', startedAt: T, readAt: T + 500, finishedAt: T + 2800, attempts: 1, hostKey, keySource: 'tofu',
        digest: digestOf([user('carol'), user('oxidized')]),
      });
      await e.pulls.endMarks([mark]);
      await pass(T + 3000);
      expect(await created(e), who).toEqual(['carol', 'newbie', 'other']);
    }
  });

  it('holds a creation PULL_WAIT_MS after its receipt at most, and an expired mark holds none', async () => {
    for (const [i, [who, run]] of passes(engine.kind).entries()) {
      const { target, e } = targets[i]!;
      const pass = (now: number): Promise<unknown> => run(target, e, now);
      const at = T + 10 * 60_000;
      // A pull whose process was killed: its mark stands until it expires.
      await e.pulls.markUnderWay('sw1', at, at + 300_000);
      await storeBatches(target, e, lines([{ account: 'stuck', received: at + 1000 }]));
      await pass(at + 1000 + PULL_WAIT_MS - 1);
      expect(await created(e), who).not.toContain('stuck');
      await pass(at + 1000 + PULL_WAIT_MS);
      expect(await created(e), who).toContain('stuck');
      // A mark that expired holds nothing, however recent the creation.
      const later = at + 400_000;
      await storeBatches(target, e, lines([{ account: 'fresh', received: later }]));
      await pass(later + 1);
      expect(await created(e), who).toContain('fresh');
    }
  });
});
