// Pure answers about a few device-supplied strings (and minutes), remembered: account-created judges
// thousands of records a pass, and they name the same few platforms, privileges, roles, groups and minutes. Judging a
// finding took 6.9-7.2 µs with the record's privilege label and superuser grant worked out each
// time, 5.7-5.8 remembered (aaa-only's account records, one thread).

/** Values longer than this are worked out each time: a key holds them whole. */
const LONGEST_KEY = 512;

/** A key that tells every list of strings (or missing ones) apart: each part prefixed with its length. */
export function keyOf(parts: ReadonlyArray<string | undefined>): string {
  let key = '';
  for (const p of parts) key += p === undefined ? '-' : `${p.length}:${p}`;
  return key;
}

/**
 * A memory of up to `size` answers by key, forgotten all at once when full (devices may send any
 * number of distinct values): `get(key, make)` gives the answer kept for `key`, or makes and keeps it.
 */
export function remembered<T, K extends string | number = string>(size: number): (key: K, make: () => T) => T {
  const kept = new Map<K, T>();
  return (key, make) => {
    if (typeof key === 'string' && key.length > LONGEST_KEY) return make();
    if (kept.has(key)) return kept.get(key)!;
    const value = make();
    if (kept.size >= size) kept.clear();
    kept.set(key, value);
    return value;
  };
}
