// What every bench:ingest round of aaawatch must show besides its rate (issue 14: "every record
// stored, chained and reconciled, nothing dropped"): nothing dropped or unreceived, the chain
// verified, an account-created finding for every distinct account creation it was sent, and
// creations that were distinct — loggen replays its file in a loop, so a round that outruns the
// file sends the same creations again, which cost less to judge than new ones.

export interface RoundFacts {
  sent: number;
  received: number;
  /** What aaawatch counted dropped (dropped.*). */
  dropped: number;
  /** Lines in the file loggen replays. */
  fileLines: number;
  /** Distinct account creations among the lines received. */
  creations: number;
  /** Of them, those with an account-created finding. */
  raised: number;
  /** `aaawatch verify` passed. */
  chainVerified: boolean;
}

/** Distinct creations among the first `n` lines, from the line numbers of the file's creations. */
export function creationsWithin(createAt: readonly number[], n: number): number {
  let k = 0;
  for (const at of createAt) if (at < n) k++;
  return k;
}

/** What the round fell short of; empty when it showed everything it must. */
export function roundProblems(f: RoundFacts): string[] {
  const out: string[] = [];
  const n = (x: number): string => x.toLocaleString('en');
  if (f.received < f.sent) out.push(`${n(f.sent - f.received)} of ${n(f.sent)} sent were not received`);
  if (f.dropped > 0) out.push(`${n(f.dropped)} dropped`);
  if (!f.chainVerified) out.push('the chain did not verify');
  if (f.received > f.fileLines) out.push(`the ${n(f.fileLines)}-line file was replayed (${n(f.received)} received): creations after its end were not distinct (BENCH_LINES)`);
  if (f.raised < f.creations) out.push(`account-created for ${n(f.raised)} of ${n(f.creations)} distinct creations`);
  return out;
}
