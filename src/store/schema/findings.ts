// The findings and their history, both engines' (table.ts; SQLite's migrations 002, 004, 010 and
// 013). On a shared PostgreSQL store two parties write them (docs/ARCHITECTURE.md, "Findings on
// PostgreSQL"): reconciliation and pulls raise, refresh and resolve findings; the web (and
// `aaawatch finding`) moves a finding's status on a person's decision. Both make these tables at
// start (pg/pull-tables.ts, web/data/pg-access.ts), whichever comes first.

import { keyDigest, keyEquals, keyPrefix, prefixStatistics } from '../pg/text-keys.js';
import { postgresDdl } from './postgres.js';
import { col, ref, type DdlObject, type Table } from './table.js';

// On PostgreSQL a finding's device and account are names a sender chose: indexed by their prefix,
// unique by their digest (pg/text-keys.ts). SQLite indexes the whole names.
const DEVICE = keyPrefix('device');
const ACCOUNT = keyPrefix('account');
/** Rows `a` and `b` (aliases) are of one device and account. */
const sameKey = (a: string, b: string): string => `${keyEquals(`${a}.device`, `${b}.device`)} AND ${keyEquals(`${a}.account`, `${b}.account`)}`;

const SEVERITY_RANK = `(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;

/**
 * The cases (src/reconcile/cases.ts): per device and account with unresolved findings, what the
 * cases list shows and is ordered by — the lowest id, the worst severity's rank, how many, how
 * many undecided, the kinds (sorted, comma-separated), the latest last seen. SQLite groups the
 * findings for each request (its index makes that cheap); on PostgreSQL a grouping of every
 * unresolved finding per request took 0.5–1 s at 100,000 findings (bench:scale-web), so the
 * database keeps this summary itself, by a trigger on findings, whoever writes them (reconciliation,
 * pulls, decisions, migrate), and the list is one indexed read in its order (keyset on the
 * negated rank and last seen, names byte-wise).
 */
export const FINDING_CASES: Table = {
  name: 'finding_cases',
  engine: 'postgres',
  columns: [
    col('device', 'text'), col('account', 'text'), col('id', 'integer'), col('rank', 'integer'), col('n', 'integer'), col('undecided', 'integer'),
    col('kinds', 'text'), col('last', 'integer'),
  ],
  // One row per device and account, by the whole names' digests; found by their prefixes.
  primaryKey: [],
  indexes: [
    { name: 'finding_cases_key', columns: [DEVICE, ACCOUNT, keyDigest('device'), keyDigest('account')], unique: true },
    { name: 'finding_cases_order_prefix', columns: ['(-rank)', '(-last)', `${DEVICE} COLLATE "C"`] },
    { name: 'finding_cases_account_prefix', columns: [ACCOUNT] },
  ],
};

/**
 * The cases of findings inserted or deleted made again from them, per statement (transition
 * tables), so a batch — `migrate`'s copy, retention — is one grouping, not one per row; updates
 * (reconciliation's, decisions: one finding a statement) per row, and only those of the columns a
 * case shows (the trigger's WHEN, judged without calling the function). The
 * cases' rows are locked first, in key order (a placeholder inserted for a case that has none, to
 * lock and fill in before anyone else can see it), and the findings read after (each statement of
 * a function reads the store as of when it starts): two transactions changing findings of one case
 * take turns on its row, and the second reads what the first committed. A row lock, not an
 * advisory lock: a reconciliation touching every case in one transaction would fill the lock
 * table. A finding whose last seen alone rose (reconciliation's touch, the commonest write) moves
 * its case's last seen alone, under the same row lock.
 */
const CASE_OF = (keys: string): string => `unnest(${keys}) AS k(device, account)`;
const CASES_TRIGGER: DdlObject = {
  // Named by its last trigger: a store whose functions and triggers are older (their joins on whole
  // names) has the delete trigger of the older name, and gets these in their place.
  name: 'findings_cases_deleted',
  trigger: true,
  sql: `
CREATE OR REPLACE FUNCTION aaawatch_finding_cases(d text[], a text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  locked bigint;
BEGIN
  LOOP
    INSERT INTO finding_cases (device, account, id, rank, n, undecided, kinds, last)
      SELECT k.device, k.account, 0, 0, 0, 0, '', 0 FROM ${CASE_OF('d, a')} ORDER BY 1, 2 ON CONFLICT DO NOTHING;
    SELECT count(*) INTO locked FROM (
      SELECT 1 FROM finding_cases c JOIN ${CASE_OF('d, a')} ON ${sameKey('c', 'k')} ORDER BY c.device, c.account FOR UPDATE OF c) x;
    EXIT WHEN locked = cardinality(d);
  END LOOP;
  UPDATE finding_cases c SET id = s.id, rank = s.rank, n = s.n, undecided = s.undecided, kinds = s.kinds, last = s.last
    FROM (SELECT f.device, f.account, min(f.id) AS id, max(${SEVERITY_RANK}) AS rank, count(*) AS n, count(*) FILTER (WHERE f.status = 'open') AS undecided,
                 string_agg(DISTINCT f.kind, ',' ORDER BY f.kind) AS kinds, max(f.last_seen) AS last
            FROM findings f JOIN ${CASE_OF('d, a')} ON ${sameKey('f', 'k')}
           WHERE f.status <> 'resolved' GROUP BY f.device, f.account) s
   WHERE ${sameKey('c', 's')};
  DELETE FROM finding_cases c USING ${CASE_OF('d, a')}
   WHERE ${sameKey('c', 'k')}
     AND NOT EXISTS (SELECT 1 FROM findings f WHERE ${sameKey('f', 'k')} AND f.status <> 'resolved');
END $$;
CREATE OR REPLACE FUNCTION aaawatch_findings_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d text[];
  a text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(device ORDER BY device, account), array_agg(account ORDER BY device, account) INTO d, a FROM (SELECT DISTINCT device, account FROM new_rows) k;
  ELSE
    SELECT array_agg(device ORDER BY device, account), array_agg(account ORDER BY device, account) INTO d, a FROM (SELECT DISTINCT device, account FROM old_rows) k;
  END IF;
  IF d IS NOT NULL THEN
    PERFORM aaawatch_finding_cases(d, a);
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION aaawatch_finding_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.device = OLD.device AND NEW.account = OLD.account AND NEW.kind = OLD.kind AND NEW.severity = OLD.severity AND NEW.status = OLD.status THEN
    IF NEW.status = 'resolved' OR NEW.last_seen = OLD.last_seen THEN
      RETURN NULL;
    END IF;
    IF NEW.last_seen > OLD.last_seen THEN
      UPDATE finding_cases c SET last = NEW.last_seen WHERE ${sameKey('c', 'NEW')} AND c.last < NEW.last_seen;
      RETURN NULL;
    END IF;
  END IF;
  IF (OLD.device, OLD.account) = (NEW.device, NEW.account) THEN
    PERFORM aaawatch_finding_cases(ARRAY[NEW.device], ARRAY[NEW.account]);
  ELSIF (OLD.device COLLATE "C", OLD.account COLLATE "C") < (NEW.device, NEW.account) THEN
    PERFORM aaawatch_finding_cases(ARRAY[OLD.device, NEW.device], ARRAY[OLD.account, NEW.account]);
  ELSE
    PERFORM aaawatch_finding_cases(ARRAY[NEW.device, OLD.device], ARRAY[NEW.account, OLD.account]);
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS findings_cases_insert ON findings;
DROP TRIGGER IF EXISTS findings_cases_update ON findings;
DROP TRIGGER IF EXISTS findings_cases_delete ON findings;
CREATE TRIGGER findings_cases_insert AFTER INSERT ON findings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION aaawatch_findings_cases();
-- Updates one by one (reconciliation's are one finding a statement), and only those that can move a case.
CREATE TRIGGER findings_cases_update AFTER UPDATE ON findings FOR EACH ROW
  WHEN (NEW.device <> OLD.device OR NEW.account <> OLD.account OR NEW.kind <> OLD.kind OR NEW.severity <> OLD.severity OR NEW.status <> OLD.status
        OR NEW.last_seen <> OLD.last_seen)
  EXECUTE FUNCTION aaawatch_finding_case_update();
-- Made last, so its being there says the three are.
CREATE TRIGGER findings_cases_deleted AFTER DELETE ON findings REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION aaawatch_findings_cases();
-- A store made before the summary: its cases, read after creating the triggers locked findings, so no write falls between.
DELETE FROM finding_cases;
INSERT INTO finding_cases (device, account, id, rank, n, undecided, kinds, last)
  SELECT device, account, min(id), max(${SEVERITY_RANK}), count(*), count(*) FILTER (WHERE status = 'open'), string_agg(DISTINCT kind, ',' ORDER BY kind), max(last_seen)
    FROM findings WHERE status <> 'resolved' GROUP BY device, account;`,
};

export const FINDING_TABLES: Table[] = [
  {
    name: 'findings',
    columns: [
      col('id', 'id'), col('kind', 'text'), col('severity', 'text'), col('device', 'text'), col('account', 'text', false, "''"),
      col('status', 'text'), col('summary', 'text'), col('technique', 'text', true), col('evidence', 'text'),
      col('first_seen', 'integer'), col('last_seen', 'integer'), col('occurrences', 'integer'), col('accepted_until', 'integer', true),
      col('updated_at', 'integer'), col('attribution', 'text', true),
    ],
    primaryKey: ['id'],
    indexes: [
      // One unresolved finding per kind, device and account.
      { name: 'findings_one_open', columns: ['kind', 'device', 'account'], where: "status <> 'resolved'", unique: true, engine: 'sqlite' },
      { name: 'findings_one_open_digest', columns: ['kind', keyDigest('device'), keyDigest('account')], where: "status <> 'resolved'", unique: true, engine: 'postgres' },
      { name: 'findings_status', columns: ['status', 'severity'] },
      // A device's findings, an account's: hash indexes, which take a name of any length and serve the
      // findings list's plain `device = ?` (SQLite's statement, src/web/data/findings.ts) as well
      // as the prefix look-ups; a device or an account has tens of findings, read in no order.
      { name: 'findings_device_hash', columns: ['device'], hash: true, engine: 'postgres' },
      // A findings list filtered by account alone (SQLite answers it from the order's index and a scan).
      { name: 'findings_account_hash', columns: ['account'], hash: true, engine: 'postgres' },
      // SQLite: a device's (and an account's) findings by their whole names.
      { name: 'findings_device', columns: ['device', 'account'], engine: 'sqlite' },
      // Cases: the unresolved findings of one account (or one device), read grouped from this index
      // alone on SQLite; PostgreSQL keeps the cases themselves (finding_cases, above).
      { name: 'findings_case', columns: ['device', 'account', 'severity', 'status', 'kind', 'last_seen', 'id'], where: "status <> 'resolved'", engine: 'sqlite' },
      { name: 'findings_case_prefix', columns: [DEVICE, ACCOUNT, 'severity', 'status', 'kind', 'last_seen', 'id'], where: "status <> 'resolved'", engine: 'postgres' },
      // The findings list in the orders it offers, a page at a time in index order. The severity
      // expression is the one src/web/data/findings.ts orders by: SQLite uses an index on an
      // expression only for the same expression.
      { name: 'findings_by_severity', columns: [SEVERITY_RANK, 'last_seen', 'id'] },
      { name: 'findings_last_seen', columns: ['last_seen', 'id'] },
      { name: 'findings_first_seen', columns: ['first_seen', 'last_seen', 'id'] },
    ],
    postgres: {
      derived: [...postgresDdl(FINDING_CASES), CASES_TRIGGER, ...prefixStatistics('findings', ['device', 'account']), ...prefixStatistics('finding_cases', ['device', 'account'])],
      replaces: [
        'findings_one_open', 'findings_device', 'findings_account', 'findings_case', 'finding_cases_pkey', 'finding_cases_order', 'finding_cases_account',
      ],
    },
  },
  {
    name: 'finding_history',
    columns: [
      col('id', 'id'), ref(col('finding_id', 'integer'), 'findings(id)'), col('at', 'integer'), col('by', 'text'), col('from_status', 'text', true),
      col('to_status', 'text'), col('reason', 'text', true), col('until', 'integer', true), col('severity', 'text', true), col('ticket', 'text', true),
      // How the decision reached the store (src/reconcile/decision-path.ts): web, api, cli, system; NULL before schema 24.
      col('path', 'text', true), col('path_user', 'text', true), col('path_token', 'text', true),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'finding_history_finding', columns: ['finding_id', 'at'] }, { name: 'finding_history_at', columns: ['at'], engine: 'postgres' }],
  },
];
