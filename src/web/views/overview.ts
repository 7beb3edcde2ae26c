// Overview: open findings by severity and kind, devices by health (undecided findings and foreign
// senders count against it) with the devices needing attention, unverified senders, ingest
// counters (kernel drops included) and records per hour.

import type { Severity } from '../../reconcile/findings.js';
import type { CounterRow } from '../../store/queries.js';
import type { DeviceHealth, HealthState, NativeSenderSummary } from '../data/devices.js';
import { SEVERITIES } from '../data/findings.js';
import { SEVERITY_RANK } from '../../reconcile/findings.js';
import { counterGroup, dropReasons, type CounterGroup, type HourCount } from '../data/overview.js';
import { html, type SafeHtml } from '../html.js';
import { age, utcText } from '../time.js';
import { healthBadges } from './devices.js';
import { code, deviceHref, href, layout, severityBadge, table, type PageContext } from './layout.js';

export interface OverviewModel {
  kinds: string[];
  /** Open (unresolved) findings per kind and severity. */
  grid: Map<string, Map<Severity, number>>;
  totals: Map<Severity, number>;
  byStatus: Map<string, number>;
  devices: { total: number; counts: Record<HealthState, number>; worst: Array<{ health: DeviceHealth; problems: HealthState[] }>; unverified: number };
  counters: Array<CounterRow & { group: CounterGroup }>;
  perHour: HourCount[];
  silentHours: number;
  /** Native accounting senders and the devices each sent for or named. */
  native: { rows: NativeSenderSummary[]; total: number };
}

export function overviewModel(
  counts: ReadonlyArray<{ kind: string; severity: Severity; status: string; n: number }>,
  health: ReadonlyArray<{ health: DeviceHealth; problems: HealthState[] }>,
  counterRows: readonly CounterRow[],
  perHour: HourCount[],
  silentHours: number,
  unverified: number,
  native: { rows: NativeSenderSummary[]; total: number },
  worstLimit = 15,
): OverviewModel {
  const grid = new Map<string, Map<Severity, number>>();
  const totals = new Map<Severity, number>();
  const byStatus = new Map<string, number>();
  for (const c of counts) {
    const row = grid.get(c.kind) ?? new Map<Severity, number>();
    row.set(c.severity, (row.get(c.severity) ?? 0) + c.n);
    grid.set(c.kind, row);
    totals.set(c.severity, (totals.get(c.severity) ?? 0) + c.n);
    byStatus.set(c.status, (byStatus.get(c.status) ?? 0) + c.n);
  }
  const rank = (s: Map<Severity, number>): number[] => SEVERITIES.map((sev) => -(s.get(sev) ?? 0));
  const kinds = [...grid.keys()].sort((a, b) => {
    const ra = rank(grid.get(a)!);
    const rb = rank(grid.get(b)!);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return a.localeCompare(b);
  });
  const stateCounts: Record<HealthState, number> = { ok: 0, silent: 0, 'pull-failing': 0, 'telemetry-gap': 0, 'never-seen': 0, 'sender-mismatch': 0, 'undecided-findings': 0 };
  for (const h of health) {
    if (h.problems.length === 0) stateCounts.ok++;
    for (const p of h.problems) stateCounts[p]++;
  }
  // Worst first: a foreign sender, then the worst undecided finding, then how many, then how much else is wrong.
  const findingRank = (h: DeviceHealth): number => (h.worstUndecided ? SEVERITY_RANK[h.worstUndecided] + 1 : 0);
  const worst = health
    .filter((h) => h.problems.length > 0)
    .sort(
      (a, b) =>
        b.health.senderMismatch - a.health.senderMismatch ||
        findingRank(b.health) - findingRank(a.health) ||
        b.health.undecidedFindings - a.health.undecidedFindings ||
        b.problems.length - a.problems.length ||
        a.health.device.localeCompare(b.health.device),
    )
    .slice(0, worstLimit);
  return {
    kinds,
    grid,
    totals,
    byStatus,
    devices: { total: health.length, counts: stateCounts, worst, unverified },
    counters: counterRows.map((c) => ({ ...c, group: counterGroup(c.name) })),
    perHour,
    silentHours,
    native,
  };
}

/** Records per hour as an SVG bar chart: attributes only, so the page needs no inline style. */
export function hourChart(hours: readonly HourCount[]): SafeHtml {
  const width = 720;
  const height = 120;
  const peak = Math.max(0, ...hours.map((h) => h.records));
  const max = Math.max(1, peak);
  const bw = width / Math.max(1, hours.length);
  const bars = hours.map((h, i) => {
    const bh = Math.round((h.records / max) * (height - 4));
    return html`<rect x="${(i * bw + 1).toFixed(1)}" y="${height - bh}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh}"><title>${utcText(h.hour).slice(0, 16)} UTC: ${h.records} records</title></rect>`;
  });
  const first = hours[0];
  const last = hours[hours.length - 1];
  return html`<figure class="chart"><svg viewBox="0 0 ${width} ${height}" width="100%" height="${height}" role="img" aria-label="records per hour">${bars}</svg>
<figcaption>Records per hour${first && last ? html`, ${utcText(first.hour).slice(0, 16)} – ${utcText(last.hour + 3_600_000).slice(0, 16)} UTC` : ''}; peak ${peak}.</figcaption></figure>`;
}

/**
 * `unwritable`: why the store cannot be written, when it cannot (the health check's words, with
 * the path and free space): shown above everything, since nothing new is being stored.
 */
export function overviewPage(ctx: PageContext, m: OverviewModel, unwritable?: string): SafeHtml {
  const total = [...m.totals.values()].reduce((a, b) => a + b, 0);
  const findingLink = (q: Record<string, string>, n: number): SafeHtml => (n ? html`<a href="${href('/findings', q)}">${n}</a>` : html`<span class="zero">0</span>`);
  const grid = table(
    ['Kind', ...SEVERITIES.map((s) => severityBadge(s)), 'All'],
    m.kinds.map((k) => {
      const row = m.grid.get(k)!;
      const sum = [...row.values()].reduce((a, b) => a + b, 0);
      return [html`<a href="${href('/findings', { kind: k })}">${k}</a>`, ...SEVERITIES.map((s) => findingLink({ kind: k, severity: s }, row.get(s) ?? 0)), findingLink({ kind: k }, sum)];
    }),
    'No open findings.',
    'grid',
  );
  const cards = html`<section class="cards">
  ${SEVERITIES.map((s) => html`<a class="card sev-${s}" href="${href('/findings', { severity: s })}"><span class="n">${m.totals.get(s) ?? 0}</span><span>${s}</span></a>`)}
  <div class="card"><span class="n">${total}</span><span>unresolved (${m.byStatus.get('open') ?? 0} open, ${m.byStatus.get('acknowledged') ?? 0} acknowledged, ${m.byStatus.get('accepted') ?? 0} accepted)</span></div>
</section>`;
  const d = m.devices;
  const deviceCards = html`<section class="cards">
  <a class="card" href="/devices"><span class="n">${d.total}</span><span>devices</span></a>
  <div class="card ok"><span class="n">${d.counts.ok}</span><span>healthy</span></div>
  <div class="card${d.counts.silent ? ' warn' : ''}"><span class="n">${d.counts.silent}</span><span>no syslog for ${m.silentHours} h</span></div>
  <div class="card${d.counts['pull-failing'] ? ' warn' : ''}"><span class="n">${d.counts['pull-failing']}</span><span>pulls failing</span></div>
  <div class="card${d.counts['telemetry-gap'] ? ' warn' : ''}"><span class="n">${d.counts['telemetry-gap']}</span><span>telemetry gaps</span></div>
  <div class="card${d.counts['never-seen'] ? ' warn' : ''}"><span class="n">${d.counts['never-seen']}</span><span>never seen</span></div>
  <a class="card${d.counts['undecided-findings'] ? ' warn' : ''}" href="${href('/cases', { undecided: '1' })}"><span class="n">${d.counts['undecided-findings']}</span><span>with undecided findings</span></a>
  <div class="card${d.counts['sender-mismatch'] ? ' warn' : ''}"><span class="n">${d.counts['sender-mismatch']}</span><span>sender mismatch</span></div>
  <a class="card${d.unverified ? ' warn' : ''}" href="/devices#unverified"><span class="n">${d.unverified}</span><span>unverified senders</span></a>
</section>`;
  const worst = table(
    ['Device', 'Problems', 'Last syslog', 'Last pull', 'Pull failures', 'Open findings'],
    d.worst.map(({ health: h, problems }) => [
      html`<a href="${deviceHref(h.device)}">${code(h.device, 60)}</a>`,
      healthBadges(problems, h),
      html`${ctx.time(h.lastSyslog)}${h.lastSyslog !== null ? html` <small>(${age(h.lastSyslog, ctx.now)} ago)</small>` : ''}`,
      ctx.time(h.lastPullSuccess),
      h.pullFailures ? html`<span title="${h.lastPullError ?? ''}">${h.pullFailures}</span>` : '0',
      h.openFindings ? html`<a href="${href('/cases', { device: h.device })}">${h.openFindings}</a>` : '0',
    ]),
    'Every device is healthy.',
  );
  // A sender and the devices it sent for or named: one for a device sending for itself, each NAS of a proxy.
  const nativeTable = m.native.total
    ? html`<h3>Native accounting senders (${m.native.total})</h3>${table(
        ['Sender', 'Transport', 'Devices', 'Accepted', 'Wrong key', 'Malformed', 'Naming devices not its own', 'Last'],
        m.native.rows.map((n) => [
          code(n.source, 60),
          n.transport === 'tacacs' ? 'TACACS+' : 'RADIUS',
          html`${n.devices.map((d, i) => html`${i ? ', ' : ''}<a href="${deviceHref(d)}">${code(d, 60)}</a>`)}${n.deviceCount > n.devices.length ? ` and ${n.deviceCount - n.devices.length} more` : ''}`,
          n.accepted.toLocaleString('en-US'),
          n.badKey ? html`<span class="bad">${n.badKey.toLocaleString('en-US')}</span>` : '0',
          n.malformed
            ? html`<span class="bad">${n.malformed.toLocaleString('en-US')}</span> <small>(last ${ctx.time(n.lastMalformed)}${n.lastMalformedReason !== null ? html`: ${code(n.lastMalformedReason, 60)}` : ''})</small>`
            : '0',
          n.named ? html`<span class="bad">${n.named.toLocaleString('en-US')}</span>` : '0',
          ctx.time(n.lastSeen),
        ]),
        '',
      )}`
    : '';
  const counters = table(
    ['Counter', 'Value', 'Updated'],
    m.counters.map((c) => [html`<span class="ctr-${c.group}">${c.name}</span>`, html`<span class="num${c.group === 'dropped' && c.value > 0 ? ' bad' : ''}">${c.value.toLocaleString('en-US')}</span>`, ctx.time(c.updated_at)]),
    'No counters yet: nothing received.',
    'counters',
  );
  const sum = (g: CounterGroup): number => m.counters.filter((c) => c.group === g).reduce((a, c) => a + c.value, 0);
  // Our socket's own drop counter when sampled; else the system-wide receive-buffer errors since start
  // (the two overlap, and InErrors includes RcvbufErrors, so they are not added up), named as the
  // host's: without a syslog UDP listener they are every other process's drops, not aaawatch's.
  const socketRow = m.counters.find((c) => c.name === 'kernel.udp.socket_drops');
  const kernelRow = socketRow ?? m.counters.find((c) => c.name === 'kernel.udp.rcvbuf_errors_since_start');
  const dropped = kernelRow?.value ?? 0;
  const kernelLabel = socketRow ? 'UDP datagrams the kernel dropped' : kernelRow ? "UDP receive-buffer errors on this host since start (every process's sockets)" : 'kernel drops: not sampled yet';
  const shed = m.counters.filter((c) => c.name.startsWith('dropped.')).reduce((a, c) => a + c.value, 0);
  const reasons = dropReasons(m.counters);
  const ingestCards = html`<section class="cards">
  <div class="card"><span class="n">${sum('received').toLocaleString('en-US')}</span><span>messages received</span></div>
  <div class="card"><span class="n">${(m.counters.find((c) => c.name === 'recognised.records')?.value ?? 0).toLocaleString('en-US')}</span><span>records recognised</span></div>
  <div class="card${sum('refused') ? ' warn' : ''}"><span class="n">${sum('refused').toLocaleString('en-US')}</span><span>refused or malformed</span></div>
  <div class="card${dropped ? ' warn' : kernelRow ? ' ok' : ''}"><span class="n">${kernelRow ? dropped.toLocaleString('en-US') : '—'}</span><span>${kernelLabel}</span></div>
  <div class="card${shed ? ' warn' : ''}"><span class="n">${shed.toLocaleString('en-US')}</span><span>dropped by aaawatch (store behind or not writable)</span></div>
</section>${reasons.length ? html`<ul class="drops">${reasons.map((r) => html`<li>${r}</li>`)}</ul>` : ''}`;
  return layout(
    ctx,
    'Overview',
    html`${unwritable ? html`<p class="alert" role="alert"><strong>Nothing new is being stored.</strong> ${unwritable}. Ingest resumes by itself once the store can be written (see <code>dropped.store-unwritable</code> below).</p>` : ''}
<h2>Open findings</h2>${cards}${grid}
<h2>Devices</h2>${deviceCards}<h3>Needing attention</h3>${worst}
<h2>Ingest</h2>${ingestCards}${hourChart(m.perHour)}${nativeTable}
<details open><summary>Counters (received, recognised, refused, kernel drops)</summary>${counters}</details>`,
  );
}
