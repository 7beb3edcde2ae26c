// The rule for reviewer text (src/reconcile/reviewer-text.ts), decided from two corpora: every secret
// of the secret corpus (test/fixtures/secrets: device lines, configurations, import files, as a
// reviewer could paste them into a reason) is redacted, and every reason and ticket of the reviewers'
// corpus (test/fixtures/reviewer) is kept as typed. What a person types that the device gate reads
// only on device lines is redacted too.

import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { reviewerText } from '../../src/reconcile/reviewer-text.js';
import { proseLines, TYPED_SECRETS } from '../support/reviewer-text.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';

describe('reviewer text', () => {
  it('keeps every reviewer reason and ticket of the corpus as typed', () => {
    const changed = [...proseLines('reasons.txt'), ...proseLines('tickets.txt')].map((l) => [l, reviewerText(l)] as const).filter(([l, r]) => r.text !== l || r.redacted);
    expect(changed.map(([l, r]) => `${l}\n  -> ${r.text}`)).toEqual([]);
  });

  it('redacts every secret a reviewer types, keeping the words around it', () => {
    for (const t of TYPED_SECRETS) {
      const r = reviewerText(t.text);
      expect(r.text, t.text).not.toContain(t.secret);
      expect(r.redacted).toBe(true);
      for (const k of t.keep) expect(r.text, t.text).toContain(k);
    }
  });

  // A configuration's secrets in blocks (Junos' `community X { … }`, RouterOS' continued items) are
  // read by its platform's `redact`, which knows its blocks; the gate reads lines. A reviewer pastes
  // lines: every secret the device gate removes from an entry, the reviewer rule removes too.
  it('redacts every secret of the secret corpus the device gate removes, pasted into a reason', () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const e of loadSecretCorpus()) {
      const gate = redactSecrets(e.text);
      const reviewer = reviewerText(e.text).text;
      for (const s of e.secrets) {
        if (gate.includes(s)) continue;
        checked++;
        if (reviewer.includes(s)) leaks.push(`${e.id}: ${s}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it('reads a stored text again as it is (idempotent) and leaves text without a secret alone', () => {
    for (const t of TYPED_SECRETS) {
      const once = reviewerText(t.text).text;
      expect(reviewerText(once).text).toBe(once);
    }
    expect(reviewerText('')).toEqual({ text: '', redacted: false });
  });
});
