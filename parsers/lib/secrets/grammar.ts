// How a platform declares where its secrets stand, and the matcher those declarations compile to.
// A form names exactly which token is the value (named groups `v…`); only those characters are
// replaced, so the keyword, the type digit, the quoting and the spacing around stay byte for byte.

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
 * One bare word: up to the next separator or double quote (inside JSON a value ends there); a
 * closing `'`, `;`, `)` or `\` after it belongs to the text around (`executed 'key X'`, Junos
 * `community public;`, RouterOS's `(… password=X)`, JSON's `\"`), and so does a `'` before a space
 * or punctuation (`'… secret ***'.`). It never starts with punctuation that only follows a keyword
 * in prose or syntax (`password (SUCCESS)`, `reason = Invalid password : …`, `pre-shared-key {`, `<cr>`).
 */
export const WORD = String.raw`(?![(){}|=:<\[]|CmdArgAV=|cmd-arg=)(?:[^\s\x00-\x1f\x7f"']|'(?![\s.,;:)\]]|$))*[^\s\x00-\x1f\x7f'";\\)]`;
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
/** An optional encryption type before a value (`7`, `0`, `sha512`, `ascii 0`, `cipher`). */
export const TYPE = String.raw`(?:(?:\d{1,2}|sha512|sha256|md5|pbkdf2|scrypt|encrypted|clear|cleartext|hidden|plaintext|plain|ciphertext|cipher|simple|irreversible-cipher|hash|ENC|ascii${S}\d|hex${S}\d|ascii|hex)${S}(?=\S))?`;

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
  /** Any hint of any form, on lower-cased text: most lines stop here. */
  quick: RegExp;
  /** `quick`, global: every place one of the hints no other hint is part of (the minimal ones) occurs. */
  scan: RegExp;
  /** Every distinct hint, each searched at most once per line. */
  hints: readonly string[];
  /** Index in `hints` of each minimal hint. */
  minimal: ReadonlyMap<string, number>;
  /** For each hint, the minimal hints it contains: it can be in a line only where one of them is. */
  parts: ReadonlyArray<readonly number[]>;
  /** The forms, each with the indexes (in `hints`) of its hints. */
  forms: ReadonlyArray<{ form: SecretForm; hints: readonly number[] }>;
}

/** An alternation of `words` (none a prefix of another) as a tree of their common beginnings. */
function trie(words: readonly string[]): string {
  const byFirst = new Map<string, string[]>();
  for (const w of words) {
    const rest = byFirst.get(w[0]!);
    if (rest) rest.push(w.slice(1));
    else byFirst.set(w[0]!, [w.slice(1)]);
  }
  const branches = [...byFirst].map(([c, rests]) => {
    const tails = rests.filter((r) => r.length > 0);
    if (tails.length < rests.length) return escape(c); // the word ends here: any longer one is covered
    const sub = trie(tails);
    return escape(c) + (new Set(tails.map((t) => t[0])).size === 1 ? sub : `(?:${sub})`);
  });
  return branches.join('|');
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One matcher for these grammars together (a form two grammars share runs once). */
export function compile(grammars: readonly SecretGrammar[]): Matcher {
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
  // The first test needs only the hints no other hint is part of (`pass` covers `password`,
  // `sshpass`, `--pass`), written as a tree (`p(?:ass|wd|sk)|…`): a flat alternation of fifty
  // words costs several times more on every line.
  const minimal = hints.filter((h) => !hints.some((o) => o !== h && h.includes(o)));
  const at = new Map(minimal.map((h) => [h, hints.indexOf(h)]));
  const parts = hints.map((h) => minimal.filter((o) => h.includes(o)).map((o) => at.get(o)!));
  return { quick: new RegExp(trie(minimal)), scan: new RegExp(trie(minimal), 'g'), hints, minimal: at, parts, forms };
}

/**
 * A value that is not there or is already hidden: our marker, the device's own mask (`*****`,
 * CloudTrail's `HIDDEN_DUE_TO_SECURITY_REASONS`), or IOS's end-of-command token in TACACS+ (`<cr>`).
 */
function hidden(value: string): boolean {
  return value.length === 0 || value === REDACTED || value === '<cr>' || value === 'HIDDEN_DUE_TO_SECURITY_REASONS' || /^\*+$/.test(value);
}

interface Span {
  start: number;
  end: number;
  replace: SecretForm['replace'];
}

/** The text with every value the matcher's forms find replaced. Idempotent. */
export function redactWith(m: Matcher, text: string): string {
  const lower = text.toLowerCase();
  if (!m.quick.test(lower)) return text;
  const spans: Span[] = [];
  // Which hints the line holds: the minimal ones from one pass of `scan` (an occurrence may start
  // inside the one before, so the pass steps one character on); a longer hint is searched only
  // when a minimal hint it contains is there, at most once, when a form asks (0 not yet, 1 there,
  // 2 not). Measured: a form-by-form `includes` of every hint was over half of the gate's CPU on a
  // line holding a hint (4.9 of 8.7 µs).
  const present = new Uint8Array(m.hints.length);
  const scan = m.scan;
  scan.lastIndex = 0;
  for (let x = scan.exec(lower); x !== null; x = scan.exec(lower)) {
    present[m.minimal.get(x[0])!] = 1;
    scan.lastIndex = x.index + 1;
  }
  for (const { form: f, hints } of m.forms) {
    let wanted = false;
    for (let i = 0; i < hints.length && !wanted; i++) {
      const h = hints[i]!;
      let p = present[h]!;
      if (p === 0) {
        const parts = m.parts[h]!;
        let possible = false;
        for (let k = 0; k < parts.length && !possible; k++) possible = parts[k] !== h && present[parts[k]!] === 1;
        p = possible && lower.includes(m.hints[h]!) ? 1 : 2;
        present[h] = p;
      }
      wanted = p === 1;
    }
    if (!wanted) continue;
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
        if (!hidden(text.slice(at[0], at[1]))) spans.push({ start: at[0], end: at[1], replace: f.replace });
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
