// The sign-in page, the exports page and the web activity log.

import { html, type SafeHtml } from '../html.js';
import type { Page } from '../paging.js';
import type { AuditEntry } from '../store.js';
import { code, csrfField, documentHead, layout, pager, table, type PageContext } from './layout.js';

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

export interface ExportsModel {
  fingerprint: string;
  publicKeyPem: string;
}

export function exportsPage(ctx: PageContext, m: ExportsModel): SafeHtml {
  return layout(
    ctx,
    'Exports',
    html`<p>The reconciliation — every account on every device against the roster, with its finding, reviewer and decision — for tools and for sign-off. Times are UTC.</p>
<ul class="exports">
  <li><a href="/exports/reconciliation.csv" download>reconciliation.csv</a> — RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with <code>'</code>.</li>
  <li><a href="/exports/reconciliation.json" download>reconciliation.json</a> — the same rows with the header block, as JSON.</li>
  <li><a href="/exports/report.pdf" download>report.pdf</a> — header block (scope, period, generation time, version, sources and row counts), findings and reconciliation tables.</li>
  <li><a href="/exports/evidence.zip" download>evidence.zip</a> — the three files, a manifest with each file's SHA-256, and an Ed25519 signature over the manifest.</li>
</ul>
<h2>Checking an evidence pack</h2>
<p>On the appliance: <code>aaawatch verify-export evidence.zip</code>. Elsewhere: <code>aaawatch verify-export evidence.zip --public-key aaawatch-signing-key.pem</code> with the public key below, obtained from this page or the appliance's administrator — not from the pack itself.</p>
<p>Signing key fingerprint (SHA-256 of the raw Ed25519 public key): ${code(m.fingerprint)}</p>
<p><a href="/exports/signing-key.pem" download>aaawatch-signing-key.pem</a></p>
<pre class="raw">${m.publicKeyPem}</pre>`,
  );
}

export function activityPage(ctx: PageContext, page: Page<AuditEntry>): SafeHtml {
  return layout(
    ctx,
    'Web activity',
    html`<p>Sign-ins, refused sign-ins, exports and finding decisions made through the web page and the API.</p>
${table(
  ['When', 'User', 'Address', 'Action', 'Detail'],
  page.rows.map((e) => [ctx.time(e.at), code(e.user, 60), code(e.address, 60), e.action, code(e.detail, 300)]),
  'Nothing yet.',
)}
${pager('/activity', page, {})}`,
  );
}

