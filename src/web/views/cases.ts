// Cases: the list of open cases (the unresolved findings of one account or device, grouped), worst
// first, with one decision for many at once (a reason and a ticket reference); and one case: the
// account's standing, its findings with their history, its timeline from syslog and pulls, and
// the records its findings cite. Forms and links only: the pages carry no script.

import type { CaseQuery, CaseSummary } from '../../reconcile/cases.js';
import type { PopulationRow } from '../../reconcile/population.js';
import type { TimelineEntry } from '../../reconcile/timeline.js';
import type { CaseModel } from '../data/cases.js';
import { SEVERITIES } from '../data/findings.js';
import { DECISIONS, mayDecide, type DecisionAction } from '../decisions.js';
import { auditHref, caseHref } from './links.js';
import { pathHtml } from './decision-path.js';
import { pathFromColumns } from '../../reconcile/decision-path.js';
import { formJson, html, type SafeHtml } from '../html.js';
import { typed } from '../../report/text.js';
import { code, csrfField, deviceHref, noLoginSeen, href, input, layout, rawMessage, select, severityBadge, statusBadge, table, type PageContext } from './layout.js';

const ACTION_WORDS: Record<DecisionAction, string> = { acknowledge: 'Acknowledge', accept: 'Accept the risk until', resolve: 'Resolve', reopen: 'Reopen' };

/** The decision fields: the actions the role may take, a reason, a ticket, and the date an acceptance ends. */
function decisionFields(ctx: PageContext): SafeHtml | undefined {
  const actions = DECISIONS.filter((a) => mayDecide(ctx.user.role, a));
  if (!actions.length) return undefined;
  return html`${csrfField(ctx.csrf)}
  ${select('action', 'Decision', actions.map((a) => [a, ACTION_WORDS[a]] as const), actions[0])}
  <label>Reason <input type="text" name="reason" required maxlength="1000"></label>
  <label>Ticket <input type="text" name="ticket" maxlength="200" placeholder="CHG-1234"></label>
  ${actions.includes('accept') ? html`<label>Until (UTC date, to accept) <input type="date" name="until"></label>` : ''}
  <button type="submit">Decide</button>`;
}

export function casesPage(ctx: PageContext, q: CaseQuery, rows: readonly CaseSummary[], next: string | undefined, paged: boolean, notice?: string): SafeHtml {
  const query = { severity: q.severity, undecided: q.undecided ? '1' : undefined, device: q.device, account: q.account, kind: q.kind };
  const form = html`<form class="filters" method="get" action="/cases">
  ${select('severity', 'Severity at least', [['', 'any'], ...SEVERITIES.map((s) => [s, s] as const)], q.severity)}
  ${select('undecided', 'Decided', [['', 'any'], ['1', 'with undecided findings']], q.undecided ? '1' : '')}
  ${input('device', 'Device', q.device)}
  ${input('account', 'Account', q.account)}
  ${input('kind', 'With a finding of kind', q.kind)}
  <button type="submit">Filter</button> <a href="/cases">Clear</a>
</form>`;
  const fields = decisionFields(ctx);
  const cells = rows.map((c) => [
    fields ? html`<input type="checkbox" name="case" value="${formJson([c.device, c.account])}" aria-label="select case ${c.id}">` : '',
    html`<a href="${caseHref(c.device, c.account, c.id)}">case #${c.id}</a>`,
    severityBadge(c.severity),
    html`<a href="${deviceHref(c.device)}">${code(c.device, 40)}</a>`,
    c.account ? code(c.account, 40) : html`<span class="note">the device</span>`,
    html`${c.findings}${c.undecided ? html` <small class="bad">(${c.undecided} undecided)</small>` : ''}`,
    c.kinds.join(', '),
    ctx.time(c.lastSeen),
  ]);
  const links: SafeHtml[] = [];
  if (paged) links.push(html`<a href="${href('/cases', query)}">First page</a>`);
  if (next) links.push(html`<a rel="next" href="${href('/cases', { ...query, after: next })}">Next →</a>`);
  const list = table(['', 'Case', 'Severity', 'Device', 'Account', 'Findings', 'Kinds', 'Last seen'], cells, 'No open cases match.', 'cases');
  return layout(
    ctx,
    'Cases',
    html`<p>A case is every finding not yet resolved about one account on one device (or about the device itself), decided together. The worst first.</p>
${notice ? html`<p class="notice">${notice}</p>` : ''}
${form}
${fields ? html`<form method="post" action="/cases/decide" class="bulk">${list}<fieldset class="action"><legend>Decide on the selected cases</legend>${fields}</fieldset></form>` : list}
${links.length ? html`<nav class="pager" aria-label="pages">${links.map((l, i) => html`${i ? ' · ' : ''}${l}`)}</nav>` : ''}`,
  );
}


function timelineTable(ctx: PageContext, device: string, entries: readonly TimelineEntry[]): SafeHtml {
  return table(
    ['When', 'Seen by', 'What', 'Who', 'From', 'Path', 'Detail'],
    entries.map((e) => [
      ctx.time(e.at),
      e.source === 'pull'
        ? html`pull${e.snapshots ? (e.snapshots.from === null ? html` <small>(first pull, snapshot ${e.snapshots.to})</small>` : html` <small>(<a href="${href(deviceHref(device), { from: e.snapshots.from, to: e.snapshots.to })}#diff">snapshot ${e.snapshots.from} → ${e.snapshots.to}</a>)</small>`) : ''}`
        : html`syslog <small>(record ${e.record})</small>`,
      e.what,
      code(e.actor, 40),
      code(e.address, 40),
      e.path ?? '',
      html`${code(e.detail, 120)}${e.sentence ? html`<br><small>${e.sentence}</small>` : ''}`,
    ]),
    'Nothing recorded about this account yet.',
    'timeline',
  );
}

function standing(ctx: PageContext, r: PopulationRow): SafeHtml {
  return html`<dl class="facts">
  <dt>Known from</dt><dd>${r.source}${r.state !== 'present' ? html`, <span class="bad">${r.state}</span>${r.removedAt !== null ? html` ${ctx.time(r.removedAt)}` : ''}` : ''}${r.inInventory ? '' : ' (device not in the inventory)'}</dd>
  <dt>Privilege</dt><dd>${code(r.privilege || null, 80)}${r.superuser ? html` <span class="badge bad">superuser</span>` : ''}</dd>
  <dt>Roster</dt><dd>${r.rosterMatch}${r.allowed ? html` (allows ${r.allowed})` : ''}${r.rosterRef ? html` · ${code(r.rosterRef, 120)}` : ''}</dd>
  <dt>Type, owner</dt><dd>${r.type ?? '—'} · ${r.owner ?? '—'}${r.department ? html` (${r.department})` : ''}</dd>
  <dt>Approval</dt><dd>${r.approvalRef ?? '—'}${r.approver ? html` by ${r.approver}` : ''}${r.expires !== null ? html` · expires ${ctx.time(r.expires)}` : ''}</dd>
  <dt>Created</dt><dd>${r.attribution ?? (r.createdAt !== null ? html`${ctx.time(r.createdAt)}${r.createdBy ? html` by ${code(r.createdBy, 60)}` : ''}` : html`<span class="none">not known</span>`)}</dd>
  <dt>Last login</dt><dd>${r.lastLogin !== null ? html`${ctx.time(r.lastLogin)}${r.daysInactive !== null ? html` (${r.daysInactive} days idle)` : ''}` : noLoginSeen(r.daysInactive)}</dd>
</dl>`;
}

function recordsLink(device: string, account: string): SafeHtml {
  const to = auditHref(device, account);
  return to ? html` · <a href="${to}">records naming this account</a>` : html` · <span class="note">the records naming this account are in its timeline below</span>`;
}

export function casePage(ctx: PageContext, m: CaseModel, notice?: string): SafeHtml {
  const title = m.account ? `Case: ${m.account} on ${m.device}` : `Case: device ${m.device}`;
  const unresolved = m.findings.filter((f) => f.status !== 'resolved');
  const fields = unresolved.length ? decisionFields(ctx) : undefined;
  const findings = table(
    ['#', 'Severity', 'Status', 'Kind', 'Finding', 'Last seen', 'History'],
    m.findings.map((f) => [
      html`<a href="/findings/${f.id}">#${f.id}</a>`,
      severityBadge(f.severity),
      html`${statusBadge(f.status)}${f.acceptedUntil !== null ? html`<br><small>until ${ctx.time(f.acceptedUntil)}</small>` : ''}`,
      f.kind,
      html`<span class="summary">${f.attribution && f.attribution !== f.summary ? html`${f.attribution}<br><small>${f.summary}</small>` : f.summary}</span>`,
      ctx.time(f.lastSeen),
      html`<ul class="plain">${f.history.map(
        (h) => html`<li>${ctx.time(h.at)} ${code(h.by, 30)} ${pathHtml(pathFromColumns(h))} → ${h.to_status}${h.until !== null ? html` until ${ctx.time(h.until)}` : ''}${h.ticket ? html` [${code(typed(h.ticket), 40)}]` : ''}${h.reason ? html`: ${typed(h.reason)}` : ''}</li>`,
      )}</ul>`,
    ]),
    'No findings about it.',
  );
  return layout(
    ctx,
    title,
    html`${notice ? html`<p class="notice">${notice}</p>` : ''}
<p><a href="${deviceHref(m.device)}">Device ${code(m.device, 80)}</a>${m.account ? recordsLink(m.device, m.account) : ''}</p>
${m.row ? html`<h2>Standing</h2>${standing(ctx, m.row)}` : ''}
<h2>Findings (${unresolved.length} not resolved)</h2>${findings}
${fields ? html`<h2>Decide</h2><form method="post" action="/case/decide" class="action">
  ${unresolved.length ? html`<input type="hidden" name="finding" value="${String(unresolved[0]!.id)}">` : html`<input type="hidden" name="device" value="${m.device}"><input type="hidden" name="account" value="${m.account}">`}
  <p>One decision on every finding of this case not yet resolved (${unresolved.map((f) => `#${f.id}`).join(', ')}); each keeps its own history.</p>
  ${fields}</form>` : unresolved.length ? html`<p class="note">Your role (${ctx.user.role}) may read cases but not decide on them.</p>` : ''}
${m.account ? html`<h2>Timeline</h2><p class="note">From syslog (account records, logins) and from pulls (what each configuration showed), newest first.</p>${timelineTable(ctx, m.device, m.timeline)}` : ''}
<h2>Records cited (${m.records.length})</h2>
${m.records.length ? html`<ol class="records">${m.records.map((e) => html`<li><div class="meta">${ctx.time(e.time)} · ${e.kind}/${e.action}${e.actor ? html` · by ${code(e.actor, 60)}` : ''}${e.actor_address ? html` from ${code(e.actor_address, 60)}` : ''} · received ${ctx.time(e.received_at)} over ${e.transport}${e.source ? html` from ${code(e.source, 60)}` : ''} · record ${e.id}${e.collector !== undefined ? html` · received by collector ${code(e.collector, 60)}` : ''}</div>${rawMessage(e)}</li>`)}</ol>` : html`<p class="empty">None.</p>`}`,
  );
}
