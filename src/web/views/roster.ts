// The roster: which accounts are authorised, where, at which privilege, owned and approved by
// whom, until when; who may create accounts, whose changes are automation, and change windows.

import { describeScope } from '../../reconcile/scope.js';
import type { ChangeWindow, Roster, RosterEntry } from '../../reconcile/roster.js';
import { html, type SafeHtml } from '../html.js';
import { code, layout, table, type PageContext } from './layout.js';

export type EntryState = 'active' | 'expired' | 'expiring' | 'not-yet';

/** Where an authorisation stands now; `expiring` within 30 days. */
export function entryState(e: Pick<RosterEntry, 'start' | 'expires'>, now: number): EntryState {
  if (e.start !== undefined && e.start > now) return 'not-yet';
  if (e.expires !== undefined && e.expires < now) return 'expired';
  if (e.expires !== undefined && e.expires - now < 30 * 86_400_000) return 'expiring';
  return 'active';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function minutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function windowText(ctx: PageContext, w: ChangeWindow): SafeHtml {
  if (w.kind === 'once') return html`${ctx.time(w.start)} – ${ctx.time(w.end)}`;
  return html`${w.days.map((d) => DAYS[d] ?? String(d)).join(', ')} ${minutes(w.from)}–${minutes(w.to)} (${w.zone})`;
}

export function rosterPage(ctx: PageContext, roster: Roster | undefined, problem: string | undefined): SafeHtml {
  if (!roster) {
    return layout(
      ctx,
      'Roster',
      problem
        ? html`<p class="error">The roster cannot be read:</p><pre class="raw">${problem}</pre>`
        : html`<p class="empty">No roster is configured: set <code>reconcile.roster</code> to a roster file (see config/roster.example.yaml).</p>`,
    );
  }
  const entries = [...roster.entries].sort((a, b) => a.name.localeCompare(b.name));
  const states = entries.map((e) => entryState(e, ctx.now));
  const count = (s: EntryState): number => states.filter((x) => x === s).length;
  return layout(
    ctx,
    'Roster',
    html`<p>Read from ${roster.files.map((f, i) => html`${i ? ', ' : ''}${code(f)}`)}: ${entries.length} accounts (${count('active')} active, ${count('expiring')} expiring within 30 days, ${count('expired')} expired, ${count('not-yet')} not yet valid).</p>
<h2>Authorised accounts</h2>
${table(
  ['Account', 'Where', 'Privilege', 'Roles', 'Type', 'Owner', 'Department', 'Approval', 'Approver', 'From', 'Until', 'State'],
  entries.map((e, i) => [
    html`${code(e.name, 60)}${e.mustExist ? html` <small class="note">must exist</small>` : ''}`,
    describeScope(e.scope),
    code(e.privilege, 30),
    e.roles.join(', '),
    e.type,
    e.owner ?? '',
    e.department ?? '',
    e.approval ?? '',
    e.approver ?? '',
    e.start === undefined ? '' : ctx.time(e.start),
    e.expires === undefined ? html`<span class="none">no expiry</span>` : ctx.time(e.expires),
    html`<span class="badge rs-${states[i]!}">${states[i]!}</span>`,
  ]),
  'The roster lists no accounts.',
)}
<h2>Administrators (may create accounts)</h2>
${table(['Name', 'Where', 'Written at'], roster.administrators.map((a) => [code(a.name, 60), describeScope(a.scope), code(a.ref)]), 'None listed.')}
<h2>Automation (changes expected)</h2>
${table(['Name', 'Where', 'Written at'], roster.automation.map((a) => [code(a.name, 60), describeScope(a.scope), code(a.ref)]), 'None listed.')}
<h2>Change windows</h2>
${table(['Name', 'When', 'Ticket', 'Where'], roster.windows.map((w) => [w.name, windowText(ctx, w), w.ticket ?? '', describeScope(w.scope)]), 'None listed.')}`,
  );
}
