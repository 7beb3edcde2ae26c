// The Accounts page: the population an auditor samples from — one row per device and account in
// the period (pulled, syslog-only, removed, missing) with its roster standing, owner, approval,
// who created it, last login and its findings with the decisions on them — with filters, pages,
// and "export this view".

import { pathWords } from '../../reconcile/attribution.js';
import { SORT_LABELS, type PopulationSort } from '../../reconcile/population-order.js';
import { ROSTER_MATCHES, type PopulationPage, type PopulationRow } from '../../reconcile/population.js';
import { html, type SafeHtml } from '../html.js';
import { typed } from '../../report/text.js';
import { code, deviceHref, href, input, layout, mayAudit, noLoginSeen, select, severityBadge, statusBadge, table, type PageContext } from './layout.js';
import { accountLink } from '../account-link.js';
import { caseHref } from './links.js';
import { pathHtml } from './decision-path.js';

/** The Accounts page's query as typed: every filter, the period and the scope. */
export interface AccountsQuery {
  device?: string;
  devices?: string;
  group?: string;
  platform?: string;
  account?: string;
  roster?: string;
  source?: string;
  state?: string;
  type?: string;
  findings?: string;
  severity?: string;
  from?: string;
  to?: string;
  /** A column of POPULATION_SORTS; none: the stored order (device, account). */
  sort?: string;
  /** `1`: the order turned round. */
  reverse?: string;
}

export const ACCOUNT_QUERY_KEYS = ['device', 'devices', 'group', 'platform', 'account', 'roster', 'source', 'state', 'type', 'findings', 'severity', 'from', 'to', 'sort', 'reverse'] as const;

/** A page of a sorted view: where in the sorted rows it starts, how many rows match, how deep its pages reach. */
export interface SortedView {
  offset: number;
  total: number;
  /** Rows the pages reach (every matching row is sorted; an export lists those past it). */
  depth: number;
  pageSize: number;
}

/** The next page's offset, or null on the last page (or the last within the depth). */
export const nextOffset = (s: SortedView): number | null => (s.offset + s.pageSize < Math.min(s.total, s.depth) ? s.offset + s.pageSize : null);

export interface AccountsModel {
  query: AccountsQuery;
  page: PopulationPage;
  /** Where the page started (the cursor it was asked for), for the "first page" link. */
  paged: boolean;
  problems: string[];
  groups: string[];
  platforms: string[];
  period: { from: number; to: number };
  order: { sort: PopulationSort; reverse: boolean };
  /** Set for an order other than the stored one. */
  sorted?: SortedView;
}

const SOURCES: ReadonlyArray<readonly [string, string]> = [['', 'any'], ['pulled', 'pulled'], ['syslog', 'syslog only'], ['roster', 'roster only (missing)']];
const STATES: ReadonlyArray<readonly [string, string]> = [['', 'any'], ['present', 'present'], ['removed', 'removed in the period'], ['missing', 'missing']];
const TYPES = ['human', 'service', 'shared', 'break-glass', 'vendor'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

function rosterBadge(m: string): SafeHtml {
  const cls = m === 'authorised' ? 'ok' : m === 'no roster' ? 'st-unknown' : 'bad';
  return html`<span class="badge ${cls}">${m}</span>`;
}

function knownFrom(ctx: PageContext, r: PopulationRow): SafeHtml {
  const where = r.source === 'pulled' ? 'pull' : r.source === 'syslog' ? 'syslog only' : 'roster only';
  const state =
    r.state === 'removed' ? html`<br><span class="bad">removed</span> ${ctx.time(r.removedAt)}${r.removedBy ? html` by ${code(r.removedBy, 40)}` : ''}`
    : r.state === 'missing' ? html`<br><span class="bad">missing</span>`
    : '';
  return html`${where}${r.inInventory ? '' : html`<br><small class="note">not in inventory</small>`}${state}`;
}

function created(ctx: PageContext, r: PopulationRow): SafeHtml {
  if (r.state === 'missing') return html`<span class="none">—</span>`;
  // No record names its making (an account a device held at its first pull): said, not left blank.
  if (r.createdAt === null && r.attribution === null) return html`<span class="none">no record names its creation</span>`;
  const who = r.createdBy ? html` by ${code(r.createdBy, 40)}` : '';
  const from = r.createdFrom ? html` from ${code(r.createdFrom, 40)}` : '';
  const path = r.createdPath ? html` over ${pathWords(r.createdPath)}` : '';
  const when = r.createdAt !== null ? ctx.time(r.createdAt) : html`<span class="bad">no record</span>`;
  return html`<span${r.attribution ? html` title="${r.attribution}"` : ''}>${when}${who}${from}${path}</span>`;
}

export function findingsCell(r: PopulationRow): SafeHtml {
  if (!r.findings.length) return html`<span class="none">none</span>`;
  return html`<ul class="plain">${r.findings.map(
    (f) => html`<li><a href="/findings/${f.id}">#${f.id}</a> ${severityBadge(f.severity)} ${f.kind} ${statusBadge(f.status)}${
      f.decision ? html`<br><small>${f.decision.to} by ${code(f.decision.by, 30)} ${pathHtml(f.decision.path)}${f.decision.ticket ? html` [${code(typed(f.decision.ticket), 40)}]` : ''}: ${typed(f.decision.reason)}</small>` : ''
    }</li>`,
  )}</ul>`;
}

/** A column heading that sorts the view by its column (filters kept); on the current column it turns the order round. */
function sortHeading(m: AccountsModel, query: Record<string, string>, sort: PopulationSort, label: string): SafeHtml {
  const current = m.order.sort === sort;
  const reverse = current && !m.order.reverse;
  const { sort: _sort, reverse: _reverse, ...filters } = query;
  const target = href('/accounts', { ...filters, sort: sort === 'device' ? undefined : sort, reverse: reverse ? '1' : undefined });
  const mark = current ? html` <span class="sorted" title="sorted by ${SORT_LABELS[sort]}${m.order.reverse ? ', the other way round' : ''}">${m.order.reverse ? '▲' : '▼'}</span>` : '';
  return html`<a href="${target}" data-sort="${sort}" title="sort by ${SORT_LABELS[sort]}${current ? ', or the other way round' : ''}">${label}</a>${mark}`;
}

/** The stored order's cursor in a link: the last key, a long account by its key (account-link.ts). */
function cursorQuery(last: { device: string; account: string }): Record<string, string> {
  const link = accountLink(last.account);
  return link ? { afterDevice: last.device, afterStarts: link.starts, afterSha256: link.sha256 } : { afterDevice: last.device, afterAccount: last.account };
}

export function accountsPage(ctx: PageContext, m: AccountsModel): SafeHtml {
  const q = m.query;
  const form = html`<form class="filters" method="get" action="/accounts">
  ${input('device', 'Device', q.device)}
  ${input('devices', 'Devices (globs, comma-separated)', q.devices, { placeholder: 'core-*, edge-?' })}
  ${select('group', 'Group', [['', 'any'], ...m.groups.map((g) => [g, g] as const)], q.group)}
  ${select('platform', 'Platform', [['', 'any'], ...m.platforms.map((p) => [p, p] as const)], q.platform)}
  ${input('account', 'Account contains', q.account)}
  ${select('roster', 'Roster', [['', 'any'], ...ROSTER_MATCHES.map((r) => [r, r] as const)], q.roster)}
  ${select('source', 'Known from', SOURCES, q.source)}
  ${select('state', 'State', STATES, q.state)}
  ${select('type', 'Type', [['', 'any'], ...TYPES.map((t) => [t, t] as const)], q.type)}
  ${select('findings', 'Findings', [['', 'any'], ['open', 'with open findings'], ['none', 'without']], q.findings)}
  ${select('severity', 'Severity at least', [['', 'any'], ...SEVERITIES.map((s) => [s, s] as const)], q.severity)}
  ${input('from', 'Period from (UTC)', q.from, { type: 'date' })}
  ${input('to', 'to (UTC)', q.to, { type: 'date' })}
  ${q.sort ? html`<input type="hidden" name="sort" value="${q.sort}">` : ''}${q.reverse ? html`<input type="hidden" name="reverse" value="${q.reverse}">` : ''}
  <button type="submit">Filter</button> <a href="/accounts">Clear</a>
</form>`;
  const rows = m.page.rows.map((r) => [
    html`<a href="${deviceHref(r.device)}">${code(r.device, 40)}</a>`,
    html`<a href="${caseHref(r.device, r.account)}">${code(r.account, 40)}</a>`,
    knownFrom(ctx, r),
    html`${code(r.privilege || null, 40)}${r.superuser ? html` <span class="badge bad">superuser</span>` : ''}${
      r.revoked !== null ? html`<br><small>taken away: ${code(r.revoked, 60)} ${ctx.time(r.revokedAt)}${r.revokedBy ? html` by ${code(r.revokedBy, 40)}` : ''}</small>` : ''
    }`,
    html`${rosterBadge(r.rosterMatch)}${r.allowed ? html`<br><small>allows ${r.allowed}</small>` : ''}`,
    r.type ?? html`<span class="none">—</span>`,
    r.owner ?? html`<span class="none">—</span>`,
    r.approvalRef || r.approver ? html`${r.approvalRef ?? ''}${r.approver ? html`<br><small>${r.approver}</small>` : ''}` : html`<span class="none">—</span>`,
    ctx.time(r.expires),
    created(ctx, r),
    r.lastLogin !== null ? html`${ctx.time(r.lastLogin)}${r.daysInactive !== null ? html`<br><small>${r.daysInactive} d idle</small>` : ''}` : noLoginSeen(r.daysInactive),
    findingsCell(r),
  ]);
  const query = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  const last = m.page.next;
  const links: SafeHtml[] = [];
  const sorted = m.sorted;
  if (sorted) {
    // A sorted view pages by place in the sorted rows.
    if (sorted.offset > 0) links.push(html`<a rel="prev" href="${href('/accounts', { ...query, offset: Math.max(0, sorted.offset - sorted.pageSize) || undefined })}">← Previous</a>`);
    const next = nextOffset(sorted);
    if (next !== null) links.push(html`<a rel="next" href="${href('/accounts', { ...query, offset: next })}">Next →</a>`);
  } else {
    if (m.paged) links.push(html`<a href="${href('/accounts', query)}">First page</a>`);
    if (last) links.push(html`<a rel="next" href="${href('/accounts', { ...query, ...cursorQuery(last) })}">${m.page.budgetSpent ? 'Search further →' : 'Next →'}</a>`);
  }
  const sortNote = sorted
    ? html`<p class="note">Sorted by ${SORT_LABELS[m.order.sort]}${m.order.reverse ? ', the other way round' : ''}: rows ${Math.min(sorted.offset + 1, sorted.total)}–${Math.min(sorted.offset + sorted.pageSize, sorted.total)} of ${sorted.total}${
      sorted.total > sorted.depth ? html` (every matching account sorted; pages reach the first ${sorted.depth}: export this view for every row in this order)` : ''
    }.</p>`
    : '';
  const h = (sort: PopulationSort, label: string): SafeHtml => sortHeading(m, query, sort, label);
  const exportLinks = mayAudit(ctx.user.role)
    ? html`<p class="exports">Export this view (every matching row, not only this page): <a href="${href('/accounts/export.csv', query)}" download>CSV</a> · <a href="${href('/accounts/export.pdf', query)}" download>PDF</a></p>`
    : '';
  return layout(
    ctx,
    'Accounts',
    html`<p>Every account on every device in the period ${ctx.time(m.period.from)} – ${ctx.time(m.period.to)}: found by a pull, seen only in syslog, removed during the period, or required by the roster and missing. Roster standing is as of the end of the period.</p>
${form}${m.problems.length ? html`<ul class="error">${m.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
${exportLinks}
${sortNote}
${table([
  h('device', 'Device'), h('account', 'Account'), 'Known from', h('privilege', 'Privilege'), h('roster', 'Roster'), 'Type', 'Owner', 'Approval', 'Expires',
  html`${h('created', 'Created')} <small>${h('createdBy', 'by')}</small>`, h('lastLogin', 'Last login'),
  html`${h('findings', 'Findings')} <small>${h('severity', 'severity')}</small> and decisions`,
], rows, 'No accounts match.', 'accounts')}
${m.page.budgetSpent ? html`<p class="note">This page looked through its share of accounts without filling; more may match further on.</p>` : ''}
${links.length ? html`<nav class="pager" aria-label="pages">${links.map((l, i) => html`${i ? ' · ' : ''}${l}`)}</nav>` : ''}`,
  );
}
