// A rename (`usermod -l`, Windows 4781, CloudTrail UpdateUser newUserName) keeps what the account
// held under its new name; the normalised records have no rename, so the parsers write the old
// name's `account.delete` and the new name's `account.create` (T1098) from one message
// (population.ts RENAME_PARTNER_SQL pairs them). What a renamed account holds is what its old
// names held before it: this walk goes back from a making through its renames, the same bounded
// number of them for the account-created finding (run.ts / estate.ts, judge.ts judgedAsRenamed)
// and the Accounts row (population.ts syslogHolding; PostgreSQL's page reads as deep,
// pg-rows.ts PageRecords). Before, the finding followed one rename and the row four: a→b→c→d
// with the grant on a raised d's account-created high while its row said superuser.
//
// The walk is written once as a generator that asks for what it reads; `renameLives` answers it
// from synchronous reads (SQLite, a page's records already read), `renameLivesAsync` from a
// shared store's.

import type { PulledState } from './held.js';

/**
 * How many renames back what an account holds is followed (`a` renamed `b`, then `c`, …): each is
 * one more account's records and pulled state read, for a rename's making alone. README says it.
 */
export const RENAMES_FOLLOWED = 4;

/** The record pairing one of a rename's two: its id, time and the name it is about. */
export interface RenamePartner {
  id: number;
  time: number;
  target: string;
}

/** What the walk needs of a record. */
export interface RecordRef {
  id: number;
  time: number;
  action: string;
}

/**
 * One old name as it stood at its rename: its records before the rename since its last deletion
 * (its current life, oldest first), and what a pull said it held then (the latest pulled change of
 * it at or before the rename), when a pull knew it.
 */
export interface OldLife<R> {
  name: string;
  rename: RenamePartner;
  records: R[];
  pulled: PulledState | undefined;
}

type Ask<R> = { partnerOf: R } | { recordsOf: RenamePartner } | { pulledOf: RenamePartner };

/** An old name's records strictly before its rename's deletion half (`from`): by time, then id. */
const beforeRename = (from: { id: number; time: number }) => <R extends RecordRef>(r: R): boolean =>
  r.id !== from.id && (r.time < from.time || (r.time === from.time && r.id < from.id));

/** The records of a life: after the last deletion among them. */
function currentLife<R extends RecordRef>(records: readonly R[]): R[] {
  for (let i = records.length - 1; i >= 0; i--) if (records[i]!.action === 'account.delete') return records.slice(i + 1);
  return [...records];
}

/**
 * The old names behind a making, newest first: its rename's old name, and while that name's life
 * began with a making that was itself a rename's, that one's, up to RENAMES_FOLLOWED.
 */
function* walk<R extends RecordRef>(making: R): Generator<Ask<R>, Array<OldLife<R>>, unknown> {
  const lives: Array<OldLife<R>> = [];
  let m: R | undefined = making;
  while (m && m.action === 'account.create' && lives.length < RENAMES_FOLLOWED) {
    const rename = (yield { partnerOf: m }) as RenamePartner | undefined;
    if (!rename) break;
    const records = currentLife(((yield { recordsOf: rename }) as R[]).filter(beforeRename(rename)));
    const pulled = (yield { pulledOf: rename }) as PulledState | undefined;
    lives.push({ name: rename.target, rename, records, pulled });
    m = records[0];
  }
  return lives;
}

/** How a walk's questions are answered: the rename a making is the new half of; an old name's records up to its rename (oldest first); its pulled state then. */
export interface RenameReads<R> {
  partner(making: R): RenamePartner | undefined;
  records(rename: RenamePartner): R[];
  pulled(rename: RenamePartner): PulledState | undefined;
}

export type RenameReadsAsync<R> = { [K in keyof RenameReads<R>]: (...a: Parameters<RenameReads<R>[K]>) => Promise<ReturnType<RenameReads<R>[K]>> };

/** The old names behind `making`, newest first (walk), read synchronously. */
export function renameLives<R extends RecordRef>(making: R, read: RenameReads<R>): Array<OldLife<R>> {
  const g = walk(making);
  let step = g.next();
  while (!step.done) {
    const ask = step.value;
    step = g.next('partnerOf' in ask ? read.partner(ask.partnerOf) : 'recordsOf' in ask ? read.records(ask.recordsOf) : read.pulled(ask.pulledOf));
  }
  return step.value;
}

/** renameLives over a shared store's reads. */
export async function renameLivesAsync<R extends RecordRef>(making: R, read: RenameReadsAsync<R>): Promise<Array<OldLife<R>>> {
  const g = walk(making);
  let step = g.next();
  while (!step.done) {
    const ask = step.value;
    step = g.next('partnerOf' in ask ? await read.partner(ask.partnerOf) : 'recordsOf' in ask ? await read.records(ask.recordsOf) : await read.pulled(ask.pulledOf));
  }
  return step.value;
}
