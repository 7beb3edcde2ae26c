// Lines built to make a redaction engine read them again and again (issue 11; test/support/hostile-lines.ts): 100 KB of `\"`, of
// `\\`, of `"password":"` repeated, long runs of spaces, tabs or NUL bytes between a keyword and
// its value, thousands of values on one line, a command's first word repeated with its secret word
// never coming. Each is redacted correctly: the output is asserted whole. How long they take is
// not asserted here (no timed tests); `npm run bench:parse` measures the gate, and a form that
// reads a line again from each position (a lookbehind scanning back, `[^\n]*?` from every
// occurrence, two ways to read one tab) makes these tests run for minutes instead of milliseconds.

import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { hostileLines } from '../support/hostile-lines.js';

describe('hostile lines are redacted in one pass', () => {
  it.each(hostileLines().map((h) => [h.name, h.line, h.expected] as const))('%s', (_, line, expected) => {
    const out = redactSecrets(line);
    // Compared by length and a digest of differences, so a failure does not print 100 KB.
    expect(out.length).toBe(expected.length);
    let first = -1;
    for (let i = 0; i < out.length && first < 0; i++) if (out[i] !== expected[i]) first = i;
    expect(first === -1 ? 'equal' : `differs at ${first}: ${JSON.stringify(out.slice(Math.max(0, first - 40), first + 40))}`).toBe('equal');
  });
});
