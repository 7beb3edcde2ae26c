// The engines helper itself: each block gets a store of its own per fresh(), empty and writable.

import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEngines } from '../../support/engines.js';

describeEngines('engines helper', (engine) => {
  it('hands out a new empty store on each call', async () => {
    const a = await engine.fresh();
    const b = await engine.fresh();
    expect(a.kind).toBe(engine.kind);
    if (a.kind === 'sqlite' && b.kind === 'sqlite') {
      expect(a.path).not.toBe(b.path);
      expect(existsSync(a.path)).toBe(false);
      const db = new Database(a.path);
      db.exec('CREATE TABLE t (x)');
      db.close();
      expect(existsSync(b.path)).toBe(false);
    } else if (a.kind === 'postgres' && b.kind === 'postgres') {
      expect(engine.cluster()).toBeDefined();
      expect(a.database).not.toBe(b.database);
      const pa = new pg.Pool({ connectionString: a.url, max: 1 });
      const pb = new pg.Pool({ connectionString: b.url, max: 1 });
      try {
        await pa.query('CREATE TABLE t (x int)');
        const inB = await pb.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'");
        expect(inB.rows[0].n).toBe(0);
        const name = await pa.query('SELECT current_database() AS d');
        expect(name.rows[0].d).toBe(a.database);
      } finally {
        await pa.end();
        await pb.end();
      }
    } else {
      throw new Error('mixed kinds');
    }
  });
});
