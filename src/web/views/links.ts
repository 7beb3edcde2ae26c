// Links to a case and to the records naming an account, short whatever the account's name
// (src/web/account-link.ts).

import { accountLink } from '../account-link.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { href } from './layout.js';

/**
 * A case's link: by one of its findings' ids where one is known (any finding of the account names
 * its case), else by device and account, a name too long to carry whole by its key (account-link.ts:
 * a name of thousands of characters, percent-encoded, made the link longer than the 16 KiB of
 * headers Node accepts, 431). Every form is still read.
 */
export function caseHref(device: string, account: string, finding?: number): string {
  if (finding !== undefined) return href('/case', { finding: String(finding) });
  const link = accountLink(account);
  return link ? href('/case', { device, starts: link.starts, sha256: link.sha256 }) : href('/case', { device, account: account || undefined });
}

/** The audit trail's records naming an account, for a name a link carries whole. */
export function auditHref(device: string | undefined, account: string): string | undefined {
  return accountLink(account) ? undefined : href('/audit', { device, target: account });
}

/** `content` linked to `to`, or as it is where there is no link. */
export function linkTo(to: string | undefined, content: HtmlValue): SafeHtml {
  return to ? html`<a href="${to}">${content}</a>` : html`${content}`;
}
