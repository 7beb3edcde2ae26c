// The audit trail: account, command and session records searched by device, actor, target,
// kind, time range and text.

import { EVENT_KINDS, type EventQuery, type EventRow } from '../data/events.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import type { Page } from '../paging.js';
import { isoUtc } from '../time.js';
import { code, deviceHref, href, input, layout, pager, select, table, type PageContext } from './layout.js';
import { auditHref, linkTo } from './links.js';

export const EVENT_HEADERS = ['Time', 'Device', 'Kind', 'Action', 'Actor', 'From', 'Account', 'Privilege', 'Path', 'Command'];

/** Rows from a store that several collectors write (PostgreSQL) say which collector received each. */
const fromCollectors = (rows: readonly EventRow[]): boolean => rows.some((e) => e.collector !== undefined);

export function eventHeaders(rows: readonly EventRow[]): string[] {
  return fromCollectors(rows) ? [...EVENT_HEADERS.slice(0, 2), 'Collector', ...EVENT_HEADERS.slice(2)] : EVENT_HEADERS;
}

export function eventRows(ctx: PageContext, rows: readonly EventRow[]): HtmlValue[][] {
  const collectors = fromCollectors(rows);
  return rows.map((e) => [
    ctx.time(e.time),
    html`<a href="${deviceHref(e.device)}">${code(e.device, 40)}</a>`,
    ...(collectors ? [code(e.collector ?? null, 40)] : []),
    e.kind,
    e.action,
    e.actor ? html`<a href="${href('/audit', { actor: e.actor })}">${code(e.actor, 40)}</a>` : code(null),
    code(e.actor_address, 40),
    e.target ? linkTo(auditHref(undefined, e.target), code(e.target, 40)) : code(null),
    code(e.privilege ?? e.role ?? e.grp, 30),
    e.path ?? '',
    code(e.command, 120),
  ]);
}

/** The query as the form and the pager links carry it (times as typed back in UTC). */
export function auditQueryParams(q: EventQuery): Record<string, string | undefined> {
  return {
    device: q.device,
    actor: q.actor,
    target: q.target,
    kind: q.kind,
    from: q.from === undefined ? undefined : isoUtc(q.from).slice(0, 16),
    to: q.to === undefined ? undefined : isoUtc(q.to).slice(0, 16),
    text: q.text,
  };
}

export function auditPage(ctx: PageContext, q: EventQuery, page: Page<EventRow>, problems: readonly string[]): SafeHtml {
  const p = auditQueryParams(q);
  const form = html`<form class="filters" method="get" action="/audit">
  ${input('device', 'Device', q.device)}
  ${input('actor', 'Actor', q.actor)}
  ${input('target', 'Account', q.target)}
  ${select('kind', 'Kind', [['', 'any'], ...EVENT_KINDS.map((k) => [k, k] as const)], q.kind)}
  ${input('from', 'From (UTC)', p.from, { type: 'datetime-local' })}
  ${input('to', 'To (UTC)', p.to, { type: 'datetime-local' })}
  ${input('text', 'Text', q.text, { placeholder: 'in command, account, actor, address' })}
  <button type="submit">Search</button> <a href="/audit">Clear</a>
</form>`;
  return layout(
    ctx,
    'Audit trail',
    html`${form}${problems.length ? html`<ul class="error">${problems.map((m) => html`<li>${m}</li>`)}</ul>` : ''}
${table(eventHeaders(page.rows), eventRows(ctx, page.rows), 'No records match.', 'events')}
${pager('/audit', page, p, ctx.time)}`,
  );
}
