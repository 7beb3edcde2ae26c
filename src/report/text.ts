// Device text made visible: control characters (C0, DEL, C1), format characters (Unicode's Cf:
// zero-width, bidirectional controls with the Arabic letter mark, the soft hyphen, the BOM, tag
// characters), every other character Unicode says is drawn as nothing (Default_Ignorable_Code_Point:
// variation selectors, fillers) and line/paragraph separators are shown as `\xNN` / `\u{…}`, so
// hostile text can neither hide nor reorder what is around it, nor forge a line: `admin` followed by
// tag characters, or with a soft hyphen inside, would read as `admin`. The pages, the
// CSV, JSON-derived tables and the PDF all show the same text for the same value. It passes the
// secret gate first: a row stored before a secret form was known shows no secret either.

import { redactSecrets } from '../../parsers/lib/secrets.js';

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const INVISIBLE_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

function show(c: string): string {
  const n = c.codePointAt(0)!;
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
