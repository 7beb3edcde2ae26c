// A decision's path (issue 15, src/reconcile/decision-path.ts), one contract for both engines: a
// decision typed on the command line (`--by aud`, self-asserted, with the OS user who ran it), one
// made by the signed-in user aud and one by aud's API token export differently, in decisions.csv,
// findings.csv, the JSON, the PDF and the evidence pack; a decision recorded before the path was
// (a store upgraded: SQLite's migration 024, PostgreSQL's columns added at start) reads as unknown,
// never as web.

import Database from 'better-sqlite3';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { DecisionPath } from '../../../src/reconcile/decision-path.js';
import type { FindingRow as StoredFindingRow } from '../../../src/reconcile/findings.js';
import type { ExportDocument } from '../../../src/report/document.js';
import { decisionsCsv, findingsCsv, reportJson } from '../../../src/report/formats.js';
import { reviewPdf } from '../../../src/report/pdf.js';
import { keyFingerprint, type SigningKey } from '../../../src/report/signing.js';
import { migrate, openDatabase } from '../../../src/store/db.js';
import { migrations } from '../../../src/store/migrations/index.js';
import { createIngestTables, createTables } from '../../../src/store/pg/migrate.js';
import { createPullTables } from '../../../src/store/pg/pull-tables.js';
import { FINDING_TABLES } from '../../../src/store/schema/findings.js';
import type { Table } from '../../../src/store/schema/table.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, numbered, PG_NUMBERS, pgAccess } from '../../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { describeEngines, type StoreTarget } from '../../support/engines.js';
import { pdfWords } from '../../support/pdf.js';
import { tempDir } from '../../support/temp.js';

const AT = Date.UTC(2026, 10, 21, 12, 0, 0);
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

const CLI: DecisionPath = { kind: 'cli', osUser: 'root' };
const WEB: DecisionPath = { kind: 'web', user: 'aud' };
const API: DecisionPath = { kind: 'api', user: 'aud', tokenId: 7, token: 'ci' };

const finding = (account: string): Omit<StoredFindingRow, 'id'> => ({
  kind: 'unauthorised-account', severity: 'high', device: 'sw1', account, status: 'open', summary: `${account} is not on the roster`,
  technique: null, attribution: null, evidence: '{"events":[],"snapshots":[]}', first_seen: AT, last_seen: AT, occurrences: 1, accepted_until: null, updated_at: AT,
});

function testKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(publicKey) };
}

interface Opened {
  access: WebAccess;
  sql(text: string, args: unknown[]): Promise<void>;
}

async function open(target: StoreTarget): Promise<Opened> {
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    return { access: sqliteAccess(db, true), sql: async (text, args) => void db.prepare(text).run(...args) };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  pool.on('error', () => undefined);
  await createIngestTables(pool);
  await createWebTables(pool);
  await createPullTables(pool);
  return { access: pgAccess(pool, true), sql: async (text, args) => void (await pool.query(numbered(text), args)) };
}

/** The review of the day, with its evidence pack's files. */
async function reviewed(a: WebAccess, config: Config): Promise<{ doc: ExportDocument; files: Record<string, string> }> {
  const key = testKey();
  return a.review(config, undefined, { now: NOW, by: 'aud (web)', from: AT - 86_400_000, to: NOW }, async (doc, write) => {
    const parts: Uint8Array[] = [];
    await write('evidence.zip', () => key, (c) => void parts.push(c));
    const files = Object.fromEntries(Object.entries(unzipSync(Buffer.concat(parts))).map(([name, data]) => [name, strFromU8(data)]));
    return { doc, files };
  });
}

/** The CSV line of finding `id` (its first column). */
const csvLine = (csv: string, id: number, column = 0): string => csv.split('\r\n').find((l) => l.split(',')[column] === String(id)) ?? '';

describeEngines('a decision path', (engine) => {
  let store: Opened;
  let config: Config;
  beforeEach(async () => {
    store = await open(await engine.fresh());
    config = configSchema.parse({ store: { path: join(tempDir(), 'unused.db') } });
  });
  afterEach(async () => {
    await store.access.close();
  });

  it('a decision typed on the command line and one made signed in, by the same reviewer, export differently: CSV, JSON, PDF and pack', async () => {
    const a = store.access;
    const [typed, signedIn, token] = [await a.insertFinding(finding('bob')), await a.insertFinding(finding('carol')), await a.insertFinding(finding('dave'))];
    await a.decide(typed, 'acknowledged', { by: 'aud', path: CLI, reason: 'asked the owner', at: AT + 1000 });
    await a.decide(signedIn, 'acknowledged', { by: 'aud', path: WEB, reason: 'asked the owner', at: AT + 2000 });
    await a.decide(token, 'acknowledged', { by: 'aud', path: API, reason: 'asked the owner', at: AT + 3000 });
    const { doc, files } = await reviewed(a, config);

    const decisions = decisionsCsv(doc);
    expect(decisions.split('\r\n')[0]).toMatch(/,reviewer,.*,decision path,authenticated,path detail$/);
    expect(csvLine(decisions, typed, 1)).toMatch(/,aud,open,acknowledged,,,asked the owner,cli,no,"command line, self-asserted by OS user root"$/);
    expect(csvLine(decisions, signedIn, 1)).toMatch(/,aud,open,acknowledged,,,asked the owner,web,yes,"web, signed in as aud"$/);
    expect(csvLine(decisions, token, 1)).toMatch(/,aud,open,acknowledged,,,asked the owner,api,yes,"api, token #7 ""ci"" of aud"$/);
    const findings = findingsCsv(doc);
    expect(csvLine(findings, typed)).toMatch(/,cli,no,"command line, self-asserted by OS user root"$/);
    expect(csvLine(findings, signedIn)).toMatch(/,web,yes,"web, signed in as aud"$/);

    const json = JSON.parse(reportJson(doc)) as { decisions: Array<{ findingId: number; by: string; path: unknown }>; findings: Array<{ id: number; decision: { path: unknown } }> };
    expect(json.decisions.map((d) => [d.findingId, d.by, d.path])).toEqual([
      [typed, 'aud', { kind: 'cli', authenticated: false, user: 'root', token: null, text: 'command line, self-asserted by OS user root' }],
      [signedIn, 'aud', { kind: 'web', authenticated: true, user: 'aud', token: null, text: 'web, signed in as aud' }],
      [token, 'aud', { kind: 'api', authenticated: true, user: 'aud', token: '#7 ci', text: 'api, token #7 "ci" of aud' }],
    ]);
    expect(json.findings.find((f) => f.id === typed)!.decision.path).toMatchObject({ kind: 'cli', authenticated: false });

    // The pack's files are the same renderings, and its VERIFY.txt says what a path means.
    expect(files['decisions.csv']).toBe(decisions);
    expect(files['findings.csv']).toBe(findings);
    expect(files['VERIFY.txt']).toContain('cli is');
    expect(files['VERIFY.txt']).toContain('self-asserted (--by typed on the appliance, with the OS user who ran it)');
    expect(JSON.parse(files['report.json']!)).toMatchObject({ decisions: json.decisions });

    const text = pdfWords(await reviewPdf(doc));
    if (text === undefined) return;
    // The decisions table: reviewer, then the path (a cell may wrap, and pdftotext joins "self-" and "asserted").
    expect(text).toMatch(/ bob aud command line, self-?asserted by OS user root acknowledged /);
    expect(text).toMatch(/ carol aud web, signed in as aud acknowledged /);
    expect(text).toMatch(/ dave aud api, token #7 "ci" of aud acknowledged /);
  });

  it('a decision recorded before paths were reads as unknown, never as web; history carries each path', async () => {
    const a = store.access;
    const id = await a.insertFinding({ ...finding('bob'), status: 'acknowledged' });
    // As a release before the path columns wrote it.
    await store.sql('INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, AT + 1000, 'aud', 'open', 'acknowledged', 'old', 'high']);
    await a.decide(id, 'open', { by: 'aud', path: WEB, reason: 'again', at: AT + 2000 });
    expect((await a.findingHistory(id)).map((h) => [h.by, h.path, h.path_user, h.path_token])).toEqual([['aud', null, null, null], ['aud', 'web', 'aud', null]]);
    const { doc } = await reviewed(a, config);
    expect(doc.decisions.map((d) => [d.by, d.path.kind, d.path.authenticated, d.path.text])).toEqual([
      ['aud', 'unknown', false, 'unknown (before store schema 24)'], ['aud', 'web', true, 'web, signed in as aud'],
    ]);
  });

  it('a store made before paths were recorded is upgraded with its decisions unknown: SQLite by migration 024, PostgreSQL at start', async () => {
    const target = await engine.fresh();
    const findingSql = `INSERT INTO findings (kind, severity, device, account, status, summary, evidence, first_seen, last_seen, occurrences, updated_at) VALUES ('unauthorised-account', 'high', 'sw1', 'bob', 'acknowledged', 's', '{}', 1, 1, 1, 1)`;
    const historySql = `INSERT INTO finding_history (finding_id, at, by, from_status, to_status, reason, severity) VALUES (1, 2, 'aud', 'open', 'acknowledged', 'old', 'high')`;
    let a: WebAccess;
    if (target.kind === 'sqlite') {
      const db = new Database(target.path);
      const before = migrations.length - 1;
      for (let v = 0; v < before; v++) db.exec(migrations[v]!);
      db.pragma(`user_version = ${before}`);
      db.exec(findingSql);
      db.exec(historySql);
      migrate(db);
      db.close();
      a = sqliteAccess(openDatabase(target.path), true);
    } else {
      const pool = new pg.Pool({ connectionString: target.url, max: 2, types: PG_NUMBERS });
      pool.on('error', () => undefined);
      const older: Table[] = FINDING_TABLES.map((t) => (t.name === 'finding_history' ? { ...t, columns: t.columns.filter((c) => !c.name.startsWith('path')) } : t));
      await createTables(pool, older);
      await pool.query(findingSql);
      await pool.query(historySql);
      await createIngestTables(pool);
      await createWebTables(pool);
      a = pgAccess(pool, true);
    }
    try {
      await a.decide(1, 'open', { by: 'aud', path: CLI, reason: 'again', at: 3 });
      expect((await a.findingHistory(1)).map((h) => [h.by, h.path, h.path_user, h.path_token])).toEqual([['aud', null, null, null], ['aud', 'cli', 'root', null]]);
    } finally {
      await a.close();
    }
  });
});
