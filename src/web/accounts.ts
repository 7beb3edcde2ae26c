// The Accounts page and /api/accounts (the population, a page at a time, with filters), and
// "export this view": every row the filters match, as CSV or PDF, for auditors and admins, logged
// like every export. Routes read the query, ask the web's data access for the page (either
// engine), and answer.

import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { EARLY_KEYED, populationComparator, sortPopulation } from '../reconcile/population-order.js';
import type { AccountKey, PopulationContext, PopulationFilter, PopulationPage, PopulationRow } from '../reconcile/population.js';
import { inventoryNamer, type DeviceRef } from '../reconcile/scope.js';
import { populationContext } from '../report/document.js';
import { accountsCsv, typedRow } from '../report/formats.js';
import { sha256Hex } from '../report/hash.js';
import { reviewPdf } from '../report/pdf.js';
import { accountsPosition, inOrder, PAGING_KEYS, parseAccountsQuery, storedOrder, type AccountsOrder, type ParsedAccounts } from './accounts-query.js';
import { resolveAccountLink } from './account-link.js';
import { authOf, clientAddress, isApi, logRefusal, sendHtml, sendJson } from './context.js';
import { checkedQuery, stalePosition } from './query.js';
import { downloadName } from './exports.js';
import type { WebAccess } from './data/access.js';
import type { RosterState } from './roster-state.js';
import { accountsPage, ACCOUNT_QUERY_KEYS, nextOffset, type SortedView } from './views/accounts.js';
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

/** Rows a sorted view reads from the stored order at a time, between which other requests are served. */
const SORT_CHUNK = 500;
/**
 * The deepest row a sorted view pages to: it keeps that many rows (the best so far) while it reads
 * every matching row, so its memory is bounded whatever the population (at most this many rows a
 * view, SORTED_VIEWS views); past it an auditor exports the view, which lists every row in order.
 */
export const SORTED_DEPTH = 10_000;

/**
 * The first `keep` matching rows in the order asked for, and how many rows match: every matching
 * row is read in the stored order, a chunk at a time (yielding to other requests between chunks),
 * and only the best `keep` so far are kept — a streaming top-k, so a critical row 100,000 rows into
 * device order is first when sorted by severity, in memory for `keep` rows, not the population.
 * Chunks are separate reads: a row changed while the view is read shows as the read found it.
 */
export async function sortedPopulation(access: WebAccess, ctx: PopulationContext, filter: PopulationFilter, order: AccountsOrder, keep: number): Promise<{ rows: PopulationRow[]; total: number }> {
  let best: PopulationRow[] = [];
  let pending: PopulationRow[] = [];
  let total = 0;
  const settle = (): void => {
    // Each merge sorts at most keep + max(keep, SORT_CHUNK) rows: O(n log keep) over the whole read.
    best = sortPopulation(best.concat(pending), order.sort, order.reverse).slice(0, keep);
    pending = [];
  };
  // A row that sorts after the last row kept at the latest merge cannot be kept (that row only
  // moves up): it is counted without the rest of its row being read (population.ts `countOnly`):
  // 1,531 against 1,862 ms CPU a severity/findings view of ~50,000 rows (BENCHMARKS.md, bench:web, sort15o).
  const compare = populationComparator(order.sort, order.reverse);
  const counted = new WeakSet<PopulationRow>();
  const countOnly = EARLY_KEYED.has(order.sort)
    ? (partial: PopulationRow): boolean => {
        const last = best.length === keep ? best[keep - 1] : undefined;
        if (last === undefined || compare(partial, last) <= 0) return false;
        counted.add(partial);
        return true;
      }
    : undefined;
  const read = countOnly ? { ...ctx, countOnly } : ctx;
  let after: AccountKey | undefined;
  for (;;) {
    const page = await access.populationPage(read, filter, after, SORT_CHUNK);
    total += page.rows.length;
    for (const r of page.rows) if (!counted.has(r)) pending.push(r);
    if (pending.length >= Math.max(keep, SORT_CHUNK)) settle();
    if (page.next === undefined) break;
    after = page.next;
    // SQLite answers synchronously: without this a view of 200,000 rows held the web thread for its whole read.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  settle();
  return { rows: best, total };
}

/** How long a sorted view's rows serve its next pages, how many views are kept, and how many pages ahead a view keeps. */
const SORTED_KEEP_MS = 30_000;
const SORTED_VIEWS = 4;
const PAGES_AHEAD = 10;

export function setupAccounts(router: Router, d: AccountsDeps): void {
  const groups = [...new Set([...d.inventory.values()].flatMap((x) => x.groups))].sort();
  const platforms = [...new Set([...d.inventory.values()].map((x) => x.platform))].sort();
  // A sorted view reads every matching row (~60–110 µs of CPU a row: seconds at 100,000 rows, see
  // BENCHMARKS.md "bench:web"): its next PAGES_AHEAD pages, asked for within SORTED_KEEP_MS, are
  // cut from the rows already sorted, and page after page shows one moment. A view being read is
  // shared by the requests for it (the promise is kept), so a reload does not start a second read.
  type View = { rows: PopulationRow[]; total: number };
  const views = new Map<string, { at: number; roster: RosterState; keep: number; view: Promise<View> }>();
  const sortedView = async (key: string, need: number, read: (keep: number) => Promise<View>): Promise<View> => {
    const now = d.now();
    const roster = d.roster();
    for (const [k, v] of views) if (now - v.at > SORTED_KEEP_MS || v.roster !== roster) views.delete(k);
    const kept = views.get(key);
    if (kept && kept.keep >= need) return kept.view;
    const keep = Math.min(SORTED_DEPTH, need + (PAGES_AHEAD - 1) * d.pageSize);
    const view = read(keep);
    views.delete(key);
    if (views.size >= SORTED_VIEWS) views.delete(views.keys().next().value!);
    const entry = { at: now, roster, keep, view };
    views.set(key, entry);
    // A view that holds every matching row serves any page; one that failed is not kept (the next request reads again).
    view.then((v) => void (v.rows.length === v.total && (entry.keep = Infinity)), () => views.get(key) === entry && views.delete(key));
    return view;
  };

  const deviceName = inventoryNamer(d.inventory);
  /** A view's page; `stale` when its position is none a page link gives (accounts-query.ts accountsPosition): nothing read. */
  const page = async (req: Request): Promise<{ parsed: ParsedAccounts; after: AccountKey | undefined; result: PopulationPage; sorted?: SortedView; stale?: ReturnType<typeof accountsPosition> }> => {
    const parsed = parseAccountsQuery(req.query, d.now(), deviceName);
    const position = accountsPosition(req.query, parsed.order);
    if (position.problem !== undefined) {
      parsed.problems.push(position.problem);
      return { parsed, after: undefined, result: { rows: [] }, stale: position };
    }
    const offset = position.offset ?? 0;
    if (offset >= SORTED_DEPTH) parsed.problems.push(`offset: a sorted view pages through its first ${SORTED_DEPTH} rows; export the view for every row in this order`);
    // The API refuses a bad query before reading anything (the page shows what it can, with the problems).
    if (parsed.problems.length && isApi(req)) return { parsed, after: undefined, result: { rows: [] } };
    const ctx = populationContext(d.config, d.roster().index, parsed.period.from, parsed.period.to, d.inventory);
    if (!storedOrder(parsed.order)) {
      // Sorted: every matching row read, the best offset + page size (and some pages ahead) kept, a page taken at `offset`.
      // The view: its filters, order and period as asked for (the offset aside); a roster read again makes it anew.
      const at = offset < SORTED_DEPTH ? offset : 0;
      const key = JSON.stringify(parsed.query);
      const all = await sortedView(key, Math.min(SORTED_DEPTH, at + d.pageSize), (keep) => sortedPopulation(d.access, ctx, parsed.filter, parsed.order, keep));
      const rows = all.rows.slice(at, at + d.pageSize);
      return { parsed, after: undefined, result: { rows }, sorted: { offset: at, total: all.total, depth: SORTED_DEPTH, pageSize: d.pageSize } };
    }
    let after: AccountKey | undefined;
    if (position.after) {
      // A long account's cursor is its key; a key no row of the period answers (a candidate the page
      // passed over) starts from its prefix: rows may be shown again, none skipped.
      const { device, account } = position.after;
      after = { device, account: typeof account === 'string' ? account : ((await resolveAccountLink(d.access, ctx, device, account)) ?? account.starts) };
    }
    return { parsed, after, result: await d.access.populationPage(ctx, parsed.filter, after, d.pageSize) };
  };

  router.get('/accounts', async (req, res) => {
    const { parsed, after, result, sorted, stale } = await page(req);
    if (stale) {
      stalePosition(req, res, d.ctxOf(req, res), stale.given, PAGING_KEYS, parsed.problems.join('; '));
      return;
    }
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
      accounts: result.rows.map(typedRow),
      next: result.next ?? null,
      budgetSpent: result.budgetSpent === true,
      // A sorted view pages by offset into every matching row, sorted whole (sortedAll: always, since
      // the order is over the whole population; it said false when only the first 5,000 rows were),
      // through its first SORTED_DEPTH rows.
      ...(sorted
        ? { offset: sorted.offset, nextOffset: nextOffset(sorted), total: sorted.total, sortedAll: true }
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
        const view = inOrder(doc, parsed.order);
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
