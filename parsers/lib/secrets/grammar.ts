// How a platform declares where its secrets stand, and the matcher those declarations compile to.
// A form names exactly which token is the value (named groups `v…`); only those characters are
// replaced, so the keyword, the type digit, the quoting and the spacing around stay byte for byte.

import { hintScanner, type HintScan } from './hints.js';

export const REDACTED = '<redacted>';

export interface SecretForm {
  /**
   * Lower-case text of which every line holding this form contains one; the form's expression runs
   * only on lines that contain one, so ordinary traffic costs one search per distinct hint.
   */
  hints: readonly string[];
  /** Global expression; every named group whose name starts with `v` is a secret value. */
  pattern: RegExp;
  /**
   * What replaces a value (default `<redacted>`); a public key keeps its fingerprint. `again` is the
   * matcher itself, for a value that encodes text of its own (auditd's hex-encoded arguments).
   */
  replace?: (value: string, again: (text: string) => string) => string;
}

/** A platform's secret grammar: its forms, for log lines and configuration text alike. */
export type SecretGrammar = readonly SecretForm[];

// Token building blocks for patterns (used through `rx`):
/**
 * Between a keyword and its value: spaces, tabs, and control bytes (a NUL must not hide a value),
 * rsyslog's `#011`-style escapes of them, and the attribute TACACS+ servers put between the words
 * of a command (ISE `CmdAV=key CmdArgAV=X`, tac_plus `cmd-arg=`), so every form reads those too.
 */
export const S = String.raw`(?:[^\S\n\r](?:CmdArgAV|cmd-arg)=|[^\S\n\r]|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|#0[0-3][0-7])+`;
/**
 * One bare word: up to the next separator or double quote (inside JSON a value ends there; a
 * double quote that ends the word before a space is taken, for `key abc"`), with a `'` inside only
 * where a word goes on after it. Which closing character at its end is the value's own and which
 * belongs to the text around (`executed 'key X'`, RouterOS's `(… password=X)`, ArubaOS's
 * `COMMAND:<key X>`, JSON's `\"`) depends on what stands before it on its line: `redactWith`
 * decides that for every bare value (`bareEnd`). It never starts with punctuation that only follows a keyword
 * in prose or syntax (`password (SUCCESS)`, `reason = Invalid password : …`, `pre-shared-key {`, `<cr>`).
 */
export const WORD = String.raw`(?![(){}|=:;<\[]|CmdArgAV=|cmd-arg=)(?:[^\s\x00-\x1f\x7f"']|'(?![\s.,;:)\]>]|$))*(?:[^\s\x00-\x1f\x7f"']|'|"(?=\s|$))`;
/**
 * A value as devices write one: double-quoted (backslash escapes allowed), double-quoted inside a
 * JSON string (`\"X\"`), single-quoted or bare; only the inside of quotes is the value. A marker in
 * angle brackets (ours, `<removed>`, Oxidized's `<secret hidden>`, IOS's `<cr>`) is read as a value
 * too and left, so a type word before it is never taken for one.
 */
export const VALUE = (n = ''): string =>
  String.raw`(?:<[\w -]{1,30}>|"(?<vq${n}>(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*)"|\\"(?<ve${n}>(?:(?!\\")[^\x00-\x1f])*)\\"|'(?<vs${n}>[^'\x00-\x1f]*)'|(?<vw${n}>(?!["'])${WORD}))`;
/** Where a command starts: the line start, or what a log line puts before the command it quotes. */
export const CMD = String.raw`(?<=(?:^|[\n\r:'"=\[|;>]|\bcmd=|CmdAV=)(?:[^\S\n\r]|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|#0[0-3][0-7])*)`;
/** An optional encryption type before a value (`7`, `0`, `sha512`, `ascii 0`, `cipher`, SonicOS's `1,`). */
export const TYPE = String.raw`(?:(?:\d{1,2}|sha512|sha256|md5|pbkdf2|scrypt|encrypted|clear|cleartext|hidden|plaintext|plain|ciphertext|cipher|simple|irreversible-cipher|hash|ENC|ascii${S}\d|hex${S}\d|ascii|hex)${S}(?=\S)|\d,(?=[^\s,]))?`;

/** `rx\`…\`` : a pattern written with the building blocks above (String.raw, so `\b` stays `\b`). */
export function rx(flags = ''): (strings: TemplateStringsArray, ...subs: string[]) => RegExp {
  return (strings, ...subs) => new RegExp(String.raw(strings, ...subs), 'gd' + flags);
}

/** A form from its hint (or hints) and pattern. */
export function form(hint: string | readonly string[], pattern: RegExp, replace?: SecretForm['replace']): SecretForm {
  const hints = typeof hint === 'string' ? [hint] : hint;
  if (!pattern.global || !pattern.hasIndices) throw new Error(`secret form ${pattern}: needs flags g and d`);
  if (hints.length === 0 || hints.some((h) => h.length === 0 || h !== h.toLowerCase())) throw new Error(`secret form ${pattern}: hints must be lower-case text`);
  return replace ? { hints, pattern, replace } : { hints, pattern };
}

export interface Matcher {
  /** Which hints a line holds, in one pass: most lines hold none and stop here. */
  scan: HintScan;
  /** Every distinct hint. */
  hints: readonly string[];
  /** The forms, each with the indexes (in `hints`) of its hints. */
  forms: ReadonlyArray<{ form: SecretForm; hints: readonly number[] }>;
  /** Every statement of the text ends in `;` (Junos): one after a value is never the value's. */
  semicolonEnds: boolean;
}

/** One matcher for these grammars together (a form two grammars share runs once). */
export function compile(grammars: readonly SecretGrammar[], o: { semicolonEnds?: boolean } = {}): Matcher {
  const hints: string[] = [];
  const seen = new Set<string>();
  const forms: Array<{ form: SecretForm; hints: number[] }> = [];
  for (const g of grammars) {
    for (const f of g) {
      const key = f.pattern.flags + '/' + f.pattern.source;
      if (seen.has(key)) continue;
      seen.add(key);
      forms.push({
        form: f,
        hints: f.hints.map((h) => {
          const at = hints.indexOf(h);
          return at >= 0 ? at : hints.push(h) - 1;
        }),
      });
    }
  }
  return { scan: hintScanner(hints), hints, forms, semicolonEnds: o.semicolonEnds === true };
}

/**
 * A value that is not there or is already hidden: our marker, the device's own mask (`*****`,
 * CloudTrail's `HIDDEN_DUE_TO_SECURITY_REASONS`), or IOS's end-of-command token in TACACS+ (`<cr>`).
 */
function hidden(value: string): boolean {
  return value.length === 0 || value === REDACTED || value === '<cr>' || value === 'HIDDEN_DUE_TO_SECURITY_REASONS' || /^\*+$/.test(value);
}

/**
 * Placeholders that already stand for a removed value, ours and Oxidized's (`<secret removed>`,
 * with its space): a bare value read from one would cut it in two, and a second pass would then
 * read the word before it as the value (not idempotent).
 */
const PLACEHOLDERS = [REDACTED, '<secret removed>', '<secret hidden>', '<removed>'];

/**
 * Whether the value read from `start` to `end` lies wholly inside one of them (`<secret`, or
 * `removed>`). Wholly: a value that only begins with one (`<redacted>abc`) is a value like any other.
 */
function inPlaceholder(text: string, start: number, end: number): boolean {
  for (let k = start; k >= 0 && k > start - 16; k--) {
    if (text.charCodeAt(k) !== 60 /* < */) continue;
    for (const p of PLACEHOLDERS) if (k + p.length >= end && text.startsWith(p, k)) return true;
  }
  return false;
}

const OPENER: Readonly<Record<string, string>> = { ')': '(', ']': '[', '>': '<', '}': '{' };

/**
 * Where a bare value read from `start` to `end` really ends. A closing bracket or quote whose
 * opening stands before the value on its line belongs to the text around (RouterOS's
 * `(… password=X)`, ArubaOS's `COMMAND:<key X>`, `executed 'key X'`, `{"cmd":"key X"}`), and so
 * does a backslash that escapes the closing quote of a JSON string (`…key X\"`); the same
 * character with nothing open before it is the value's own (`key 7 Pa55)`, `secret 0 abc'`,
 * `key abc\\"` in JSON: the value ends in a backslash). An open `'` is closed by the word's last
 * character only (ASA's `executed 'key Asa'Key''`: the value is `Asa'Key'`). After `name=`, a
 * `,name=` starts the next attribute of a list. A `;` at the value's end is the value's own unless
 * it ends a statement (`statementEnd`, or always in a matcher compiled for Junos).
 */
function bareEnd(text: string, start: number, end: number, semicolonEnds: boolean): number {
  let lineStart = start;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10 && text.charCodeAt(lineStart - 1) !== 13) lineStart--;
  // What stands open before the value on its line: brackets by depth, quotes by parity (a `'`
  // between two letters is an apostrophe, a `"` after a backslash is escaped).
  const open: Record<string, number> = { '(': 0, '[': 0, '<': 0, '{': 0 };
  let single = false;
  let double = false;
  for (let i = lineStart; i < start; i++) {
    const c = text[i]!;
    if (c in open) open[c]!++;
    else if (c in OPENER) open[OPENER[c]!] = Math.max(0, open[OPENER[c]!]! - 1);
    else if (c === "'" && !(/\w/.test(text[i - 1] ?? '') && /\w/.test(text[i + 1] ?? ''))) single = !single;
    else if (c === '"' && !escaped(text, i, lineStart)) double = !double;
  }
  // A value after `name=` in a list of them ends before the next `,name=` (FortiManager's
  // `changes="type=user_radius,key=R,secret=X,auth-type=auto"`).
  const assigned = /=(?:ENC\s+)?$/.test(text.slice(Math.max(lineStart, start - 5), start));
  const inner: Record<string, number> = { '(': 0, '[': 0, '<': 0, '{': 0 };
  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (c in inner) inner[c]!++;
    else if (c in OPENER) {
      const o = OPENER[c]!;
      if (inner[o]! > 0) inner[o]!--;
      else if (open[o]! > 0) return i;
    } else if (c === "'" && single && i === end - 1) return i;
    else if (c === '"' && double) return i;
    else if (c === ',' && assigned && /^,[\w.+-]{1,40}=/.test(text.slice(i, i + 42))) return i;
  }
  if (text[end] === '"' && escaped(text, end, start)) return end - 1;
  if (text[end - 1] === ';' && (semicolonEnds || statementEnd(text, end, lineStart))) return end - 1;
  return end;
}

/** Whether the character at `at` follows an odd run of backslashes (from `from` on). */
function escaped(text: string, at: number, from: number): boolean {
  let n = 0;
  while (at - 1 - n >= from && text.charCodeAt(at - 1 - n) === 92 /* \\ */) n++;
  return n % 2 === 1;
}

/**
 * Whether a `;` just before `at` ends a statement: followed by a space it separates statements or
 * commands (NX-OS accounting's `key X ; exit`, PAN-OS `{ bind-password X; }`, Junos's
 * `secret "…"; ## SECRET-DATA`); at the end of its line it ends one in Junos-shaped text (blocks in
 * braces, or other lines ending in `;`), and is the value's own elsewhere (IOS `key 0 abc;`).
 */
function statementEnd(text: string, at: number, lineStart: number): boolean {
  const next = text.charCodeAt(at);
  if (next === 32 || next === 9) return true;
  if (at < text.length && next !== 10 && next !== 13) return false;
  return /[{}][^\S\n]*$/m.test(text) || /;[^\S\n]*$/m.test(text.slice(0, lineStart));
}

interface Span {
  start: number;
  end: number;
  replace: SecretForm['replace'];
}

/**
 * A loop, not `hints.some(…)`: a closure made for every form on every line that holds a hint was a
 * third of what the reading thread allocated on aaa-only traffic (3.5 KB a line).
 */
function holdsAny(present: Uint8Array, hints: readonly number[]): boolean {
  for (const h of hints) if (present[h] === 1) return true;
  return false;
}

/** The text with every value the matcher's forms find replaced. Idempotent. */
export function redactWith(m: Matcher, text: string): string {
  const present = m.scan(text);
  if (present === undefined) return text;
  const spans: Span[] = [];
  for (const { form: f, hints } of m.forms) {
    if (!holdsAny(present, hints)) continue;
    const re = f.pattern;
    re.lastIndex = 0;
    let x: RegExpExecArray | null;
    while ((x = re.exec(text)) !== null) {
      if (x[0].length === 0) re.lastIndex++;
      const groups = x.indices!.groups;
      if (!groups) continue;
      for (const name in groups) {
        const at = groups[name];
        if (name.charCodeAt(0) !== 118 /* v */ || !at) continue;
        // A bare value (`vw…`) ends where the text around it says; quoted ones end at their quote.
        const end = name.charCodeAt(1) === 119 /* w */ ? bareEnd(text, at[0], at[1], m.semicolonEnds) : at[1];
        if (end > at[0] && !inPlaceholder(text, at[0], end) && !hidden(text.slice(at[0], end))) spans.push({ start: at[0], end, replace: f.replace });
      }
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlapping values (two forms reading the same text differently) become one.
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) merged[merged.length - 1] = { start: last.start, end: s.end, replace: undefined };
    } else merged.push(s);
  }
  let out = '';
  let at = 0;
  for (const s of merged) {
    out += text.slice(at, s.start) + (s.replace ? s.replace(text.slice(s.start, s.end), (t) => redactWith(m, t)) : REDACTED);
    at = s.end;
  }
  return out + text.slice(at);
}
