// A unified diff shown line by line, each line classed by what it is (added, removed, hunk).

import { html, type SafeHtml } from '../html.js';

export function diffView(text: string): SafeHtml {
  if (!/^@@/m.test(text)) return html`<p class="empty">No difference between the two snapshots.</p>`;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return html`<pre class="diff">${lines.map((l) => {
    const cls = l.startsWith('+++') || l.startsWith('---') ? 'file' : l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('=') ? 'file' : 'ctx';
    return html`<span class="${cls}">${l}</span>\n`;
  })}</pre>`;
}
