// The sign-in page, the exports page and the web activity log.

import { html, type SafeHtml } from '../html.js';
import { shownDetail } from '../../report/text.js';
import type { Page } from '../paging.js';
import type { AuditEntry } from '../store.js';
import { code, csrfField, documentHead, href, input, layout, pager, select, table, type PageContext } from './layout.js';

/** The sign-in form carries a token bound to a pre-session cookie (login CSRF). */
export function loginPage(loginCsrf: string, message: string | undefined, next: string): SafeHtml {
  return html`${documentHead('Sign in')}
<body class="login">
<main>
<h1>aaawatch</h1>
<p class="tagline">Who holds an account on which device, was it authorised, and who made it.</p>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/login" class="login">
  ${csrfField(loginCsrf)}
  <input type="hidden" name="next" value="${next}">
  <label>User <input type="text" name="user" autocomplete="username" required autofocus maxlength="64"></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
  <button type="submit">Sign in</button>
</form>
</main>
</body>
</html>`;
}

/** The period and scope picked on the exports page, as typed. */
export interface ExportChoice {
  from?: string;
  to?: string;
  devices?: string;
  group?: string;
  platform?: string;
}

export interface ExportsModel {
  fingerprint: string;
  publicKeyPem: string;
  choice: ExportChoice;
  groups: string[];
  platforms: string[];
  problem?: string;
  /** The period as read (ISO, UTC), when the choice has no problem; `to` absent: now, when the export is taken. */
  period?: { from: string; to?: string };
}

export function exportsPage(ctx: PageContext, m: ExportsModel): SafeHtml {
  const c = m.choice;
  const q: Record<string, string | undefined> = { ...c };
  const link = (file: string, text: string): SafeHtml => html`<a href="${href(`/exports/${file}`, q)}" download>${text}</a>`;
  return layout(
    ctx,
    'Exports',
    html`<p>The account review — every account on every device in the period (pulled, seen only in syslog, removed, missing) against the roster, every finding with its decisions, and every decision taken — for tools and for sign-off. Times are UTC.</p>
<form class="filters" method="get" action="/exports">
  ${/* Text, not type=date: a period may start or end within a day, and be given with its zone's offset. */ ''}
  ${input('from', 'Period from (UTC, or with an offset)', c.from, { placeholder: '2026-09-01 or 2026-09-01T08:00+02:00' })}
  ${input('to', 'to (its whole day, minute or second)', c.to, { placeholder: 'now' })}
  ${input('devices', 'Devices (globs, comma-separated)', c.devices, { placeholder: 'every device' })}
  ${select('group', 'Group', [['', 'any'], ...m.groups.map((g) => [g, g] as const)], c.group)}
  ${select('platform', 'Platform', [['', 'any'], ...m.platforms.map((p) => [p, p] as const)], c.platform)}
  <button type="submit">Choose</button> <a href="/exports">Last 90 days, every device</a>
</form>
${m.problem ? html`<p class="error">${m.problem}</p>` : ''}
<p class="note">A period runs from the first moment of its start to the last of its end: <code>to</code> given as a date covers that whole day, given to the minute (<code>2026-12-06T05:38</code>) that whole minute, to the second that whole second.</p>
${m.problem || !m.period
  ? /* A choice with a problem offers no download: each link would answer 400 with the same message. */ html`<p>Nothing to download for this choice: correct it above, or take <a href="/exports">the last 90 days of every device</a>.</p>`
  : html`<p>Period ${m.period.from} to ${m.period.to ?? 'now, when the export is taken'}${c.from ? '' : ' (90 days)'}; ${c.devices || c.group || c.platform ? html`devices ${[c.devices, c.group && `group ${c.group}`, c.platform && `platform ${c.platform}`].filter(Boolean).join(' and ')}` : 'every device'}.</p>
<ul class="exports">
  <li>${link('accounts.csv', 'accounts.csv')} — the population: one row per device and account with roster standing, type, owner, approval, expiry, who created it when, from where and by which path, last login, findings and decisions. RFC 4180; cells a spreadsheet would run as a formula are prefixed with <code>'</code>.</li>
  <li>${link('findings.csv', 'findings.csv')} — every finding in scope with its latest decision: reviewer, date, reason, accepted-until, ticket.</li>
  <li>${link('decisions.csv', 'decisions.csv')} — the decision log: every decision people took in the period.</li>
  <li>${link('report.json', 'report.json')} — all of it with the header block, as JSON.</li>
  <li>${link('report.pdf', 'report.pdf')} — for reading and sign-off: summary, population, exceptions, decisions, method.</li>
  <li>${link('evidence.zip', 'evidence.zip')} — all of the above plus every record cited (sender, transport, receive time, chain position), the configuration diffs, the activity log, the roster files, the public key, <code>SHA256SUMS</code> signed with Ed25519, and <code>VERIFY.txt</code>.</li>
</ul>`}
<h2>Checking an evidence pack without aaawatch</h2>
<p>Compare the key's fingerprint with the one on this page (not only with the copy in the pack), then check the signature and every file's hash — <code>VERIFY.txt</code> in the pack says the same, with the pack's own file name (<code>aaawatch-evidence-<var>YYYYMMDD</var>T<var>HHMM</var>Z.zip</code>, written <code>PACK.zip</code> here), and checks that the archive holds nothing else:</p>
<pre class="raw">mkdir pack &amp;&amp; cd pack &amp;&amp; unzip -q ../PACK.zip
openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum
openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
sha256sum -c SHA256SUMS
unzip -Z1 ../PACK.zip | sort &gt; ../in-archive.txt &amp;&amp; { cut -c67- SHA256SUMS; printf '%s\\n' SHA256SUMS SHA256SUMS.sig; } | sort | diff ../in-archive.txt -</pre>
<p>With aaawatch: <code>aaawatch verify-export PACK.zip --public-key aaawatch-signing-key.pem</code>.</p>
<p>Signing key fingerprint (SHA-256 of the raw Ed25519 public key): ${code(m.fingerprint)}</p>
<p><a href="/exports/signing-key.pem" download>aaawatch-signing-key.pem</a></p>
<pre class="raw">${m.publicKeyPem}</pre>`,
  );
}

export function activityPage(ctx: PageContext, page: Page<AuditEntry>): SafeHtml {
  return layout(
    ctx,
    'Web activity',
    html`<p>Sign-ins, refused sign-ins and refused actions, exports, finding and case decisions through the web page and the API, and user and token changes from the command line. Each entry is chained to the one before it (<code>aaawatch verify</code> checks it).</p>
${table(
  ['When', 'User', 'Address', 'Action', 'Detail'],
  page.rows.map((e) => [ctx.time(e.at), code(e.user, 60), code(e.address, 60), e.action, code(shownDetail(e.detail), 300)]),
  'Nothing yet.',
)}
${pager('/activity', page, {})}`,
  );
}

