// Decisions on findings (acknowledge, accept until a date, resolve, reopen), as the web page and
// the API take them: who may take which, and the checks on what they typed. The transition itself
// is the reconciler's lifecycle (src/reconcile/lifecycle.ts), which checks it against the
// finding's status and stores it with who and when.

import type { Decision } from '../reconcile/lifecycle.js';
import type { Role } from './store.js';

export const DECISIONS = ['acknowledge', 'accept', 'resolve', 'reopen'] as const;
export type DecisionAction = (typeof DECISIONS)[number];

/** The status each decision moves a finding to. */
export const DECISION_STATUS: Readonly<Record<DecisionAction, Decision>> = { acknowledge: 'acknowledged', accept: 'accepted', resolve: 'resolved', reopen: 'open' };

export function isDecision(v: string): v is DecisionAction {
  return (DECISIONS as readonly string[]).includes(v);
}

/** Auditors acknowledge; admins do everything (issue 6: roles). */
export function mayDecide(role: Role, action: DecisionAction): boolean {
  return role === 'admin' || (role === 'auditor' && action === 'acknowledge');
}

/** What is wrong with a decision as typed, or undefined. */
export function decisionProblem(d: { action: DecisionAction; reason: string | undefined; until: number | undefined }, now: number): string | undefined {
  if (!d.reason) return 'give a reason: auditors read it';
  if (d.reason.length > 1000) return 'a reason has at most 1000 characters';
  if (d.action === 'accept') {
    if (d.until === undefined) return 'accepting a risk needs the date it is accepted until';
    if (d.until <= now) return 'the acceptance must end in the future';
  }
  return undefined;
}
