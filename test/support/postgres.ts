// A throwaway PostgreSQL cluster for tests: Debian's postgresql 15 binaries, initdb in a temporary
// folder, a free port, its unix socket inside that folder. PostgreSQL refuses to run as root, and
// tests run as root here and in CI, so the cluster runs as the `postgres` system user the Debian
// package creates (as whoever runs the tests otherwise). Trust authentication by default: the
// cluster listens on loopback only and lives as long as one test file. Options turn on TLS, a
// password and client certificates, and let only TLS connections in (test/store/pg-tls.test.ts).

import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { tempDir } from './temp.js';

const BIN = process.env.AAAWATCH_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'aaawatch';

export interface PostgresOptions {
  /**
   * TLS on (ssl=on) with this certificate and key (PEM files, copied into the cluster's folder);
   * `clientCa`: the CA that client certificates must be signed by (ssl_ca_file).
   */
  tls?: { cert: string; key: string; clientCa?: string };
  /** Over TCP: how clients authenticate (default trust), and whether only TLS connections are let in (hostssl). */
  hba?: { method: 'trust' | 'scram-sha-256' | 'cert'; tlsOnly: boolean };
  /** The superuser's password (for hba method scram-sha-256). */
  password?: string;
}

export interface ThrowawayPostgres {
  /** postgres://… for the cluster's `postgres` database (with the password, when one is set). */
  url: string;
  /** The superuser's name. */
  user: string;
  port: number;
  /** The cluster's data folder (postmaster.pid is there). */
  dataDir: string;
  /** Stop the cluster and remove its folder. */
  stop(): void;
  /** Stop the server (fast shutdown: sessions are cut), keeping its data, as an outage would. */
  down(): void;
  /** Start it again after `down`, on the same port; nothing when it runs (an afterEach may call it). */
  up(): void;
  /** Stop every process of the server (SIGSTOP): it answers nothing and closes nothing, as behind a network cut. */
  freeze(): void;
  /** Let it run again after `freeze`. */
  thaw(): void;
}

/** Whether the binaries are here; under CI their absence is a failure (.ci/run installs postgresql). */
export function postgresAvailable(): boolean {
  const found = existsSync(join(BIN, 'initdb'));
  if (!found && process.env.CI === 'true') throw new Error(`${BIN}/initdb is missing; .ci/run must install postgresql`);
  return found;
}

function owner(): { uid: number; gid: number; asOwner: (cmd: string, args: string[]) => [string, string[]] } {
  if (process.geteuid?.() !== 0) {
    return { uid: process.getuid!(), gid: process.getgid!(), asOwner: (cmd, args) => [cmd, args] };
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid, asOwner: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]] };
}

/** The run's template cluster, in the run's folder (global-setup.ts leaves it there and removes it with the folder). */
export const TEMPLATE = 'pg-template';

/**
 * A data folder as `initdb` makes it (no password), at `data`: under the test runner a copy of the
 * run's one template, made by the first file that needs a cluster. initdb is ~0.7 s of CPU and
 * 2-4 s at load 15-20, a copy ~0.1 s, for the ~60 clusters of a suite (suite22). Two workers may
 * make the template at once: each makes its own and renames it into place, and the loser's rename
 * fails and its own is removed, so every copy is of a whole template. Outside a run (the benches)
 * it is initdb itself.
 */
function dataFolder(data: string, initdb: (data: string) => void, owned: (dir: string) => void): void {
  const run = process.env.AAAWATCH_TEST_TMP;
  if (run === undefined) return initdb(data);
  const template = join(run, TEMPLATE);
  if (!existsSync(template)) {
    const own = mkdtempSync(join(run, `${TEMPLATE}-`));
    chmodSync(own, 0o755);
    owned(own);
    initdb(join(own, 'data'));
    try {
      renameSync(own, template);
    } catch {
      rmSync(own, { recursive: true, force: true });
    }
  }
  // cp -a: the owner (the cluster's user), modes (0700, as PostgreSQL demands) and links kept.
  execFileSync('cp', ['-a', join(template, 'data'), data]);
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<ThrowawayPostgres> {
  const { uid, gid, asOwner } = owner();
  const base = tempDir('aaawatch-pg-');
  // The cluster's user must pass through the folder tempDir made private.
  chmodSync(base, 0o755);
  const home = join(base, 'cluster');
  mkdirSync(home, { mode: 0o700 });
  chownSync(home, uid, gid);
  const data = join(home, 'data');
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = asOwner(join(BIN, cmd), args);
    execFileSync(file, argv, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  // Files the cluster's user reads: its own copies, the key private to it as PostgreSQL demands.
  const own = (name: string, text: string | undefined, from?: string): string => {
    const file = join(home, name);
    if (from !== undefined) copyFileSync(from, file);
    else writeFileSync(file, text ?? '');
    chmodSync(file, 0o600);
    chownSync(file, uid, gid);
    return file;
  };
  const initdb = (folder: string, pwfile: string[] = []): void => run('initdb', ['-D', folder, '-U', SUPERUSER, '--auth=trust', ...pwfile, '-E', 'UTF8', '--locale=C', '--no-sync']);
  if (opts.password !== undefined) initdb(data, ['--pwfile', own('pwfile', `${opts.password}\n`)]);
  else dataFolder(data, initdb, (dir) => chownSync(dir, uid, gid));
  const port = await freePort();
  // Durability is not what these tests check; fsync off keeps a shared machine's disk out of them.
  let options = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  if (opts.tls) {
    // localhost, which the server's certificate names, may resolve to ::1 as well as 127.0.0.1.
    options = options.replace('listen_addresses=127.0.0.1', 'listen_addresses=localhost');
    options += ` -c ssl=on -c ssl_cert_file=${own('server.pem', undefined, opts.tls.cert)} -c ssl_key_file=${own('server.key', undefined, opts.tls.key)}`;
    if (opts.tls.clientCa) options += ` -c ssl_ca_file=${own('client-ca.pem', undefined, opts.tls.clientCa)}`;
  }
  if (opts.hba) {
    const kind = opts.hba.tlsOnly ? 'hostssl' : 'host';
    const lines = ['local all all trust', ...['127.0.0.1/32', '::1/128'].map((net) => `${kind} all all ${net} ${opts.hba!.method}`)];
    options += ` -c hba_file=${own('pg_hba.conf', lines.join('\n') + '\n')}`;
  }
  const start = (): void => run('pg_ctl', ['-D', data, '-o', options, '-l', join(home, 'log'), '-w', '-t', '60', 'start']);
  start();
  let stopped = false;
  let running = true;
  const signalAll = (signal: NodeJS.Signals): void => {
    const main = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // Its children from /proc (field 4 of stat is the parent), so no process tool is needed.
    const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
      try {
        return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === main ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
    for (const pid of [main, ...children]) process.kill(pid, signal);
  };
  return {
    url: `postgres://${SUPERUSER}${opts.password !== undefined ? `:${encodeURIComponent(opts.password)}` : ''}@127.0.0.1:${port}/postgres`,
    user: SUPERUSER,
    port,
    dataDir: data,
    down() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    up() {
      if (running) return;
      start();
      running = true;
    },
    freeze: () => signalAll('SIGSTOP'),
    thaw: () => signalAll('SIGCONT'),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        // Smart first: a pool's end() resolves before its sessions have read their Terminate, and a
        // fast stop then cuts them with 57P01, which an idle client's pool re-emits as an 'error'
        // nobody hears (an uncaught exception in pg-store's run under load). A session still open
        // after 3 s (a test's leaked client) is cut as before.
        if (running) {
          try {
            run('pg_ctl', ['-D', data, '-m', 'smart', '-w', '-t', '3', 'stop']);
          } catch {
            run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
          }
        }
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
