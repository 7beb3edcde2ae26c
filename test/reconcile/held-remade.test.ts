// A `username` stored as a creation for an account a pull already showed held is a restatement on
// both engines (issue 15 item 7): the reader of a running `serve` knows a command-line pull's
// accounts only once it has read the pull, so a re-issue logged while the pull was storing, or
// within the second after, reached the store as `account.create`. account-created judges it
// against the latest pull that started before the record was made — placed by its stamp, or by
// its receipt when the stamp is off by more than the skew (held.ts placedAt), and never after its
// receipt — so a real creation the pull found, on a clock running ahead or not, is still one.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { raiseCreationsEstate } from '../../src/reconcile/estate.js';
import type { LocalAccount } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { batchesFor } from '../support/ingest-batches.js';
import { openReconStores, storeBatches, type ReconStores } from '../support/recon-stores.js';
import { iosLine, SKEW_MS } from './support.js';

const T = Date.parse('2026-11-20T08:00:00Z');
const HOURS_3 = 3 * 3_600_000;
const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('sw1').digest(), fingerprint: 'SHA256:sw1' };
const user = (name: string, privilege: string): LocalAccount => ({ name, privilege, roles: [], credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`] });
const digestOf = (accounts: LocalAccount[]): Digest => {
  const text = ['hostname sw1', ...accounts.map((a) => a.lines[0])].join('\n');
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};

/** Each record: the account, the privilege it states, its device stamp and its receipt. */
const RECORDS: Array<{ account: string; privilege: string; stamp: number; received: number }> = [
  // Re-issued while the pull (started T, committed T + 3 s) was storing what it read: held.
  { account: 'jdoe', privilege: '15', stamp: T + 1000, received: T + 1000 },
  // Re-issued in the second after the pull committed, before serve read it: held.
  { account: 'ops', privilege: '15', stamp: T + 3500, received: T + 3500 },
  // The same on a device clock 3 h behind: placed by its receipt, after the pull started: held.
  { account: 'svc', privilege: '15', stamp: T + 3500 - HOURS_3, received: T + 3500 },
  // Not in the pull: really new.
  { account: 'newbie', privilege: '1', stamp: T + 1000, received: T + 1000 },
  // In the pull with privilege 1: the record gives 15.
  { account: 'bob', privilege: '15', stamp: T + 3500, received: T + 3500 },
  // Made a minute before the pull started, which found it: a creation.
  { account: 'carol', privilege: '15', stamp: T - 60_000, received: T - 60_000 },
  // Made 10 s before the pull on a clock 3 h ahead (stamped long after the pull): a creation, placed by its receipt.
  { account: 'dave', privilege: '15', stamp: T - 10_000 + HOURS_3, received: T - 10_000 },
];

describeEngines('a creation of an account a pull already showed held', (engine) => {
  let e: ReconStores;
  beforeAll(async () => {
    const target = await engine.fresh();
    e = await openReconStores(target);
    await e.estate.startCreationsHere(T - HOURS_3);
    // Each line read by a reader of its own (one that knows no pull), as serve's before it read the pull: account.create.
    const batches = RECORDS.flatMap((r, i) =>
      batchesFor([iosLine(i + 1, 'sw1', r.stamp, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:mallory  logged command:username ${r.account} privilege ${r.privilege} secret *`)], { receivedAt: r.received }),
    );
    await storeBatches(target, e, batches);
    await e.pulls.recordSuccess({
      device: 'sw1', platform: 'cisco-ios', startedAt: T, finishedAt: T + 3000, attempts: 1, hostKey, keySource: 'tofu',
      digest: digestOf(['jdoe', 'ops', 'svc', 'carol', 'dave'].map((n) => user(n, '15')).concat(user('bob', '1'))),
    });
  }, 60_000);
  afterAll(() => e?.close());

  it('raises account-created for the new account, the grant and the creations the pull found, none for a re-issue', async () => {
    expect((await e.rows(`SELECT target, action FROM events WHERE kind = 'account' ORDER BY target`)).every((r) => r.action === 'account.create')).toBe(true);
    await raiseCreationsEstate(e.estate, undefined, new Map(), () => undefined, T + 60_000, SKEW_MS);
    const raised = await e.rows(`SELECT account FROM findings WHERE kind = 'account-created' ORDER BY account`);
    expect(raised.map((r) => r.account)).toEqual(['bob', 'carol', 'dave', 'newbie']);
  });
});
