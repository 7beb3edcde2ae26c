// TLS to PostgreSQL: a throwaway cluster with ssl=on, a server certificate for localhost made by
// openssl and signed by a test CA, and only TLS connections let in (hostssl), with a password.
// sslmode=verify-full with that CA connects (and the session is TLS); another CA, or no TLS, fails
// with a message naming store.url and what to change, never a stack trace, never the password.
// `serve` connects the same way: with the right CA it stores a logger line sent over TCP and
// `aaawatch verify` over TLS passes; with another CA it stops at start with verify's message.
// A second cluster takes client certificates (sslcert, sslkey) in place of a password.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPool } from '../../src/store/pg/connection.js';
import { REPO } from '../support/corpus.js';
import { iosCommands } from '../support/ingest-batches.js';
import { freePort } from '../support/ports.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { aaawatch, type Run, watch } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';

/** A CA, another CA, a server certificate for localhost and a client certificate for `user`, both from the first. */
function certificates(user: string): Record<'ca' | 'otherCa' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const dir = tempDir('aaawatch-pg-tls-');
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  for (const ca of ['ca', 'other-ca']) run('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=aaawatch test ${ca}`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost\n');
  for (const [who, cn] of [['server', 'localhost'], ['client', user]] as const) {
    run('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2',
      ...(who === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  const at = (f: string): string => join(dir, f);
  return { ca: at('ca.pem'), otherCa: at('other-ca.pem'), serverCert: at('server.pem'), serverKey: at('server.key'), clientCert: at('client.pem'), clientKey: at('client.key') };
}

const PASSWORD = 'Tls-pass/w0rd%secret';
const stackTrace = /\n\s+at /;

describe.skipIf(!postgresAvailable())('TLS to PostgreSQL', () => {
  let certs: ReturnType<typeof certificates>;
  let cluster: ThrowawayPostgres;
  let dir: string;
  /** postgres://aaawatch:…@localhost:port/postgres with these parameters. */
  let url: (params: string, password?: string) => string;
  /** A configuration whose store.url is `storeUrl` (inline, as a password should not be: the message must still hide it). */
  const config = (name: string, storeUrl: string): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `collector: site-a\nstore:\n  path: ${join(dir, `${name}.db`)}\n  url: "${storeUrl}"\n`);
    return file;
  };

  beforeAll(async () => {
    certs = certificates('aaawatch');
    cluster = await startPostgres({ tls: { cert: certs.serverCert, key: certs.serverKey }, hba: { method: 'scram-sha-256', tlsOnly: true }, password: PASSWORD });
    url = (params, password = PASSWORD) => `postgres://${cluster.user}:${encodeURIComponent(password)}@localhost:${cluster.port}/postgres${params ? `?${params}` : ''}`;
    dir = tempDir('aaawatch-pg-tls-run-');
  });
  afterAll(() => cluster?.stop());

  it('connects with sslmode=verify-full and the CA that signed the server\'s certificate, over TLS', async () => {
    const pool = await connectPool({ url: url(`sslmode=verify-full&sslrootcert=${certs.ca}`), key: 'store.url' });
    try {
      const { rows } = await pool.query<{ ssl: boolean; version: string }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows[0]).toMatchObject({ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) });
    } finally {
      await pool.end();
    }

    // The built command too: a SQLite store migrated over TLS, then verified over TLS.
    const file = config('ok', url(`sslmode=verify-full&sslrootcert=${certs.ca}`));
    const log = join(dir, 'ok.log');
    writeFileSync(log, iosCommands(1, 50, ' tls').join('\n') + '\n');
    const local = join(dir, 'local.yaml');
    writeFileSync(local, `store:\n  path: ${join(dir, 'ok.db')}\n`);
    expect((await aaawatch(['import', log, '--config', local])).code).toBe(0);
    const migrated = await aaawatch(['migrate', '--to', 'env:PG', '--collector', 'site-a', '--config', local], { PG: url(`sslmode=verify-full&sslrootcert=${certs.ca}`) });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain(`into postgres://aaawatch:***@localhost:${cluster.port}/postgres?sslmode=verify-full`);
    const verified = await aaawatch(['verify', '--config', file]);
    expect(verified.code, verified.stderr).toBe(0);
    // migrate made the estate's tables: the activity log, holding the import's entry, is checked too.
    expect(verified.stdout).toMatch(/^collector site-a: chain OK, 50 records, head [0-9a-f]{64}\nactivity log OK: 1 entries chained, head [0-9a-f]{64}\n$/);
    for (const r of [migrated, verified]) expect(r.stdout + r.stderr).not.toContain(PASSWORD.slice(0, 8));
  });

  it('fails with a clear message naming store.url when the server\'s certificate is signed by another CA', async () => {
    const r = await aaawatch(['verify', '--config', config('other-ca', url(`sslmode=verify-full&sslrootcert=${certs.otherCa}`))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `aaawatch: store.url (postgres://aaawatch:***@localhost:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${certs.otherCa}): cannot connect: ` +
        'TLS: the server\'s certificate is not signed by a CA this collector trusts (unable to verify the first certificate); sslrootcert= in the URL names the CA file\n',
    );
    expect(r.stderr).not.toMatch(stackTrace);
    // The right CA, but an address the certificate does not name.
    const byAddress = await aaawatch(['verify', '--config', config('by-address', url(`sslmode=verify-full&sslrootcert=${certs.ca}`).replace('@localhost:', '@127.0.0.1:'))]);
    expect(byAddress.code).toBe(1);
    expect(byAddress.stderr).toContain('cannot connect: TLS: the server\'s certificate is not for the host the URL names (Hostname/IP does not match certificate\'s altnames: IP: 127.0.0.1 is not in the cert\'s list: )\n');
  });

  it('fails naming store.url when TLS is not asked for and the server lets only TLS in', async () => {
    const r = await aaawatch(['verify', '--config', config('plain', url(''))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^aaawatch: store\.url \(postgres:\/\/aaawatch:\*\*\*@localhost:\d+\/postgres\): cannot connect: no pg_hba\.conf entry for host "(127\.0\.0\.1|::1)", user "aaawatch", database "postgres", no encryption: the server requires TLS; add sslmode=verify-full \(and sslrootcert=\) to the URL\n$/);
  });

  it('serve connects the same way: stores a logger line over TLS with the right CA; stops at start naming store.url with another', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    const port = await freePort();
    const serveConfig = (name: string): string => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `collector: serve-tls\nstore:\n  path: ${join(dir, `${name}.db`)}\n  url: { env: PG }\n` +
        `ingest:\n  udp: { enabled: false }\n  tcp: { host: 127.0.0.1, port: ${port} }\n  batchMillis: 20\nweb: { enabled: false }\n`);
      return file;
    };
    const good = url(`sslmode=verify-full&sslrootcert=${certs.ca}`);
    const file = serveConfig('serve-ok');
    const served = watch(spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'serve', '--config', file], { env: { ...process.env, AAAWATCH_CONFIG: '', PG: good } }));
    const pool = await connectPool({ url: good, key: 'store.url' });
    try {
      await served.said('running as collector');
      await new Promise<void>((resolve, reject) => execFile('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc3164', '-t', 'useradd',
        'new user: name=tlsuser, UID=4001, GID=4001, home=/home/tlsuser, shell=/bin/bash'], (err) => (err ? reject(err) : resolve())));
      const stored = async (): Promise<number> =>
        Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE collector = 'serve-tls' AND kind = 'account'")).rows[0]!.n);
      const deadline = Date.now() + 60_000;
      while ((await stored()) < 1) {
        if (Date.now() > deadline) throw new Error(`serve over TLS did not store the logger line:\n${served.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The store thread's connections are TLS too, as the application name it sets shows.
      const sessions = await pool.query<{ ssl: boolean }>("SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'aaawatch serve-tls'");
      expect(sessions.rows.length).toBeGreaterThan(0);
      expect(sessions.rows.every((r) => r.ssl)).toBe(true);
    } finally {
      await pool.end();
      expect(await served.stop()).toBe(0);
    }
    const verified = await aaawatch(['verify', '--config', file], { PG: good });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^collector serve-tls: chain OK, 1 records, head [0-9a-f]{64}$/m);
    expect(served.output()).not.toMatch(/Tls-pass|w0rd|secret/);

    const other = url(`sslmode=verify-full&sslrootcert=${certs.otherCa}`);
    const refused = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [join(REPO, 'dist/src/cli.js'), 'serve', '--config', serveConfig('serve-other-ca')], { env: { ...process.env, AAAWATCH_CONFIG: '', PG: other }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `aaawatch: store.url (postgres://aaawatch:***@localhost:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${certs.otherCa}): cannot connect: ` +
        'TLS: the server\'s certificate is not signed by a CA this collector trusts (unable to verify the first certificate); sslrootcert= in the URL names the CA file\n',
    );
  });

  it('never prints the password: a wrong one, a CA file that is not there, a URL from {env}', async () => {
    const wrong = await aaawatch(['verify', '--config', config('wrong', url(`sslmode=verify-full&sslrootcert=${certs.ca}`, 'Wrong-pass%secret'))]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('cannot connect: password authentication failed for user "aaawatch"');
    const missing = await aaawatch(['verify', '--config', config('missing', url(`sslmode=verify-full&sslrootcert=${join(dir, 'nope.pem')}`))]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`cannot connect: cannot read ${join(dir, 'nope.pem')} (ENOENT; sslrootcert, sslcert and sslkey name files)`);
    const envFile = join(dir, 'env.yaml');
    writeFileSync(envFile, `collector: site-a\nstore:\n  path: ${join(dir, 'env.db')}\n  url: { env: PG }\n`);
    const fromEnv = await aaawatch(['verify', '--config', envFile], { PG: url(`sslmode=verify-full&sslrootcert=${certs.otherCa}`) });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('store.url (postgres://aaawatch:***@localhost');
    for (const r of [wrong, missing, fromEnv]) {
      expect(r.stdout + r.stderr).not.toMatch(/Tls-pass|Wrong-pass|w0rd|secret/);
      expect(r.stderr).not.toMatch(stackTrace);
    }
  });
});

describe.skipIf(!postgresAvailable())('TLS to PostgreSQL with a client certificate', () => {
  let certs: ReturnType<typeof certificates>;
  let cluster: ThrowawayPostgres;
  beforeAll(async () => {
    certs = certificates('aaawatch');
    cluster = await startPostgres({ tls: { cert: certs.serverCert, key: certs.serverKey, clientCa: certs.ca }, hba: { method: 'cert', tlsOnly: true } });
  });
  afterAll(() => cluster?.stop());

  it('connects with sslcert and sslkey from the URL; without them the server refuses', async () => {
    const base = `postgres://${cluster.user}@localhost:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${certs.ca}`;
    const pool = await connectPool({ url: `${base}&sslcert=${certs.clientCert}&sslkey=${certs.clientKey}`, key: 'store.url' });
    try {
      const { rows } = await pool.query<{ ssl: boolean; client_dn: string }>('SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(rows[0]).toEqual({ ssl: true, client_dn: '/CN=aaawatch' });
    } finally {
      await pool.end();
    }
    await expect(connectPool({ url: base, key: 'store.url' })).rejects.toThrow(
      new RegExp(`^store\\.url \\(postgres://aaawatch@localhost:${cluster.port}/postgres\\?sslmode=verify-full&sslrootcert=.*\\): cannot connect: .*certificate`),
    );
  });
});
