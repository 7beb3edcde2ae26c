// How a platform declares where its secrets stand, and the matcher those declarations compile to.
// A form names exactly which token is the value (named groups `v…`); only those characters are
// replaced, so the keyword, the type digit, the quoting and the spacing around stay byte for byte.

import { checkHints, hintScanner, WORD_START, type HintScan } from './hints.js';

export { WORD_START };

export const REDACTED = '<redacted>';

export interface SecretForm {
  /**
   * Lower-case text of which every line holding this form contains one; the form's expression runs
   * only on lines that contain one, so ordinary traffic costs one search per distinct hint. Each a
   * word every match of `pattern` holds, never text a separator could split (`S` reads tabs, NULs,
   * `#011`, ISE's `CmdArgAV=`): test/parsers/secret-hints-sound.test.ts checks it for every form.
   * A hint written `\bnet` (WORD_START) counts only where no word character precedes it, for a
   * pattern that reads its word only there (`\bnet`, `(?<![\w-])-u`): `net` is inside
   * `GigabitEthernet`, `-u` inside `%LINK-3-UPDOWN`.
   */
  hints: readonly string[];
  /**
   * Further words every match holds, for a form whose only sure hints are common (`net`, `des`,
   * `-u`): of each list the line must hold one (as the pattern reads case), checked only on lines
   * holding a hint, without lowering the line. Checked against the pattern like the hints.
   * Punctuation a pattern cannot match without is a need too (`=`, `-`, `"`, `\"`, `</`, `,`, `/d`):
   * inside the pipeline each form run costs ~2 µs (its expression's code and data out of the caches
   * between lines), and a `passwd` line held the words of 12 forms that each need punctuation it
   * lacks. Form runs on aaa-only's 200,000 lines 334,202 → 90,999, mixed-random 174,803 → 79,791;
   * the reading thread ~0.90× on aaa-only (0.83–0.98, six pairs) and ~0.92× on mixed-random (0.89–1.00,
   * four pairs; in process, alternated, 2026-12-05, load 3–32).
   */
  needs?: readonly (readonly string[])[];
  /** Global expression; every named group whose name starts with `v` is a secret value. */
  pattern: RegExp;
  /**
   * What replaces a value (default `<redacted>`); a public key keeps its fingerprint. `again` is the
   * matcher itself, for a value that encodes text of its own (auditd's hex-encoded arguments);
   * `before` the value's line up to it (an EXECVE argument's command is in the arguments before it).
   */
  replace?: (value: string, again: (text: string) => string, before: string) => string;
  /**
   * Sticky expression tried again and again where a match (or its own last match) ended: the same
   * option repeated on one command (`snmpwalk -A=X … -A=Y`), whose command word the form's pattern
   * has already passed. Each try reads on from where the last ended, so a line is read once.
   */
  chain?: RegExp;
}

/** A platform's secret grammar: its forms, for log lines and configuration text alike. */
export type SecretGrammar = readonly SecretForm[];

// Token building blocks for patterns (used through `rx`):
/** One separator between a keyword and its value; its alternatives never read the same byte, so a run of them is read one way only. */
export const SEP = String.raw`(?:[^\S\n\r](?:(?:CmdArgAV|cmd-arg)=)?|[\x00-\x08\x0e-\x1f\x7f]|#0[0-3][0-7]|"[^\S\n\r]a\d{1,5}=(?:"|(?=[0-9A-F])))`;
/**
 * Between a keyword and its value: spaces, tabs, and control bytes (a NUL must not hide a value),
 * rsyslog's `#011`-style escapes of them, the attribute TACACS+ servers put between the words
 * of a command (ISE `CmdAV=key CmdArgAV=X`, tac_plus `cmd-arg=`), and the boundary auditd's EXECVE
 * record puts between a command's arguments (`a1="-p" a2="X"`: each argument its own field), so
 * every form reads those too.
 * (A tab is a space here, not a control byte too: with two ways to read each tab, a line of tabs
 * took exponential time.)
 */
export const S = `${SEP}+`;
/**
 * The text between a command's first word and a later one on its line (`radius-server … key X`):
 * never past the first word's next occurrence (`first`, a pattern), so a line holding the first
 * word many times is read once, not to its end from each; and not bounded in length, so a secret
 * word however far from its command is still found (a bound was a way to leak: 4,096 characters of
 * padding between `radius-server` and `key X` kept X).
 */
export const ahead = (first: string, chars = String.raw`[^\n]`): string => String.raw`(?:(?!${first})${chars})*?`;
/**
 * The body of a bare word: up to the next separator or double quote (inside JSON a value ends
 * there; a double quote that ends the word before a space is taken, for `key abc"`), an escaped
 * character (`\"`, `\\` in JSON text) read whole, a `'` inside only where a word goes on after it.
 * Each alternative starts on a different byte, so a word is read in one pass.
 */
const WORD_BODY = String.raw`(?:[^\s\x00-\x1f\x7f"'\\]|\\[^\s\x00-\x1f\x7f]|'(?![\s.,;:)\]>]|$))*(?:[^\s\x00-\x1f\x7f"'\\]|\\[^\s\x00-\x1f\x7f]|\\(?=\s|$)|'|"(?=\s|$))`;
/**
 * One bare word (`WORD_BODY`). Which closing character at its end is the value's own and which
 * belongs to the text around (`executed 'key X'`, RouterOS's `(… password=X)`, ArubaOS's
 * `COMMAND:<key X>`, JSON's `executed \"key X\"`) depends on what stands before it on its line:
 * `redactWith` decides that for every bare value (`bareEnd`). It never starts with punctuation that
 * only follows a keyword in prose or syntax (`password (SUCCESS)`, `reason = Invalid password : …`,
 * `pre-shared-key {`, `<cr>`), nor with rsyslog's escape of a separator (`#011`).
 */
export const WORD = String.raw`(?![(){}|=:;<\[]|CmdArgAV=|cmd-arg=|#0[0-3][0-7])${WORD_BODY}`;

/**
 * Placeholders that already stand for a removed value, ours and Oxidized's (`<secret removed>`,
 * with its space): a bare value read from one would cut it in two, and a second pass would then
 * read the word before it as the value (not idempotent).
 */
const PLACEHOLDERS = [REDACTED, '<secret removed>', '<secret hidden>', '<removed>'];
/** Where a value standing alone ends: a separator, a quote, a closing bracket, `;`, `,`, a JSON escape. */
const VALUE_ENDS = String.raw`(?=[\s\x00-\x1f\x7f"'\\;,)\]}>]|$)`;
/**
 * A value as devices write one: double-quoted (backslash escapes allowed), double-quoted inside a
 * JSON string (`\"X\"`: only its opening is matched here; the engine finds its end, `jsonQuotedEnd`),
 * single-quoted or bare; only the inside of quotes is the value. A marker in angle brackets (ours,
 * `<removed>`, Oxidized's `<secret hidden>`, IOS's `<cr>`) standing for the whole value is read as
 * one and left, so a type word before it is never taken for one; a value that only begins with a
 * placeholder (`<redacted>abc`) is a bare value like any other, replaced whole. The quote that
 * closes an empty argument of auditd's EXECVE record (`a4=""`, after the separator read its opening
 * quote) opens no value, nor does one that closes an argument (`a1="-p" a2=HEX`: the next, hex).
 */
export const VALUE = (n = ''): string =>
  String.raw`(?:<[\w -]{1,30}>${VALUE_ENDS}|(?<!\ba\d{1,5}=")"(?![^\S\n\r]a\d{1,5}=)(?<vq${n}>(?:[^"\\\x00-\x1f]|\\[^\x00-\x1f])*)"|\\"(?<ve${n}>)|'(?<vs${n}>[^'\x00-\x1f]*)'|(?<vw${n}>(?:${PLACEHOLDERS.map((p) => p.replace(' ', '[ ]')).join('|')})${WORD_BODY}|(?!["'])${WORD}))`;
/**
 * A user and a secret in one argument, `sep` between (curl's `-u bob:X`, smbclient's `-U bob%X`,
 * lftp's `-u bob,X`): quoted, the secret runs to the closing quote (`-u 'bob:two words'`, and as a
 * shell joins them, `-U bob%"two words"`: the quotes only around the secret); as
 * auditd writes an argument holding a space (hex), the whole argument, user too, as the gate cannot
 * replace only part of a hex argument it did not decode.
 */
export const userSecret = (sep: string): string =>
  String.raw`(?:(?<=\ba\d{1,5}=)(?<vx>(?:[0-9A-F]{2})+)(?![0-9A-Za-z])|(?:'[^'\s${sep}]*${sep}|[^\s${sep}"']+${sep}')(?<vs>[^'\n]*)'|(?:"(?![^\S\n\r]a\d{1,5}=)[^"\s${sep}]*${sep}|[^\s${sep}"']+${sep}")(?<vq>[^"\n]*)"|["']?[^\s${sep}"']+${sep}(?<v>[^\s"']+))`;

/**
 * Where a command starts: the line start, or what a log line puts before the command it quotes.
 * A lookbehind tried at every position: the spaces it reads back are bounded (32), or a long run
 * of spaces would be read back whole at each of its positions (quadratic); forms use `cmd()`.
 */
export const CMD = String.raw`(?<=(?:^|[\n\r:'"=\[|;>]|\bcmd=|CmdAV=)${SEP}{0,32})`;
/**
 * `first` (a pattern: a command's first words) where a command starts, the check made after
 * `first` matched rather than at every position of the line (a lookbehind first in a pattern is
 * tried everywhere; after a word, only where the word is). The separators it reads back are not
 * bounded: each occurrence of `first` reads back only the run of separators just before it, and
 * runs before different occurrences do not overlap, so a line is still read once (with a bound,
 * a command after 33 spaces kept its secret).
 */
export const cmd = (first: string): string => String.raw`(?:${first})(?<=(?:^|[\n\r:'"=\[|;>]|\bcmd=|CmdAV=)${SEP}*(?:${first}))`;
/**
 * `first` with lookbehinds (`before`, each `(?<…)`) checked where it starts, after it matched: a
 * lookbehind first in a pattern is tried at every position of the line.
 */
export const after = (first: string, before: string): string => String.raw`(?:${first})(?<=${before}(?:${first}))`;
/** An optional encryption type before a value (`7`, `0`, `sha512`, `ascii 0`, `cipher`, Junos's `hexadecimal`, SonicOS's `1,`). */
export const TYPE = String.raw`(?:(?:\d{1,2}|sha512|sha256|md5|pbkdf2|scrypt|encrypted|clear|cleartext|hidden|plaintext|plain|ciphertext|cipher|simple|irreversible-cipher|hash|ENC|ascii${S}\d|hex${S}\d|hexadecimal|ascii-text|ascii|hex)${S}(?=\S)|\d,(?=[^\s,]))?`;

/** `rx\`…\`` : a pattern written with the building blocks above (String.raw, so `\b` stays `\b`). */
export function rx(flags = ''): (strings: TemplateStringsArray, ...subs: string[]) => RegExp {
  return (strings, ...subs) => new RegExp(String.raw(strings, ...subs), 'gd' + flags);
}

/** A form from its hint (or hints) and pattern. */
export function form(hint: string | readonly string[], pattern: RegExp, replace?: SecretForm['replace']): SecretForm {
  const hints = typeof hint === 'string' ? [hint] : hint;
  if (!pattern.global || !pattern.hasIndices) throw new Error(`secret form ${pattern}: needs flags g and d`);
  if (!lowerWords(hints)) throw new Error(`secret form ${pattern}: hints must be lower-case text`);
  return replace ? { hints, pattern, replace } : { hints, pattern };
}

/** The form run only on lines that also hold one word of each of `needs` (see SecretForm.needs). */
export function needing(f: SecretForm, ...needs: readonly (readonly string[])[]): SecretForm {
  if (needs.length === 0 || needs.some((ws) => ws.length === 0 || ws.some((w) => w.length === 0))) throw new Error(`secret form ${f.pattern}: needs must be lists of words`);
  return { ...f, needs };
}

function lowerWords(words: readonly string[]): boolean {
  return words.length > 0 && words.every((w) => w.length > 0 && w === w.toLowerCase());
}

/**
 * Whether a text holds one word of each of `needs`, read with the pattern's case rule (`includes`,
 * or an expression with its `i` and `u` flags) rather than on a lowered copy: `net` or `-u` is on
 * a third of bench traffic's lines.
 */
function needsTest(needs: readonly (readonly string[])[], flags: string): (text: string) => boolean {
  const anyCase = flags.includes('i');
  // A need of ASCII punctuation (`=`, `-`, `\"`) reads the same in any case: `includes` for it too.
  const tests = needs.map((ws): ((text: string) => boolean) => {
    if (!anyCase || ws.every((w) => /^[\x00-\x40\x5b-\x60\x7b-\x7f]+$/.test(w))) return ws.length === 1 ? (text) => text.includes(ws[0]!) : (text) => ws.some((w) => text.includes(w));
    const re = new RegExp(ws.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), flags.includes('u') ? 'iu' : 'i');
    return (text) => re.test(text);
  });
  return tests.length === 1 ? tests[0]! : (text) => tests.every((t) => t(text));
}

/** A form whose `chain` (sticky, flags y and d) reads the same option again after each match. */
export function chained(f: SecretForm, chain: RegExp): SecretForm {
  if (!chain.sticky || !chain.hasIndices) throw new Error(`secret chain ${chain}: needs flags y and d`);
  return { ...f, chain };
}

/** A form as a matcher holds it. */
export interface MatcherForm {
  form: SecretForm;
  hints: readonly number[];
  holds?: (text: string) => boolean;
  run?: Numbered;
  chainRun?: Numbered;
}

/**
 * A pattern with its named groups made plain captures, and what each capture holds: for a value
 * group (`v…`) the second letter of its name (`w` bare, `e` opened by `\"`, `q`, `s`, `x`…; 1 for
 * `v` alone), 0 for any other capture. A match's `d` indices of named groups (an object of them,
 * made in the runtime) cost more than the match: on `username … secret 9 $9$…` the `secret` form
 * 885–904 ns with its four named groups against 496–504 as plain captures. The gate 4.5–5.1 →
 * 3.4–3.5 µs a command on the commands mixed-random's creations carry, 2.15–2.20 → 2.01–2.10 over
 * its kept lines; the reading pipeline 0.89–1.01× a mixed-random message, 0.93–1.09× aaa-only
 * (separate processes, alternated, 2026-12-07, load 2.5–5.8).
 */
export interface Numbered {
  re: RegExp;
  kinds: Uint8Array;
}

/**
 * `re` as `Numbered` says. Its source read once, at the form's first run (not at load: every
 * platform compiles matchers whose forms most processes never run): a `\` escapes the next
 * character, `[` opens a class that only `]` closes (no `v` flag: no nested classes), a `(` not
 * followed by `?` is a plain capture, `(?<name>` a named one (`(?<=`, `(?<!` look behind).
 * test/parsers/secret-numbered.test.ts checks every form of every grammar against V8's own count.
 */
export function numbered(re: RegExp): Numbered {
  const src = re.source;
  let out = '';
  const kinds = [0];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '(' && src[i + 1] !== '?') {
      kinds.push(0);
      out += c;
    } else if (c === '(' && src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!') {
      const close = src.indexOf('>', i + 3);
      const name = src.slice(i + 3, close);
      kinds.push(name.charCodeAt(0) === 118 /* v */ ? name.charCodeAt(1) || 1 : 0);
      out += '(';
      i = close;
    } else out += c;
  }
  // A named back-reference (`\\k<name>`) needs its name: such a pattern runs as written, its
  // captures numbered alike (`d` gives named captures their numbers too).
  return { re: src.includes('\\k<') ? re : new RegExp(out, re.flags), kinds: Uint8Array.from(kinds) };
}

export interface Matcher {
  /** Which hints a line holds, in one pass: most lines hold none and stop here. */
  scan: HintScan;
  /** Every distinct hint. */
  hints: readonly string[];
  /**
   * The forms, each with the indexes (in `hints`) of its hints and the test of its `needs`; `run`
   * and `chainRun`, its pattern and chain as they are run (`numbered`), made when it first runs.
   */
  forms: ReadonlyArray<MatcherForm>;
  /** For each hint, the indexes (in `forms`, ascending) of the forms it is a hint of. */
  formsOf: ReadonlyArray<readonly number[]>;
  /** Every statement of the text ends in `;` (Junos): one after a value is never the value's. */
  semicolonEnds: boolean;
}

/** One matcher for these grammars together (a form two grammars share runs once). */
export function compile(grammars: readonly SecretGrammar[], o: { semicolonEnds?: boolean } = {}): Matcher {
  const hints: string[] = [];
  const seen = new Set<string>();
  const forms: MatcherForm[] = [];
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
        ...(f.needs ? { holds: needsTest(f.needs, f.pattern.flags) } : {}),
      });
    }
  }
  // Filled in form order, so each hint's list is ascending.
  const formsOf = hints.map((): number[] => []);
  forms.forEach((f, k) => {
    for (const h of new Set(f.hints)) formsOf[h]!.push(k);
  });
  checkHints(hints);
  // The hint automaton is built on first use, when the stub replaces itself with it (no check left on
  // the gate's path): every platform compiles its matchers at load, and most are run only by a pull;
  // building them all took 430–500 ms of CPU in every process (20 automata, the gate's 40–75 ms).
  let built: HintScan | undefined;
  const matcher: Matcher = {
    scan: (text) => (matcher.scan = built ??= hintScanner(hints))(text),
    hints,
    forms,
    formsOf,
    semicolonEnds: o.semicolonEnds === true,
  };
  return matcher;
}

/**
 * A value that names where the secret is instead of holding it: a shell variable (`$PW`, `$newpw`,
 * `$dbPass`, `${PW}`, `${var.pw}`, `$env:PW`), make's `$$PW`, cmd's `%PW%`, a command substitution
 * (`$(oc whoami -t)`, read as far as its first word), a script's positional parameter (`-s $3`). A bare
 * name is one case, starts lower case, or is words each capitalised (`$SamAccountName`, `$MDPsecure`,
 * RouterOS's `$GYChotspotStaffAccess`), as variables are named: Brocade's `key 2 $X3FSZjgzKGzPIXVd`
 * (digits, single lower-case letters) is an encrypted value. Every form's value
 * is checked, so a variable given to a tool's positional argument (`htpasswd -bc F $U $PW`), to
 * `user:` (`curl -u admin:$PW`, `chpasswd <<< "root:$pw"`) or in a URL (`https://oauth2:${TOKEN}@host`)
 * stays. A literal password that is
 * itself `$` and a name is read as a variable (README, "What the gate cannot see").
 */
const VARIABLE = /^(?:\$\$?(?:[A-Z_][A-Z0-9_]*|[a-z_][a-zA-Z0-9_]*|(?:[A-Z]+[a-z]{2,})+|\d+|\{[^}\s]+\}|env:\w+)|%[A-Za-z_]\w*%|\$\([^)\s]*\)?)$/;

/**
 * A value that is not there or is already hidden: our marker, the device's own mask (`*****`,
 * CloudTrail's `HIDDEN_DUE_TO_SECURITY_REASONS`, a documentation's `.....` or `…`), or IOS's end-of-command
 * token in TACACS+ (`<cr>`);
 * or no secret where a secret's name stands: an AWS access key ID (`s3_access_key=AKIA…` names the
 * key, as CloudTrail's `accessKeyId` does: evidence, kept), a PEM armour line (`KEY=-----BEGIN …`:
 * the private-key form reads the key after it); or a variable (VARIABLE), a template's placeholder
 * (`"{{ vault_router_admin_pass }}"`: Jinja, Handlebars), a line's continuation (`wpa2-psk \`
 * at a RouterOS line's end: the value, if any, is on the next).
 */
export function hidden(value: string): boolean {
  return (
    value.length === 0 ||
    VARIABLE.test(value) ||
    value === REDACTED ||
    value === '<cr>' ||
    value === 'HIDDEN_DUE_TO_SECURITY_REASONS' ||
    /^(?:\*+|\.{3,}|…)$/.test(value) ||
    /^(?:AKIA|ASIA)[A-Z0-9]{16}$/.test(value) ||
    value.startsWith('-----BEGIN') ||
    value === '\\' ||
    /^\{\{[^{}]*\}\}$/.test(value)
  );
}

/**
 * Whether the value read from `start` to `end` lies wholly inside one of the placeholders
 * (`<secret`, or `removed>`). Wholly: a value that only begins with one (`<redacted>abc`) is a
 * value like any other.
 */
function inPlaceholder(text: string, start: number, end: number): boolean {
  for (let k = start; k >= 0 && k > start - 16; k--) {
    if (text.charCodeAt(k) !== 60 /* < */) continue;
    for (const p of PLACEHOLDERS) if (k + p.length >= end && text.startsWith(p, k)) return true;
  }
  return false;
}

/** What stands open on a line up to a position: brackets by depth, quotes by parity. */
export interface Open {
  '(': number;
  '[': number;
  '<': number;
  '{': number;
  /** A `'` (not one between two letters: an apostrophe). */
  single: boolean;
  /** A `"` not escaped. */
  double: boolean;
  /** A `\"` (a quote inside a JSON string). */
  escapedDouble: boolean;
}

/**
 * What stands open before each value on its line, read forward once for a form's values (which
 * come in order) instead of from the line's start for each: a line of 100 KB holding thousands of
 * values took seconds.
 */
export class LineCursor {
  private at = 0;
  private lineStart = 0;
  private state: Open = LineCursor.fresh();
  constructor(private readonly text: string) {}

  private static fresh(): Open {
    return { '(': 0, '[': 0, '<': 0, '{': 0, single: false, double: false, escapedDouble: false };
  }

  /** The state at `pos` and where its line starts. */
  seek(pos: number): { open: Open; lineStart: number } {
    const t = this.text;
    if (pos < this.at) {
      this.at = 0;
      this.lineStart = 0;
      this.state = LineCursor.fresh();
    }
    let o = this.state;
    // By character code: one-character strings, each looked up in an object of closing brackets,
    // made this loop 0.9% of the reading thread on aaa-only (a line is read up to each bare value,
    // and ISE lines hold ~1,100 characters).
    for (let i = this.at; i < pos; i++) {
      const c = t.charCodeAt(i);
      if (c === 10 /* \n */ || c === 13 /* \r */) {
        this.lineStart = i + 1;
        o = this.state = LineCursor.fresh();
      } else if (c === 40 /* ( */) o['(']++;
      else if (c === 91 /* [ */) o['[']++;
      else if (c === 60 /* < */) o['<']++;
      else if (c === 123 /* { */) o['{']++;
      else if (c === 41 /* ) */) o['('] = Math.max(0, o['('] - 1);
      else if (c === 93 /* ] */) o['['] = Math.max(0, o['['] - 1);
      else if (c === 62 /* > */) o['<'] = Math.max(0, o['<'] - 1);
      else if (c === 125 /* } */) o['{'] = Math.max(0, o['{'] - 1);
      else if (c === 39 /* ' */ && !(isWordChar(t.charCodeAt(i - 1)) && isWordChar(t.charCodeAt(i + 1)))) o.single = !o.single;
      else if (c === 34 /* " */) {
        if (!escaped(t, i, this.lineStart)) o.double = !o.double;
        else o.escapedDouble = !o.escapedDouble;
      }
    }
    this.at = pos;
    return { open: o, lineStart: this.lineStart };
  }
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Where a bare value read from `start` to `end` really ends. A closing bracket or quote whose
 * opening stands before the value on its line belongs to the text around (RouterOS's
 * `(… password=X)`, ArubaOS's `COMMAND:<key X>`, `executed 'key X'`, `{"cmd":"key X"}`, JSON's
 * `executed \"key X\"`); the same character with nothing open before it is the value's own
 * (`key 7 Pa55)`, `secret 0 abc'`, JSON's `password 0 pa\"ss\"word`: a password holding quotes).
 * An escaped character is read whole (`abc\\` in JSON: a value ending in a backslash), but inside
 * a JSON string `\n`, `\r`, `\t` are the line break or space they stand for, and end the value. An
 * open `'` is closed by the word's last character only (ASA's `executed 'key Asa'Key''`: the value
 * is `Asa'Key'`). After `name=`, a `,name=` or `&name=` starts the next attribute of a list or query. A `;` at the
 * value's end is the value's own unless it ends a statement (`statementEnd`, or always in a
 * matcher compiled for Junos).
 */
export function bareEnd(text: string, start: number, end: number, line: LineCursor, ends: StatementEnds): number {
  const { open, lineStart } = line.seek(start);
  // A value after `name=` in a list of them ends before the next `,name=` (FortiManager's
  // `changes="type=user_radius,key=R,secret=X,auth-type=auto"`) or `&name=` (a query, a form body).
  const assigned = /=(?:ENC\s+)?$/.test(text.slice(Math.max(lineStart, start - 5), start));
  // … and in a connection string (`User ID=u;Password=X;Encrypt=True`), where the name before it
  // follows a `;`, at the first `;`; after a `Name=` that starts one, at the next `;Name=`.
  const listed = assigned && /;[\w .-]{1,40}=$/.test(text.slice(Math.max(lineStart, start - 42), start));
  const inner = { '(': 0, '[': 0, '<': 0, '{': 0 };
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) {
      const n = text.charCodeAt(i + 1);
      // The `\"` that closes a quote opened before the value is the text's.
      if (n === 34 /* " */ && open.escapedDouble) return i;
      if (open.double && (n === 110 /* n */ || n === 114 /* r */ || n === 116 /* t */)) return i;
      i++;
    } else if (c === 40 /* ( */) inner['(']++;
    else if (c === 91 /* [ */) inner['[']++;
    else if (c === 60 /* < */) inner['<']++;
    else if (c === 123 /* { */) inner['{']++;
    else if (c === 41 || c === 93 || c === 62 || c === 125) {
      const o = c === 41 ? '(' : c === 93 ? '[' : c === 62 ? '<' : '{';
      if (inner[o] > 0) inner[o]--;
      else if (open[o] > 0) return i;
    } else if (c === 39 /* ' */ && open.single && i === end - 1) return i;
    else if (c === 34 /* " */ && open.double) return i;
    else if (c === 44 /* , */ && assigned && /^,[\w.+-]{1,40}=/.test(text.slice(i, i + 42))) return i;
    else if (c === 59 /* ; */ && (listed || (assigned && /^;[\w.+-][\w .+-]{0,39}=/.test(text.slice(i, i + 42))))) return i;
    // … and in a URL's query or a form body, a `&name=` (`client_secret=X&scope=…`).
    else if (c === 38 /* & */ && assigned && /^&[\w.+-]{1,40}=/.test(text.slice(i, i + 42))) return i;
  }
  if (text[end - 1] === ';' && ends.at(end, lineStart)) return end - 1;
  return end;
}

/**
 * Where a value opened by `\"` inside a JSON string ends: at the `\"` that closes it, read as the
 * string's text reads once decoded (`\\\"` there is an escaped quote, `\\\\` an escaped
 * backslash); at the string's own end (an unescaped `"`) or the line's if it is never closed. One
 * pass over the value: a regex for it that read `\"` both ways made serve drop datagrams.
 */
export function jsonQuotedEnd(text: string, start: number): number {
  // `pending`: the decoded text so far ends in an unpaired backslash.
  let pending = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 34 /* " */) return i;
    if (c !== 92 /* \ */) {
      pending = false;
      continue;
    }
    const n = text.charCodeAt(i + 1);
    if (n === 34 /* \" : a quote */) {
      if (!pending) return i;
      pending = false;
    } else if (n === 92 /* \\ : a backslash */) pending = !pending;
    else pending = false;
    i++;
  }
  return text.length;
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
 * What the whole text says is read once per text, not once per value.
 */
export class StatementEnds {
  private braces: boolean | undefined;
  private firstSemicolonLine: number | undefined;
  constructor(
    private readonly text: string,
    private readonly always: boolean,
  ) {}

  at(at: number, lineStart: number): boolean {
    if (this.always) return true;
    const t = this.text;
    const next = t.charCodeAt(at);
    if (next === 32 || next === 9) return true;
    if (at < t.length && next !== 10 && next !== 13) return false;
    this.braces ??= /[{}][^\S\n]*$/m.test(t);
    if (this.braces) return true;
    if (this.firstSemicolonLine === undefined) {
      const m = /;[^\S\n]*$/m.exec(t);
      this.firstSemicolonLine = m ? m.index : t.length;
    }
    return this.firstSemicolonLine < lineStart;
  }
}

interface Span {
  start: number;
  end: number;
  replace: SecretForm['replace'];
}

/**
 * The forms to run on a text holding the hints `present`, in the matcher's order, each once: read
 * from the hints found rather than by asking each of the ~300 forms whether it holds one (~0.9 µs
 * of the gate's 6.7 on an aaa-only line; an ISE accounting line holds several hints).
 */
function formsToRun(m: Matcher, present: readonly number[]): number[] {
  const run: number[] = [];
  // Each put in its place as it comes: sorting the list made a copy of it each time.
  for (const h of present) {
    for (const k of m.formsOf[h]!) {
      let i = run.length - 1;
      while (i >= 0 && run[i]! > k) i--;
      if (i >= 0 && run[i] === k) continue;
      run.push(k);
      for (let j = run.length - 1; j > i + 1; j--) run[j] = run[j - 1]!;
      run[i + 1] = k;
    }
  }
  return run;
}

/** The text with every value the matcher's forms find replaced. Idempotent. */
export function redactWith(m: Matcher, text: string): string {
  const spans = replacements(m, text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** A value's place in a text and what replaces it. */
export interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** The values one text's forms have found so far, and what reading them needs (made when first needed). */
interface Found {
  m: Matcher;
  text: string;
  spans: Span[];
  /** Made when a bare value is found, which few lines holding a hint have. */
  ends: StatementEnds | undefined;
  line: LineCursor | undefined;
}

/** The values (`v…` groups, `kinds`) of one match of form `f`; `from` (the form's pattern or its chain) reads on past them. */
function takeValues(found: Found, f: SecretForm, x: RegExpExecArray, from: RegExp, kinds: Uint8Array): void {
  const indices = x.indices!;
  const text = found.text;
  for (let g = 1; g < kinds.length; g++) {
    const kind = kinds[g]!;
    const at = indices[g];
    if (kind === 0 || !at) continue;
    // A bare value (`vw…`) ends where the text around it says, one opened by `\"` (`ve…`) at
    // its closing `\"`; other quoted ones end at their quote.
    const end = kind === 119 /* w */ ? bareEnd(text, at[0], at[1], (found.line ??= new LineCursor(text)), (found.ends ??= new StatementEnds(text, found.m.semicolonEnds))) : kind === 101 /* e */ ? jsonQuotedEnd(text, at[0]) : at[1];
    // The next match starts past the value: a value read on past the match is read once.
    if (end > from.lastIndex) from.lastIndex = end;
    if (end > at[0] && !inPlaceholder(text, at[0], end) && !hidden(text.slice(at[0], end))) found.spans.push({ start: at[0], end, replace: f.replace });
  }
}

/**
 * Where the matcher's forms find values in `text` and what replaces each, in order, none
 * overlapping: for a caller that reads a text in another shape than it keeps it (RouterOS reads an
 * export's continued lines joined, and replaces the values in the lines as they were).
 */
export function replacements(m: Matcher, text: string): Replacement[] {
  const present = m.scan(text);
  if (present === undefined) return [];
  const found: Found = { m, text, spans: [], ends: undefined, line: undefined };
  const spans = found.spans;
  for (const k of formsToRun(m, present)) {
    const entry = m.forms[k]!;
    const { form: f, holds } = entry;
    if (holds !== undefined && !holds(text)) continue;
    const { re, kinds } = (entry.run ??= numbered(f.pattern));
    // What stands open before a value is read forward once per form.
    found.line = undefined;
    re.lastIndex = 0;
    let x: RegExpExecArray | null;
    while ((x = re.exec(text)) !== null) {
      if (x[0].length === 0) re.lastIndex++;
      takeValues(found, f, x, re, kinds);
      if (!f.chain) continue;
      const chain = (entry.chainRun ??= numbered(f.chain));
      chain.re.lastIndex = re.lastIndex;
      let c: RegExpExecArray | null;
      while (chain.re.lastIndex < text.length && (c = chain.re.exec(text)) !== null && c[0].length > 0) takeValues(found, f, c, chain.re, chain.kinds);
      if (chain.re.lastIndex > re.lastIndex) re.lastIndex = chain.re.lastIndex;
    }
  }
  if (spans.length === 0) return [];
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlapping values (two forms reading the same text differently) become one, replaced whole
  // if either form says so: auditd's hex argument after `sshpass -p` is a password as it stands,
  // though its decoded text holds no keyword (the hex form alone would keep it).
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end || (!s.replace && last.replace)) merged[merged.length - 1] = { start: last.start, end: Math.max(s.end, last.end), replace: undefined };
    } else merged.push(s);
  }
  return merged.map((s) => {
    const before = (): string => text.slice(Math.max(text.lastIndexOf('\n', s.start - 1), text.lastIndexOf('\r', s.start - 1)) + 1, s.start);
    return { start: s.start, end: s.end, text: s.replace ? s.replace(text.slice(s.start, s.end), (t) => redactWith(m, t), before()) : REDACTED };
  });
}
