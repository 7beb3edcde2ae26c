// The gate runs more than once over some text (a TACACS+ command is redacted for its command record
// and again for its account record; `parse` redacts records made from stored, redacted lines), so a
// second pass must change nothing: `redactWith` promises it. Checked over every line of the corpus
// and of the test fixtures as they stand in their files (YAML quoting and all: a value followed by
// a closing quote, an Oxidized placeholder before one), where a line's second pass once hid a quote
// after `<secret removed>` and the word `password` in `passphrase password <redacted>`.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { CORPUS } from '../support/corpus.js';

function* files(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

const FIXTURES = join(import.meta.dirname, '../fixtures');

function changedBySecondPass(root: string): string[] {
  const bad: string[] = [];
  for (const p of files(root)) {
    if (p.includes('/native/')) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      const once = redactSecrets(line);
      if (redactSecrets(once) !== once) bad.push(`${p}: ${once}`);
    }
  }
  return bad;
}

describe('the secret gate is idempotent', () => {
  it('changes nothing on a second pass over any corpus line', () => {
    expect(changedBySecondPass(CORPUS)).toEqual([]);
  });

  it('changes nothing on a second pass over any fixture line', () => {
    expect(changedBySecondPass(FIXTURES)).toEqual([]);
  });

  it.each([
    ["'hash-mgmt-user oxidized password hash <secret removed>'", "'hash-mgmt-user oxidized password hash <secret removed>'"],
    ["'snmp-server host 10.1.2.3 version 2c <secret hidden>'", "'snmp-server host 10.1.2.3 version 2c <secret hidden>'"],
    ['<secret>abc</secret>', `<secret>${REDACTED}</secret>`],
    ['    passphrase password Wpa2Phrase!', `    passphrase password ${REDACTED}`],
    ['password password Zq9-long', `password password ${REDACTED}`],
    ['username bob password password', `username bob password ${REDACTED}`],
    ['passphrase password 1,Wpa2Phrase!', `passphrase password 1,${REDACTED}`],
  ])('%s', (line, want) => {
    expect(redactSecrets(line)).toBe(want);
    expect(redactSecrets(want)).toBe(want);
  });
});
