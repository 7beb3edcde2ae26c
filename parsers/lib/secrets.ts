// The redaction gate: every byte aaawatch keeps or shows passes here — stored raw messages, the
// commands records carry, rejected input, unknown samples, `parse` output, page and export text,
// the process log. It applies every platform's secret grammar (parsers/secrets.ts) and the
// generic one together: a line's platform is not always known, and each form is exact enough to
// run on any line. Configuration text is redacted by each platform's `redact`, with its own
// grammar and the structure of its configuration (blocks, sections).

import { grammars } from '../secrets.js';
import { compile, redactWith, REDACTED, type Matcher } from './secrets/grammar.js';

export { REDACTED };

const everyGrammar: Matcher = compile(grammars);

/** The text with every password, secret, hash, key and community value replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  return redactWith(everyGrammar, text);
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
