// The whole schema, both engines': every table, in the order a new store makes them. A change to
// the schema is made here (in the table's file) and, for stores made before it, as a step of each
// engine's upgrade: a SQLite migration (src/store/migrations/; test/store/schema.test.ts fails
// while the two disagree), and on PostgreSQL what is missing made at start (pg/migrate.ts, with
// `postgres.replaces` for an index whose definition changed, and a nullable column an older table
// lacks added there; any other change to an existing table's columns needs a step of its own).

import { FINDING_TABLES } from './findings.js';
import { CHAIN_PURGES, INGEST_TABLES, SQLITE_INGEST_TABLES } from './ingest.js';
import { PULL_TABLES } from './pull.js';
import type { Table } from './table.js';
import { WEB_TABLES } from './web.js';

const unique = (tables: readonly Table[]): Table[] => [...new Map(tables.map((t) => [t.name, t])).values()];

export const SCHEMA: readonly Table[] = unique([...INGEST_TABLES, CHAIN_PURGES, ...SQLITE_INGEST_TABLES, ...FINDING_TABLES, ...PULL_TABLES, ...WEB_TABLES]);
