// Data access for the web interface's own tables (migrations 005, 010): users, API tokens (which
// expire), sessions and the activity log. Session ids and tokens are random 32-byte values given to
// the client once; only their SHA-256 is stored. The activity log is hash-chained like records:
// each entry carries the SHA-256 of the one before over its own fields, so an edited or removed
// entry is found by `aaawatch verify`.

import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { storedActivityDetail } from '../reconcile/reviewer-text.js';
import type { ChainedLog, Place } from '../store/purge.js';
import { toPage, type Direction, type Page } from './paging.js';

export const ROLES = ['viewer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface WebUser {
  id: number;
  name: string;
  role: Role;
  /** The API token the user was identified by (its id and label), for a decision's path; none for a session. */
  token?: { id: number; label: string };
}

export interface WebUserRow extends WebUser {
  password: string;
  created_at: number;
  updated_at: number;
}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** User names: what a person types, no spaces or markup, so names in logs and exports stay plain. */
export function userNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name) ? undefined : 'a user name is 1–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit';
}

// Users ------------------------------------------------------------------------------------------

export function findUser(db: Db, name: string): WebUserRow | undefined {
  return db.prepare('SELECT * FROM web_users WHERE name = ?').get(name) as WebUserRow | undefined;
}

export function listUsers(db: Db, at = Date.now()): Array<WebUser & { created_at: number; tokens: number; sessions: number; tokensExpire: number | null }> {
  return db
    .prepare(
      `SELECT u.id, u.name, u.role, u.created_at,
              (SELECT count(*) FROM web_tokens t WHERE t.user_id = u.id AND t.expires_at > :at) AS tokens,
              (SELECT min(expires_at) FROM web_tokens t WHERE t.user_id = u.id AND t.expires_at > :at) AS tokensExpire,
              (SELECT count(*) FROM web_sessions s WHERE s.user_id = u.id) AS sessions
         FROM web_users u ORDER BY u.name`,
    )
    .all({ at }) as Array<WebUser & { created_at: number; tokens: number; sessions: number; tokensExpire: number | null }>;
}

/** Add a user, or replace the role and password of an existing one (`replace`: their sessions and API tokens end). */
export function saveUser(db: Db, name: string, role: Role, passwordHash: string, at: number, replace: boolean): 'added' | 'updated' {
  const existing = findUser(db, name);
  if (existing && !replace) throw new Error(`user ${name} exists (use --replace to set a new role and password)`);
  if (existing) {
    db.transaction(() => {
      db.prepare('UPDATE web_users SET role = ?, password = ?, updated_at = ? WHERE id = ?').run(role, passwordHash, at, existing.id);
      // A new password ends every session that the old one opened, and a new role or password every
      // API token issued before it: a token is issued for a user as they were (role, and trust while
      // that password held), and one left working through a reset after a compromise, or acting on a
      // role given for another purpose, is what the reset was meant to end. Issue new ones after.
      db.prepare('DELETE FROM web_sessions WHERE user_id = ?').run(existing.id);
      db.prepare('DELETE FROM web_tokens WHERE user_id = ?').run(existing.id);
    })();
    return 'updated';
  }
  db.prepare('INSERT INTO web_users (name, role, password, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(name, role, passwordHash, at, at);
  return 'added';
}

export function removeUser(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM web_users WHERE name = ?').run(name).changes > 0;
}

// API tokens -------------------------------------------------------------------------------------

/** Days a token lives unless told otherwise. */
export const TOKEN_DAYS = 90;

/** A new bearer token for the user, valid until `expiresAt`; the returned value is shown once and never stored. */
export function createToken(db: Db, userId: number, label: string, at: number, expiresAt = at + TOKEN_DAYS * 86_400_000): string {
  const token = `aaw_${randomToken()}`;
  db.prepare('INSERT INTO web_tokens (user_id, label, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(userId, label, sha256(token), at, expiresAt);
  return token;
}

export function revokeTokens(db: Db, userId: number): number {
  return db.prepare('DELETE FROM web_tokens WHERE user_id = ?').run(userId).changes;
}

/**
 * A note of when a token or session was last used: skipped when the store cannot be written (disk
 * full), so the pages that say so can still be read by whoever is signed in.
 */
function bookkeeping(write: () => unknown): void {
  try {
    write();
  } catch (err) {
    if (!String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_')) throw err;
  }
}

/** Whose token it was, when a token that opens nothing is one that ran out: the refusal names them. */
export interface ExpiredToken {
  user: string;
  label: string;
  /** Null for a token made without an end (refused like an expired one). */
  expiredAt: number | null;
}

export function expiredToken(db: Db, token: string, at: number): ExpiredToken | undefined {
  const row = db
    .prepare('SELECT u.name AS user, t.label, t.expires_at AS "expiredAt" FROM web_tokens t JOIN web_users u ON u.id = t.user_id WHERE t.hash = ? AND (t.expires_at IS NULL OR t.expires_at <= ?)')
    .get(sha256(token), at) as ExpiredToken | undefined;
  return row ? { user: row.user, label: row.label, expiredAt: row.expiredAt } : undefined;
}

export function userByToken(db: Db, token: string, at: number): WebUser | undefined {
  const row = db
    .prepare('SELECT u.id, u.name, u.role, t.id AS token_id, t.label AS token_label, t.expires_at FROM web_tokens t JOIN web_users u ON u.id = t.user_id WHERE t.hash = ?')
    .get(sha256(token)) as (WebUser & { token_id: number; token_label: string; expires_at: number | null }) | undefined;
  // A token without an end (none is made so) is refused like an expired one.
  if (!row || row.expires_at === null || row.expires_at <= at) return undefined;
  bookkeeping(() => db.prepare('UPDATE web_tokens SET last_used = ? WHERE id = ?').run(at, row.token_id));
  return { id: row.id, name: row.name, role: row.role, token: { id: row.token_id, label: row.token_label } };
}

// Sessions ---------------------------------------------------------------------------------------

export interface Session {
  user: WebUser;
  csrf: string;
  created_at: number;
  last_seen: number;
}

/** Open a session; returns the cookie value (only its hash is stored). */
export function createSession(db: Db, userId: number, at: number): { id: string; csrf: string } {
  const id = randomToken();
  const csrf = randomToken();
  db.prepare('INSERT INTO web_sessions (hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)').run(sha256(id), userId, csrf, at, at);
  return { id, csrf };
}

/** The live session for a cookie value, refreshed; expired sessions are removed and yield undefined. */
export function touchSession(db: Db, id: string, at: number, limits: { idleMs: number; maxMs: number }): Session | undefined {
  const hash = sha256(id);
  const row = db
    .prepare(
      `SELECT s.csrf, s.created_at, s.last_seen, u.id, u.name, u.role
         FROM web_sessions s JOIN web_users u ON u.id = s.user_id WHERE s.hash = ?`,
    )
    .get(hash) as { csrf: string; created_at: number; last_seen: number; id: number; name: string; role: Role } | undefined;
  if (!row) return undefined;
  if (at - row.last_seen > limits.idleMs || at - row.created_at > limits.maxMs) {
    db.prepare('DELETE FROM web_sessions WHERE hash = ?').run(hash);
    return undefined;
  }
  // Written at most once a minute: a page load is several requests.
  if (at - row.last_seen > 60_000) bookkeeping(() => db.prepare('UPDATE web_sessions SET last_seen = ? WHERE hash = ?').run(at, hash));
  return { user: { id: row.id, name: row.name, role: row.role }, csrf: row.csrf, created_at: row.created_at, last_seen: row.last_seen };
}

export function endSession(db: Db, id: string): void {
  db.prepare('DELETE FROM web_sessions WHERE hash = ?').run(sha256(id));
}

export function pruneSessions(db: Db, at: number, limits: { idleMs: number; maxMs: number }): number {
  return db.prepare('DELETE FROM web_sessions WHERE last_seen < ? OR created_at < ?').run(at - limits.idleMs, at - limits.maxMs).changes;
}

// Activity log -----------------------------------------------------------------------------------

export interface AuditEntry {
  id: number;
  at: number;
  user: string;
  address: string | null;
  action: string;
  detail: string;
}

export const GENESIS = Buffer.alloc(32);

/** The text an entry's hash covers: its fields as a JSON array. */
export function activityBody(at: number, user: string, address: string | null, action: string, detail: string): string {
  return JSON.stringify([at, user, address, action, detail]);
}

export function activityHash(prev: Buffer, body: string): Buffer {
  return createHash('sha256').update(prev).update(body).digest();
}

/** Add an entry, chained to the one before (read under the write lock, so the server and the command line extend one chain). */
export function logActivity(db: Db, e: Omit<AuditEntry, 'id' | 'detail'> & { detail: Record<string, unknown> }): void {
  // A reason or ticket is stored with its secrets redacted (reviewer-text.ts); the hash covers what is stored.
  const detail = JSON.stringify(storedActivityDetail(e.detail));
  db.transaction(() => {
    const prev = (db.prepare('SELECT hash FROM web_audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1').get() as { hash: Buffer } | undefined)?.hash ?? GENESIS;
    const hash = activityHash(prev, activityBody(e.at, e.user, e.address, e.action, detail));
    db.prepare('INSERT INTO web_audit (at, user, address, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(e.at, e.user, e.address, e.action, detail, prev, hash);
  }).immediate();
}

export interface ActivityChainReport {
  ok: boolean;
  checked: number;
  /** Entries from before the chain existed (migration 010, recorded in web_audit_start), not covered. */
  unchained: number;
  broken?: { id: number; reason: string };
  /**
   * The newest entry's hash (hex): a chain alone cannot show its newest entries removed, so `verify`
   * prints it to be compared with one taken earlier (an evidence pack's activity.csv holds each
   * entry's hash), as the records chain's head is.
   */
  head?: string;
}

/** Check the activity log's chain; the entries recorded as older than it (web_audit_start) are counted, not checked. */
export function verifyActivity(db: Db): ActivityChainReport {
  const start = db.prepare('SELECT last_id, entries FROM web_audit_start').get() as ActivityStart | undefined;
  return checkActivity(db.prepare('SELECT id, at, user, address, action, detail, prev_hash, hash FROM web_audit ORDER BY id').iterate() as IterableIterator<ActivityRow>, start);
}

export type ActivityRow = AuditEntry & { prev_hash: Buffer | null; hash: Buffer | null };

/** The entries older than the chain, as recorded when the store learnt to keep them (web_audit_start): the highest id and how many. */
export interface ActivityStart {
  last_id: number;
  entries: number;
}

/**
 * The chain over entries in id order, whichever store they were read from. An entry without a hash
 * is one of those `start` records as older than the chain, or a break: without the record, a log
 * whose hashes were all set to NULL read as "0 chained, N older" and verified.
 */
export function checkActivity(rows: Iterable<ActivityRow>, start: ActivityStart | undefined): ActivityChainReport {
  let expected: Buffer | undefined;
  let checked = 0;
  let unchained = 0;
  for (const r of rows) {
    if (r.hash === null || r.prev_hash === null) {
      if (expected !== undefined) return { ok: false, checked, unchained, broken: { id: r.id, reason: 'an entry without a hash inside the chain' } };
      if (start === undefined || r.id > start.last_id) {
        return { ok: false, checked, unchained, broken: { id: r.id, reason: `an entry without a hash, not one of the ${start?.entries ?? 0} entries older than the chain` } };
      }
      unchained++;
      continue;
    }
    if (expected === undefined && start !== undefined && unchained !== start.entries) {
      return { ok: false, checked, unchained, broken: { id: r.id, reason: `${start.entries - unchained} of the ${start.entries} entries older than the chain are missing before it` } };
    }
    const prev = expected ?? GENESIS;
    if (!r.prev_hash.equals(prev)) return { ok: false, checked, unchained, broken: { id: r.id, reason: 'does not follow the entry before it (an entry was removed or reordered)' } };
    const h = activityHash(prev, activityBody(r.at, r.user, r.address, r.action, r.detail));
    if (!h.equals(r.hash)) return { ok: false, checked, unchained, broken: { id: r.id, reason: 'its content was changed' } };
    expected = h;
    checked++;
  }
  if (start !== undefined && unchained !== start.entries) {
    return { ok: false, checked, unchained, broken: { id: start.last_id, reason: `${start.entries - unchained} of the ${start.entries} entries older than the chain are missing` } };
  }
  return { ok: true, checked, unchained, ...(expected ? { head: expected.toString('hex') } : {}) };
}

export type ActivityText = Pick<AuditEntry, 'user' | 'address' | 'detail'>;

/** The entries whose text (user, address, detail) a rewrite changes, with their new text (either engine's rows). */
export function rewrittenActivity(rows: Iterable<Pick<AuditEntry, 'id' | 'user' | 'address' | 'detail'>>, rewrite: (text: string, place: Place) => string): Map<number, ActivityText> {
  const out = new Map<number, ActivityText>();
  for (const r of rows) {
    const next: ActivityText = {
      user: rewrite(r.user, { table: 'web_audit', column: 'user' }),
      address: r.address === null ? null : rewrite(r.address, { table: 'web_audit', column: 'address' }),
      detail: rewrite(r.detail, { table: 'web_audit', column: 'detail' }),
    };
    if (next.user !== r.user || next.address !== r.address || next.detail !== r.detail) out.set(r.id, next);
  }
  return out;
}

/**
 * The activity log as `aaawatch purge-secret` sees it: a reason or a filter a person typed may hold
 * a secret. Entries are rewritten and the chain recomputed from the first one changed (the purge
 * itself is logged after, on the new head).
 */
export const activityLog: ChainedLog = {
  table: 'web_audit',
  changed: (db, rewrite) => [...rewrittenActivity(db.prepare('SELECT id, user, address, detail FROM web_audit ORDER BY id').iterate() as IterableIterator<AuditEntry>, rewrite).keys()],
  broken(db) {
    const r = verifyActivity(db);
    return r.ok ? undefined : `is broken at entry ${r.broken!.id} (${r.broken!.reason})`;
  },
  rewrite(db, rewrite) {
    const changes = rewrittenActivity(db.prepare('SELECT id, user, address, detail FROM web_audit ORDER BY id').iterate() as IterableIterator<AuditEntry>, rewrite);
    if (changes.size === 0) return;
    const from = Math.min(...changes.keys());
    const update = db.prepare('UPDATE web_audit SET user = ?, address = ?, detail = ?, prev_hash = ?, hash = ? WHERE id = ?');
    const rows = db.prepare('SELECT id, at, user, address, action, detail, prev_hash, hash FROM web_audit WHERE id >= ? ORDER BY id').all(from) as ActivityRow[];
    for (const e of rechainedActivity(rows, changes)) update.run(e.user, e.address, e.detail, e.prev_hash, e.hash, e.id);
  },
};

/**
 * The entries from the first one changed on (`rows`, in id order), with their new text and the
 * chain recomputed over it from the hash the first one followed: what a rewrite writes, either engine.
 */
export function rechainedActivity(rows: readonly ActivityRow[], changes: ReadonlyMap<number, ActivityText>): ActivityRow[] {
  const out: ActivityRow[] = [];
  let prev: Buffer | undefined;
  for (const r of rows) {
    const e = { ...r, ...changes.get(r.id) };
    if (r.hash === null || r.prev_hash === null) {
      // From before the chain existed: its text changes, it stays unchained.
      out.push({ ...e, prev_hash: null, hash: null });
      continue;
    }
    prev ??= r.prev_hash;
    const hash = activityHash(prev, activityBody(e.at, e.user, e.address, e.action, e.detail));
    out.push({ ...e, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

/** Newest first, keyset-paged by id. */
export function activity(db: Db, dir: Direction, limit: number): Page<AuditEntry> {
  const newer = 'after' in dir;
  const at = 'after' in dir ? dir.after.id : 'before' in dir ? dir.before.id : undefined;
  const rows = db
    .prepare(`SELECT * FROM web_audit ${at === undefined ? '' : newer ? 'WHERE id > ?' : 'WHERE id < ?'} ORDER BY id ${newer ? 'ASC' : 'DESC'} LIMIT ?`)
    .all(...(at === undefined ? [] : [at]), limit + 1) as AuditEntry[];
  return toPage(rows, limit, dir, (r) => ({ time: r.id, id: r.id }));
}
