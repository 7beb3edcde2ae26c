// A creation logged on a device while a pull of it is under way waits for that pull. The reader
// stores a `username` for an account it does not know as a creation, and learns a pull's accounts
// only once the pull has stored them (a running serve a second after a command-line pull:
// pulled-accounts.ts). A re-issue logged while the pull reads or stores is then judged against the
// pull before: with none showing the account, it was account-created, whether the creation pass
// ran before the pull committed or after. Judged once the pull's outcome is stored, it restates
// what the pull read (held.ts remakesHeld), and a really new account is still one.

import type { StoredRecord } from './model.js';

/**
 * How long past its receipt a creation waits for a pull under way on its device; then it is judged
 * as it stands. Every finding after it in the store waits with it (the creation pass keeps one
 * position), so this bounds every finding's delay too: a pull reads a device in seconds, and a
 * mark whose pull never stored an outcome lasts that pull's total timeout (src/pull/run.ts).
 */
export const PULL_WAIT_MS = 30_000;

/** Pulls under way (pulls_under_way, not expired), by device: the earliest mark's start. */
export type PullsUnderWay = ReadonlyMap<string, number>;

/** The creations whose receipt tells whether they wait: those on a device with a pull under way. */
export function mayWait(records: readonly StoredRecord[], underWay: PullsUnderWay): number[] {
  return underWay.size ? records.filter((r) => r.action === 'account.create' && underWay.has(r.device)).map((r) => r.id) : [];
}

/**
 * The first of `records` (by id) to judge only once its device's pull has ended: a creation
 * received (`receipts`, read for mayWait's) since a pull of its device started, while that pull is
 * under way, for PULL_WAIT_MS after its receipt. One received before the pull started was made
 * before the pull read the device, and what the pull shows cannot make it less of a creation.
 */
export function firstWaiting(records: readonly StoredRecord[], underWay: PullsUnderWay, receipts: ReadonlyMap<number, number>, now: number): StoredRecord | undefined {
  return records.find((r) => {
    const receipt = receipts.get(r.id);
    const started = underWay.get(r.device);
    return r.action === 'account.create' && receipt !== undefined && started !== undefined && receipt >= started && now < receipt + PULL_WAIT_MS;
  });
}
