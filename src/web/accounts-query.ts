// The Accounts view's query, as the page, the API, "export this view" and `aaawatch accounts` read
// it: the filters, the period and scope, the order; and the review document put in that order. Kept
// apart from the routes so the command line reads the same query without loading the web (or
// pdfkit, which the routes' PDF export loads).

import type { Severity } from '../reconcile/findings.js';
import { POPULATION_SORTS, SORT_LABELS, sortPopulation, type PopulationSort } from '../reconcile/population-order.js';
import { ROSTER_MATCHES, type AccountSource, type AccountState, type PopulationFilter } from '../reconcile/population.js';
import type { AccountType } from '../reconcile/roster.js';
import type { Scope } from '../reconcile/scope.js';
import { isEverywhere, type ExportDocument } from '../report/document.js';
import { exportPeriod, SCOPE_TEXT_CHARS, scopeFrom, scopeListProblem, scopeTest } from '../report/period.js';
import { readAccountLink, type AccountLink } from './account-link.js';
import { param } from './context.js';
import { wholeNumber } from './paging.js';
import { ACCOUNT_QUERY_KEYS, type AccountsQuery } from './views/accounts.js';

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

/** The review document with its rows in the view's order: the export (and `aaawatch accounts`) lists them as the page does. */
export function inOrder(doc: ExportDocument, order: AccountsOrder): ExportDocument {
  return storedOrder(order) ? doc : { ...doc, rows: sortPopulation(doc.rows, order.sort, order.reverse) };
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
export const PAGING_KEYS = ['offset', 'afterDevice', 'afterAccount', 'afterStarts', 'afterSha256'] as const;

/** The stored order's position as a Next link writes it: the last row's device, and its account whole or by its key (account-link.ts). */
export interface AccountsPosition {
  device: string;
  account: string | AccountLink;
}

/** The longest device or account a position carries: no page link writes a longer one (a long account goes by its key). */
const POSITION_CHARS = 1024;

/**
 * The view's position (`offset` in a sorted view, the stored order's cursor), or what is wrong with
 * it: `problem` names a position no page link gives — not a number, cut, half a cursor, or one of
 * the other order's — which was read as none, so a client paging by it was given the first page
 * again with no word why. `given` holds each position parameter given (a stale link shows them).
 */
export function accountsPosition(source: unknown, order: AccountsOrder): { offset?: number; after?: AccountsPosition; problem?: string; given: Array<readonly [string, string]> } {
  const q = source !== null && typeof source === 'object' ? (source as Record<string, unknown>) : {};
  const text = (k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const given = PAGING_KEYS.flatMap((k) => (text(k) === undefined ? [] : [[k, text(k)!] as const]));
  const keys = given.filter(([k]) => k !== 'offset');
  const offsetText = text('offset');
  if (storedOrder(order)) {
    // The stored order pages by key: an offset there would be read as none.
    if (offsetText !== undefined) return { given, problem: 'offset: pages a sorted view (sort=…); this order pages by afterDevice and afterAccount' };
  } else {
    if (keys.length) return { given, problem: `${keys.map(([k]) => k).join(', ')}: page the order by device; a sorted view (sort=…) pages by offset` };
    if (offsetText === undefined) return { given };
    // `offset=+20` typed unencoded reads " 20": the number all the same (wholeNumber).
    const offset = wholeNumber(offsetText, 6);
    return offset === undefined ? { given, problem: 'offset: a whole number' } : { given, offset };
  }
  if (keys.length === 0) return { given };
  const cursor = 'afterDevice with afterAccount, or with afterStarts and afterSha256, as a Next link gives them';
  const device = text('afterDevice');
  const account = typeof q.afterAccount === 'string' ? q.afterAccount : undefined;
  const byKey = text('afterStarts') !== undefined || text('afterSha256') !== undefined;
  const link = byKey ? readAccountLink(q, 'afterStarts', 'afterSha256') : undefined;
  // As given, untrimmed: a cursor is a key, and names may end in spaces.
  if (device === undefined || device.length > POSITION_CHARS || (byKey ? link === undefined || account !== undefined : account === undefined || account.length > POSITION_CHARS)) {
    return { given, problem: `${keys.map(([k]) => k).join(', ')}: a position as a page link gives it (${cursor})` };
  }
  return { given, after: { device, account: link ?? account! } };
}

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
    // A list of devices read whole, as /exports reads it (up to 50 names of 256 characters): cut at
    // 256 characters, 30 devices typed read as the first few and one cut short, and scopeFrom
    // dropped every name past the 50th, a narrower view that looked like the one asked for.
    const v = param(source, k, k === 'devices' ? SCOPE_TEXT_CHARS + 1 : 256);
    if (v !== undefined) query[k] = v;
  }
  if (query.devices !== undefined) {
    const bound = query.devices.length > SCOPE_TEXT_CHARS ? `devices: at most ${SCOPE_TEXT_CHARS} characters` : scopeListProblem('devices', query.devices.split(','));
    if (bound !== undefined) {
      problems.push(bound);
      delete query.devices;
    }
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
