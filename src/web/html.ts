// Escape-by-default HTML: every value interpolated into an `html` template is escaped unless it
// is itself the result of an `html` template. A page cannot show device text unescaped by
// forgetting a call, and the type checker sees every template (no template files, no eval, no
// runtime compilation — nothing a strict Content-Security-Policy would have to allow).

import { redactSecrets } from '../../parsers/lib/secrets.js';
import { jsonEscaped } from '../reconcile/text.js';
import { Shown, visible } from '../report/text.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string | Shown): string {
  return visible(text).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** HTML that is safe to emit as it is: built only by `html` and `join`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A `Shown` value (what a reviewer typed) is escaped without the device gate: it passed its own rule. */
export type HtmlValue = SafeHtml | Shown | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(v instanceof Shown ? v : String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

export function join(parts: readonly HtmlValue[], separator: SafeHtml = new SafeHtml('')): SafeHtml {
  return new SafeHtml(parts.map(render).join(separator.value));
}

/**
 * A value a form sends back to name something (a case's device and account), as JSON in an
 * attribute: not text shown, so not made visible; each character a page would show by its code
 * (and the HTML parser would change: NUL, CR) is a `\uXXXX` escape instead, which the server's
 * JSON.parse reads back. Made visible, a name holding a control, a line separator or a format
 * character came back as its shown form (`ls\u{2028}ps`), named no case, and the Cases page's
 * decision on it failed. Its strings pass the secret gate, as shown text does.
 */
export function formJson(value: unknown): SafeHtml {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v));
  return new SafeHtml(jsonEscaped(json).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!));
}
