// A credential value that does not print: logging, JSON and string conversion all show
// `<redacted>`, so a credential object that reaches a log line by mistake leaks nothing.

import { inspect } from 'node:util';

const MASK = '<redacted>';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}

// Replacing very short values would shred ordinary text; no credential is that short in practice.
const MIN_SCRUB = 4;

/** Text with every occurrence of these secrets replaced: the last guard on messages and logs. */
export function scrub(text: string, secrets: ReadonlyArray<Secret | undefined>): string {
  let out = text;
  for (const s of secrets) {
    const v = s?.reveal();
    if (v && v.length >= MIN_SCRUB && out.includes(v)) out = out.split(v).join(MASK);
  }
  return out;
}
