// Decisions on findings (acknowledge, accept until a date, resolve, reopen), as the web page and
// the API take them: who may take which, and the checks on what they typed. The transition itself
// is the reconciler's lifecycle (src/reconcile/lifecycle.ts), which checks it against the
// finding's status and stores it with who and when.

import type { Decision } from '../reconcile/lifecycle.js';
import { param } from './context.js';
import type { Role } from './store.js';
import { parseUtc } from './time.js';

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

export interface DecisionRequest {
  action: DecisionAction;
  reason: string;
  until?: number;
  ticket?: string;
}

/** A decision as a form or the API sent it, checked against the role; or the status and message to answer with. */
export function readDecision(body: unknown, action: string, role: Role, now: number): DecisionRequest | { status: number; message: string } {
  if (!isDecision(action)) return { status: 404, message: 'No such action.' };
  if (!mayDecide(role, action)) return { status: 403, message: `Your role (${role}) may not ${action} findings.` };
  const reason = param(body, 'reason', 2000);
  const untilText = param(body, 'until', 40);
  const untilDay = parseUtc(untilText);
  // A date alone means to the end of that day (UTC).
  const until = untilDay === undefined ? undefined : untilText && /^\d{4}-\d{2}-\d{2}$/.test(untilText) ? untilDay + 86_400_000 - 1 : untilDay;
  if (untilText && until === undefined) return { status: 400, message: 'until: a UTC date, like 2027-01-31' };
  const problem = decisionProblem({ action, reason, until }, now);
  if (problem) return { status: 400, message: problem };
  const ticket = param(body, 'ticket', 200);
  return { action, reason: reason!, ...(action === 'accept' ? { until: until! } : {}), ...(ticket ? { ticket } : {}) };
}
