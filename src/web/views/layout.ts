// The page frame and the small pieces every page uses: navigation, badges, tables, pagers, forms.

import { Shown } from '../../report/text.js';
import { VERSION } from '../../version.js';
import { html, join, type HtmlValue, type SafeHtml } from '../html.js';
import { cursorText, type Page } from '../paging.js';
import type { Role, WebUser } from '../store.js';
import type { TimeView } from '../time.js';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  user: WebUser;
  csrf: string;
  time: TimeView;
  /** The zone `time` shows on hover. */
  zone: string;
  now: number;
  /** The path of this page, for the navigation's current mark. */
  path: string;
}

/** Exports and the web activity log are for auditors and admins (decisions: see ../decisions.ts). */
export function mayAudit(role: Role): boolean {
  return role === 'admin' || role === 'auditor';
}

/** A URL with its query; every part is percent-encoded, so device text cannot break out of it. */
export function href(path: string, query: Record<string, string | number | undefined> = {}): string {
  const q = Object.entries(query)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

export function deviceHref(device: string): string {
  return `/devices/${encodeURIComponent(device)}`;
}

const NAV: Array<{ path: string; label: string; auditors?: true }> = [
  { path: '/', label: 'Overview' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/cases', label: 'Cases' },
  { path: '/findings', label: 'Findings' },
  { path: '/devices', label: 'Devices' },
  { path: '/audit', label: 'Audit trail' },
  { path: '/roster', label: 'Roster' },
  { path: '/exports', label: 'Exports', auditors: true },
  { path: '/activity', label: 'Activity', auditors: true },
];

export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

/** The document up to `<body>`: every page, signed in or not, loads the same sheet and no script. */
export function documentHead(title: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · aaawatch</title>
<link rel="stylesheet" href="/static/style.css">
</head>`;
}

export function layout(ctx: PageContext, title: string, body: SafeHtml): SafeHtml {
  const current = (p: string): boolean => (p === '/' ? ctx.path === '/' : ctx.path === p || ctx.path.startsWith(`${p}/`));
  const nav = NAV.filter((n) => !n.auditors || mayAudit(ctx.user.role)).map(
    (n) => html`<li><a href="${n.path}"${current(n.path) ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
  );
  return html`${documentHead(title)}
<body>
<header class="top">
  <a class="brand" href="/">aaawatch</a>
  <nav aria-label="main"><ul>${nav}</ul></nav>
  <form class="who" method="post" action="/logout">${csrfField(ctx.csrf)}<span>${ctx.user.name} <small>(${ctx.user.role})</small></span> <button type="submit" class="link">Sign out</button></form>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>aaawatch ${VERSION} · times in UTC; hover over one for ${ctx.zone} time</footer>
</body>
</html>`;
}

export function severityBadge(s: string): SafeHtml {
  return html`<span class="badge sev-${/^[a-z]+$/.test(s) ? s : 'unknown'}">${s}</span>`;
}

export function statusBadge(s: string): SafeHtml {
  return html`<span class="badge st-${/^[a-z]+$/.test(s) ? s : 'unknown'}">${s}</span>`;
}

export function table(headers: readonly HtmlValue[], rows: readonly HtmlValue[][], empty = 'Nothing to show.', cls = ''): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="scroll"><table class="${cls}"><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>\n`)}</tbody></table></div>`;
}

/** Newer / older links for a keyset page; `query` is the current filter, kept in both links; `labels` for a list in another order than time. */
export function pager<T>(path: string, page: Page<T>, query: Record<string, string | undefined>, zoneTime?: TimeView, labels = { newer: '← Newer', first: 'Newest', older: 'Older →' }): SafeHtml {
  const links: SafeHtml[] = [];
  if (page.newer) links.push(html`<a rel="prev" href="${href(path, { ...query, after: cursorText(page.newer) })}">${labels.newer}</a>`);
  if (page.newer) links.push(html`<a href="${href(path, query)}">${labels.first}</a>`);
  if (page.older) links.push(html`<a rel="next" href="${href(path, { ...query, before: cursorText(page.older) })}">${page.scannedTo !== undefined ? 'Search further back →' : labels.older}</a>`);
  const note =
    page.scannedTo !== undefined && zoneTime
      ? html`<p class="note">The text search looked through records back to ${zoneTime(page.scannedTo)} for this page; older records may match too.</p>`
      : '';
  return links.length ? html`${note}<nav class="pager" aria-label="pages">${join(links, html` · `)}</nav>` : html`${note}`;
}

/** A select whose options keep the current choice; values and labels are escaped like everything else. */
export function select(name: string, label: string, options: ReadonlyArray<readonly [string, string]>, current: string | undefined): SafeHtml {
  return html`<label>${label} <select name="${name}">${options.map(
    ([v, l]) => html`<option value="${v}"${v === (current ?? '') ? html` selected` : ''}>${l}</option>`,
  )}</select></label>`;
}

export function input(name: string, label: string, value: string | undefined, extra: { type?: string; placeholder?: string } = {}): SafeHtml {
  return html`<label>${label} <input type="${extra.type ?? 'text'}" name="${name}" value="${value ?? ''}"${extra.placeholder ? html` placeholder="${extra.placeholder}"` : ''}></label>`;
}

/**
 * A short piece of device text in monospace (names, commands), on one line: tabs and line breaks
 * are shown as `\x09`, `\x0a` (they are evidence, not layout); long text is cut with the whole in a title.
 */
export function code(value: Shown | string | null | undefined, max = 160): SafeHtml {
  if (value === null || value === undefined || value === '' || (value instanceof Shown && value.text === '')) return html`<span class="none">—</span>`;
  // Through its rule once (the gate, or reviewerText for what a reviewer typed), not again as the template escapes it.
  const text = Shown.line(value);
  if (text.text.length <= max) return html`<code>${text}</code>`;
  return html`<code title="${text}">${text.cut(max)}…</code>`;
}

/** A record's raw message as kept, with what a reader must know of it: cut short, or shown escaped. */
export function rawMessage(e: { raw: string | null; truncated: number; escaped: number }): SafeHtml {
  if (e.raw === null) return html`<p class="none">The raw message was not kept.</p>`;
  return html`<pre class="raw">${e.raw}</pre>${e.truncated ? html`<p class="note">Only its start was kept: the message was longer than ingest.maxMessageBytes.</p>` : ''}${e.escaped ? html`<p class="note">Not UTF-8: each byte that is no UTF-8 character, and each backslash, is shown as \\xNN; the exact bytes are stored.</p>` : ''}`;
}

/**
 * A list page's link whose position is none a page link gives (query.ts stalePosition): each given
 * position shown as device text is, the problems in words, and the first page of the same view.
 */
export function staleLinkPage(ctx: PageContext, given: ReadonlyArray<readonly [string, string]>, firstPage: string, message: string): SafeHtml {
  return layout(
    ctx,
    '400',
    html`<p class="error">This page link is no longer valid: the position in the list it gives (${join(given.map(([name, value]) => html`${name} ${code(value, 100)}`), html`, `)}) is not one a page link gives, so it cannot tell where this page starts.</p>
<p class="note">${message}</p>
<p><a href="${firstPage}">Go to the first page</a></p>`,
  );
}

export function errorPage(ctx: PageContext | undefined, status: number, message: string): SafeHtml {
  const body = html`<p class="error">${message}</p><p><a href="/">Back to the overview</a></p>`;
  if (ctx) return layout(ctx, `${status}`, body);
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} · aaawatch</title><link rel="stylesheet" href="/static/style.css"></head><body><main><h1>${status}</h1>${body}</main></body></html>`;
}

/**
 * An account's last login when none was seen: "none seen", and for how long the device's logs have
 * covered it (the population's days inactive then count from when it was first seen or the device
 * first heard, whichever is later). Shown as "— (0 days idle)" it read as a login today.
 */
export function noLoginSeen(daysInactive: number | null): SafeHtml {
  if (daysInactive === null) return html`<span class="none">none seen</span>`;
  if (daysInactive === 0) return html`<span class="none">none seen</span> (its logs cover less than a day)`;
  return html`<span class="none">none seen</span> in ${daysInactive} ${daysInactive === 1 ? 'day' : 'days'} of its logs`;
}
