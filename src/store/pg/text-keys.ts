// Indexes over text that senders on the network choose: a record's device, actor and target, a
// finding's (and a case's) device and account. A PostgreSQL b-tree entry holds at most about
// 2.7 KB (a third of a page, after compression), and an insert whose entry is longer fails: one
// syslog line naming a 10 KB account would fail every batch that holds it, tried again forever
// (SQLite has no such limit). So these indexes hold a bounded prefix of the value, and every
// statement that looks a value up states the prefix as well as the value: the index finds the
// entries by prefix, the whole value decides. Values up to KEY_CHARS characters — every real host
// or account name — are whole in the index, so the plans are those of an index on the column;
// longer ones are found by their prefix and checked.
//
// A prefix keeps the order in which PostgreSQL's C collation (byte-wise, SQLite's) compares: a < b
// implies left(a, n) <= left(b, n). Reads in name order (the accounts page's keys, the cases list)
// walk the prefix order and put values that share a prefix in order themselves (src/web/data/pg-population.ts,
// pg-cases.ts). Uniqueness over such values (one open finding per kind, device and account; one
// case per device and account) is kept by a digest of the whole value (keyDigest).

/** Characters of a value an index holds: 256 at up to 4 bytes each leaves two of them and the other columns within an entry. */
export const KEY_CHARS = 256;

/** The indexed prefix of `column` (an SQL expression); an index and the statements using it must spell it alike. */
export const keyPrefix = (column: string): string => `left(${column}, ${KEY_CHARS})`;

/** The prefix's half of `keyEquals`, for a statement that states `column = value` already. */
export const prefixEquals = (column: string, value: string): string => `${keyPrefix(column)} = ${keyPrefix(value)}`;

/** `column = value` (SQL expressions), as a prefix index answers it: by the prefix, then the whole value. */
export const keyEquals = (column: string, value: string): string => `(${prefixEquals(column, value)} AND ${column} = ${value})`;

/**
 * What PostgreSQL is told of `table`'s name columns: that a name decides its prefix (extended
 * statistics, `dependencies`). A look-up states both (keyEquals), and without this the planner
 * multiplies their selectivities, expects a handful of rows where there are thousands, and reads
 * them all to sort them rather than walk the index in order and stop (an actor's commands, newest
 * first: 180 ms → 0.6 ms at 2M records). Made with the statistics gathered at once (ANALYZE), as
 * an older store gets them when it is next started.
 */
export function prefixStatistics(table: string, columns: readonly string[]): Array<{ name: string; sql: string; statistics: true }> {
  return columns.map((c) => ({
    name: `${table}_${c}_prefix_stats`,
    sql: `CREATE STATISTICS IF NOT EXISTS ${table}_${c}_prefix_stats (dependencies) ON ${c}, (${keyPrefix(c)}) FROM ${table}; ANALYZE ${table}`,
    statistics: true,
  }));
}

/** Whether `column` (an SQL expression) may be longer than its prefix: values sharing a prefix are told apart and ordered by the whole value. */
export const beyondPrefix = (column: string): string => `char_length(${column}) >= ${KEY_CHARS}`;

/**
 * A digest of a whole value for a unique index: sha256 of its UTF-8 bytes. An SQL function declared
 * immutable (an index wants that), though convert_to is only stable: a database's encoding never
 * changes, so its result never does.
 */
export const KEY_DIGEST_FUNCTION = `CREATE OR REPLACE FUNCTION aaawatch_key_digest(v text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT sha256(convert_to(v, 'UTF8')) $$`;

/** The digest of `column` as a unique index holds it. */
export const keyDigest = (column: string): string => `aaawatch_key_digest(${column})`;

/**
 * A 64-bit hash of a whole value for an index looked up by equality alone (PostgreSQL's own, the
 * one hash partitioning keeps stable): an index entry of fixed size whatever the value's length,
 * cheaper to make than keyDigest (3 µs rather than 8 of server CPU per record, for
 * events_device_kind_hash), and, unlike a prefix, no order for a range to walk. Values may
 * share a hash: a look-up states the value as well (keyHashEquals).
 */
export const keyHash = (column: string): string => `hashtextextended(${column}, 0)`;

/** `column = value` (SQL expressions), as an index of keyHash answers it. */
export const keyHashEquals = (column: string, value: string): string => `(${keyHash(column)} = ${keyHash(value)} AND ${column} = ${value})`;
