// Device text made visible: control characters (C0, DEL, C1), zero-width and bidirectional
// formatting characters, line/paragraph separators and the BOM are shown as `\xNN` / `\u{…}`, so
// hostile text can neither hide nor reorder what is around it, nor forge a line. The pages, the
// CSV, JSON-derived tables and the PDF all show the same text for the same value. It passes the
// secret gate first: a row stored before a secret form was known shows no secret either.

import { redactSecrets } from '../../parsers/lib/secrets.js';

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const INVISIBLE_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function show(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
}

/** Keeps tab and line feed (for multi-line text shown as it is: configurations, raw messages). */
export function visible(text: string): string {
  return redactSecrets(text).replace(INVISIBLE, show);
}

/** One line: tab and line feed are shown too (names, commands, cells). */
export function visibleLine(text: string): string {
  return redactSecrets(text).replace(INVISIBLE_OR_BREAK, show);
}
