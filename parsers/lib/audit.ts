// Helpers the platforms' auditability checks share (see each platform's audit.ts): whether the
// logging hosts a configuration names point at this collector, reading IOS-style blocks, and
// the syslog severity words. Each platform knows its own settings; these only do the bookkeeping.

import type { AuditCheck } from '../../src/types.js';

/** Decides whether logging hosts found in a configuration point here; `missing` is said when none is found. */
export type HostCheck = (found: string[], missing: string) => AuditCheck;

/** One platform's checks over the configuration's lines. */
export type LineChecks = (lines: string[], hosts: HostCheck) => AuditCheck[];

function hostCheck(collectors: readonly string[]): HostCheck {
  const wanted = new Set(collectors.map((c) => c.toLowerCase().replace(/^\[|\]$/g, '')));
  return (found, missing) => {
    const hosts = [...new Set(found.map((h) => h.replace(/^"|"$/g, '')))];
    if (hosts.length === 0) return { check: 'logging-host', ok: false, detail: missing };
    if (wanted.size === 0) return { check: 'logging-host', ok: true, detail: `logs to ${hosts.join(', ')} (collector addresses not configured, so not compared)` };
    const here = hosts.filter((h) => wanted.has(h.toLowerCase()));
    return here.length
      ? { check: 'logging-host', ok: true, detail: `logs to ${here.join(', ')}` }
      : { check: 'logging-host', ok: false, detail: `logs to ${hosts.join(', ')}, not to this collector (${collectors.join(', ')})` };
  };
}

/** A platform's `audit` from its checks over lines. */
export function lineAudit(checks: LineChecks): (configText: string, collectors: readonly string[]) => AuditCheck[] {
  return (configText, collectors) => checks(configText.split(/\r?\n/), hostCheck(collectors));
}

export const hasLine = (lines: readonly string[], re: RegExp): boolean => lines.some((l) => re.test(l));

/** The first group of `re` on every line it matches. */
export const captured = (lines: readonly string[], re: RegExp): string[] => lines.flatMap((l) => {
  const m = re.exec(l);
  return m ? [m[1]!] : [];
});

/** The indented lines under each top-level line matching `head` (IOS-style blocks). */
export function indentedBlocks(lines: readonly string[], head: RegExp): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!head.test(lines[i]!)) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!); j++) body.push(lines[j]!);
    out.push(body);
  }
  return out;
}

const SEVERITY: Readonly<Record<string, number>> = {
  emergencies: 0, alerts: 1, critical: 2, errors: 3, warnings: 4, notifications: 5, informational: 6, debugging: 7,
};

/**
 * The Cisco-family `logging trap LEVEL` line (IOS, IOS-XR, ASA): the level as written and as a
 * number (undefined for a word that is not a severity).
 */
export function loggingTrap(lines: readonly string[]): { word: string; level: number | undefined } | undefined {
  const m = /^logging trap (\S+)/.exec(lines.find((l) => l.startsWith('logging trap ')) ?? '');
  if (!m) return undefined;
  const word = m[1]!;
  return { word, level: /^\d$/.test(word) ? Number(word) : SEVERITY[word] };
}
