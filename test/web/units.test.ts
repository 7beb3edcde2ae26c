// The pure middle of the web interface and the exports: escaping, CSV cells, JSON, the evidence
// pack's manifest and signature checks, keyset pages, the sign-in limiter.

import { generateKeyPairSync } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/report/csv.js';
import type { ExportDocument } from '../../src/report/document.js';
import { evidencePack, verifyEvidence } from '../../src/report/evidence.js';
import { reconciliationCsv, safeJson } from '../../src/report/formats.js';
import { pdfText } from '../../src/report/pdf.js';
import { loadOrCreateSigningKey } from '../../src/report/signing.js';
import { escapeHtml, html } from '../../src/web/html.js';
import { FailureLimiter } from '../../src/web/limiter.js';
import { toPage } from '../../src/web/paging.js';
import { localNext } from '../../src/web/auth.js';
import { hostileStrings } from './fixture.js';
import { tempDir } from '../support/temp.js';

describe('HTML', () => {
  it('escapes every interpolated value and shows control characters', () => {
    for (const h of hostileStrings()) {
      const e = escapeHtml(h);
      expect(e).not.toMatch(/[<>"'`]/);
      expect(html`<td title="${h}">${h}</td>`.value).toBe(`<td title="${e}">${e}</td>`);
    }
    expect(escapeHtml('a\u0000b\u202ec')).toBe('a\\x00b\\u{202e}c');
    expect(html`${html`<b>${'<i>'}</b>`}`.value).toBe('<b>&lt;i&gt;</b>');
  });

  it('sends a sign-in back only to a path on this site', () => {
    expect(localNext('/findings?kind=x')).toBe('/findings?kind=x');
    for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/login?next=/x', undefined]) expect(localNext(bad)).toBe('/');
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and neutralises formula cells', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd|\' /C calc\'!A0')).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(csvCell('+SUM(1+1)')).toBe(`"'+SUM(1+1)"`);
    expect(csvCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvCell('@SUM(1)')).toBe(`"'@SUM(1)"`);
    expect(csvCell('\tx')).toBe('"\\x09x"');
    expect(csvCell('＝1+1')).toBe(`"'＝1+1"`);
    expect(csvCell('line\r\nbreak')).toBe('"line\\x0d\\x0abreak"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });

  it('leaves no hostile string able to start a formula or break a row', () => {
    const text = toCsv(['v'], hostileStrings().map((h) => [h]));
    const lines = text.split('\r\n');
    expect(lines.length).toBe(hostileStrings().length + 2);
    for (const l of lines.slice(1, -1)) expect(l).not.toMatch(/^"?[=+\-@\t\r]/);
  });
});

describe('JSON and PDF text', () => {
  it('escapes markup and line separators in JSON', () => {
    const s = safeJson({ a: '</script><script>alert(1)</script>\u2028' });
    expect(s).not.toMatch(/[<>\u2028]/);
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>\u2028' });
  });

  it('keeps PDF text to what the built-in font draws', () => {
    expect(pdfText('bob\u0000\u202e')).toBe('bob\\x00\\u{202e}');
    expect(pdfText('Müller 漢字')).toBe('Müller ??');
  });
});

function document(): ExportDocument {
  const none = { type: null, allowed: null, owner: null, department: null, approvalRef: null, approver: null, rosterRef: null, createdAt: null, createdBy: null, createdFrom: null, path: null, attribution: null, firstSeen: null, lastSeen: null, lastLogin: null, daysInactive: null, reviewer: null, decision: null, decidedAt: null };
  return {
    header: {
      title: 't', scope: 's', period: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, generatedAt: '2026-02-01T00:00:00Z', generatedBy: 'test',
      appliance: 'a', version: '0', sources: [{ name: 'x', query: 'y', rows: 1 }], chain: { records: 0, lastId: null, head: null },
    },
    rows: [{ ...none, device: 'sw1', account: '=cmd', privilege: 'privilege 15', rosterMatch: 'no roster', findingKind: 'unauthorised-account', findingId: 7, severity: 'high', status: 'open', findings: [] }],
    findings: [],
  };
}

describe('evidence pack', () => {
  const dir = tempDir('aaawatch-key-');
  const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));

  it('keeps the key with mode 0600 and the same key on the next use', () => {
    expect(statSync(join(dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSigningKey(join(dir, 'signing-key.pem')).fingerprint).toBe(key.fingerprint);
  });

  it('verifies as made, and fails on a changed, missing, extra or repeated file, or another key', async () => {
    const doc = document();
    expect(reconciliationCsv(doc)).toContain(`sw1,"'=cmd",,privilege 15,no roster`);
    const pack = await evidencePack(doc, key);
    expect(verifyEvidence(pack, key.publicKey)).toMatchObject({ ok: true, problems: [] });
    const entries = (): Zippable => unzipSync(pack);
    const changed = entries();
    changed['reconciliation.csv'] = Buffer.from('device\r\n');
    expect(verifyEvidence(zipSync(changed), key.publicKey).problems).toEqual(['reconciliation.csv does not match its SHA-256 in the manifest (it was changed)']);
    const missing = entries();
    delete missing['report.pdf'];
    expect(verifyEvidence(zipSync(missing), key.publicKey).problems).toEqual(['report.pdf is listed in the manifest but missing from the archive']);
    const extra = entries();
    extra['notes.txt'] = Buffer.from('x');
    expect(verifyEvidence(zipSync(extra), key.publicKey).problems).toEqual(['"notes.txt" is in the archive but not in the manifest']);
    const manifest = entries();
    manifest['manifest.json'] = Buffer.from(Buffer.from(manifest['manifest.json'] as Uint8Array).toString().replace('"t"', '"T"'));
    expect(verifyEvidence(zipSync(manifest), key.publicKey).problems[0]).toMatch(/^the signature over manifest.json does not verify/);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyEvidence(pack, other).ok).toBe(false);
    expect(verifyEvidence(Buffer.from('not a zip'), key.publicKey).ok).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('keyset pages', () => {
  const edge = (n: number) => ({ time: n, id: n });
  it('pages older and newer around a cursor', () => {
    expect(toPage([9, 8, 7], 2, {}, edge)).toEqual({ rows: [9, 8], older: edge(8) });
    expect(toPage([7, 6], 2, { before: edge(8) }, edge)).toEqual({ rows: [7, 6], newer: edge(7) });
    expect(toPage([8, 9, 10], 2, { after: edge(7) }, edge)).toEqual({ rows: [9, 8], older: edge(8), newer: edge(9) });
    expect(toPage([5], 2, { before: edge(8) }, edge, edge(3))).toEqual({ rows: [5], older: edge(3), scannedTo: 3, newer: edge(5) });
  });
});

describe('sign-in limiter', () => {
  it('closes a key after its failures and opens it when they leave the window', () => {
    const l = new FailureLimiter(60_000);
    const keys = [{ key: 'user:a', max: 2 }, { key: 'addr:x', max: 8 }];
    l.fail(keys, 0);
    expect(l.check(keys, 1).allowed).toBe(true);
    l.fail(keys, 1000);
    expect(l.check(keys, 2000)).toEqual({ allowed: false, retryAfter: 58 });
    expect(l.check(keys, 60_001).allowed).toBe(true);
    expect(l.check([{ key: 'user:b', max: 2 }, { key: 'addr:x', max: 8 }], 2000).allowed).toBe(true);
  });
});
