// A decision's path beside its reviewer on the finding, case and Accounts pages
// (src/reconcile/decision-path.ts): the names in it (a signed-in user, a token's label, an OS user)
// are anyone's text, so each is shown escaped and bounded; a self-asserted decision is marked.

import { PATH_SINCE, type PathView, type StoredPath } from '../../reconcile/decision-path.js';
import { html, type SafeHtml } from '../html.js';
import { code } from './layout.js';

export function pathHtml(p: StoredPath | PathView): SafeHtml {
  switch (p.kind) {
    case 'web':
      return html`<small class="path">via web, signed in as ${code(p.user, 40)}</small>`;
    case 'api':
      return 'tokenId' in p
        ? html`<small class="path">via API token #${String(p.tokenId)} ${code(p.token, 40)} of ${code(p.user, 40)}</small>`
        : html`<small class="path">via API token ${code(p.token, 48)} of ${code(p.user, 40)}</small>`;
    case 'cli':
      return html`<small class="path"><span class="bad">self-asserted</span> from the command line by OS user ${code('osUser' in p ? p.osUser : p.user, 40)}</small>`;
    case 'system':
      return html`<small class="path">automatic</small>`;
    case 'unknown':
      return html`<small class="path">path unknown (before ${PATH_SINCE})</small>`;
  }
}
