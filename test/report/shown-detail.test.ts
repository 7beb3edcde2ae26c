// An activity entry's detail as pages and exports show it (src/report/text.ts Shown.detail): what
// a reviewer typed (reason, ticket) by reviewerText, the rest through the device gate read as JSON;
// an entry stored under the rule shown byte for byte, so its hash can be recomputed from it.

import { describe, expect, it } from 'vitest';
import { shownDetail } from '../../src/report/text.js';

describe('an activity detail as shown', () => {
  it('is the stored text, byte for byte, when the reason is prose and nothing else holds a secret', () => {
    const stored = JSON.stringify({ finding: 3, reason: 'accepted per CHG0031337, password vaulted in CyberArk', ticket: 'CHG-1234' });
    expect(shownDetail(stored).text).toBe(stored);
  });

  it('redacts a secret typed in the reason by reviewerText, and one elsewhere by the gate (a key it knows by name)', () => {
    const shown = JSON.parse(shownDetail(JSON.stringify({ reason: 'password vaulted in CyberArk; password: Hunter2! typed', view: 'x', password: 'Gate-Knows-9' })).text) as Record<string, string>;
    expect(shown).toEqual({ reason: 'password vaulted in CyberArk; password: <redacted> typed', view: 'x', password: '<redacted>' });
  });

  it('keeps a key named __proto__ a key, and reads text that is no JSON object as device text', () => {
    const shown = shownDetail('{"__proto__":{"note":"x"},"reason":"password vaulted in CyberArk","password":"Gate-Knows-9"}').text;
    expect(JSON.parse(shown)).toEqual(JSON.parse('{"__proto__":{"note":"x"},"reason":"password vaulted in CyberArk","password":"<redacted>"}'));
    expect(shownDetail('enable secret 0 Plain-Text-1').text).toBe('enable secret 0 <redacted>');
  });
});
