// "Did you mean": the known name nearest a misspelt one. Commander has the same for sub-commands
// but does not export it; the distance is a dozen lines.

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as
 * one (optimal string alignment), case ignored.
 */
export function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate nearest `name`, if it is near enough to be a slip (a third of its letters at most,
 * at least one), else the one it begins (`idleTimeout` for `idleTimeoutSeconds`).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d <= limit && (!best || d < best.d)) best = { name: c, d };
  }
  if (best || name.length < 4) return best?.name;
  const lower = name.toLowerCase();
  const begun = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  return begun.length === 1 ? begun[0] : undefined;
}

/** A CSV header's unknown column, with the column it nearly spells: `unknown column adress (did you mean address? columns: …)`. */
export function unknownColumn(name: string, columns: readonly string[]): string {
  const near = closest(name, columns);
  return `unknown column ${name} (${near ? `did you mean ${near}? ` : ''}columns: ${columns.join(', ')})`;
}

/**
 * The known names nearest `name`, counting a name's dash-separated words as well as the whole
 * (`junos` is juniper-junos's, `fortinet` both of Fortinet's), each as near as the nearest and
 * near enough to be meant (as closest judges); none when nothing is.
 */
export function nearest(name: string, known: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = known.map((k) => ({ k, d: Math.min(distance(name, k), ...k.split('-').map((w) => distance(name, w))) })).filter((s) => s.d <= limit);
  const best = Math.min(...scored.map((s) => s.d));
  return scored.filter((s) => s.d === best).map((s) => s.k);
}

/** `unknown platform "junos" (did you mean juniper-junos? known: …)`. */
export function unknownPlatform(id: string, known: readonly string[]): string {
  const near = nearest(id, known);
  const mean = near.length === 0 ? '' : `did you mean ${near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`}? `;
  return `unknown platform "${id}" (${mean}known: ${known.join(', ')})`;
}
