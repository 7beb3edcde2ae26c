// The Accounts page and /api/accounts (the population, a page at a time, with filters), and
// "export this view": every row the filters match, as CSV or PDF, for auditors and admins, logged
// like every export. Routes read the query, ask the web's data access for the page (either
// engine), and answer.

import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Severity } from '../reconcile/findings.js';
import { POPULATION_SORTS, SORT_LABELS, sortPopulation, type PopulationSort } from '../reconcile/population-order.js';
import { ROSTER_MATCHES, type AccountKey, type AccountSource, type AccountState, type PopulationContext, type PopulationFilter, type PopulationPage, type PopulationRow } from '../reconcile/population.js';
import type { AccountType } from '../reconcile/roster.js';
import { inventoryNamer, type DeviceRef, type Scope } from '../reconcile/scope.js';
import { isEverywhere, populationContext } from '../report/document.js';
import { accountsCsv } from '../report/formats.js';
import { sha256Hex } from '../report/hash.js';
import { exportPeriod, scopeFrom, scopeTest } from '../report/period.js';
import { reviewPdf } from '../report/pdf.js';
import { readAccountLink, resolveAccountLink } from './account-link.js';
import { authOf, clientAddress, isApi, logRefusal, param, sendHtml, sendJson } from './context.js';
import { checkedQuery } from './query.js';
import { downloadName } from './exports.js';
import type { WebAccess } from './data/access.js';
import type { RosterState } from './roster-state.js';
import { accountsPage, ACCOUNT_QUERY_KEYS, type AccountsQuery, type SortedView } from './views/accounts.js';
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

/** The order asked for: a column (`device`, the stored order, by default) and whether it is turned round. */
export interface AccountsOrder {
  sort: PopulationSort;
  reverse: boolean;
}

/** Whether rows come in the stored order, read a page at a time by cursor (else all are read and sorted). */
export const storedOrder = (o: AccountsOrder): boolean => o.sort === 'device' && !o.reverse;

/** Rows a sorted view sorts at most, and the page reads it takes for them (each at most PAGE_BUDGET candidates). */
export const SORTED_ROWS = 5000;
const SORTED_READS = 20;

/**
 * The matching rows in the order asked for. An order other than the stored one needs every row:
 * they are read a page at a time in the stored order, up to SORTED_ROWS rows or SORTED_READS pages
 * (`complete` false past that: the rows sorted are the first that many in device order), then sorted.
 */
export async function sortedPopulation(access: WebAccess, ctx: PopulationContext, filter: PopulationFilter, order: AccountsOrder): Promise<{ rows: PopulationRow[]; complete: boolean }> {
  const rows: PopulationRow[] = [];
  let after: AccountKey | undefined;
  for (let reads = 1; ; reads++) {
    const page = await access.populationPage(ctx, filter, after, SORTED_ROWS - rows.length);
    rows.push(...page.rows);
    const complete = page.next === undefined;
    if (complete || rows.length >= SORTED_ROWS || reads >= SORTED_READS) return { rows: sortPopulation(rows, order.sort, order.reverse), complete };
    after = page.next;
  }
}

export interface ParsedAccounts {
  query: AccountsQuery;
  filter: PopulationFilter;
  order: AccountsOrder;
  scope: Scope;
  period: { from: number; to: number };
  problems: string[];
  filterText: string;
}

/** The parameters a view reads besides its filters: a sorted view's offset, the stored order's cursor. */
const PAGING_KEYS = ['offset', 'afterDevice', 'afterAccount', 'afterStarts', 'afterSha256'] as const;

/**
 * The query as typed, what it filters, and what is wrong with it (a bad value is dropped and said).
 * A parameter given more than once (`device=a&device=b`) is refused like a bad value:
 * read as absent it would widen the view to every account while the rows said nothing of it.
 */
export function parseAccountsQuery(source: unknown, now: number, deviceName: (name: string) => string = (n) => n): ParsedAccounts {
  const query: AccountsQuery = {};
  const problems: string[] = [];
  for (const k of [...ACCOUNT_QUERY_KEYS, ...PAGING_KEYS]) {
    const given = source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[k] : undefined;
    if (given !== undefined && typeof given !== 'string') problems.push(`${k}: given once`);
  }
  for (const k of ACCOUNT_QUERY_KEYS) {
    const v = param(source, k, 256);
    if (v !== undefined) query[k] = v;
  }
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
    filter.device = deviceName(query.device);
    words.push(`device ${filter.device}`);
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
  // The order: a column of the whitelist, anything else refused as a bad filter is.
  const sort = oneOf(POPULATION_SORTS, query.sort);
  if (query.sort !== undefined && sort === undefined) {
    problems.push(`sort: one of ${POPULATION_SORTS.join(', ')}`);
    delete query.sort;
  }
  if (query.reverse !== undefined && query.reverse !== '1') {
    problems.push('reverse: 1, or none');
    delete query.reverse;
  }
  const order: AccountsOrder = { sort: sort ?? 'device', reverse: query.reverse === '1' };
  if (!storedOrder(order)) words.push(`sorted by ${SORT_LABELS[order.sort]}${order.reverse ? ', the other way round' : ''}`);
  const scope = scopeFrom((query.devices ?? '').split(','), query.group ? [query.group] : [], query.platform ? [query.platform] : []);
  if (!isEverywhere(scope)) filter.scope = scopeTest(scope);
  let period = exportPeriod(query.from, query.to, now);
  if ('problem' in period) {
    problems.push(period.problem);
    delete query.from;
    delete query.to;
    period = exportPeriod(undefined, undefined, now) as { from: number; to: number };
  }
  return { query, filter, order, scope, period, problems, filterText: words.join(', ') || 'all accounts' };
}

/** How long a sorted view's rows serve its next pages, and how many views are kept. */
const SORTED_KEEP_MS = 30_000;
const SORTED_VIEWS = 4;

export function setupAccounts(router: Router, d: AccountsDeps): void {
  const groups = [...new Set([...d.inventory.values()].flatMap((x) => x.groups))].sort();
  const platforms = [...new Set([...d.inventory.values()].map((x) => x.platform))].sort();
  // A sorted view reads every matching row (~60–110 µs of CPU a row, up to SORTED_ROWS: 0.3–0.55 s
  // at 5,000, bench store of 200,000 records, load 16): its next pages, asked for within
  // SORTED_KEEP_MS, are cut from the rows already sorted, and page after page shows one moment.
  const views = new Map<string, { at: number; roster: RosterState; rows: PopulationRow[]; complete: boolean }>();
  const sortedView = async (key: string, read: () => ReturnType<typeof sortedPopulation>): Promise<{ rows: PopulationRow[]; complete: boolean }> => {
    const now = d.now();
    const roster = d.roster();
    for (const [k, v] of views) if (now - v.at > SORTED_KEEP_MS || v.roster !== roster) views.delete(k);
    const kept = views.get(key);
    if (kept) return kept;
    const view = { at: now, roster, ...(await read()) };
    if (views.size >= SORTED_VIEWS) views.delete(views.keys().next().value!);
    views.set(key, view);
    return view;
  };

  const deviceName = inventoryNamer(d.inventory);
  const page = async (req: Request): Promise<{ parsed: ParsedAccounts; after: AccountKey | undefined; result: PopulationPage; sorted?: SortedView }> => {
    const parsed = parseAccountsQuery(req.query, d.now(), deviceName);
    const given = typeof req.query.offset === 'string' ? req.query.offset : undefined;
    const offset = given !== undefined && /^\d{1,6}$/.test(given) ? Number(given) : 0;
    if (given !== undefined && !/^\d{1,6}$/.test(given)) parsed.problems.push('offset: a whole number');
    // The stored order pages by key (`next`: afterDevice and afterAccount): an offset there would be
    // read as none, and a client paging by it would be given the first page again and again.
    else if (given !== undefined && storedOrder(parsed.order)) parsed.problems.push('offset: pages a sorted view (sort=…); this order pages by afterDevice and afterAccount');
    // The API refuses a bad query before reading anything (the page shows what it can, with the problems).
    if (parsed.problems.length && isApi(req)) return { parsed, after: undefined, result: { rows: [] } };
    const ctx = populationContext(d.config, d.roster().index, parsed.period.from, parsed.period.to, d.inventory);
    if (!storedOrder(parsed.order)) {
      // Sorted: every matching row (bounded), sorted, a page taken at `offset`.
      // The view: its filters, order and period as asked for (the offset aside); a roster read again makes it anew.
      const key = JSON.stringify(parsed.query);
      const all = await sortedView(key, () => sortedPopulation(d.access, ctx, parsed.filter, parsed.order));
      const rows = all.rows.slice(offset, offset + d.pageSize);
      return { parsed, after: undefined, result: { rows }, sorted: { offset, total: all.rows.length, complete: all.complete, pageSize: d.pageSize } };
    }
    // As given, untrimmed: a cursor is a key, and names may end in spaces.
    const afterDevice = typeof req.query.afterDevice === 'string' ? req.query.afterDevice.slice(0, 1024) : undefined;
    let afterAccount = typeof req.query.afterAccount === 'string' ? req.query.afterAccount.slice(0, 1024) : undefined;
    // A long account's cursor is its key; a key no row of the period answers (a candidate the page
    // passed over) starts from its prefix: rows may be shown again, none skipped.
    const link = readAccountLink(req.query, 'afterStarts', 'afterSha256');
    if (afterDevice !== undefined && link) afterAccount = (await resolveAccountLink(d.access, ctx, afterDevice, link)) ?? link.starts;
    const after = afterDevice !== undefined && afterAccount !== undefined ? { device: afterDevice, account: afterAccount } : undefined;
    return { parsed, after, result: await d.access.populationPage(ctx, parsed.filter, after, d.pageSize) };
  };

  router.get('/accounts', async (req, res) => {
    const { parsed, after, result, sorted } = await page(req);
    const problem = d.roster().problem;
    sendHtml(
      res,
      accountsPage(d.ctxOf(req, res), {
        query: parsed.query, page: result, paged: after !== undefined, groups, platforms, period: parsed.period, order: parsed.order, ...(sorted ? { sorted } : {}),
        problems: [...parsed.problems, ...(problem ? [`The roster cannot be read, so roster standing is not shown: ${problem}`] : [])],
      }),
    );
  });

  router.get('/api/accounts', checkedQuery([...ACCOUNT_QUERY_KEYS, ...PAGING_KEYS], d.ctxOf), async (req, res) => {
    const { parsed, result, sorted } = await page(req);
    if (parsed.problems.length) {
      sendJson(res, { error: parsed.problems.join('; ') }, 400);
      return;
    }
    sendJson(res, {
      period: { from: new Date(parsed.period.from).toISOString(), to: new Date(parsed.period.to).toISOString() },
      sort: parsed.order.sort,
      reverse: parsed.order.reverse,
      accounts: result.rows,
      next: result.next ?? null,
      budgetSpent: result.budgetSpent === true,
      // A sorted view pages by offset into every matching row (sortedAll: false when more rows matched than were sorted).
      ...(sorted
        ? { offset: sorted.offset, nextOffset: sorted.offset + sorted.pageSize < sorted.total ? sorted.offset + sorted.pageSize : null, total: sorted.total, sortedAll: sorted.complete }
        : {}),
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
    const parsed = parseAccountsQuery(req.query, now, deviceName);
    if (parsed.problems.length) {
      if (isApi(req)) sendJson(res, { error: parsed.problems.join('; ') }, 400);
      else sendHtml(res, errorPage(d.ctxOf(req, res), 400, parsed.problems.join('; ')), 400);
      return;
    }
    const { scope: _scope, ...filter } = parsed.filter;
    const { doc, data } = await d.access.review(
      d.config, r.roster, { now, by: `${user.name} (web)`, ...parsed.period, scope: parsed.scope, filter, filterText: parsed.filterText },
      async (doc) => {
        // The view's order: the export lists its rows as the page does.
        const view = storedOrder(parsed.order) ? doc : { ...doc, rows: sortPopulation(doc.rows, parsed.order.sort, parsed.order.reverse) };
        return { doc: view, data: kind === 'csv' ? Buffer.from(accountsCsv(view), 'utf8') : await reviewPdf(view) };
      },
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
