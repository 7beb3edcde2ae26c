// Device text made visible: control characters (C0, DEL, C1), format characters (Unicode's Cf:
// zero-width, bidirectional controls with the Arabic letter mark, the soft hyphen, the BOM, tag
// characters), every other character Unicode says is drawn as nothing (Default_Ignorable_Code_Point:
// variation selectors, fillers) and line/paragraph separators are shown as `\xNN` / `\u{…}`, so
// hostile text can neither hide nor reorder what is around it, nor forge a line: `admin` followed by
// tag characters, or with a soft hyphen inside, would read as `admin`. The pages, the
// CSV, JSON-derived tables and the PDF all show the same text for the same value. It passes the
// secret gate first: a row stored before a secret form was known shows no secret either.
//
// What a person typed (a decision's reason and ticket) is not a device line: it is shown through
// reviewerText (src/reconcile/reviewer-text.ts) instead, as `Shown`, which keeps the prose the gate
// would cut ("password vaulted in CyberArk") and still hides a secret typed in it, whenever it was stored.

import { redactSecrets } from '../../parsers/lib/secrets.js';
import { REVIEWER_FIELDS, reviewerText } from '../reconcile/reviewer-text.js';

/**
 * Text already through its own rule: pages, CSV cells, PDF cells and JSON (`toJSON`) show it
 * without the device gate (control characters are still made visible, HTML still escaped).
 */
export class Shown {
  private constructor(readonly text: string) {}

  /** What a person typed, through reviewerText. */
  static typed(text: string): Shown {
    return new Shown(reviewerText(text).text);
  }

  /** Parts in order: device text through the gate, `Shown` parts as they are (a decision in one cell). */
  static joined(parts: ReadonlyArray<string | Shown>): Shown {
    return new Shown(parts.map((p) => (p instanceof Shown ? p.text : redactSecrets(p))).join(''));
  }

  /**
   * An activity entry's detail (its JSON) as shown: the fields a reviewer typed (reviewer-text.ts
   * REVIEWER_FIELDS) through reviewerText, the rest through the gate, read as JSON (where the gate
   * also knows a secret by its key). An entry stored since reviewer text is redacted at write shows
   * as stored, byte for byte, so its hash can be recomputed from what a page or the pack shows.
   */
  static detail(detail: string): Shown {
    let parsed: unknown;
    try {
      parsed = JSON.parse(detail);
    } catch {
      return Shown.joined([detail]);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return Shown.joined([detail]);
    const entry = parsed as Record<string, unknown>;
    const typedFields: readonly string[] = REVIEWER_FIELDS.filter((k) => typeof entry[k] === 'string');
    const rest = JSON.stringify(Object.fromEntries(Object.entries(entry).filter(([k]) => !typedFields.includes(k))));
    const restShown = redactSecrets(rest);
    let restParsed: Record<string, unknown> = {};
    try {
      restParsed = JSON.parse(restShown) as Record<string, unknown>;
    } catch {
      // A value the gate cut across its quotes: the whole detail through the gate, as device text.
      return Shown.joined([detail]);
    }
    const typedShown = new Map(typedFields.map((k) => [k, reviewerText(entry[k] as string)]));
    if (restShown === rest && [...typedShown.values()].every((t) => !t.redacted)) return new Shown(detail);
    // Built as own properties (fromEntries), so a key such as `__proto__` stays a key.
    return new Shown(JSON.stringify(Object.fromEntries(Object.keys(entry).map((k) => [k, typedShown.has(k) ? typedShown.get(k)!.text : restParsed[k]]))));
  }

  /** One line of it, control characters and breaks shown (visibleLine), still past the gate: a page's cell. */
  static line(text: string | Shown): Shown {
    return new Shown(visibleLine(text));
  }

  /** Its first `max` characters. */
  cut(max: number): Shown {
    return new Shown(this.text.slice(0, max));
  }

  toJSON(): string {
    return this.text;
  }

  toString(): string {
    return this.text;
  }
}

/** A reviewer's reason or ticket as it is shown; null and undefined stay as they are. */
export function typed<T extends string | null | undefined>(text: T): T extends string ? Shown : T {
  return (typeof text === 'string' ? Shown.typed(text) : text) as T extends string ? Shown : T;
}

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const INVISIBLE_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

function show(c: string): string {
  const n = c.codePointAt(0)!;
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
}

const gated = (text: string | Shown): string => (text instanceof Shown ? text.text : redactSecrets(text));

/** Keeps tab and line feed (for multi-line text shown as it is: configurations, raw messages). */
export function visible(text: string | Shown): string {
  return gated(text).replace(INVISIBLE, show);
}

/** One line: tab and line feed are shown too (names, commands, cells). */
export function visibleLine(text: string | Shown): string {
  return gated(text).replace(INVISIBLE_OR_BREAK, show);
}

type WithTyped<T> = { [K in keyof T]: K extends 'reason' | 'ticket' ? (T[K] extends string ? Shown : Exclude<T[K], string> | Shown) : T[K] };

/** A decision (a history row, a decision line) with its reason and ticket `Shown` as typed: for JSON, whose gate passes them by. */
export function typedDecision<T extends { reason?: string | null | undefined; ticket?: string | null | undefined }>(d: T): WithTyped<T> {
  const out: Record<string, unknown> = { ...d };
  for (const k of ['reason', 'ticket'] as const) if (typeof d[k] === 'string') out[k] = Shown.typed(d[k]);
  return out as WithTyped<T>;
}

/** An activity entry's detail as pages and exports show it (Shown.detail). */
export const shownDetail = (detail: string): Shown => Shown.detail(detail);
