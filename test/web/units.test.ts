// The pure middle of the web interface and the exports: escaping, CSV cells, JSON, the evidence
// pack's manifest and signature checks, keyset pages, the sign-in limiter.

import { generateKeyPairSync } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/report/csv.js';
import { storedWords, type ExportDocument } from '../../src/report/document.js';
import { evidencePack, verifyEvidence } from '../../src/report/evidence.js';
import { accountsCsv, factValue, POPULATION_FACTS, reportJson, safeJson } from '../../src/report/formats.js';
import { columnWidths, pdfChunks, pdfText, populationCells, reviewPdf, stamp } from '../../src/report/pdf.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { pathJson } from '../../src/reconcile/decision-path.js';
import { openDatabase } from '../../src/store/db.js';
import PDFDocument from 'pdfkit';
import { loadOrCreateSigningKey } from '../../src/report/signing.js';
import { escapeHtml, html } from '../../src/web/html.js';
import { FailureLimiter, limitSource } from '../../src/web/limiter.js';
import { sqliteAccess } from '../../src/web/data/sqlite-access.js';
import { exportPeriod, scopeFrom, scopeListProblem, scopeProblem } from '../../src/report/period.js';
import { parseUtc, parseUtcSpan, timeView } from '../../src/web/time.js';
import { counterGroup } from '../../src/web/data/overview.js';
import { overviewModel, overviewPage } from '../../src/web/views/overview.js';
import { devicePage, unverifiedTable } from '../../src/web/views/devices.js';
import { noLoginSeen } from '../../src/web/views/layout.js';
import { toPage } from '../../src/web/paging.js';
import { localNext } from '../../src/web/auth.js';
import { printable } from '../../src/reconcile/text.js';
import { hostileStrings } from './fixture.js';
import { pdfLines, pdfWords } from '../support/pdf.js';
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

  it('shows every character drawn as nothing, so no name reads as another: pages, CSV, PDF and sentences alike', () => {
    // Each reads "admin" (or "root") where it is drawn: tag characters, a soft hyphen, the Arabic letter mark (a bidi control),
    // the Mongolian vowel separator, a combining grapheme joiner, a variation selector, a Hangul filler.
    const names: Array<[string, string]> = [
      ['admin\u{e0041}\u{e0042}', 'admin\\u{e0041}\\u{e0042}'],
      ['ad\u00admin', 'ad\\xadmin'],
      ['ro\u061cot', 'ro\\u{61c}ot'],
      ['ro\u180eot', 'ro\\u{180e}ot'],
      ['ad\u034fmin', 'ad\\u{34f}min'],
      ['adm\ufe0fin', 'adm\\u{fe0f}in'],
      ['admin\u3164', 'admin\\u{3164}'],
    ];
    for (const [name, shown] of names) {
      expect(escapeHtml(name), shown).toBe(shown);
      expect(csvCell(name)).toBe(`"${shown}"`);
      expect(pdfText(name)).toBe(shown);
      expect(printable(name)).toBe(shown.replace('\\xad', '\\u{ad}'));
    }
    // What is drawn stays as it is.
    for (const plain of ['Müller', 'José', '漢字', 'a b\u00a0c']) expect(escapeHtml(plain)).toBe(plain);
    expect(printable('Müller 漢字')).toBe('Müller 漢字');
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
    // What Helvetica cannot draw is shown by its code point: two names in another script never read alike.
    expect(pdfText('Müller 漢字')).toBe('Müller \\u{6f22}\\u{5b57}');
    expect(pdfText('\u05e9\u05dc\u05d5\u05dd')).not.toBe(pdfText('\u05d0\u05d1\u05d2\u05d3'));
    expect(pdfText('e\u0301')).toBe('e\\u{301}');
    expect(pdfText('e\u0301')).not.toBe(pdfText('\u00e9'));
    expect(pdfText('\u{1f600}')).toBe('\\u{1f600}');
  });
});

function document(): ExportDocument {
  const row: PopulationRow = {
    device: 'sw1', account: '=cmd', inInventory: true, platform: 'cisco-ios', source: 'pulled', state: 'present', privilege: 'privilege 15', superuser: true,
    rosterMatch: 'no roster', allowed: null, type: null, owner: null, department: null, approvalRef: null, approver: null, rosterRef: null, expires: null,
    createdAt: null, createdBy: null, createdFrom: null, createdPath: null, attribution: null, firstSeen: null, lastSeen: null, removedAt: null, removedBy: null,
    removal: null, revoked: null, revokedAt: null, revokedBy: null, lastLogin: null, daysInactive: null, findings: [], records: [], snapshots: [],
  };
  return {
    header: {
      title: 't', scope: 's', period: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, generatedAt: '2026-02-01T00:00:00Z', generatedBy: 'test',
      appliance: 'a', version: '0', sources: [{ name: 'x', query: 'y', rows: 1 }], roster: [], chain: { records: 0, lastId: null, head: null }, stored: { firstRecord: null, firstSnapshot: null },
    },
    rows: [row],
    findings: [],
    decisions: [],
    summary: { accounts: 1, byState: { present: 1 }, bySource: { pulled: 1 }, byRoster: { 'no roster': 1 }, superuser: 1, revoked: 0, exceptions: 0, findingsBySeverity: {}, unresolved: 0, decisions: 0 },
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2026, 1, 1),
    inScope: undefined,
  };
}

/** A row with every fact given: a syslog account removed, a role taken away before, a finding open. */
function fullRow(): PopulationRow {
  return {
    ...document().rows[0]!, account: 'bob', inInventory: false, state: 'removed', rosterMatch: 'not on roster', allowed: 'privilege 1', type: 'human', owner: 'Jane Doe',
    department: 'Infrastructure', approvalRef: 'ACC-7', approver: 'CISO', rosterRef: 'roster.yaml:12', expires: Date.UTC(2026, 1, 1), createdAt: Date.UTC(2026, 0, 2, 3, 4),
    createdBy: 'jdoe', createdFrom: '10.0.0.1', createdPath: 'cli', attribution: 'bob created by jdoe over SSH CLI', firstSeen: Date.UTC(2026, 0, 2, 3, 4),
    lastSeen: Date.UTC(2026, 0, 20), removedAt: Date.UTC(2026, 0, 21, 8), removedBy: 'alice', revoked: 'role network-admin', revokedAt: Date.UTC(2026, 0, 15, 9, 30),
    revokedBy: 'carol', lastLogin: Date.UTC(2026, 0, 10), daysInactive: 11, records: [3, 4], snapshots: [9],
    findings: [{ id: 7, kind: 'unauthorised-account', severity: 'high', status: 'open', summary: 's', firstSeen: 0, lastSeen: 0, acceptedUntil: null, decision: { to: 'acknowledged', by: 'dave', at: Date.UTC(2026, 0, 22), reason: 'r', until: null, ticket: 'CHG-1', path: pathJson({ kind: 'web', user: 'dave' }) } }],
  };
}

describe('the population in every export', () => {
  it('puts every fact of accounts.csv in a cell of the PDF population, but what the Method says is elsewhere', () => {
    const row = fullRow();
    const cells = populationCells(row).join('\n');
    const elsewhere = ['decisions', 'records', 'snapshots'];
    // The yes/no facts are words in the PDF: said when they are the exception.
    const words: Record<string, string> = { 'in inventory': 'not in inventory', superuser: '(superuser)' };
    for (const fact of POPULATION_FACTS) {
      const value = String(factValue(fact, row, stamp));
      expect(value, fact.title).not.toBe('');
      if (elsewhere.includes(fact.title)) continue;
      expect(cells, fact.title).toContain(words[fact.title] ?? value);
    }
    expect(populationCells(row)).toContain('removed 2026-01-21 08:00\nby alice\ntaken away: role network-admin\nat 2026-01-15 09:30\nby carol');
  });

  it('says no login was seen, on the PDF, the Accounts page and a case page, rather than "0 days idle" beside nothing', () => {
    const none = { ...fullRow(), lastLogin: null, daysInactive: 0 };
    const seen = populationCells(none).find((c) => c.includes('days inactive'))!;
    expect(seen).toContain('no login seen');
    expect(seen).not.toMatch(/^login /m);
    expect(populationCells(fullRow()).join('\n')).not.toContain('no login seen');
    expect(String(noLoginSeen(0))).toBe('<span class="none">none seen</span> (its logs cover less than a day)');
    expect(String(noLoginSeen(3))).toBe('<span class="none">none seen</span> in 3 days of its logs');
    expect(String(noLoginSeen(null))).toBe('<span class="none">none seen</span>');
  });

  it('makes a revocation\'s device strings safe in the PDF, as every other cell', () => {
    for (const h of hostileStrings()) {
      const cells = populationCells({ ...document().rows[0]!, revoked: `role ${h}`, revokedAt: Date.UTC(2026, 0, 15, 9, 30), revokedBy: h });
      const cell = cells.find((c) => c.startsWith('taken away: '))!;
      expect(cell).toBe(`taken away: ${pdfText(`role ${h}`, 200)}\nat 2026-01-15 09:30\nby ${pdfText(h, 200)}`);
      expect(cell.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
    }
  });

  it('reads the same revocation in the CSV, the JSON (times as ISO 8601) and the PDF\'s text', async () => {
    const doc = { ...document(), rows: [{ ...fullRow(), revoked: 'role rlo\u202eexe', revokedBy: 'carol\u0000' }] };
    expect(accountsCsv(doc)).toContain(',2026-01-21T08:00:00Z,alice,"role rlo\\u{202e}exe",2026-01-15T09:30:00Z,"carol\\x00",');
    const json = JSON.parse(reportJson(doc)) as { accounts: Array<Record<string, unknown>> };
    expect(json.accounts[0]).toMatchObject({ revoked: 'role rlo\u202eexe', revokedAt: '2026-01-15T09:30:00Z', revokedBy: 'carol\u0000', removedAt: '2026-01-21T08:00:00Z', expires: '2026-02-01T00:00:00Z' });
    const text = pdfWords(await reviewPdf(doc));
    if (text === undefined) return;
    expect(text).toContain('removed 2026-01-21 08:00 by alice taken away: role rlo\\u{202e}exe at 2026-01-15 09:30 by carol\\x00');
    expect(text).toContain('but decisions (in the Exceptions table');
  });

  it('says in the PDF\'s summary and the JSON header what the store holds from when, and that a period starting earlier holds nothing before it', async () => {
    const stored = { firstRecord: '2026-01-10T06:00:00Z', firstSnapshot: '2025-12-01T00:00:00Z' };
    const doc = document();
    const later = { ...doc, header: { ...doc.header, stored } };
    expect((JSON.parse(reportJson(later)) as { header: { stored: unknown } }).header.stored).toEqual(stored);
    // The period starts 2026-01-01: the first record is later, the first configuration earlier.
    const said = 'records from 2026-01-10T06:00:00Z, configurations from 2025-12-01T00:00:00Z. The period starts earlier: this review holds no record before 2026-01-10T06:00:00Z (not collected yet, or removed by retention)';
    expect(storedWords(later.header)).toBe(said);
    expect(storedWords({ ...later.header, period: { ...later.header.period, from: '2026-01-10T06:00:00Z' } })).toBe('records from 2026-01-10T06:00:00Z, configurations from 2025-12-01T00:00:00Z');
    expect(storedWords(doc.header)).toBe('records from (none stored), configurations from (none stored)');
    const text = pdfWords(await reviewPdf(later));
    if (text === undefined) return;
    expect(text).toContain(`Record chain Stored `);
    expect(text).toContain(said);
  });
});

describe('evidence pack', () => {
  const dir = tempDir('aaawatch-key-');
  const key = loadOrCreateSigningKey(join(dir, 'signing-key.pem'));

  it('keeps the key with mode 0600 and the same key on the next use', () => {
    expect(statSync(join(dir, 'signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSigningKey(join(dir, 'signing-key.pem')).fingerprint).toBe(key.fingerprint);
  });

  it('verifies as made, and fails on a changed, missing, extra or repeated file, or another key', async () => {
    const doc = document();
    expect(accountsCsv(doc)).toContain(`sw1,"'=cmd",yes,pulled,present,privilege 15,yes,no roster`);
    const db = openDatabase(':memory:');
    const pack = await evidencePack(db, doc, key);
    db.close();
    expect(verifyEvidence(pack, key.publicKey)).toMatchObject({ ok: true, problems: [] });
    const entries = (): Zippable => unzipSync(pack);
    expect(Object.keys(entries()).sort()).toEqual([
      'SHA256SUMS', 'SHA256SUMS.sig', 'VERIFY.txt', 'accounts.csv', 'activity.csv', 'activity.jsonl', 'chain-heads.txt', 'decisions.csv', 'findings.csv', 'manifest.json', 'records.csv', 'records.jsonl',
      'report.json', 'report.pdf', 'signing-key.pem',
    ]);
    const changed = entries();
    changed['accounts.csv'] = Buffer.from('device\r\n');
    expect(verifyEvidence(zipSync(changed), key.publicKey).problems).toEqual(['accounts.csv does not match its SHA-256 in SHA256SUMS (it was changed)']);
    const missing = entries();
    delete missing['report.pdf'];
    expect(verifyEvidence(zipSync(missing), key.publicKey).problems).toEqual(['report.pdf is listed in SHA256SUMS but missing from the archive']);
    const extra = entries();
    extra['notes.txt'] = Buffer.from('x');
    expect(verifyEvidence(zipSync(extra), key.publicKey).problems).toEqual(['"notes.txt" is in the archive but not in SHA256SUMS']);
    const sums = entries();
    sums['SHA256SUMS'] = Buffer.from(Buffer.from(sums['SHA256SUMS'] as Uint8Array).toString().replace(/^[0-9a-f]{64}  accounts\.csv\n/m, ''));
    expect(verifyEvidence(zipSync(sums), key.publicKey).problems[0]).toMatch(/^the signature over SHA256SUMS does not verify/);
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyEvidence(pack, other).ok).toBe(false);
    expect(verifyEvidence(Buffer.from('not a zip'), key.publicKey).ok).toBe(false);
  });

  it('names each collector\'s chain head in VERIFY.txt and the PDF, as `aaawatch verify` checks them on PostgreSQL', async () => {
    const base = document();
    const heads = { a: 'a'.repeat(64), b: 'b'.repeat(64) };
    const chain = { records: 5, lastId: 9, head: heads.b, collectors: [{ collector: 'site-a', records: 3, head: heads.a }, { collector: 'site-b\nrm -rf', records: 2, head: heads.b }] };
    const doc = { ...base, header: { ...base.header, chain } };
    const db = openDatabase(':memory:');
    const pack = unzipSync(await evidencePack(db, doc, key));
    db.close();
    const verify = Buffer.from(pack['VERIFY.txt']!).toString('utf8');
    expect(verify).toContain(`Record chain at generation: 5 records, last id 9, head ${heads.b}; collector site-a: 3 records, head ${heads.a}; collector site-b\\u{a}rm -rf: 2 records, head ${heads.b}.`);
    const text = pdfWords(Buffer.from(pack['report.pdf']!));
    if (text !== undefined) expect(text).toContain(`collector site-a: 3 records, head ${heads.a}`);
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
  const keys = [{ key: 'user:a', max: 2 }, { key: 'addr:x', max: 8 }];
  /** A limiter over a store of its own (kept in the store, web_login_limits, since lim19). */
  const limiter = (windowMs: number, lockoutMs: number, maxKeys = 100_000): FailureLimiter =>
    new FailureLimiter(sqliteAccess(openDatabase(':memory:'), true), { windowMs, lockoutMs, maxKeys });
  const failed = async (l: FailureLimiter, at: number): Promise<void> => {
    const a = await l.attempt(keys, at);
    if (!a.allowed) throw new Error('refused');
    await l.fail(a.ticket, at);
  };

  it('locks a key for the whole lockout once it reaches its limit, counted from the lock', async () => {
    const l = limiter(30 * 60_000, 30 * 60_000);
    await failed(l, 0);
    // The second failure comes 29 minutes after the first: the lock still lasts 30 minutes from then.
    await failed(l, 29 * 60_000);
    expect(await l.attempt(keys, 29 * 60_000 + 1000)).toEqual({ allowed: false, retryAfter: 30 * 60 - 1, refused: 1, log: true });
    expect((await l.attempt(keys, 58 * 60_000)).allowed).toBe(false);
    expect((await l.attempt(keys, 59 * 60_000 + 1)).allowed).toBe(true);
    // Another name from the same address is not locked.
    expect((await l.attempt([{ key: 'user:b', max: 2 }, { key: 'addr:x', max: 8 }], 29 * 60_000 + 1000)).allowed).toBe(true);
  });

  it('says which refusals of a lock to log: the 1st, 10th, 100th, 1000th; a new lock starts again', async () => {
    const l = limiter(60_000, 60_000);
    await failed(l, 0);
    await failed(l, 1);
    const logged: number[] = [];
    for (let i = 1; i <= 1500; i++) {
      const a = await l.attempt(keys, 2);
      if (a.allowed) throw new Error('allowed while locked');
      expect(a.refused).toBe(i);
      if (a.log) logged.push(a.refused);
    }
    expect(logged).toEqual([1, 10, 100, 1000]);
    // After the lockout, two more failures lock it again: its first refusal is logged again.
    await failed(l, 60_002);
    await failed(l, 60_003);
    expect(await l.attempt(keys, 60_004)).toMatchObject({ allowed: false, refused: 1, log: true });
  });

  it('counts attempts before they are checked: concurrent ones get no more than the limit', async () => {
    const l = limiter(60_000, 60_000);
    const decisions = await Promise.all(Array.from({ length: 100 }, () => l.attempt(keys, 0)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(2);
  });

  it('a success withdraws its own attempt and clears the name, not the address', async () => {
    const l = limiter(60_000, 60_000);
    await failed(l, 0);
    const ok = await l.attempt(keys, 1);
    if (!ok.allowed) throw new Error('refused');
    await l.succeed(ok.ticket, 'user:a', 1);
    expect((await l.attempt(keys, 2)).allowed).toBe(true);
    const many = [{ key: 'user:c', max: 100 }, { key: 'addr:y', max: 3 }];
    for (let i = 0; i < 3; i++) {
      const a = await l.attempt(many, 10 + i);
      if (!a.allowed) throw new Error('refused');
      await l.fail(a.ticket, 10 + i);
    }
    expect((await l.attempt(many, 20)).allowed).toBe(false);
  });

  it('is bounded in keys: past the bound the key whose state ends soonest, attempted least recently, is forgotten first', async () => {
    const l = limiter(60_000, 60_000, 3);
    const one = (key: string, at: number) => l.attempt([{ key, max: 1 }], at);
    for (const key of ['a', 'b', 'c']) {
      const t = await one(key, 0);
      if (t.allowed) await l.fail(t.ticket, 0);
    }
    // `a` is attempted again (refused: locked), so `b` is now the key attempted least recently.
    expect((await one('a', 1)).allowed).toBe(false);
    await one('d', 2);
    expect((await one('b', 3)).allowed).toBe(true);
    expect((await one('a', 4)).allowed).toBe(false);
    expect((await one('c', 5)).allowed).toBe(true);
  });
});

describe('export period and scope', () => {
  const now = Date.UTC(2026, 11, 5, 8, 0);
  it('refuses a date that does not exist instead of rolling it into the next', () => {
    for (const text of ['2026-09-31', '2026-02-29', '2026-13-01', '2026-00-10', '2026-11-30T24:00', '2026-11-30T23:60', '0099-01-01']) {
      expect(parseUtc(text), text).toBeUndefined();
      expect(exportPeriod(text, undefined, now), text).toEqual({ problem: 'from: a UTC date, like 2026-08-01' });
    }
    expect(parseUtc('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(exportPeriod('2026-09-01', '2026-09-30', now)).toEqual({ from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 9, 1) - 1 });
  });

  it('reads a time given with its zone\'s offset, across a DST change, and refuses an offset that is none', () => {
    // Berlin's 29 March 2026, the day clocks go forward: 23 hours long.
    // The end given to the minute covers that minute (asof19: it ended at its first millisecond).
    expect(exportPeriod('2026-03-29T00:00+01:00', '2026-03-30T00:00+02:00', now)).toEqual({ from: Date.UTC(2026, 2, 28, 23), to: Date.UTC(2026, 2, 29, 22, 0, 59, 999) });
    expect(parseUtc('2026-11-20T09:30-05:00')).toBe(Date.UTC(2026, 10, 20, 14, 30));
    expect(parseUtc('2026-11-20T14:02:30Z')).toBe(Date.UTC(2026, 10, 20, 14, 2, 30));
    for (const text of ['2026-11-20+01:00', '2026-11-20T14:00+15:00', '2026-11-20T14:00+01:60', '2026-11-20T14:00+1']) expect(parseUtc(text), text).toBeUndefined();
  });

  it('says a period in the future is in the future, not that it starts after its end', () => {
    expect(exportPeriod('2027-01-01', '2027-02-01', now)).toEqual({ problem: 'from: 2027-01-01 is in the future; a review covers time that has passed (it is 2026-12-05T08:00Z)' });
    expect(exportPeriod('2026-12-05T07:00', '2027-02-01', now)).toEqual({ from: Date.UTC(2026, 11, 5, 7), to: now });
    expect(exportPeriod('2026-12-04', '2026-12-03', now)).toEqual({ problem: 'from: must be before the end of the period' });
    // An end given to the second, as every export writes a record's time, covers that whole second.
    expect(exportPeriod('2026-12-01', '2026-12-04T05:38:33Z', now)).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 4, 5, 38, 33, 999) });
    expect(exportPeriod('2026-12-01', '2026-12-04T06:38:33+01:00', now)).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2026, 11, 4, 5, 38, 33, 999) });
  });

  it('reads an end as the end of the unit it is given to (day, minute, second) and a start as its start, in every spelling', () => {
    // asof19: an end given to the minute (the picker's, --to 05:38) ended at 05:38:00.000 and left
    // out what came later in that minute.
    const ends: Array<[string, number]> = [
      ['2026-12-04', Date.UTC(2026, 11, 5) - 1],
      ['2026-12-04Z', Date.UTC(2026, 11, 5) - 1],
      ['2026-12-04T05:38', Date.UTC(2026, 11, 4, 5, 39) - 1],
      ['2026-12-04 05:38Z', Date.UTC(2026, 11, 4, 5, 39) - 1],
      ['2026-12-04T06:38+01:00', Date.UTC(2026, 11, 4, 5, 39) - 1],
      ['2026-12-04T05:38:33Z', Date.UTC(2026, 11, 4, 5, 38, 34) - 1],
      ['2026-12-04T06:38:33+01:00', Date.UTC(2026, 11, 4, 5, 38, 34) - 1],
    ];
    for (const [text, to] of ends) expect(exportPeriod('2026-12-01', text, now), text).toEqual({ from: Date.UTC(2026, 11, 1), to });
    // A start is the first moment of what it names, whatever its precision: inclusive.
    const starts: Array<[string, number]> = [
      ['2026-12-04', Date.UTC(2026, 11, 4)],
      ['2026-12-04T05:38', Date.UTC(2026, 11, 4, 5, 38)],
      ['2026-12-04T05:38:33Z', Date.UTC(2026, 11, 4, 5, 38, 33)],
    ];
    for (const [text, from] of starts) expect(exportPeriod(text, '2026-12-04T05:38:33Z', now), text).toEqual({ from, to: Date.UTC(2026, 11, 4, 5, 38, 34) - 1 });
    // One minute, one second, one day: a period both ends name is that unit whole, not empty.
    expect(exportPeriod('2026-12-04T05:38', '2026-12-04T05:38', now)).toEqual({ from: Date.UTC(2026, 11, 4, 5, 38), to: Date.UTC(2026, 11, 4, 5, 39) - 1 });
    expect(exportPeriod('2026-12-04T05:38:33Z', '2026-12-04T05:38:33Z', now)).toEqual({ from: Date.UTC(2026, 11, 4, 5, 38, 33), to: Date.UTC(2026, 11, 4, 5, 38, 34) - 1 });
    expect(exportPeriod('2026-12-04', '2026-12-04', now)).toEqual({ from: Date.UTC(2026, 11, 4), to: Date.UTC(2026, 11, 5) - 1 });
    // An end within the current minute is cut at now.
    expect(exportPeriod('2026-12-04', '2026-12-05T08:00', now)).toEqual({ from: Date.UTC(2026, 11, 4), to: now });
    expect(parseUtcSpan('2026-12-04T05:38')).toEqual({ at: Date.UTC(2026, 11, 4, 5, 38), unit: 60_000 });
    // An end alone: the 90 days that end with it, from a day's first moment (not 23:59:59.999 the day before).
    expect(exportPeriod(undefined, '2026-12-01', now)).toEqual({ from: Date.UTC(2026, 8, 3), to: Date.UTC(2026, 11, 2) - 1 });
    expect(exportPeriod(undefined, '2026-12-01T10:00', now)).toEqual({ from: Date.UTC(2026, 8, 2, 10, 1), to: Date.UTC(2026, 11, 1, 10, 1) - 1 });
  });

  it('names a group no device is in, a platform that does not exist, or a device name or glob no known device answers to', () => {
    const known = { groups: ['core', 'dc1'], platforms: ['cisco-asa', 'linux'], devices: ['fw1', 'core-sw1', 'syslog-only<b>'] };
    expect(scopeProblem(scopeFrom(['fw*'], ['dc1'], ['linux']), known)).toBeUndefined();
    expect(scopeProblem(scopeFrom([], ['dc2'], []), known)).toBe('group dc2: no device in the inventory is in it (groups: core, dc1)');
    expect(scopeProblem(scopeFrom([], [], ['cisco-iso']), known)).toBe('platform cisco-iso: not a platform id (cisco-asa, linux)');
    // A typed name selected no device: an empty review that read as complete (issue 15: the scope of an unknown device).
    const unknown = 'names no device aaawatch knows (in the inventory, pulled, or heard from by syslog or native accounting)';
    expect(scopeProblem(scopeFrom(['core-sw9'], [], []), known)).toBe(`devices core-sw9: ${unknown}`);
    expect(scopeProblem(scopeFrom(['core-sw1', 'fw9'], [], []), known)).toBe(`devices fw9: ${unknown}`);
    expect(scopeProblem(scopeFrom(['edge-*'], [], []), known)).toBe(`devices edge-*: ${unknown}`);
    // Names as the review's scope matches them: in any case, by glob, a name only syslog carried.
    for (const taken of [['CORE-SW1'], ['core-*', 'fw?'], ['syslog-only<b>'], ['*']]) expect(scopeProblem(scopeFrom(taken, [], []), known), taken.join()).toBeUndefined();
  });

  it('says a typed list past the scope\'s bounds (50 names, 256 characters a name) rather than reading fewer names', () => {
    const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `sw${i}`);
    expect(scopeListProblem('devices', names(50))).toBeUndefined();
    expect(scopeListProblem('devices', [...names(50), ' sw1 ', ''])).toBeUndefined();
    expect(scopeListProblem('devices', names(51))).toBe('devices: at most 50 names or globs (51 given)');
    expect(scopeListProblem('groups', ['x'.repeat(256)])).toBeUndefined();
    expect(scopeListProblem('groups', ['x'.repeat(257)])).toBe('groups: a name or glob is at most 256 characters (one of 257 given)');
  });
});

describe('sign-in limit sources', () => {
  it('counts IPv6 by /64 in every spelling, IPv4 as one however written, and keeps anything else', () => {
    const same64 = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:fffe', '2001:0db8:0001:0002:0:0:0:9', '2001:db8:1:2::192.0.2.1', 'fe80::1%eth0'.replace('fe80::', '2001:db8:1:2::')];
    expect(new Set(same64.map(limitSource))).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(limitSource('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(['192.0.2.12', '::ffff:192.0.2.12', '::FFFF:c000:20c', '0:0:0:0:0:ffff:c000:020c'].map(limitSource)).toEqual(Array(4).fill('192.0.2.12'));
    expect(limitSource('::1')).not.toBe(limitSource('192.0.2.12'));
    expect(limitSource('unknown')).toBe('unknown');
    expect(limitSource('::ffff:300.1.1.1')).toBe('::ffff:300.1.1.1');
  });
});

describe('PDF layout', () => {
  it('never wraps a stamp inside free text: a decision\'s acceptance end stays on one line', async () => {
    // The cell as a real pack drew it: "accepted by alice 2026-12-06 02:48 until 2027-01-31" over "23:59 [CHG-9]: …".
    const until = Date.UTC(2027, 0, 31, 23, 59, 59);
    const finding = {
      id: 3, kind: 'account-created', severity: 'critical' as const, status: 'accepted', firstSeen: 0, lastSeen: 0, acceptedUntil: until,
      summary: 'account created on fw1: vendor-tac by jdoe (jdoe is an authorised administrator, outside any change window, granting full administrative rights)',
      decision: { to: 'accepted' as const, by: 'alice', at: Date.UTC(2026, 11, 6, 2, 48, 11), reason: 'vendor support until contract end', until, ticket: 'CHG-9', path: pathJson({ kind: 'web', user: 'alice' }) },
    };
    const base = document();
    const doc = { ...base, rows: [{ ...base.rows[0]!, device: 'fw1', account: 'vendor-tac', rosterMatch: 'not on roster', findings: [finding] }] } as ExportDocument;
    const lines = pdfLines(await reviewPdf(doc));
    if (lines === undefined) return;
    const decision = lines.filter((l) => l.includes('accepted by alice'));
    expect(decision).toHaveLength(1);
    expect(lines.some((l) => l.includes('2027-01-31 23:59'))).toBe(true);
    expect(lines.filter((l) => /\d{4}-\d\d-\d\d\s*$/.test(l))).toEqual([]);
  });

  it('carries every account, exception and decision past 2,000 rows a table, its pages numbered of the right total, written a page at a time', async () => {
    // An auditor signs the PDF off: a population cut at 2,000 rows ("see accounts.csv") was incomplete.
    const base = document();
    const finding = (id: number): PopulationRow['findings'][number] => ({ id, kind: 'unauthorised-account', severity: 'high', status: 'open', summary: `finding-${id}`, firstSeen: 0, lastSeen: 0, acceptedUntil: null, decision: null });
    const rows = Array.from({ length: 2_050 }, (_, i) => ({ ...base.rows[0]!, account: `acct-${i}`, rosterMatch: 'not on roster' as const, findings: [finding(i + 1)] }));
    const decisions = Array.from({ length: 2_050 }, (_, i) => ({ findingId: i + 1, device: 'sw1', account: `acct-${i}`, kind: 'unauthorised-account', at: Date.UTC(2026, 0, 5), by: 'alice', from: 'open', to: 'acknowledged', reason: `reason-${i}`, until: null, ticket: null, path: pathJson({ kind: 'web', user: 'alice' }) }));
    const doc = { ...base, rows, decisions } as ExportDocument;
    const chunks: Buffer[] = [];
    for await (const c of pdfChunks(doc)) chunks.push(c);
    // Written out as it is drawn, not in one piece at the end.
    expect(chunks.length).toBeGreaterThan(100);
    const text = pdfWords(Buffer.concat(chunks));
    if (text === undefined) return;
    for (const i of [0, 1_999, 2_000, 2_049]) expect(text).toContain(` acct-${i} `);
    for (const id of [1, 2_000, 2_001, 2_050]) expect(text).toContain(` finding-${id} `);
    for (const i of [0, 2_000, 2_049]) expect(text).toContain(` reason-${i} `);
    expect(text).toContain('Exceptions (2050 accounts, 2050 lines)');
    expect(text).not.toContain('rows are shown here');
    const pages = [...text.matchAll(/page (\d+) of (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(pages.length).toBeGreaterThan(100);
    expect(pages.map((p) => p[0])).toEqual(pages.map((_, i) => i + 1));
    expect(new Set(pages.map((p) => p[1]))).toEqual(new Set([pages.length]));
  }, 120_000);

  it('keeps a roster file\'s SHA-256 on one line, whatever its digits', async () => {
    const sha256 = '0e66955943838821afe1493c43cb9013a4587f1631d82a9469da1a118d022e86';
    const base = document();
    const doc = { ...base, header: { ...base.header, roster: [{ path: `/etc/aaawatch/${'roster-'.repeat(20)}.yaml`, bytes: 148, sha256 }] } };
    const text = pdfWords(await reviewPdf(doc));
    if (text === undefined) return;
    expect(text).toContain(sha256);
  });

  it('makes time columns as wide as a stamp, so a stamp never wraps', () => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape' });
    const columns = [{ title: 'Device', weight: 10 }, { title: 'Created', fit: '0000-00-00 00:00' }, { title: 'Summary', weight: 40 }];
    const widths = columnWidths(doc, columns, 770);
    doc.font('Helvetica').fontSize(7);
    expect(widths[1]! - 5).toBeGreaterThanOrEqual(doc.widthOfString(stamp(Date.UTC(2026, 11, 31, 23, 59))));
    expect(doc.heightOfString(stamp(Date.UTC(2026, 11, 31, 23, 59)), { width: widths[1]! - 5 })).toBe(doc.heightOfString('x'));
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(770);
  });
});

describe('overview: input lost, and why', () => {
  const NOW = Date.UTC(2026, 11, 5, 14);
  const page = (counters: Record<string, number>): string => {
    const rows = Object.entries(counters).map(([name, value]) => ({ name, value, updated_at: NOW }));
    const ctx = { user: { id: 1, name: 'alice', role: 'admin' as const }, csrf: 'c', time: timeView('UTC'), zone: 'UTC', now: NOW, path: '/' };
    const text = overviewPage(ctx, overviewModel([], [], rows, [], 24, 0, { rows: [], total: 0 })).toString();
    return text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  };

  it('says why a UDP flood was lost: read too slowly by aaawatch, with the buffer it had (the counts of a real flood)', () => {
    const text = page({ 'received.udp': 69_001, 'kernel.udp.socket_drops': 166_915, 'udp.recv_buffer_bytes': 8_388_608 });
    expect(text).toContain('166,915 UDP datagrams the kernel dropped');
    expect(text).toContain('0 dropped by aaawatch (store behind or not writable)');
    expect(text).toContain('166,915 UDP datagrams came faster than aaawatch read them with a 8 MiB receive buffer, and the kernel dropped them');
    expect(text).not.toContain('a larger receive buffer would not help');
  });

  it('names the store when it was the limit: records shed, and kernel drops while reading was paused for it', () => {
    const text = page({ 'received.udp': 40_000, 'dropped.store-behind': 12_000, 'kernel.udp.socket_drops': 90_000, 'kernel.udp.socket_drops.store-behind': 85_000, 'udp.recv_buffer_bytes': 212_992 });
    expect(text).toContain('12,000 dropped by aaawatch (store behind or not writable)');
    expect(text).toContain('12,000 records and messages dropped by aaawatch because the store fell behind what arrived (dropped.store-behind)');
    expect(text).toContain("85,000 of the kernel's UDP drops came while aaawatch had stopped reading because the store was behind or could not be written: a larger receive buffer would not help");
    expect(text).toContain('5,000 UDP datagrams came faster than aaawatch read them with a 0.20 MiB receive buffer');
    expect(counterGroup('dropped.store-behind')).toBe('dropped');
    expect(counterGroup('dropped.store-unwritable')).toBe('dropped');
  });

  it("names the host-wide count as the host's when aaawatch has no syslog UDP socket of its own", () => {
    const text = page({ 'received.tcp': 10, 'kernel.udp.rcvbuf_errors_since_start': 2_800_000 });
    expect(text).toContain("2,800,000 UDP receive-buffer errors on this host since start (every process's sockets)");
    expect(text).not.toContain('UDP datagrams the kernel dropped');
  });

  it('says nothing of losses when nothing was lost', () => {
    const text = page({ 'received.udp': 10, 'kernel.udp.socket_drops': 0 });
    expect(text).not.toMatch(/faster than|fell behind|would not help/);
  });
});

describe('devices: names a device logs under', () => {
  const NOW = Date.UTC(2026, 11, 5, 14);
  const ctx = { user: { id: 1, name: 'alice', role: 'admin' as const }, csrf: 'c', time: timeView('UTC'), zone: 'UTC', now: NOW, path: '/' };
  const text = (h: { toString(): string }): string => h.toString().replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

  it('the device page lists its log names; an unverified sender from an inventory address names that device and its logNames', () => {
    const inventory = { name: 'fw-edge-1', address: '192.0.2.40', platform: 'fortinet-fortios', groups: [], pull: false, logNames: ['FGT60F-HQ', '<b>x</b>'] };
    const page = devicePage(ctx, {
      name: 'fw-edge-1', inventory, health: undefined, problems: [], senders: [], unverified: false, kind: undefined, silentHours: 24, checks: undefined,
      detail: { accounts: [], changes: [], snapshots: [], hostKey: undefined, hostKeyChange: undefined, lastCommand: null, lastAccountRecord: null, native: [] },
      events: { rows: [] },
    });
    expect(text(page)).toContain('not pulled · logs as FGT60F-HQ , &lt;b&gt;x&lt;/b&gt;');
    const list = unverifiedTable(ctx, { rows: [{ device: 'FGT-NEW', firstSeen: NOW, lastSeen: NOW, senders: ['192.0.2.40'], records: 1, fromDevice: 'fw-edge-1' }], total: 1 });
    expect(text(list)).toContain("192.0.2.40 the inventory address of fw-edge-1 : if this is a name it logs under, list it in that device's logNames");
  });
});
