// Cases: the list (/cases, /api/cases), one case (/case, /api/case) with its account's standing,
// findings, history, timeline and records, and decisions — on one case, or on many at once with a
// ticket reference (/cases/decide, /api/cases/decide). Every decision is logged in the activity
// log with the cases, the findings it was taken on and those it did not apply to; a refusal too.

import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import { caseCursorText, parseCaseCursor, type CaseKey, type CaseOutcome, type CaseQuery } from '../reconcile/cases.js';
import { pathJson } from '../reconcile/decision-path.js';
import { RequestError, TransitionError } from '../reconcile/lifecycle.js';
import type { PopulationContext } from '../reconcile/population.js';
import type { DeviceRef } from '../reconcile/scope.js';
import { populationContext } from '../report/document.js';
import { DEFAULT_PERIOD_DAYS } from '../report/period.js';
import { readAccountLink, resolveAccountLink } from './account-link.js';
import { authOf, clientAddress, decisionPath, logRefusal, param, sendHtml, sendJson } from './context.js';
import { checkedQuery, type Shape } from './query.js';
import { wholeNumber } from './paging.js';
import type { CaseModel } from './data/cases.js';
import { historyView, isSeverity } from './data/findings.js';
import { DECISION_STATUS, readDecision, type DecisionRequest } from './decisions.js';
import type { WebAccess } from './data/access.js';
import type { RosterState } from './roster-state.js';
import { casePage, casesPage } from './views/cases.js';
import { caseHref } from './views/links.js';
import { errorPage, type PageContext } from './views/layout.js';

export interface CasesDeps {
  access: WebAccess;
  config: Config;
  now: () => number;
  roster: () => RosterState;
  inventory: ReadonlyMap<string, DeviceRef>;
  pageSize: number;
  ctxOf: (req: Request, res: Response) => PageContext;
}

/** Cases decided in one request at most (a page of them). */
const MAX_BULK = 500;

/** What the cases list takes (query.ts checkedQuery). */
const CASE_KEYS = ['severity', 'undecided', 'device', 'account', 'kind', 'after'];
/** Its position (`after`), as a page's Next link gives it: any other is refused, not read as the first page. */
const CASE_SHAPES: Record<string, Shape> = { after: { test: (v) => parseCaseCursor(v) !== undefined, says: 'a position as a page link gives it', position: true } };

function caseQuery(source: unknown): CaseQuery {
  const q: CaseQuery = {};
  const severity = param(source, 'severity');
  if (isSeverity(severity)) q.severity = severity;
  if (param(source, 'undecided') === '1') q.undecided = true;
  for (const k of ['device', 'account', 'kind'] as const) {
    const v = param(source, k);
    if (v !== undefined) q[k] = v;
  }
  return q;
}

/** A case key from a query or a form: the device, and the account ('' or absent for the device's own findings). */
function caseKey(source: unknown): CaseKey | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const { device, account } = source as Record<string, unknown>;
  if (typeof device !== 'string' || device === '' || device.length > 1024) return undefined;
  if (account !== undefined && (typeof account !== 'string' || account.length > 1024)) return undefined;
  return { device, account: (account as string | undefined) ?? '' };
}

/** The keys of a bulk decision: form checkboxes (`case` = JSON [device, account], one or many) or an API list. */
function bulkKeys(body: unknown): CaseKey[] | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.cases)) {
    const keys = b.cases.map(caseKey);
    return keys.every((k): k is CaseKey => k !== undefined) ? keys : undefined;
  }
  const raw = b.case;
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  const keys: CaseKey[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || v.length > 4096) return undefined;
    try {
      const parsed = JSON.parse(v) as unknown;
      const k = Array.isArray(parsed) ? caseKey({ device: parsed[0], account: parsed[1] }) : undefined;
      if (!k) return undefined;
      keys.push(k);
    } catch {
      return undefined;
    }
  }
  return keys;
}

export function setupCases(router: Router, d: CasesDeps): void {
  const list = async (req: Request): Promise<{ q: CaseQuery; page: Awaited<ReturnType<WebAccess['listCases']>>; paged: boolean }> => {
    const q = caseQuery(req.query);
    const after = parseCaseCursor(param(req.query, 'after', 4096));
    return { q, page: await d.access.listCases(q, after, d.pageSize), paged: after !== undefined };
  };
  router.get('/cases', checkedQuery([...CASE_KEYS, 'done'], d.ctxOf, CASE_SHAPES), async (req, res) => {
    const { q, page, paged } = await list(req);
    const done = param(req.query, 'done', 200);
    sendHtml(res, casesPage(d.ctxOf(req, res), q, page.rows, page.next ? caseCursorText(page.next) : undefined, paged, done));
  });
  router.get('/api/cases', checkedQuery(CASE_KEYS, d.ctxOf, CASE_SHAPES), async (req, res) => {
    const { page } = await list(req);
    sendJson(res, { cases: page.rows, next: page.next ? caseCursorText(page.next) : null });
  });

  const context = (): PopulationContext => {
    const now = d.now();
    return populationContext(d.config, d.roster().index, now - DEFAULT_PERIOD_DAYS * 86_400_000, now, d.inventory);
  };
  const model = (key: CaseKey): Promise<CaseModel | undefined> => d.access.caseModel(key, context());
  /** The case a link names: by a finding's id (any finding of the account), by device and account, or by device and a long account's key. */
  const linkedKey = async (query: unknown): Promise<CaseKey | undefined> => {
    const finding = param(query, 'finding', 20);
    const link = readAccountLink(query, 'starts', 'sha256');
    if (finding === undefined && link) {
      const device = (query as Record<string, unknown>).device;
      if (typeof device !== 'string' || device === '' || device.length > 1024) return undefined;
      const account = await resolveAccountLink(d.access, context(), device, link);
      return account === undefined ? undefined : { device, account };
    }
    if (finding === undefined) return caseKey(query);
    const id = wholeNumber(finding);
    if (id === undefined) return undefined;
    const f = await d.access.getFinding(id);
    return f ? { device: f.device, account: f.account } : undefined;
  };
  router.get('/case', checkedQuery(['finding', 'device', 'account', 'starts', 'sha256', 'done'], d.ctxOf), async (req, res) => {
    const key = await linkedKey(req.query);
    const m = key && (await model(key));
    if (!m) {
      sendHtml(res, errorPage(d.ctxOf(req, res), 404, 'aaawatch knows no findings and no account by that name.'), 404);
      return;
    }
    sendHtml(res, casePage(d.ctxOf(req, res), m, param(req.query, 'done', 200)));
  });
  router.get('/api/case', checkedQuery(['finding', 'device', 'account', 'starts', 'sha256'], d.ctxOf), async (req, res) => {
    const key = await linkedKey(req.query);
    const m = key && (await model(key));
    if (!m) {
      sendJson(res, { error: 'no such case' }, 404);
      return;
    }
    sendJson(res, { ...m, findings: m.findings.map((f) => ({ ...f, history: f.history.map(historyView) })) });
  });

  /** Take a decision on cases; answers with what was done or what went wrong. */
  const decide = async (req: Request, res: Response, keys: CaseKey[] | undefined): Promise<{ status: number; message: string; outcome?: CaseOutcome[] }> => {
    const auth = authOf(res);
    const user = auth.user;
    const path = decisionPath(auth);
    const at = d.now();
    if (!keys || keys.length === 0) return { status: 400, message: 'Choose at least one case.' };
    if (keys.length > MAX_BULK) return { status: 400, message: `At most ${MAX_BULK} cases at once.` };
    const body = req.body as unknown;
    const decision = readDecision(body, String(param(body, 'action', 32) ?? ''), user.role, at);
    if ('status' in decision) {
      if (decision.status === 403) await logRefusal(d.access, req, res, decision.message, at);
      return decision;
    }
    let outcome;
    try {
      outcome = await d.access.decideCases(keys, DECISION_STATUS[decision.action], { by: user.name, path, reason: decision.reason, at, ...(decision.until !== undefined ? { until: decision.until } : {}), ...(decision.ticket ? { ticket: decision.ticket } : {}) });
    } catch (err) {
      if (err instanceof RequestError) return { status: 400, message: err.message };
      if (err instanceof TransitionError) return { status: 409, message: err.message };
      throw err;
    }
    await d.access.logActivity({
      at, user: user.name, address: clientAddress(req), action: `case.${decision.action}`,
      detail: { ...detailOf(decision), path: pathJson(path), cases: outcome.map((o) => ({ device: o.device, account: o.account, decided: o.decided, skipped: o.skipped })) },
    });
    const decided = outcome.reduce((a, o) => a + o.decided.length, 0);
    const skipped = outcome.reduce((a, o) => a + o.skipped.length, 0);
    return { status: 200, message: `${decision.action}: ${decided} finding${decided === 1 ? '' : 's'} in ${outcome.length} case${outcome.length === 1 ? '' : 's'}${skipped ? `; ${skipped} left as they were (already past it)` : ''}.`, outcome };
  };
  const answerPage = (req: Request, res: Response, r: Awaited<ReturnType<typeof decide>>, back: (message: string) => string): void => {
    if (r.status !== 200) sendHtml(res, errorPage(d.ctxOf(req, res), r.status, r.message), r.status);
    else res.redirect(303, back(r.message));
  };
  router.post('/cases/decide', async (req, res) => {
    answerPage(req, res, await decide(req, res, bulkKeys(req.body)), (message) => `/cases?done=${encodeURIComponent(message)}`);
  });
  router.post('/case/decide', async (req, res) => {
    // The case page's form names the case by a finding: a long name in the form passed the body's limit.
    const key = await linkedKey(req.body);
    const r = await decide(req, res, key ? [key] : undefined);
    const o = r.outcome?.[0];
    answerPage(req, res, r, (message) => `${caseHref(key!.device, key!.account, o?.decided[0] ?? o?.skipped[0]?.id)}&done=${encodeURIComponent(message)}`);
  });
  router.post('/api/cases/decide', async (req, res) => {
    const r = await decide(req, res, bulkKeys(req.body));
    if (r.status !== 200) sendJson(res, { error: r.message }, r.status);
    else sendJson(res, { message: r.message, cases: r.outcome });
  });
}

function detailOf(d: DecisionRequest): Record<string, unknown> {
  return { reason: d.reason, ...(d.until !== undefined ? { until: new Date(d.until).toISOString() } : {}), ...(d.ticket ? { ticket: d.ticket } : {}) };
}
