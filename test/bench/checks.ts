// What every bench:ingest round of aaawatch must show besides its rate (issue 14: "every record
// stored, chained and reconciled, nothing dropped"): nothing dropped or unreceived, the chain
// verified, an account-created finding for every distinct account creation it was sent — in the
// warm-up's file and in the window's — and creations that were distinct: loggen replays its file in
// a loop, so a round that outruns the file sends the same creations again, which cost less to
// judge than new ones.

/** One file a round sent aaawatch (the warm-up's, the window's) and what became of its creations. */
export interface FileFacts {
  /** Which, as a problem names it: `the window`, `the warm-up`. */
  part: string;
  /** Lines in the file loggen replays. */
  lines: number;
  /** Messages aaawatch received from it. */
  received: number;
  /** Distinct account creations among the lines received. */
  creations: number;
  /** Of them, those with an account-created finding. */
  raised: number;
}

export interface RoundFacts {
  /** Over the whole round (warm-up and window). */
  sent: number;
  received: number;
  /** What aaawatch counted dropped (dropped.*). */
  dropped: number;
  /** `aaawatch verify` passed. */
  chainVerified: boolean;
  files: readonly FileFacts[];
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
  for (const file of f.files) {
    if (file.received > file.lines) out.push(`${file.part}: the ${n(file.lines)}-line file was replayed (${n(file.received)} received): creations after its end were not distinct (BENCH_LINES)`);
    if (file.raised < file.creations) out.push(`${file.part}: account-created for ${n(file.raised)} of ${n(file.creations)} distinct creations`);
  }
  return out;
}
