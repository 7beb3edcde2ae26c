// The findings and their history in a shared PostgreSQL store, as data (schema.ts renders them):
// the same columns as SQLite's migrations 002, 004 and 010. Two parties write them
// (docs/ARCHITECTURE.md, "Findings on PostgreSQL"): reconciliation and pulls raise, refresh and
// resolve findings; the web (and `aaawatch finding`) moves a finding's status on a person's decision.
// Both make these tables at start (pull-tables.ts, web-schema.ts), whichever comes first.

import { col, postgresDdl, type DdlObject, type Table } from './schema.js';

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
const CASES: Table = {
  name: 'finding_cases',
  columns: [
    col('device', 'text'), col('account', 'text'), col('id', 'integer'), col('rank', 'integer'), col('n', 'integer'), col('undecided', 'integer'),
    col('kinds', 'text'), col('last', 'integer'),
  ],
  primaryKey: ['device', 'account'],
  indexes: [
    { name: 'finding_cases_order', columns: ['(-rank)', '(-last)', 'device COLLATE "C"', 'account COLLATE "C"'] },
    { name: 'finding_cases_account', columns: ['account'] },
  ],
};

/**
 * One case's row made again from its findings, with the row locked before the findings are read
 * (each statement of the function reads the store as of when it starts): two transactions changing
 * findings of one case take turns on its row, and the second reads what the first committed. A
 * row lock, not an advisory lock: a reconciliation touching every case in one transaction would
 * fill the lock table with those. A finding whose last seen only rose (reconciliation's touch, the
 * commonest write) moves its case's last seen alone.
 */
const CASES_TRIGGER: DdlObject = {
  name: 'findings_cases',
  trigger: true,
  sql: `
CREATE OR REPLACE FUNCTION aaawatch_finding_case(d text, a text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOOP
    PERFORM 1 FROM finding_cases WHERE device = d AND account = a FOR UPDATE;
    EXIT WHEN FOUND;
    -- A placeholder to lock, filled in below before anyone else can see it.
    INSERT INTO finding_cases (device, account, id, rank, n, undecided, kinds, last) VALUES (d, a, 0, 0, 0, 0, '', 0) ON CONFLICT DO NOTHING;
  END LOOP;
  UPDATE finding_cases c SET id = s.id, rank = s.rank, n = s.n, undecided = s.undecided, kinds = s.kinds, last = s.last
    FROM (SELECT min(id) AS id, max(${SEVERITY_RANK}) AS rank, count(*) AS n, count(*) FILTER (WHERE status = 'open') AS undecided,
                 string_agg(DISTINCT kind, ',' ORDER BY kind) AS kinds, max(last_seen) AS last
            FROM findings WHERE device = d AND account = a AND status <> 'resolved' HAVING count(*) > 0) s
   WHERE c.device = d AND c.account = a;
  IF NOT FOUND THEN
    DELETE FROM finding_cases WHERE device = d AND account = a;
  END IF;
END $$;
CREATE OR REPLACE FUNCTION aaawatch_findings_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.device = OLD.device AND NEW.account = OLD.account AND NEW.kind = OLD.kind AND NEW.severity = OLD.severity
     AND NEW.status = OLD.status AND NEW.id = OLD.id THEN
    IF NEW.last_seen = OLD.last_seen OR NEW.status = 'resolved' THEN
      RETURN NULL;
    END IF;
    IF NEW.last_seen > OLD.last_seen THEN
      UPDATE finding_cases SET last = greatest(last, NEW.last_seen) WHERE device = NEW.device AND account = NEW.account;
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM aaawatch_finding_case(OLD.device, OLD.account);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW.device <> OLD.device OR NEW.account <> OLD.account)) THEN
    PERFORM aaawatch_finding_case(NEW.device, NEW.account);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER findings_cases AFTER INSERT OR UPDATE OR DELETE ON findings FOR EACH ROW EXECUTE FUNCTION aaawatch_findings_cases();
-- A store made before the summary: its cases, read after creating the trigger locked findings, so no write falls between.
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
      { name: 'findings_one_open', columns: ['kind', 'device', 'account'], where: "status <> 'resolved'", unique: true },
      { name: 'findings_status', columns: ['status', 'severity'] },
      { name: 'findings_device', columns: ['device', 'account'] },
      // A findings list filtered by account alone (SQLite answers it from the order's index and a scan).
      { name: 'findings_account', columns: ['account'] },
      { name: 'findings_case', columns: ['device', 'account', 'severity', 'status', 'kind', 'last_seen', 'id'], where: "status <> 'resolved'" },
      { name: 'findings_by_severity', columns: [SEVERITY_RANK, 'last_seen', 'id'] },
      { name: 'findings_last_seen', columns: ['last_seen', 'id'] },
      { name: 'findings_first_seen', columns: ['first_seen', 'last_seen', 'id'] },
    ],
    derived: [...postgresDdl(CASES), CASES_TRIGGER],
  },
  {
    name: 'finding_history',
    columns: [
      col('id', 'id'), col('finding_id', 'integer'), col('at', 'integer'), col('by', 'text'), col('from_status', 'text', true),
      col('to_status', 'text'), col('reason', 'text', true), col('until', 'integer', true), col('severity', 'text', true), col('ticket', 'text', true),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'finding_history_finding', columns: ['finding_id', 'at'] }, { name: 'finding_history_at', columns: ['at'] }],
  },
];
