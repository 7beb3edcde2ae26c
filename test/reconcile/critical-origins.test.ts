// Which roster findings on an account with full administration are critical, from who made the
// account and when (src/reconcile/run.ts withOrigins): as account-created judges the same record,
// an automation account's changes are expected at any time, an administrator's only inside a window.

import { describe, expect, it } from 'vitest';
import { RosterIndex, type Condition } from '../../src/reconcile/evaluate.js';
import { withOrigins } from '../../src/reconcile/run.js';
import type { Origin } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';

const index = new RosterIndex(parseRosterYaml('administrators: [jdoe]\nautomation: [svc-ansible]\n', 'r.yaml'));
const devices = new Map([['core-sw1', { name: 'core-sw1', platform: 'cisco-ios', groups: [] }]]);

function severityFor(actor: string, window?: string): Condition['severity'] {
  const c: Condition = {
    kind: 'unauthorised-account', severity: 'high', device: 'core-sw1', account: 'bot', at: 0, superuser: true,
    summary: 'bot (privilege 15) on core-sw1 is not on the roster', evidence: { accounts: [1] },
  };
  const origin: Origin = { explained: true, actor, sentence: `bot created by ${actor}`, events: [7], ...(window ? { window } : {}) };
  withOrigins(() => origin, [c], index, devices, 300_000);
  return c.severity;
}

describe('critical from the origin of an account with full administration', () => {
  it('an automation account, at any time: not critical (its account-created is low)', () => {
    expect(severityFor('svc-ansible')).toBe('high');
  });
  it('an administrator outside any window, or someone else inside one: critical', () => {
    expect(severityFor('jdoe')).toBe('critical');
    expect(severityFor('mallory', 'nightly')).toBe('critical');
    expect(severityFor('jdoe', 'nightly')).toBe('high');
  });
});
