// Connections to a PostgreSQL store: one place that turns a URL into a pool, so TLS, the message
// on failure and the hiding of the password are the same for every command.
//
// TLS is set in the URL, as libpq reads it: sslmode=verify-full, sslrootcert=FILE (the CA that
// signed the server's certificate; without it, the system's CAs), sslcert=FILE and sslkey=FILE
// (a client certificate). The pg driver reads those files when it connects.

import type pg from 'pg';

/** A URL and the name it goes by in messages: `store.url`, `--to`. */
export interface PgTarget {
  url: string;
  key: string;
}

const HIDDEN = '***';

/** The URL with its password (in the user part or a password= parameter) hidden, for messages and logs. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(a URL that cannot be parsed)';
  }
  if (u.password) u.password = HIDDEN;
  if (u.searchParams.has('password')) u.searchParams.set('password', HIDDEN);
  return u.toString();
}

/** Every form the URL's password could take in a message, longest first. */
function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    const found = [u.password, decodeURIComponent(u.password), u.searchParams.get('password') ?? ''].filter((s) => s.length > 0);
    return [...new Set(found)].sort((a, b) => b.length - a.length);
  } catch {
    return [];
  }
}

/** `text` with any form of the URL's password hidden. */
export function scrub(text: string, url: string): string {
  return secretsOf(url).reduce((t, s) => t.replaceAll(s, HIDDEN), text);
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
]);

/** Why a connection failed, in words, with what to change where that is known. */
function connectFailure(err: unknown): string {
  const e = err as { code?: string; message?: string; path?: string; syscall?: string };
  const message = reasonOf(err);
  if (e.code !== undefined && UNTRUSTED.has(e.code)) {
    return `TLS: the server's certificate is not signed by a CA this collector trusts (${message}); sslrootcert= in the URL names the CA file`;
  }
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: the server's certificate is not for the host the URL names (${message})`;
  if (e.code === 'CERT_HAS_EXPIRED' || e.code === 'CERT_NOT_YET_VALID') return `TLS: the server's certificate is not valid now (${message})`;
  if (/does not support SSL/i.test(message)) return 'TLS: the server does not accept TLS connections (sslmode in the URL asks for it)';
  if (e.code === 'ENOENT' || e.code === 'EACCES') return `cannot read ${e.path ?? 'a file the URL names'} (${e.code}; sslrootcert, sslcert and sslkey name files)`;
  if (e.code === 'ECONNREFUSED') return `nothing accepts connections there (${message})`;
  if (e.code === '28000' && /SSL off|no encryption/i.test(message)) return `${message}: the server requires TLS; add sslmode=verify-full (and sslrootcert=) to the URL`;
  return message;
}

/** `text` about `target`: its name and URL first, the password hidden wherever it shows. */
export function aboutTarget(target: PgTarget, text: string): string {
  return scrub(`${target.key} (${redactUrl(target.url)}): ${text}`, target.url);
}

/** What an error says: its message, or its code when the driver gave no message. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: string };
  return e.message || (e.code !== undefined ? String(e.code) : String(err));
}

/** How long a connection may take: a server that does not answer fails here rather than hanging a command. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pool on `target`, connected once so that a wrong URL, CA or password fails here with a clear
 * message. `options` add to what the URL says (pool size, timeouts); the URL's TLS parameters apply.
 */
export async function connectPool(target: PgTarget, options: Omit<pg.PoolConfig, 'connectionString'> = {}): Promise<pg.Pool> {
  // Loaded here, not at the top: every command that may use PostgreSQL would otherwise pay the
  // driver's load (a third of a command's start) on SQLite too.
  const { default: driver } = await import('pg');
  const pool = new driver.Pool({ max: 2, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...options, connectionString: target.url });
  // A connection the server drops while idle in the pool: the next query reports it, not this event.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(aboutTarget(target, `cannot connect: ${connectFailure(err)}`));
  }
}
