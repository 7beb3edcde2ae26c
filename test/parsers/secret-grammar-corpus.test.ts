// The secret corpus (test/fixtures/secrets/) through the gate alone, without a server: for each
// entry, every secret is gone and every word to keep is there byte for byte, whether it is read as
// a log line (the gate) or as a configuration (the platform's redaction, then the gate), and
// nothing but the secrets changed: each became the marker exactly, not a character more or less
// (a value's closing quote, bracket or `;` is the text's). The
// end-to-end test (test/secrets-corpus.test.ts) shows the same through every place text is kept.

import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';

const entries = loadSecretCorpus();

function redacted(platform: string, kind: string, text: string): string {
  const redact = platformById(platform)?.redact;
  return kind === 'config' && redact ? redactSecrets(redact(text)) : redactSecrets(text);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text with each secret replaced as the gate replaces one: the marker, a public key's
 * fingerprint, or inside auditd's hex-encoded arguments the marker hex-encoded.
 */
function onlySecretsReplaced(text: string, secrets: readonly string[]): RegExp {
  let parts = [text];
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) parts = parts.flatMap((p) => p.split(s));
  const hex = Buffer.from(REDACTED).toString('hex').toUpperCase();
  return new RegExp(`^${parts.map(escape).join(`(?:${escape(REDACTED)}|<key SHA256:[A-Za-z0-9+/=]+>|${hex})`)}$`);
}

/**
 * What the text reads as: a platform's configuration is read as lines and kept with `\n` ends
 * (`splitLines`: devices send `\n`, `\r\n`, `\r\r\n`), so a configuration some device wrote
 * with `\r\n` (probe 7's ciscoconfparse and ADVA files) is compared with its line ends so read.
 */
function asRead(platform: string, kind: string, text: string): string {
  return kind === 'config' && platformById(platform)?.redact ? text.replace(/\r*\n/g, '\n') : text;
}

describe('the secret corpus through the gate', () => {
  it.each(entries.map((e) => [e.id, e] as const))('%s', (_, e) => {
    const out = redacted(e.platform, e.kind, e.text);
    for (const s of e.secrets) expect(out, e.cite).not.toContain(s);
    for (const k of e.keep) expect(out, e.cite).toContain(k);
    expect(out, e.cite).toMatch(onlySecretsReplaced(asRead(e.platform, e.kind, e.text), e.secrets));
    // Idempotent: what is kept passes the gate unchanged.
    expect(redacted(e.platform, e.kind, out)).toBe(out);
  });
});
