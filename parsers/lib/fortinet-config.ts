// Fortinet configuration text as FortiOS and FortiManager print it: `config …` / `edit` / `set` /
// `end` blocks. Both share the block structure and the one secret that needs it.

import { redactPrivateKeyBlocks, splitLines } from './config-text.js';
import { S, VALUE, compile, form, redactWith, rx, type Matcher } from './secrets/grammar.js';

/** The open `config …` sections, innermost last, for each line. */
export function* withSections(lines: readonly string[]): Generator<[string, string[]]> {
  const sections: string[] = [];
  for (const line of lines) {
    yield [line, sections];
    const t = line.trim();
    const open = /^config\s+(.+)$/.exec(t);
    if (open) sections.push(open[1]!);
    else if (t === 'end') sections.pop();
  }
}

/** In `config system snmp community`, an entry's `set name` is the community itself. */
const COMMUNITY_NAME: Matcher = compile([[form('name', rx()`^[^\S\n]*set${S}name${S}${VALUE()}`)]]);

/** One line with the platform's secret forms removed, and the community name its grammar cannot see. */
export function redactFortinetLine(forms: Matcher, line: string, sections: readonly string[]): string {
  const out = redactWith(forms, line);
  return sections[sections.length - 1] === 'system snmp community' ? redactWith(COMMUNITY_NAME, out) : out;
}

export function redactFortinetConfig(forms: Matcher, configText: string): string {
  const out: string[] = [];
  for (const [line, sections] of withSections(redactPrivateKeyBlocks(splitLines(configText)))) out.push(redactFortinetLine(forms, line, sections));
  return out.join('\n');
}
