// The white space of JavaScript's expressions and `trim`, by character code: for scanners that
// replace an expression over `\s`/`\S` and must stop where it stopped.

/** True for a character `\s` matches (and `trim` removes): ASCII tab to carriage return and space, and Unicode's spaces and line ends. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** True for a line terminator, which an expression's `.` does not match (without the `s` flag). */
export const isLineEnd = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
