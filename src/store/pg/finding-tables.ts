// The findings and their history in a shared PostgreSQL store, as data (schema.ts renders them):
// the same columns as SQLite's migrations 002, 004 and 010. Two parties write them
// (docs/ARCHITECTURE.md, "Findings on PostgreSQL"): reconciliation and pulls raise, refresh and
// resolve findings; the web (and `aaawatch finding`) moves a finding's status on a person's decision.
// Both make these tables at start (pull-tables.ts, web-schema.ts), whichever comes first.

import { col, type Table } from './schema.js';

const SEVERITY_RANK = `(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;

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
