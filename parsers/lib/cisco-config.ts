// Cisco-syntax configuration redaction, which IOS, NX-OS, EOS, ASA, IOS-XR and FTD share: banners
// and descriptions left as written, the platform's secret grammar (the Cisco family's, its own and
// the generic one) on every other line, so one place knows how a Cisco configuration is walked.

import { redactPrivateKeyBlocks, redactUnambiguous, splitLines } from './config-text.js';
import { clearRest } from './secrets/clear-rest.js';
import { ciscoForms } from './secrets/cisco-forms.js';
import { genericSecrets } from './secrets/generic.js';
import { compile, redactWith, type Matcher } from './secrets/grammar.js';

/** Where Cisco-syntax configuration keeps secrets: the family's grammar and the generic one. */
const IOS: Matcher = compile([ciscoForms, genericSecrets]);

/** Lines of free text a person wrote: never rewritten, so a banner saying "password" stays readable. */
const PROSE = /^\s*(?:description|remark)\s/;

export interface CiscoRedaction {
  /** The platform's matcher (its grammar, the Cisco family's and the generic one); IOS's by default. */
  matcher?: Matcher;
}

/** Banner bodies: IOS `banner motd ^C … ^C` (any delimiter), EOS `banner login` … `EOF`. */
function bannerEnd(line: string): ((l: string) => boolean) | undefined {
  const m = /^banner\s+\S+\s+(\^C|\S)(.*)$/.exec(line);
  if (m) {
    const delimiter = m[1]!;
    return m[2]!.includes(delimiter) ? undefined : (l) => l.includes(delimiter);
  }
  if (/^banner\s+(?:login|motd)\s*$/.test(line)) return (l) => l === 'EOF';
  return undefined;
}

/** A clear value's rest, after any `0 <redacted>`: a configuration line holds no prose (clear-rest.ts). */
const CLEAR_TEXT_REST = clearRest('');

/**
 * Redact one line of Cisco-syntax configuration. The grammar reads a bare `key X` as the start of
 * a command (a server sub-mode's shared secret) and a key chain's `key 1` as an id, so a line needs
 * no knowledge of its block.
 */
export function redactCiscoLine(line: string, options: CiscoRedaction = {}): string {
  if (PROSE.test(line)) return line;
  return redactWith(options.matcher ?? IOS, line).replace(CLEAR_TEXT_REST, '');
}

/** Redact Cisco-syntax configuration text, leaving banners and descriptions as written. */
export function redactCiscoStyle(configText: string, options: CiscoRedaction = {}): string {
  const out: string[] = [];
  let inBanner: ((l: string) => boolean) | undefined;
  for (const line of redactPrivateKeyBlocks(splitLines(configText))) {
    if (inBanner) {
      out.push(redactUnambiguous(line));
      if (inBanner(line)) inBanner = undefined;
      continue;
    }
    inBanner = bannerEnd(line);
    out.push(inBanner ? line : redactCiscoLine(line, options));
  }
  return out.join('\n');
}
