// The tables the web interface reads and writes, both engines' (table.ts; SQLite's migrations 005
// and 010), beside the ingest tables (ingest.ts): its users, API tokens, sessions and hash-chained
// activity log, and the findings and their history, so that both engines answer the web's
// data-access contract the same (src/web/data/access.ts). The users' foreign keys are SQLite's:
// on PostgreSQL removing a user removes their tokens and sessions in the same transaction.
//
// Findings are written by two parties (docs/ARCHITECTURE.md, "Findings on PostgreSQL"):
// reconciliation inserts and updates findings and writes their automatic history (by 'aaawatch');
// the web (and `aaawatch findings`) moves a finding's status on a person's decision and writes
// that history row, in one transaction that locks the finding's row (SELECT … FOR UPDATE).

import { FINDING_TABLES } from './findings.js';
import { col, ref, type Column, type Table } from './table.js';

/** A user's token or session: removed with the user (SQLite's cascade). */
const userId: Column = ref(col('user_id', 'integer'), 'web_users(id) ON DELETE CASCADE');

export const WEB_TABLES: Table[] = [
  ...FINDING_TABLES,
  {
    name: 'web_users',
    columns: [col('id', 'id'), col('name', 'text'), { ...col('role', 'text'), sqlite: { check: "role IN ('viewer', 'auditor', 'admin')" } }, col('password', 'text'), col('created_at', 'integer'), col('updated_at', 'integer')],
    primaryKey: ['id'],
    unique: [['name']],
  },
  {
    name: 'web_tokens',
    columns: [
      col('id', 'id'), userId, col('label', 'text'), col('hash', 'bytes'), col('created_at', 'integer'),
      col('last_used', 'integer', true), col('expires_at', 'integer', true),
    ],
    primaryKey: ['id'],
    unique: [['hash']],
    indexes: [{ name: 'web_tokens_user', columns: ['user_id'], engine: 'postgres' }],
  },
  {
    name: 'web_sessions',
    columns: [col('hash', 'bytes'), userId, col('csrf', 'text'), col('created_at', 'integer'), col('last_seen', 'integer')],
    primaryKey: ['hash'],
    indexes: [{ name: 'web_sessions_user', columns: ['user_id'] }],
    sqlite: { withoutRowid: true },
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
  {
    // The sign-in limiter's state (src/web/limiter.ts): a row per user name (a user's, or a bucket
    // of made-up names) and per client source, read and written in one transaction per step under
    // SQLite's write lock or PostgreSQL's row locks, so every node and a restart see one count.
    // Rows that say nothing are deleted by `expires_at`; past the limiter's bound those ending
    // soonest (then attempted least recently) go first: the index serves both.
    name: 'web_login_limits',
    columns: [
      col('key', 'text'), col('attempts', 'text'), col('locked_until', 'integer'), col('refused', 'integer'),
      col('last_at', 'integer'), col('expires_at', 'integer'),
    ],
    primaryKey: ['key'],
    indexes: [{ name: 'web_login_limits_expiry', columns: ['expires_at', 'last_at'] }],
    sqlite: { withoutRowid: true },
  },
  {
    // The activity log's entries older than its chain (SQLite's, from before migration 010; on
    // PostgreSQL, copied from such a store), recorded once when this table was made: the highest
    // id among them and how many. An entry without a hash outside them is a break, so emptying
    // every hash does not pass as a log older than its chain. No row: none are older.
    name: 'web_audit_start',
    columns: [{ ...col('one', 'integer'), sqlite: { check: 'one = 1' } }, col('last_id', 'integer'), col('entries', 'integer')],
    primaryKey: ['one'],
  },
];
