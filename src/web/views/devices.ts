// Devices: the list with health (open findings and foreign senders included) and the unverified
// senders apart from it, and one device's accounts, snapshots and diffs, account changes with who
// made them, senders, recent account and command records, and its auditability checks.

import type { AccountRow } from '../../store/pull.js';
import { factsText } from '../../reconcile/timeline.js';
import type { AuditCheck, DeviceDetail, DeviceHealth, HealthState, InventoryDevice, SenderRow, UnverifiedSender } from '../data/devices.js';
import type { EventRow } from '../data/events.js';
import { html, type SafeHtml } from '../html.js';
import type { Page } from '../paging.js';
import { age } from '../time.js';
import { diffView } from './diff.js';
import { code, deviceHref, href, layout, pager, table, type PageContext } from './layout.js';
import { caseHref } from './links.js';
import { eventHeaders, eventRows } from './audit.js';

const PROBLEM_TEXT: Record<HealthState, string> = {
  ok: 'healthy',
  silent: 'no syslog',
  'pull-failing': 'pull failing',
  'telemetry-gap': 'telemetry gap',
  'never-seen': 'never seen',
  'sender-mismatch': 'sender mismatch',
  'undecided-findings': 'open findings',
};

/** A device's problems as badges (the overview's devices needing attention too). */
export function healthBadges(list: readonly HealthState[], h?: DeviceHealth): SafeHtml {
  if (!list.length) return html`<span class="badge hp-ok">healthy</span>`;
  return html`${list.map((p) =>
    p === 'undecided-findings' && h
      ? html`<a class="badge hp-${p} worst-${h.worstUndecided ?? 'info'}" href="${href('/cases', { device: h.device, undecided: '1' })}">${h.undecidedFindings} open finding${h.undecidedFindings === 1 ? '' : 's'}${h.worstUndecided ? html` (${h.worstUndecided})` : ''}</a> `
      : html`<span class="badge hp-${p}">${PROBLEM_TEXT[p]}</span> `,
  )}`;
}

/** Names syslog carried that are not devices aaawatch knows: shown apart, never as healthy devices. */
export function unverifiedTable(ctx: PageContext, list: { rows: readonly UnverifiedSender[]; total: number }): SafeHtml {
  return html`<h2 id="unverified">Unverified senders (${list.total})</h2>
<p class="note">Names that arrived in syslog headers or in native accounting (the NAS a RADIUS proxy relays for, a sender outside the inventory) but are neither in the inventory nor pulled: anyone who can reach the listener can send any name. Add a real device to the inventory (with its address) to verify it.</p>
${table(
  ['Name as sent', 'From', 'First heard', 'Last heard', 'Records'],
  list.rows.map((u) => [
    html`<a href="${deviceHref(u.device)}">${code(u.device, 60)}</a>`,
    html`${u.senders.map((s, i) => html`${i ? ', ' : ''}${code(s, 45)}`)}${u.fromDevice !== undefined ? html`<br><span class="note">the inventory address of <a href="${deviceHref(u.fromDevice)}">${code(u.fromDevice, 60)}</a>: if this is a name it logs under, list it in that device's <code>logNames</code></span>` : ''}`,
    ctx.time(u.firstSeen),
    ctx.time(u.lastSeen),
    u.records ? html`<a href="${href('/audit', { device: u.device })}">${u.records >= 10_000 ? '10,000+' : u.records.toLocaleString('en-US')}</a>` : '0',
  ]),
  'None: every sender is a known device.',
)}${list.total > list.rows.length ? html`<p class="note">The ${list.rows.length} heard most recently of ${list.total}.</p>` : ''}`;
}

export function devicesPage(
  ctx: PageContext,
  rows: ReadonlyArray<{ health: DeviceHealth; problems: HealthState[]; platform?: string }>,
  next: string | undefined,
  from: string | undefined,
  unverified: { rows: readonly UnverifiedSender[]; total: number } | undefined,
): SafeHtml {
  const t = table(
    ['Device', 'Platform', 'Health', 'Last syslog', 'Last pull', 'Open findings'],
    rows.map(({ health: h, problems: p, platform }) => [
      html`<a href="${deviceHref(h.device)}">${code(h.device, 60)}</a>${h.inInventory ? '' : html` <small class="note">not in inventory</small>`}`,
      platform ?? '—',
      healthBadges(p, h),
      html`${ctx.time(h.lastSyslog)}${h.lastSyslog !== null ? html` <small>(${age(h.lastSyslog, ctx.now)} ago)</small>` : ''}`,
      html`${ctx.time(h.lastPullSuccess)}${h.pullFailures ? html` <small class="bad" title="${h.lastPullError ?? ''}">${h.pullFailures} failed</small>` : ''}`,
      h.openFindings ? html`<a href="${href('/findings', { device: h.device })}">${h.openFindings}</a>` : '0',
    ]),
    'No devices yet: none in the inventory, none pulled.',
  );
  const nav = [from ? html`<a href="/devices">First</a>` : '', next ? html`<a rel="next" href="${href('/devices', { from: next })}">Next →</a>` : ''].filter(Boolean);
  return layout(ctx, 'Devices', html`${t}${nav.length ? html`<nav class="pager">${nav.map((n, i) => html`${i ? ' · ' : ''}${n}`)}</nav>` : ''}${unverified ? unverifiedTable(ctx, unverified) : ''}`);
}

export interface DeviceModel {
  name: string;
  inventory: InventoryDevice | undefined;
  health: DeviceHealth | undefined;
  problems: HealthState[];
  detail: DeviceDetail;
  checks: AuditCheck[] | undefined;
  diff?: { from: number; to: number; text: string };
  events: Page<EventRow>;
  kind: string | undefined;
  silentHours: number;
  senders: SenderRow[];
  /** The sender is neither in the inventory nor pulled. */
  unverified: boolean;
}

function list(json: string): string {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String).join(', ') : '';
  } catch {
    return '';
  }
}

function accountsTable(ctx: PageContext, accounts: readonly AccountRow[]): SafeHtml {
  return table(
    ['Account', 'Privilege', 'Roles', 'Credentials', 'First seen', 'Last seen', 'Removed', 'Findings'],
    accounts.map((a) => [
      html`<span${a.removed_at !== null ? html` class="removed"` : ''}>${code(a.name, 60)}</span>`,
      code(a.privilege, 30),
      code(list(a.roles), 60),
      list(a.credentials),
      ctx.time(a.first_seen),
      ctx.time(a.last_seen),
      a.removed_at === null ? '' : ctx.time(a.removed_at),
      html`<a href="${caseHref(a.device, a.name)}">case and timeline</a>`,
    ]),
    'No accounts read yet (the device has not been pulled).',
  );
}

function checksView(ctx: PageContext, m: DeviceModel): SafeHtml {
  const h = m.health;
  const d = m.detail;
  const silentMs = m.silentHours * 3_600_000;
  const syslog = h?.lastSyslog != null && ctx.now - h.lastSyslog <= silentMs;
  // Native accounting heard makes the device auditable without syslog (no telemetry gap is raised
  // for it): its missing syslog is then no failure.
  const native = h?.lastNative != null && ctx.now - h.lastNative <= silentMs;
  const facts: Fact[] = [
    {
      check: `syslog received in the last ${m.silentHours} h`,
      ok: syslog ? true : native ? undefined : false,
      detail: html`${h?.lastSyslog != null ? html`last ${ctx.time(h.lastSyslog)}${h.syslogSource ? html` from ${code(h.syslogSource, 60)}` : ''}` : 'never'}${
        !syslog && native ? html`; not needed: its native accounting arrives (last ${ctx.time(h!.lastNative)})` : ''}`,
    },
    { check: 'command records arrive (command accounting works)', ok: d.lastCommand !== null, detail: d.lastCommand !== null ? html`last ${ctx.time(d.lastCommand)}` : 'none stored' },
    { check: 'account records arrive', ok: d.lastAccountRecord !== null ? true : undefined, detail: d.lastAccountRecord !== null ? html`last ${ctx.time(d.lastAccountRecord)}` : 'none stored (none may have been made)' },
    {
      check: 'configuration pulls succeed',
      ok: h?.lastPullAttempt == null ? undefined : h.pullFailures === 0,
      detail: h?.lastPullAttempt == null ? 'never pulled' : h.pullFailures ? html`${h.pullFailures} failed in a row: ${code(h.lastPullError, 200)}` : html`last ${ctx.time(h.lastPullSuccess)}`,
    },
    {
      check: 'SSH host key pinned and unchanged',
      ok: d.hostKeyChange ? false : d.hostKey ? true : undefined,
      detail: d.hostKeyChange
        ? html`changed to ${code(d.hostKeyChange.fingerprint)} (first seen ${ctx.time(d.hostKeyChange.first_seen)}); check it, then <code>aaawatch hostkey accept</code>`
        : d.hostKey
          ? html`${code(d.hostKey.fingerprint)} (${d.hostKey.source}, ${ctx.time(d.hostKey.pinned_at)})`
          : 'no key pinned yet',
    },
    ...d.native.flatMap((n) => nativeFacts(ctx, m, n)),
    ...(m.checks ?? []).map((c) => ({ check: `configuration: ${c.check}`, ok: c.ok, detail: c.detail ?? '' })),
  ];
  return table(
    ['Check', 'Result', 'Detail'],
    facts.map((f) => [f.check, f.ok === undefined ? html`<span class="badge st-unknown">n/a</span>` : f.ok ? html`<span class="badge ok">pass</span>` : html`<span class="badge bad">fail</span>`, f.detail]),
  );
}

type Fact = { check: SafeHtml | string; ok: boolean | undefined; detail: SafeHtml | string };

/**
 * One native accounting sender and device pair on a device's page: accounting it sent for this
 * device (itself, or as the proxy of this NAS), requests that named this device from a sender not
 * configured as its proxy (filed under the sender: the sender check's evidence), and, on the page of
 * the device at its address, what it sent for other devices.
 */
function nativeFacts(ctx: PageContext, m: DeviceModel, n: DeviceDetail['native'][number]): Fact[] {
  const proto = n.transport === 'tacacs' ? 'TACACS+' : 'RADIUS';
  const to = n.collector !== undefined ? ` to collector ${n.collector}` : '';
  const out: Fact[] = [];
  const own = m.inventory !== undefined && n.source === m.inventory.address;
  if (n.device !== m.name) {
    if (n.accepted > 0 || n.malformed > 0) {
      out.push({
        check: html`native ${proto} accounting from this device's address for ${code(n.device, 60)}${to}`,
        ok: undefined,
        detail: html`${n.accepted} accepted (last ${ctx.time(n.last_accepted)}): it relays for that device (a configured proxy) or is filed under that name${malformedDetail(ctx, n)}`,
      });
    }
    if (n.named > 0) out.push({ check: html`native ${proto} requests from this device's address naming ${code(n.device, 60)}${to}`, ok: false, detail: html`${n.named} (last ${ctx.time(n.last_named)}), filed under this device: not a configured proxy` });
    return out;
  }
  if (n.accepted > 0 || n.bad_key > 0 || n.refused > 0 || n.malformed > 0) {
    const after = (t: number | null): boolean => t === null || (n.last_accepted !== null && t < n.last_accepted);
    out.push({
      // A wrong key or a malformed packet fails the check until a request is accepted after it.
      check: html`native ${proto} accounting from ${code(n.source, 60)}${m.inventory !== undefined && !own ? ' (a configured proxy for it, or an address in its senders)' : ''}${to}`,
      ok: n.last_accepted !== null && after(n.last_bad_key) && after(n.last_malformed),
      detail: html`${n.accepted} accepted${n.last_accepted !== null ? html` (last ${ctx.time(n.last_accepted)})` : ''}${n.bad_key ? html`; <span class="bad">${n.bad_key} with a wrong key</span> (last ${ctx.time(n.last_bad_key)})` : ''}${malformedDetail(ctx, n)}${n.refused ? `; ${n.refused} authentication or authorisation requests refused` : ''}`,
    });
  }
  if (n.named > 0) {
    out.push({
      check: html`native ${proto} requests naming this device from ${code(n.source, 60)}${to}`,
      ok: false,
      detail: html`<span class="bad">${n.named} from an address not its own and not a configured proxy</span> (last ${ctx.time(n.last_named)}): filed under the sender, not this device`,
    });
  }
  return out;
}

/** A sender's packets that did not read: how many, the last one's reason (as the counters name it) and when. */
function malformedDetail(ctx: PageContext, n: DeviceDetail['native'][number]): SafeHtml | string {
  if (!n.malformed) return '';
  return html`; <span class="bad">${n.malformed} malformed</span> (last ${ctx.time(n.last_malformed)}${n.last_malformed_reason !== null ? html`: ${code(n.last_malformed_reason, 60)}` : ''})`;
}

export function devicePage(ctx: PageContext, m: DeviceModel): SafeHtml {
  const inv = m.inventory;
  const d = m.detail;
  const plain = (a: string): string => (a.startsWith('::ffff:') ? a.slice(7) : a);
  const senders = m.senders.map((s) => {
    const own = inv !== undefined && plain(s.source) === plain(inv.address);
    return html`${code(s.source, 60)}${inv ? (own ? html` <span class="badge ok">inventory address</span>` : html` <span class="badge bad">not its address</span>`) : ''} <small>(${ctx.time(s.first_seen)} – ${ctx.time(s.last_seen)}${s.collector !== undefined ? html`, received by collector ${code(s.collector, 60)}` : ''})</small>`;
  });
  const facts = html`<dl class="facts">
  <dt>Health</dt><dd>${m.unverified ? html`<span class="badge hp-unverified">unverified sender</span> ` : ''}${healthBadges(m.problems, m.health)}</dd>
  <dt>Inventory</dt><dd>${inv ? html`${code(inv.address)} · ${inv.platform}${inv.groups.length ? html` · groups ${inv.groups.join(', ')}` : ''}${inv.zone ? html` · zone ${inv.zone}` : ''}${inv.pull ? '' : ' · not pulled'}${inv.logNames?.length ? html` · logs as ${inv.logNames.map((n, i) => html`${i ? ', ' : ''}${code(n, 60)}`)}` : ''}` : m.unverified ? 'not in the inventory and never pulled: a name that arrived in syslog or native accounting, which anyone with a subnet key can send' : 'not in the inventory (known from its pulls)'}</dd>
  <dt>Messages from</dt><dd>${senders.length ? html`${senders.map((s, i) => html`${i ? html`<br>` : ''}${s}`)}` : html`<span class="none">no syslog received</span>`}</dd>
  <dt>Open findings</dt><dd><a href="${href('/cases', { device: m.name })}">${m.health?.openFindings ?? 0}</a></dd>
</dl>`;
  // On a store several collectors share, the collector whose pull took each snapshot.
  const pulledBy = d.snapshots.some((s) => s.collector !== undefined);
  const snapshots = table(
    ['Snapshot', 'Taken', ...(pulledBy ? ['Pulled by'] : []), 'Bytes', 'Hash', 'Diff'],
    d.snapshots.map((s, i) => {
      const older = d.snapshots[i + 1];
      return [
        String(s.id), ctx.time(s.taken_at), ...(pulledBy ? [code(s.collector ?? null, 40)] : []), s.bytes.toLocaleString('en-US'), code(s.hash.slice(0, 16)),
        older ? html`<a href="${href(deviceHref(m.name), { from: older.id, to: s.id })}#diff">vs ${older.id}</a>` : 'first',
      ];
    }),
    'No snapshots yet.',
  );
  const changes = table(
    ['When', 'Account', 'Change', 'Before', 'After', 'Snapshots', 'Explained by'],
    d.changes.map((c) => [
      ctx.time(c.at),
      code(c.name, 60),
      c.change,
      code(factsText(c.before), 80),
      code(factsText(c.after), 80),
      html`${c.from_snapshot_id ?? 'first pull'} → ${c.to_snapshot_id}`,
      c.sentence === null ? html`<span class="none">not judged yet</span>` : c.explained ? c.sentence : html`<span class="bad">${c.sentence}</span>`,
    ]),
    'No account changes between pulls.',
  );
  const kindQuery = { kind: m.kind };
  return layout(
    ctx,
    `Device ${m.name}`,
    html`${facts}
<h2>Auditability checks</h2>${checksView(ctx, m)}
<h2>Accounts</h2>${accountsTable(ctx, d.accounts)}
<h2>Account changes between pulls</h2>${changes}
<h2>Snapshots</h2>${snapshots}
<h2 id="diff">Configuration diff</h2>${m.diff ? html`<p>Snapshot ${m.diff.from} → ${m.diff.to}</p>${diffView(m.diff.text)}` : html`<p class="empty">A diff needs two snapshots.</p>`}
<h2 id="records">Recent records</h2>
<p class="tabs"><a href="${href(deviceHref(m.name))}#records"${m.kind === undefined ? html` aria-current="true"` : ''}>all</a> · <a href="${href(deviceHref(m.name), { kind: 'account' })}#records"${m.kind === 'account' ? html` aria-current="true"` : ''}>account</a> · <a href="${href(deviceHref(m.name), { kind: 'command' })}#records"${m.kind === 'command' ? html` aria-current="true"` : ''}>command</a> · <a href="${href(deviceHref(m.name), { kind: 'session' })}#records"${m.kind === 'session' ? html` aria-current="true"` : ''}>session</a> · <a href="${href('/audit', { device: m.name })}">search in the audit trail</a></p>
${table(eventHeaders(m.events.rows), eventRows(ctx, m.events.rows), 'No records from this device.')}
${pager(deviceHref(m.name), m.events, kindQuery)}`,
  );
}
