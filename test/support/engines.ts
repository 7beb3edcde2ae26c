// One describe block, run once per store engine: SQLite (a file in a temporary folder) and
// PostgreSQL (a throwaway cluster from test/support/postgres.ts, one per test file). The contract
// suites (test/store/contract/) use it so that both engines answer the same tests with the same
// fixtures and the same expected results.
//
//   describeEngines('web data access', (engine) => {
//     let target: StoreTarget;
//     beforeEach(async () => { target = await engine.fresh(); });
//     it('…', async () => { … target.kind === 'sqlite' ? target.path : target.url … });
//   });
//
// PostgreSQL's binaries missing: outside CI its block is skipped (reported as skipped, the
// toolOrSkip rule); under CI=true the file fails (postgresAvailable throws), as .ci/run installs
// postgresql.

import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from './postgres.js';
import { tempDir } from './temp.js';

export type EngineKind = 'sqlite' | 'postgres';

/** Where a fresh, empty store is: nothing is created in it yet (the test migrates it). */
export type StoreTarget =
  | { kind: 'sqlite'; /** A database file that does not exist yet, in a folder of its own. */ path: string }
  | { kind: 'postgres'; /** postgres://… of a database created empty for this call. */ url: string; /** Its name. */ database: string };

export interface TestEngine {
  kind: EngineKind;
  /**
   * A new, empty store: a new SQLite file path, or a new PostgreSQL database in the file's cluster.
   * Call it in beforeEach (or beforeAll) for a store of the test's (or the block's) own.
   */
  fresh(): Promise<StoreTarget>;
  /** The file's cluster (PostgreSQL only; undefined on SQLite), for tests that stop or freeze it. */
  cluster(): ThrowawayPostgres | undefined;
}

/** The engines in the order their blocks run. */
export const ENGINES: readonly EngineKind[] = ['sqlite', 'postgres'];

/**
 * `body` once per engine, each inside `describe(\`${title} [engine]\`)`. Hooks and tests `body`
 * declares belong to that engine's block; the cluster starts in the block's beforeAll and stops in
 * its afterAll, so a file pays for one cluster however many tests it has.
 */
export function describeEngines(title: string, body: (engine: TestEngine) => void): void {
  describe(`${title} [sqlite]`, () => {
    let n = 0;
    body({
      kind: 'sqlite',
      fresh: async () => ({ kind: 'sqlite', path: join(tempDir('aaawatch-engine-'), `store-${++n}.db`) }),
      cluster: () => undefined,
    });
  });

  describe.skipIf(!postgresAvailable())(`${title} [postgres]`, () => {
    let cluster: ThrowawayPostgres | undefined;
    let admin: pg.Pool | undefined;
    let n = 0;
    beforeAll(async () => {
      cluster = await startPostgres();
      admin = new pg.Pool({ connectionString: cluster.url, max: 1 });
      // A connection the server drops while idle (the cluster stopping) is not an uncaught error.
      admin.on('error', () => undefined);
    });
    afterAll(async () => {
      await admin?.end();
      cluster?.stop();
    });
    body({
      kind: 'postgres',
      fresh: async () => {
        if (!cluster || !admin) throw new Error('describeEngines: fresh() called before the block\'s beforeAll started the cluster');
        const database = `store_${++n}`;
        await admin.query(`CREATE DATABASE ${database}`);
        const url = new URL(cluster.url);
        url.pathname = `/${database}`;
        return { kind: 'postgres', url: url.toString(), database };
      },
      cluster: () => cluster,
    });
  });
}
