// The Accounts page and /api/accounts (the population, a page at a time, with filters), and
// "export this view": every row the filters match, as CSV or PDF, for auditors and admins, logged
// like every export. Routes read the query, ask the web's data access for the page (either
// engine), and answer.

import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Severity } from '../reconcile/findings.js';
import { ROSTER_MATCHES, type AccountKey, type AccountSource, type AccountState, type PopulationFilter, type PopulationPage } from '../reconcile/population.js';
import type { AccountType } from '../reconcile/roster.js';
import type { DeviceRef, Scope } from '../reconcile/scope.js';
import { isEverywhere, populationContext } from '../report/document.js';
import { accountsCsv } from '../report/formats.js';
import { sha256Hex } from '../report/hash.js';
import { exportPeriod, scopeFrom, scopeTest } from '../report/period.js';
import { reviewPdf } from '../report/pdf.js';
import { authOf, clientAddress, isApi, logRefusal, param, sendHtml, sendJson } from './context.js';
import { downloadName } from './exports.js';
import type { WebAccess } from './data/access.js';
import type { RosterState } from './roster-state.js';
import { accountsPage, ACCOUNT_QUERY_KEYS, type AccountsQuery } from './views/accounts.js';
import { errorPage, mayAudit, type PageContext } from './views/layout.js';

export interface AccountsDeps {
  access: WebAccess;
  config: Config;
  log: Logger;
  now: () => number;
  roster: () => RosterState;
  inventory: ReadonlyMap<string, DeviceRef>;
  pageSize: number;
  ctxOf: (req: Request, res: Response) => PageContext;
}

const SOURCES: readonly AccountSource[] = ['pulled', 'syslog', 'roster'];
const STATES: readonly AccountState[] = ['present', 'removed', 'missing'];
const TYPES: readonly AccountType[] = ['human', 'service', 'shared', 'break-glass', 'vendor'];
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined => (v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : undefined);

export interface ParsedAccounts {
  query: AccountsQuery;
  filter: PopulationFilter;
  scope: Scope;
  period: { from: number; to: number };
  problems: string[];
  filterText: string;
}

/** The query as typed, what it filters, and what is wrong with it (a bad value is dropped and said). */
export function parseAccountsQuery(source: unknown, now: number): ParsedAccounts {
  const query: AccountsQuery = {};
  for (const k of ACCOUNT_QUERY_KEYS) {
    const v = param(source, k, 256);
    if (v !== undefined) query[k] = v;
  }
  const problems: string[] = [];
  const filter: PopulationFilter = {};
  const words: string[] = [];
  const pick = <T extends string>(key: keyof AccountsQuery, list: readonly T[]): T | undefined => {
    const v = query[key];
    const got = oneOf(list, v);
    if (v !== undefined && got === undefined) {
      problems.push(`${key}: one of ${list.join(', ')}`);
      delete query[key];
    }
    if (got !== undefined) words.push(`${key} ${got}`);
    return got;
  };
  if (query.device) {
    filter.device = query.device;
    words.push(`device ${query.device}`);
  }
  if (query.account) {
    filter.account = query.account;
    words.push(`account containing "${query.account}"`);
  }
  const roster = pick('roster', ROSTER_MATCHES);
  if (roster) filter.roster = roster;
  const src = pick('source', SOURCES);
  if (src) filter.source = src;
  const state = pick('state', STATES);
  if (state) filter.state = state;
  const type = pick('type', TYPES);
  if (type) filter.type = type;
  const findings = pick('findings', ['open', 'none'] as const);
  if (findings) filter.findings = findings;
  const severity = pick('severity', SEVERITIES);
  if (severity) filter.severity = severity;
  const scope = scopeFrom((query.devices ?? '').split(','), query.group ? [query.group] : [], query.platform ? [query.platform] : []);
  if (!isEverywhere(scope)) filter.scope = scopeTest(scope);
  let period = exportPeriod(query.from, query.to, now);
  if ('problem' in period) {
    problems.push(period.problem);
    delete query.from;
    delete query.to;
    period = exportPeriod(undefined, undefined, now) as { from: number; to: number };
  }
  return { query, filter, scope, period, problems, filterText: words.join(', ') || 'all accounts' };
}

export function setupAccounts(router: Router, d: AccountsDeps): void {
  const groups = [...new Set([...d.inventory.values()].flatMap((x) => x.groups))].sort();
  const platforms = [...new Set([...d.inventory.values()].map((x) => x.platform))].sort();

  const page = async (req: Request): Promise<{ parsed: ParsedAccounts; after: AccountKey | undefined; result: PopulationPage }> => {
    const parsed = parseAccountsQuery(req.query, d.now());
    // As given, untrimmed: a cursor is a key, and names may end in spaces.
    const afterDevice = typeof req.query.afterDevice === 'string' ? req.query.afterDevice.slice(0, 1024) : undefined;
    const afterAccount = typeof req.query.afterAccount === 'string' ? req.query.afterAccount.slice(0, 1024) : undefined;
    const after = afterDevice !== undefined && afterAccount !== undefined ? { device: afterDevice, account: afterAccount } : undefined;
    const ctx = populationContext(d.config, d.roster().index, parsed.period.from, parsed.period.to, d.inventory);
    return { parsed, after, result: await d.access.populationPage(ctx, parsed.filter, after, d.pageSize) };
  };

  router.get('/accounts', async (req, res) => {
    const { parsed, after, result } = await page(req);
    const problem = d.roster().problem;
    sendHtml(
      res,
      accountsPage(d.ctxOf(req, res), {
        query: parsed.query, page: result, paged: after !== undefined, groups, platforms, period: parsed.period,
        problems: [...parsed.problems, ...(problem ? [`The roster cannot be read, so roster standing is not shown: ${problem}`] : [])],
      }),
    );
  });

  router.get('/api/accounts', async (req, res) => {
    const { parsed, result } = await page(req);
    if (parsed.problems.length) {
      sendJson(res, { error: parsed.problems.join('; ') }, 400);
      return;
    }
    sendJson(res, {
      period: { from: new Date(parsed.period.from).toISOString(), to: new Date(parsed.period.to).toISOString() },
      accounts: result.rows,
      next: result.next ?? null,
      budgetSpent: result.budgetSpent === true,
    });
  });

  const exportView = async (req: Request, res: Response, kind: 'csv' | 'pdf'): Promise<void> => {
    const user = authOf(res).user;
    if (!mayAudit(user.role)) {
      const message = `Your role (${user.role}) may not take exports; auditors and admins may.`;
      await logRefusal(d.access, req, res, message);
      if (isApi(req)) sendJson(res, { error: message }, 403);
      else sendHtml(res, errorPage(d.ctxOf(req, res), 403, message), 403);
      return;
    }
    const r = d.roster();
    if (r.problem) {
      const message = `The roster cannot be read, so the accounts cannot be exported: ${r.problem}`;
      if (isApi(req)) sendJson(res, { error: message }, 500);
      else sendHtml(res, errorPage(d.ctxOf(req, res), 500, message), 500);
      return;
    }
    const now = d.now();
    const parsed = parseAccountsQuery(req.query, now);
    if (parsed.problems.length) {
      if (isApi(req)) sendJson(res, { error: parsed.problems.join('; ') }, 400);
      else sendHtml(res, errorPage(d.ctxOf(req, res), 400, parsed.problems.join('; ')), 400);
      return;
    }
    const { scope: _scope, ...filter } = parsed.filter;
    const { doc, data } = await d.access.review(
      d.config, r.roster, { now, by: `${user.name} (web)`, ...parsed.period, scope: parsed.scope, filter, filterText: parsed.filterText },
      async (doc) => ({ doc, data: kind === 'csv' ? Buffer.from(accountsCsv(doc), 'utf8') : await reviewPdf(doc) }),
    );
    const file = kind === 'csv' ? 'accounts.csv' : 'report.pdf';
    const sha256 = sha256Hex(data);
    await d.access.logActivity({ at: now, user: user.name, address: clientAddress(req), action: 'export', detail: { file, view: parsed.filterText, rows: doc.rows.length, bytes: data.byteLength, sha256, period: doc.header.period } });
    d.log.info({ user: user.name, file, view: parsed.filterText, sha256 }, 'export taken');
    res.type(kind === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/pdf').attachment(downloadName(kind === 'csv' ? 'accounts.csv' : 'accounts.pdf', now)).send(data);
  };
  router.get('/accounts/export.csv', (req, res) => exportView(req, res, 'csv'));
  router.get('/accounts/export.pdf', (req, res) => exportView(req, res, 'pdf'));
  router.get('/api/accounts/export.csv', (req, res) => exportView(req, res, 'csv'));
  router.get('/api/accounts/export.pdf', (req, res) => exportView(req, res, 'pdf'));
}
