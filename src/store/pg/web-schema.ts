// The tables the web interface reads and writes on PostgreSQL, beside the ingest tables
// (schema.ts): its users, API tokens, sessions and hash-chained activity log, and the findings and
// their history. Columns as in SQLite (migrations 002, 004, 005, 010), so that both engines answer
// the web's data-access contract the same (src/web/data/access.ts).
//
// Findings are written by two parties (docs/ARCHITECTURE.md, "Findings on PostgreSQL"):
// reconciliation inserts and updates findings and writes their automatic history (by 'aaawatch');
// the web (and `aaawatch findings`) moves a finding's status on a person's decision and writes
// that history row, in one transaction that locks the finding's row (SELECT … FOR UPDATE).

import { FINDING_TABLES } from './finding-tables.js';
import { col, type Table } from './schema.js';

export const WEB_TABLES: Table[] = [
  ...FINDING_TABLES,
  {
    name: 'web_users',
    columns: [col('id', 'id'), col('name', 'text'), col('role', 'text'), col('password', 'text'), col('created_at', 'integer'), col('updated_at', 'integer')],
    primaryKey: ['id'],
    unique: [['name']],
  },
  {
    name: 'web_tokens',
    columns: [
      col('id', 'id'), col('user_id', 'integer'), col('label', 'text'), col('hash', 'bytes'), col('created_at', 'integer'),
      col('last_used', 'integer', true), col('expires_at', 'integer', true),
    ],
    primaryKey: ['id'],
    unique: [['hash']],
    indexes: [{ name: 'web_tokens_user', columns: ['user_id'] }],
  },
  {
    name: 'web_sessions',
    columns: [col('hash', 'bytes'), col('user_id', 'integer'), col('csrf', 'text'), col('created_at', 'integer'), col('last_seen', 'integer')],
    primaryKey: ['hash'],
    indexes: [{ name: 'web_sessions_user', columns: ['user_id'] }],
  },
  {
    // One chain for the estate: every node's web and command line extend it in the order they take
    // its lock (pg_advisory_xact_lock, src/web/data/pg-access.ts).
    name: 'web_audit',
    columns: [
      col('id', 'id'), col('at', 'integer'), col('user', 'text'), col('address', 'text', true), col('action', 'text'), col('detail', 'text'),
      col('prev_hash', 'bytes', true), col('hash', 'bytes', true),
    ],
    primaryKey: ['id'],
    indexes: [{ name: 'web_audit_at', columns: ['at'] }],
  },
];
