// From the text a device printed to what aaawatch keeps: accounts read from the raw text (in
// memory only), every secret replaced, and a hash that ignores what changes on its own.

import { createHash } from 'node:crypto';
import { accountName } from '../../parsers/lib/record.js';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import type { LocalAccount, SessionProfile } from '../types.js';
import { PullError } from './errors.js';
import type { PullablePlatform } from './target.js';

export interface Digest {
  /** The configuration with every secret replaced: the only form that is stored or shown. */
  redacted: string;
  /** sha256 (hex) of the redacted text without volatile text, trailing blanks and empty lines. */
  hash: string;
  accounts: LocalAccount[];
}

function global(re: RegExp): RegExp {
  return re.flags.includes('g') ? re : new RegExp(re.source, re.flags + 'g');
}

/** The text a change is judged on: volatile matches removed, then blank-only differences dropped. */
export function significantText(redacted: string, volatile: SessionProfile['volatile']): string {
  let text = redacted;
  for (const re of volatile) text = text.replace(global(re), '');
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .join('\n');
}

function configHash(redacted: string, volatile: SessionProfile['volatile']): string {
  return createHash('sha256').update(significantText(redacted, volatile)).digest('hex');
}

export function digest(platform: PullablePlatform, raw: string): Digest {
  if (platform.ssh.complete && !platform.ssh.complete.test(raw)) {
    throw new PullError('incomplete', 'the configuration ended before its end marker; nothing was stored');
  }
  // The platform's own redaction knows its configuration's blocks; the gate after it is the last
  // guard every kept byte passes. Names are bounded as records bound them, so a long name pulled
  // and the same name logged are one account.
  const accounts = platform.accounts(raw).map((a) => ({ ...a, name: accountName(a.name), lines: a.lines.map(redactSecrets) }));
  const redacted = redactSecrets(platform.redact(raw));
  return { redacted, hash: configHash(redacted, platform.ssh.volatile), accounts };
}
