// Schema migrations in order. A migration is never edited once released: add a new one.
import ingest from './001-ingest.js';

export const migrations: readonly string[] = [ingest];
