// The period and scope of an export, as a form, the API or the command line gives them: dates are
// UTC; `from` is the start of what it names and `to` the end of it — a date alone that whole day, a
// time to the minute that whole minute, to the second that whole second; the scope is device names or globs, inventory
// groups and platforms — each kind given must match (devices core-* and group dc1), any one of a
// kind's list may.

import { compileScope, type Scope, type ScopeTest } from '../reconcile/scope.js';
import { parseUtc, parseUtcSpan } from '../web/time.js';

/** The review period when none is given: 90 days, a quarterly access review. */
export const DEFAULT_PERIOD_DAYS = 90;

/** The period from typed text, or what is wrong with it. */
export function exportPeriod(fromText: string | undefined, toText: string | undefined, now: number): { from: number; to: number } | { problem: string } {
  const end = parseUtcSpan(toText);
  if (toText && end === undefined) return { problem: 'to: a UTC date, like 2026-11-30' };
  // An end covers the whole unit it was given to, as a date alone covers its day: every export writes
  // times to the second, so a record at 05:38:33.100 reads 05:38:33Z, and a `--to` copied from it, or
  // 05:38 typed in the picker, left out what came later in that second or minute.
  const to = end === undefined ? now : Math.min(now, end.at + end.unit - 1);
  // Left out, the start is 90 days before the moment after the end: --to 2026-12-01 (its last
  // millisecond) reviews from 2026-09-03T00:00:00Z, where `to - 90 days` read 2026-09-02T23:59:59.999.
  const from = fromText ? parseUtc(fromText) : to + 1 - DEFAULT_PERIOD_DAYS * 86_400_000;
  if (from === undefined) return { problem: 'from: a UTC date, like 2026-08-01' };
  // The end is cut at now: a period that starts later has nothing to review yet, which "from after
  // the end" would not tell someone whose `to` is later still.
  if (from >= now) return { problem: `from: ${fromText!.trim()} is in the future; a review covers time that has passed (it is ${new Date(now).toISOString().slice(0, 16)}Z)` };
  if (from >= to) return { problem: 'from: must be before the end of the period' };
  return { from, to };
}

/** A scope's bounds: names (or globs) of each kind, and characters a name. */
export const SCOPE_NAMES = 50;
export const SCOPE_NAME_CHARS = 256;
/** The longest typed list of devices within those bounds (names and their commas). */
export const SCOPE_TEXT_CHARS = SCOPE_NAMES * (SCOPE_NAME_CHARS + 1);

export function scopeFrom(devices: readonly string[], groups: readonly string[], platforms: readonly string[]): Scope {
  const clean = (xs: readonly string[]): string[] => [...new Set(xs.map((x) => x.trim()).filter((x) => x !== '' && x.length <= SCOPE_NAME_CHARS))].slice(0, SCOPE_NAMES);
  return { devices: clean(devices), groups: clean(groups), platforms: clean(platforms) };
}

/**
 * A typed list past the scope's bounds, said: scopeFrom would drop the names past the 50th and any
 * longer than 256 characters, and the page cut its field at 256 characters, so 30 devices typed
 * read as the first 25 and a 26th cut short (another device's name, or none) — a narrower review
 * that looked like the one asked for.
 */
export function scopeListProblem(kind: 'devices' | 'groups' | 'platforms', typed: readonly string[]): string | undefined {
  const names = [...new Set(typed.map((x) => x.trim()).filter((x) => x !== ''))];
  if (names.length > SCOPE_NAMES) return `${kind}: at most ${SCOPE_NAMES} names or globs (${names.length} given)`;
  const long = names.find((x) => x.length > SCOPE_NAME_CHARS);
  return long === undefined ? undefined : `${kind}: a name or glob is at most ${SCOPE_NAME_CHARS} characters (one of ${long.length} given)`;
}

/**
 * What is wrong with a scope, named by what it names: a group no inventory device is in, a
 * platform aaawatch does not know, or a device name or glob no device aaawatch knows answers to
 * (`devices`: the inventory's names and every name the store holds, syslog's and native
 * accounting's included; read only when the scope names devices) would silently select no device:
 * an empty review that looks complete.
 */
export function scopeProblem(s: Scope, known: { groups: readonly string[]; platforms: readonly string[]; devices: readonly string[] }): string | undefined {
  const group = s.groups.find((g) => !known.groups.includes(g));
  if (group !== undefined) return `group ${group}: no device in the inventory is in it (groups: ${known.groups.join(', ') || 'none'})`;
  const platform = s.platforms.find((p) => !known.platforms.includes(p));
  if (platform !== undefined) return `platform ${platform}: not a platform id (${known.platforms.join(', ')})`;
  const device = s.devices.find((d) => {
    const test = compileScope({ devices: [d], groups: [], platforms: [] });
    return !known.devices.some((name) => test({ name, platform: '', groups: [] }));
  });
  if (device !== undefined) return `devices ${device}: names no device aaawatch knows (in the inventory, pulled, or heard from by syslog or native accounting)`;
  return undefined;
}

/** A test for an export scope: every kind given must match. */
export function scopeTest(s: Scope): ScopeTest {
  const tests = [
    s.devices.length ? compileScope({ devices: s.devices, groups: [], platforms: [] }) : undefined,
    s.groups.length ? compileScope({ devices: [], groups: s.groups, platforms: [] }) : undefined,
    s.platforms.length ? compileScope({ devices: [], groups: [], platforms: s.platforms }) : undefined,
  ].filter((t): t is ScopeTest => t !== undefined);
  return (d) => tests.every((t) => t(d));
}

export function describeExportScope(s: Scope): string {
  const parts: string[] = [];
  if (s.devices.length) parts.push(`devices ${s.devices.join(', ')}`);
  if (s.groups.length) parts.push(`group ${s.groups.join(' or ')}`);
  if (s.platforms.length) parts.push(`platform ${s.platforms.join(' or ')}`);
  return parts.join(' and ');
}
