// Findings: the filtered list, and one finding with its attribution, evidence (the raw records
// and the configuration diff), history and the actions the user's role allows.

import type { FindingRow, FindingQuery, HistoryRow, Evidence } from '../data/findings.js';
import { FINDING_KINDS, FINDING_SORTS, SEVERITIES, STATUSES, type FindingSort } from '../data/findings.js';
import type { EventWithRaw } from '../data/events.js';
import { html, type SafeHtml } from '../html.js';
import { typed } from '../../report/text.js';
import type { Page } from '../paging.js';
import { code, csrfField, deviceHref, href, input, layout, pager, rawMessage, select, severityBadge, statusBadge, table, type PageContext } from './layout.js';
import { diffView } from './diff.js';
import { pathHtml } from './decision-path.js';
import { pathFromColumns } from '../../reconcile/decision-path.js';
import { mayDecide } from '../decisions.js';

export function findingQueryParams(q: FindingQuery): Record<string, string | undefined> {
  return {
    kind: q.kind, severity: q.severity, status: q.status === 'unresolved' ? undefined : q.status, device: q.device, account: q.account,
    sort: q.sort === 'severity' ? undefined : q.sort, reverse: q.reverse ? '1' : undefined,
  };
}

const SORT_LABELS: Record<FindingSort, string> = {
  severity: 'severity, most severe first',
  last_seen: 'last seen, newest first',
  first_seen: 'first seen, newest first',
  status: 'status, open first',
  kind: 'kind, A to Z',
  device: 'device, A to Z',
  account: 'account, A to Z',
  id: 'number, newest first',
};

/** A column heading that sorts by its column; on the current sort column it turns the order round. */
function sortHeading(q: FindingQuery, sort: FindingSort, label: string): SafeHtml {
  const current = (q.sort ?? 'severity') === sort;
  const reverse = current && !q.reverse;
  const target = href('/findings', { ...findingQueryParams(q), sort: sort === 'severity' ? undefined : sort, reverse: reverse ? '1' : undefined });
  const mark = current ? html` <span class="sorted" title="sorted by ${SORT_LABELS[sort]}${q.reverse ? ', reversed' : ''}">${q.reverse ? '▲' : '▼'}</span>` : '';
  return html`<a href="${target}" title="sort by ${label.toLowerCase()}${current ? ' the other way round' : ''}">${label}</a>${mark}`;
}

export function findingsPage(ctx: PageContext, q: FindingQuery, page: Page<FindingRow>): SafeHtml {
  const form = html`<form class="filters" method="get" action="/findings">
  ${select('kind', 'Kind', [['', 'any'], ...FINDING_KINDS.map((k) => [k, k] as const), ...(q.kind && !(FINDING_KINDS as readonly string[]).includes(q.kind) ? [[q.kind, q.kind] as const] : [])], q.kind)}
  ${select('severity', 'Severity', [['', 'any'], ...SEVERITIES.map((s) => [s, s] as const)], q.severity)}
  ${select('status', 'Status', [['', 'unresolved'], ...STATUSES.map((s) => [s, s] as const), ['any', 'any']], q.status === 'unresolved' ? '' : q.status)}
  ${input('device', 'Device', q.device)}
  ${input('account', 'Account', q.account)}
  ${select('sort', 'Sort by', FINDING_SORTS.map((k) => [k === 'severity' ? '' : k, SORT_LABELS[k]] as const), q.sort === 'severity' ? '' : q.sort)}
  <label><input type="checkbox" name="reverse" value="1"${q.reverse ? html` checked` : ''}> reversed</label>
  <button type="submit">Filter</button> <a href="/findings">Clear</a>
</form>`;
  const rows = page.rows.map((f) => [
    html`<a href="/findings/${f.id}">#${f.id}</a>`,
    severityBadge(f.severity),
    statusBadge(f.status),
    html`<a href="${href('/findings', { ...findingQueryParams(q), kind: f.kind })}">${f.kind}</a>`,
    html`<a href="${deviceHref(f.device)}">${code(f.device, 40)}</a>`,
    code(f.account, 40),
    html`<span class="summary">${(f.attribution ?? f.summary).slice(0, 200)}</span>`,
    ctx.time(f.last_seen),
  ]);
  return layout(
    ctx,
    'Findings',
    html`${form}${table(
      [
        sortHeading(q, 'id', '#'), sortHeading(q, 'severity', 'Severity'), sortHeading(q, 'status', 'Status'), sortHeading(q, 'kind', 'Kind'),
        sortHeading(q, 'device', 'Device'), sortHeading(q, 'account', 'Account'), 'Summary', sortHeading(q, 'last_seen', 'Last seen'),
      ],
      rows,
      'No findings match.',
    )}
${pager('/findings', page, findingQueryParams(q), undefined, { newer: '← Previous', first: 'First', older: 'Next →' })}`,
  );
}

export interface FindingModel {
  finding: FindingRow;
  history: HistoryRow[];
  evidence: Evidence;
  events: EventWithRaw[];
  /** The unified diff of the snapshots the finding cites, when it cites any. */
  diff?: { from: number; to: number; text: string };
}

function historyTable(ctx: PageContext, rows: readonly HistoryRow[]): SafeHtml {
  return table(
    ['When', 'By', 'From', 'To', 'Severity', 'Reason', 'Until'],
    rows.map((h) => [ctx.time(h.at), html`${code(h.by, 60)}<br>${pathHtml(pathFromColumns(h))}`, h.from_status ? statusBadge(h.from_status) : '—', statusBadge(h.to_status), h.severity ?? '—', typed(h.reason) ?? '', h.until === null ? '' : ctx.time(h.until)]),
    'No history.',
  );
}

function evidenceTable(ctx: PageContext, events: readonly EventWithRaw[]): SafeHtml {
  return html`<ol class="records">${events.map(
    (e) => html`<li><div class="meta">${ctx.time(e.time)} · <a href="${deviceHref(e.device)}">${code(e.device, 60)}</a> · ${e.kind}/${e.action}${e.actor ? html` · by ${code(e.actor, 60)}` : ''}${e.actor_address ? html` from ${code(e.actor_address, 60)}` : ''}${e.target ? html` · account ${code(e.target, 60)}` : ''}${e.path ? html` · over ${e.path}` : ''}${e.technique ? html` · ATT&amp;CK ${e.technique}` : ''} · record ${e.id}${e.collector !== undefined ? html` · received by collector ${code(e.collector, 60)}` : ''}</div>
${e.command ? html`<div>command: ${code(e.command, 400)}</div>` : ''}
${rawMessage(e)}</li>`,
  )}</ol>`;
}

function actions(ctx: PageContext, f: FindingRow): SafeHtml {
  if (f.status === 'resolved') return html`<p>Resolved findings take no further decision; a condition that returns is raised as a new finding.</p>`;
  const role = ctx.user.role;
  const reason = html`<label>Reason <input type="text" name="reason" required maxlength="1000"></label>`;
  const form = (action: string, title: string, extra: SafeHtml | string = ''): SafeHtml =>
    html`<form method="post" action="/findings/${f.id}/${action}" class="action">${csrfField(ctx.csrf)}<h3>${title}</h3>${reason}${extra}<button type="submit">${title}</button></form>`;
  const forms: SafeHtml[] = [];
  if (mayDecide(role, 'acknowledge') && f.status === 'open') forms.push(form('acknowledge', 'Acknowledge'));
  if (mayDecide(role, 'accept')) forms.push(form('accept', f.status === 'accepted' ? 'Renew acceptance' : 'Accept the risk', html`<label>Until (UTC date) <input type="date" name="until" required></label>`));
  if (mayDecide(role, 'resolve')) forms.push(form('resolve', 'Resolve'));
  if (mayDecide(role, 'reopen') && f.status !== 'open') forms.push(form('reopen', 'Reopen'));
  return forms.length ? html`<div class="actions">${forms}</div>` : html`<p class="note">Your role (${role}) may read findings but not decide on them.</p>`;
}

export function findingPage(ctx: PageContext, m: FindingModel, notice?: string): SafeHtml {
  const f = m.finding;
  const facts = html`<dl class="facts">
  <dt>Severity</dt><dd>${severityBadge(f.severity)}</dd>
  <dt>Status</dt><dd>${statusBadge(f.status)}${f.accepted_until !== null ? html` until ${ctx.time(f.accepted_until)}` : ''}</dd>
  <dt>Kind</dt><dd>${f.kind}${f.technique ? html` · ATT&amp;CK ${f.technique}` : ''}</dd>
  <dt>Device</dt><dd><a href="${deviceHref(f.device)}">${code(f.device, 120)}</a></dd>
  <dt>Account</dt><dd>${code(f.account || null, 120)}</dd>
  <dt>First seen</dt><dd>${ctx.time(f.first_seen)}</dd>
  <dt>Last seen</dt><dd>${ctx.time(f.last_seen)} (${f.occurrences} time${f.occurrences === 1 ? '' : 's'})</dd>
</dl>`;
  const other = Object.entries(m.evidence.other);
  return layout(
    ctx,
    `Finding #${f.id}`,
    html`${notice ? html`<p class="notice">${notice}</p>` : ''}
<p class="attribution">${f.attribution ?? f.summary}</p>
${f.attribution && f.attribution !== f.summary ? html`<p class="summary">${f.summary}</p>` : ''}
${facts}
<h2>Decide</h2>${actions(ctx, f)}
<h2>Evidence</h2>
<h3>Records (${m.events.length})</h3>${m.events.length ? evidenceTable(ctx, m.events) : html`<p class="empty">No records cited.</p>`}
<h3>Configuration</h3>${m.diff ? html`<p>Snapshot ${m.diff.from} → ${m.diff.to} (<a href="${href(deviceHref(f.device), { from: m.diff.from, to: m.diff.to })}#diff">on the device page</a>)</p>${diffView(m.diff.text)}` : html`<p class="empty">No snapshot cited.</p>`}
${other.length ? html`<h3>Other evidence</h3><dl class="facts">${other.map(([k, v]) => html`<dt>${k}</dt><dd>${code(typeof v === 'string' ? v : JSON.stringify(v), 400)}</dd>`)}</dl>` : ''}
<h2>History</h2>${historyTable(ctx, m.history)}`,
  );
}
