// What a network platform must describe besides pulling its configuration, so that a new vendor
// cannot be added without it: the reconciler reads auditability and privilege only through the
// platform module.

import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';

const network = platforms.filter((p) => p.ssh !== undefined);

describe('every platform pulled over SSH', () => {
  it('is more than none', () => {
    expect(network.length).toBeGreaterThan(0);
  });

  it.each(network.map((p) => [p.id, p] as const))('%s has auditability checks and a privilege scheme', (_id, p) => {
    expect(p.audit).toBeTypeOf('function');
    expect(p.privileges).toBeDefined();
  });

  it.each(network.map((p) => [p.id, p] as const))('%s ranks its roles on the 0–15 scale', (_id, p) => {
    for (const rank of Object.values(p.privileges?.roleRanks ?? {})) {
      expect(Number.isInteger(rank) && rank >= 0 && rank <= 15).toBe(true);
    }
  });

  it.each(network.map((p) => [p.id, p] as const))('%s checks only the three auditability settings, each once', (_id, p) => {
    const names = p.audit!('', []).map((c) => c.check);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(['command-accounting', 'config-logging', 'logging-host']).toContain(n);
  });
});
