// The redaction gate: every byte aaawatch keeps or shows passes here — stored raw messages, the
// commands records carry, rejected input, unknown samples, `parse` output, page and export text,
// the process log. It applies every platform's secret grammar (parsers/secrets.ts) and the
// generic one together: a line's platform is not always known, and each form is exact enough to
// run on any line. Configuration text is redacted by each platform's `redact`, with its own
// grammar and the structure of its configuration (blocks, sections).

import { isUtf8 } from 'node:buffer';
import { grammars } from '../secrets.js';
import { clearRest } from './secrets/clear-rest.js';
import { compile, redactWith, replacements, REDACTED, type Matcher, type Replacement } from './secrets/grammar.js';

export { REDACTED };

const everyGrammar: Matcher = compile(grammars);

/**
 * Where a clear value's rest is removed on any line (clear-rest.ts): after a username's
 * `password|secret`, an `enable password|secret [level N]`, a TACACS+ or RADIUS server's `key`, or a
 * command's own `password`; not after any `0 <redacted>` as in configuration text, where prose
 * cannot stand.
 */
const CISCO_CLEAR_REST = clearRest(
  String.raw`(?:(?:^|[\s:;])(?:enable[^\S\n]+(?:password|secret)(?:[^\S\n]+level[^\S\n]+\d{1,2})?|username[^\S\n]+\S+(?:[^\S\n]+\S+){0,12}?[^\S\n]+(?:password|secret)|(?:tacacs-server|radius-server)(?:[^\S\n]+\S+){0,12}?[^\S\n]+key)|(?:^|command:)[^\S\n]*password)`,
);

/** The text with every password, secret, hash, key and community value replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  const out = redactWith(everyGrammar, text);
  return out === text ? out : out.replace(CISCO_CLEAR_REST, '');
}

/** Where redactSecrets finds values in `text` and what replaces each, in order: for a reader that keeps some of them (reviewer text, src/reconcile/reviewer-text.ts). */
export function secretReplacements(text: string): Replacement[] {
  return replacements(everyGrammar, text);
}

/**
 * Bytes as received: read as UTF-8 when they are (latin1 otherwise, which maps each byte to one
 * character), so every byte outside a value comes back unchanged. A sample cut inside a UTF-8
 * character (a refused frame's first bytes) is read as UTF-8 up to that character.
 */
export function redactBytes(bytes: Buffer): Buffer {
  if (bytes.length === 0) return bytes;
  for (let tail = 0; tail < 4 && tail < bytes.length; tail++) {
    const whole = tail === 0 ? bytes : bytes.subarray(0, bytes.length - tail);
    if (!isUtf8(whole)) continue;
    const text = whole.toString('utf8');
    const out = redactSecrets(text);
    return out === text ? bytes : Buffer.concat([Buffer.from(out), bytes.subarray(whole.length)]);
  }
  const text = bytes.toString('latin1');
  const out = redactSecrets(text);
  return out === text ? bytes : Buffer.from(out, 'latin1');
}

/**
 * RFC 5424 structured data, each parameter's value passed through the gate as the line wrote it
 * (`name="value"`, with its `\"`, `\\`, `\]` escapes), so a value is known for a secret by its
 * parameter's name (`[acct@32473 user="bob" password="X"]`), as in the stored line; then the value
 * alone, for a secret the value's own text holds (`msg="… secret 0 X"`).
 */
export function redactStructuredData(sd: Readonly<Record<string, Readonly<Record<string, string>>>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = Object.create(null) as Record<string, Record<string, string>>;
  for (const [id, params] of Object.entries(sd)) {
    const kept: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of Object.entries(params)) {
      const written = `${name}="${value.replace(/[\\"\]]/g, '\\$&')}"`;
      const redacted = redactSecrets(written);
      // Only a value changes; should the quotes around it not have stood, the whole value goes.
      const whole = redacted.startsWith(`${name}="`) && redacted.endsWith('"');
      const byName = redacted === written ? value : whole ? redacted.slice(name.length + 2, -1).replace(/\\([\\"\]])/g, '$1') : REDACTED;
      kept[name] = redactSecrets(byName);
    }
    out[id] = kept;
  }
  return out;
}

/**
 * A JSON-like value with every string in it (keys aside) passed through the gate. An Error becomes
 * what a log shows of it (type, message, stack), redacted.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value instanceof Error) {
    return redactDeep({ ...value, type: value.name, message: value.message, stack: value.stack }) as T;
  }
  if (value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
