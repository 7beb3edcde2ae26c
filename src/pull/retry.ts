// Spacing of retries within one run: doubling from a base, with ±20 % spread so devices that
// failed together (a site link down) do not all come back in the same second.

export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.8 + 0.4 * random()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
