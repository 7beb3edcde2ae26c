// ArubaOS: its corpus cases, management users of controllers and Instant APs, the secret grammar,
// auditability and prompts. The recorded sessions are pulled through the emulator by
// test/pull/corpus.test.ts from recordings.ts here. Configuration lines below follow the forms of
// the recordings and aosw.rb with invented values.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { commandError } from '../../../src/pull/output.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { arubaAos } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

const R = '<redacted>';

describe('aruba-aos', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('aruba-aos')).toBe(arubaAos);
    expect(platformCaseProblems(arubaAos, files, cases)).toEqual([]);
  });

  it('reads management users of both generations and redacts their hashes', () => {
    const text = [
      'mgmt-user admin root 4d1a2b3c4d5e6f708192a3b4c5d6e7f8 node /',
      'mgmt-user ops read-only 0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'mgmt-user iapadmin 9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      'mgmt-user iapro 9f8e7d6c5b4a39281706f5e4d3c2b1a1 read-only',
      'hash-mgmt-user guest1 password hash 0123456789abcdef0123 usertype guest-mgmt',
      'mgmt-user localdb disable',
    ].join('\n');
    const got = accounts(text);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['root'], credentials: ['secret'] },
      { name: 'ops', roles: ['read-only'], credentials: ['secret'] },
      { name: 'iapadmin', roles: [], credentials: ['secret'] },
      { name: 'iapro', roles: ['read-only'], credentials: ['secret'] },
      { name: 'guest1', roles: ['guest-mgmt'], credentials: ['secret'] },
    ]);
    expect(JSON.stringify(got)).not.toMatch(/4d1a2b3c|0a1b2c3d|9f8e7d6c|0123456789abcdef/);
    expect(got[0]!.lines[0]).toBe(`mgmt-user admin root ${R} node /`);
  });

  it('redacts every secret form of both recordings and keeps masked values', () => {
    for (const file of ['aosw#Aruba7210_8.10.0.7#output.txt', 'arubainstant#IAP515_8.10.0.6_VWLC#output.txt']) {
      const out = redact(readFileSync(corpusPath('ssh-sessions', file), 'utf8'));
      expect(out, file).not.toContain('AAAAAAAAAABBBBBBBBBB');
    }
    expect(redact('mgmt-user admin root ******************** node /')).toBe('mgmt-user admin root ******************** node /');
    expect(redact('crypto isakmp policy 20\nauthentication pre-share')).toBe('crypto isakmp policy 20\nauthentication pre-share');
    expect(redact('mobility-manager 192.0.2.7 user amp Amp-Secret-1')).toBe(`mobility-manager 192.0.2.7 user amp ${R}`);
  });

  it('judges auditability', () => {
    expect(audit('syslog-server 192.0.2.10\nmgmt-accounting command all', ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit('logging 192.0.2.10', ['192.0.2.10']).map((c) => [c.check, c.ok])).toEqual([['command-accounting', false], ['logging-host', true]]);
  });

  it('knows the prompts of the corpus #prompt.yaml cases', () => {
    for (const p of ['AAAA-AP123456# ', ' AAAA-AP123456# ', '(WPP-ArubaVMC) [mynode] #', '(AAAA-WLC42) ^[mynode] #', '(AAAA-WLC42) *[mynode] #', '(AAAA-WLC42) *[/] #', '(AAAA-WLC42) [mm] #']) {
      expect(ssh.prompt.test(p), p).toBe(true);
    }
    expect(ssh.prompt.test('mgmt-user admin root ***** node /')).toBe(false);
  });

  it('knows a refused command with or without its `%` (as gnetcli\'s ArubaOS tests have them)', () => {
    expect(commandError('            ^\n% Parse error\n', ssh.errors)).toBe('% Parse error');
    expect(commandError('Parse error\n', ssh.errors)).toBe('Parse error');
    expect(commandError('% Incomplete command.\n', ssh.errors)).toBe('% Incomplete command.');
    expect(commandError('version 8.10\nhostname AP-1\n', ssh.errors)).toBeUndefined();
  });

  it('never throws on hostile text', () => {
    const run = recogniser(recognise, 'aruba-aos');
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, ' '.repeat(50_000)]) {
      expect(() => run(`<522274> <5962> <ERRS> <${h} ${h}>  Mgmt User Authentication failed. username=${h}  userip=${h}`)).not.toThrow();
    }
  });
});
