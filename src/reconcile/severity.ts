// When a finding is critical: what auditors treat as critical is full administrative rights (UID
// 0, privilege 15, a superuser role or group) granted by someone not on the authorised
// administrators list, outside a change window, or with no record of who did it at all. Pure: the
// callers know the grant and the attribution.

import { isoSeconds } from './text.js';

export interface GrantFacts {
  /** The account holds, or was given, full administration. */
  superuser: boolean;
  /** A record explains the change (false: it appeared between pulls with no record). */
  logged: boolean;
  /** Who did it is an authorised administrator (or an automation account); undefined without a roster to say. */
  byAdministrator: boolean | undefined;
  /** It happened inside a change window. */
  inWindow: boolean;
}

/**
 * What a finding on an account with full administration says while who granted them cannot be
 * judged yet (the pull that found it is less than reconcile.attributionSkewSeconds old: records
 * saying who did it may still arrive). Its severity then is what the roster alone makes it (high);
 * the run after `judgedAt` judges the grant and raises it to critical where criticalBecause says
 * so, with a history entry, and the summary no longer says this.
 */
export function provisionalNote(judgedAt: number): string {
  return `provisional until ${isoSeconds(judgedAt)}: who granted its full administrative rights is judged once records have had ` +
    'reconcile.attributionSkewSeconds to arrive after the pull that found it; critical then unless a record shows an authorised administrator granted them inside a change window';
}

/** Why the grant is critical, for the summary; undefined when it is not. */
export function criticalBecause(f: GrantFacts): string | undefined {
  if (!f.superuser) return undefined;
  if (!f.logged) return 'full administrative rights with no record of who granted them';
  const why: string[] = [];
  if (f.byAdministrator === undefined) why.push('with no roster naming who may grant them');
  else if (!f.byAdministrator) why.push('by someone not on the authorised administrators list');
  if (!f.inWindow) why.push('outside any change window');
  return why.length ? `full administrative rights granted ${why.join(', ')}` : undefined;
}
