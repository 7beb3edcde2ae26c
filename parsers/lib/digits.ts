// Reading fixed-width numbers out of a line without cutting it: the syslog header and record
// stamps run for every message, and a substring and Number() each would allocate.

/** The value of the `n` ASCII digits at `i` in `s`, or -1 if any is not a digit (or past the end). */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k);
    // Past the end charCodeAt gives NaN, which no comparison holds for: the test is written to fail it.
    if (!(c >= 48 && c <= 57)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}
