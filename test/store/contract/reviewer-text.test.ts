// Reviewer text at the store (issue 15; src/reconcile/reviewer-text.ts), one contract for both
// engines: after decisions whose reason or ticket holds a secret (what reviewers type, and log lines
// of the secret corpus pasted into a reason), taken one at a time and on cases, and logged in the
// activity log as the web and the command line log them, no row holds the secret — the SQLite file's
// bytes (and its -wal), every text column of every table, every PostgreSQL text column — and the
// activity log's chain still verifies, its redacted entries saying so. Reasons and tickets
// reviewers write without a secret are stored as typed.

import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { redactSecrets } from '../../../parsers/lib/secrets.js';
import type { DecisionPath } from '../../../src/reconcile/decision-path.js';
import type { FindingRow as StoredFindingRow } from '../../../src/reconcile/findings.js';
import { openDatabase } from '../../../src/store/db.js';
import { createIngestTables } from '../../../src/store/pg/migrate.js';
import { createPullTables } from '../../../src/store/pg/pull-tables.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, PG_NUMBERS, pgAccess, verifyActivityPg } from '../../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { verifyActivity, type ActivityChainReport } from '../../../src/web/store.js';
import { describeEngines, type StoreTarget } from '../../support/engines.js';
import { proseLines, TYPED_SECRETS } from '../../support/reviewer-text.js';
import { loadSecretCorpus } from '../../support/secret-corpus.js';

const AT = Date.UTC(2026, 10, 21, 12, 0, 0);
const WEB: DecisionPath = { kind: 'web', user: 'aud' };

const finding = (account: string): Omit<StoredFindingRow, 'id'> => ({
  kind: 'unauthorised-account', severity: 'high', device: 'sw1', account, status: 'open', summary: `${account} is not on the roster`,
  technique: null, attribution: null, evidence: '{"events":[],"snapshots":[]}', first_seen: AT, last_seen: AT, occurrences: 1, accepted_until: null, updated_at: AT,
});

/**
 * Log lines of the secret corpus a reviewer could paste into a reason, each with the secrets the
 * device gate removes from it (PostgreSQL's text holds no NUL: the few lines with one are left out).
 */
const pasted = loadSecretCorpus()
  .filter((e) => e.kind === 'log' && e.text.length <= 2000 && !e.text.includes('\u0000'))
  .map((e) => ({ text: e.text, secrets: e.secrets.filter((s) => !redactSecrets(e.text).includes(s)) }))
  .filter((e) => e.secrets.length > 0)
  // Every third: the rule itself is checked over every line in test/reconcile/reviewer-text; here the store.
  .filter((_, i) => i % 3 === 0);

/** Every form a secret could be stored in: as is, inside a JSON string. */
const forms = (s: string): string[] => [...new Set([s, JSON.stringify(s).slice(1, -1)])];

interface Opened {
  access: WebAccess;
  /** Every text value of every table's text columns. */
  texts(): Promise<string[]>;
  /** The store's own bytes (SQLite: the file and its -wal), else undefined. */
  bytes(): string | undefined;
  chain(): Promise<ActivityChainReport | undefined>;
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

async function open(target: StoreTarget): Promise<Opened> {
  if (target.kind === 'sqlite') {
    const db = openDatabase(target.path);
    const path = target.path;
    return {
      access: sqliteAccess(db, true),
      texts: async () => {
        const out: string[] = [];
        const reader = new Database(path, { readonly: true });
        try {
          for (const { name } of reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>) {
            const columns = (reader.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as Array<{ name: string; type: string }>).filter((c) => /TEXT|^$/i.test(c.type));
            for (const c of columns) for (const r of reader.prepare(`SELECT "${c.name}" AS v FROM "${name}"`).raw().all() as unknown[][]) if (typeof r[0] === 'string') out.push(r[0]);
          }
        } finally {
          reader.close();
        }
        return out;
      },
      bytes: () => [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('\n'),
      chain: async () => verifyActivity(db),
      rows: async (sql) => db.prepare(sql).all() as Array<Record<string, unknown>>,
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  pool.on('error', () => undefined);
  await createIngestTables(pool);
  await createWebTables(pool);
  await createPullTables(pool);
  // A pool of the test's own: the access's is ended with it.
  const reader = new pg.Pool({ connectionString: target.url, max: 1, types: PG_NUMBERS });
  reader.on('error', () => undefined);
  const access = pgAccess(pool, true);
  return {
    access: { ...access, close: async () => { await access.close(); await reader.end(); } },
    texts: async () => {
      const columns = (await reader.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`,
      )).rows;
      const out: string[] = [];
      for (const c of columns) for (const r of (await reader.query<{ v: string | null }>(`SELECT "${c.column_name}"::text AS v FROM "${c.table_name}"`)).rows) if (r.v !== null) out.push(r.v);
      return out;
    },
    bytes: () => undefined,
    chain: async () => verifyActivityPg(reader),
    rows: async (sql) => (await reader.query(sql)).rows as Array<Record<string, unknown>>,
  };
}

describeEngines('reviewer text at the store', (engine) => {
  let store: Opened;
  beforeEach(async () => {
    store = await open(await engine.fresh());
  });
  afterEach(async () => {
    await store.access.close();
  });

  it('a secret typed or pasted into a reason or ticket reaches no row; the activity log verifies and marks what was redacted', async () => {
    const a = store.access;
    expect(pasted.length).toBeGreaterThan(100);
    const secrets: string[] = [];
    let at = AT + 1000;
    // Typed: one decision each, the ticket carrying the secret when it fits one.
    for (const [i, t] of TYPED_SECRETS.entries()) {
      const id = await a.insertFinding(finding(`typed${i}`));
      const ticket = t.text.length <= 200 && !/[\n\r]/.test(t.text) ? t.text : undefined;
      await a.decide(id, 'acknowledged', { by: 'aud', path: WEB, reason: t.text, ...(ticket ? { ticket } : {}), at: ++at });
      await a.logActivity({ at, user: 'aud', address: '192.0.2.1', action: 'finding.acknowledge', detail: { finding: id, reason: t.text, ...(ticket ? { ticket } : {}) } });
      secrets.push(t.secret);
    }
    // Pasted: a case decision each (the bulk path), logged as the web logs one.
    for (const [i, p] of pasted.entries()) {
      await a.insertFinding(finding(`pasted${i}`));
      await a.decideCases([{ device: 'sw1', account: `pasted${i}` }], 'acknowledged', { by: 'aud', path: WEB, reason: p.text, at: ++at });
      await a.logActivity({ at, user: 'aud', address: '192.0.2.1', action: 'case.acknowledge', detail: { reason: p.text, cases: [{ device: 'sw1', account: `pasted${i}` }] } });
      secrets.push(...p.secrets);
    }

    const texts = (await store.texts()).join('\n');
    const bytes = store.bytes();
    const found = secrets.filter((s) => forms(s).some((f) => texts.includes(f) || (bytes?.includes(f) ?? false)));
    expect(found).toEqual([]);

    const history = await store.rows(`SELECT reason, ticket FROM finding_history ORDER BY id`);
    expect(history).toHaveLength(TYPED_SECRETS.length + pasted.length);
    expect(history.every((h) => String(h.reason).includes('<redacted>'))).toBe(true);
    const activity = (await store.rows(`SELECT detail FROM web_audit ORDER BY id`)).map((r) => JSON.parse(String(r.detail)) as { redacted?: string[]; ticket?: string });
    expect(activity).toHaveLength(TYPED_SECRETS.length + pasted.length);
    for (const d of activity) expect(d.redacted).toEqual(d.ticket === undefined ? ['reason'] : ['reason', 'ticket']);
    expect(await store.chain()).toMatchObject({ ok: true, checked: TYPED_SECRETS.length + pasted.length });
  });

  it('reasons and tickets reviewers write are stored as typed, in the history and the activity log', async () => {
    const a = store.access;
    const reasons = proseLines('reasons.txt');
    const tickets = proseLines('tickets.txt');
    let at = AT;
    for (const [i, reason] of reasons.entries()) {
      const ticket = tickets[i % tickets.length]!;
      const id = await a.insertFinding(finding(`prose${i}`));
      await a.decide(id, 'acknowledged', { by: 'aud', path: WEB, reason, ticket, at: ++at });
      await a.logActivity({ at, user: 'aud', address: '192.0.2.1', action: 'finding.acknowledge', detail: { finding: id, reason, ticket } });
    }
    const history = await store.rows(`SELECT reason, ticket FROM finding_history ORDER BY id`);
    expect(history.map((h) => [h.reason, h.ticket])).toEqual(reasons.map((r, i) => [r, tickets[i % tickets.length]]));
    const activity = (await store.rows(`SELECT detail FROM web_audit ORDER BY id`)).map((r) => JSON.parse(String(r.detail)) as Record<string, unknown>);
    expect(activity.map((d) => [d.reason, d.ticket, d.redacted])).toEqual(reasons.map((r, i) => [r, tickets[i % tickets.length], undefined]));
    expect(await store.chain()).toMatchObject({ ok: true, checked: reasons.length });
  });
});
