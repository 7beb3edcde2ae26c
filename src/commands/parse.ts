import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { redactDeep, redactSecrets, redactStructuredData } from '../../parsers/lib/secrets.js';
import { LineSplitter, openInput, type Input, type Line } from '../ingest/file-source.js';
import { createReader } from '../ingest/service.js';
import { openDatabase } from '../store/db.js';
import { escapeLatin1 } from '../store/raw-bytes.js';
import { jsonEscaped } from '../reconcile/text.js';
import { knownAccounts } from '../store/queries.js';
import type { SyslogMessage } from '../types.js';
import { configFrom, senderAddress, withConfig, type ConfigOptions, UsageError } from './common.js';

interface ParseOptions extends ConfigOptions {
  receivedAt?: string;
  source?: string;
}

/**
 * The header fields worth printing, secrets removed from the message text and structured data. A
 * line that was not UTF-8 shows its text fields in the escaped form it is stored in (`\xNN` for
 * each byte that is no UTF-8 character), not as their Latin-1 reading.
 */
export function headerJson(m: SyslogMessage): Record<string, unknown> {
  const fields = headerFields(m);
  if (!m.latin1) return fields;
  for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') fields[k] = escapeLatin1(v);
  return fields;
}

function headerFields(m: SyslogMessage): Record<string, unknown> {
  return {
    format: m.format,
    malformed: m.malformed,
    latin1: m.latin1 || undefined,
    pri: m.pri,
    facility: m.facility,
    severity: m.severity,
    time: new Date(m.time).toISOString(),
    timeText: m.timeText,
    timeQuality: m.timeQuality,
    clockMarker: m.clockMarker,
    hostname: m.hostname,
    appName: m.appName,
    procId: m.procId,
    msgId: m.msgId,
    sd: m.sd === undefined ? undefined : redactStructuredData(m.sd),
    sequence: m.sequence,
    tag: m.tag,
    message: redactSecrets(m.message),
  };
}

export function registerParse(program: Command): void {
  withConfig(program.command('parse'))
    .description('read raw syslog lines and print, one JSON object per line, the parsed header and the records platforms return')
    .argument('[file]', 'file of raw lines, or - for standard input', '-')
    .option('--received-at <iso>', 'receive time to assume (decides the year of stamps without one); default now')
    .option('--source <address>', 'sender address to assume for every line', senderAddress)
    .action(async (file: string, opts: ParseOptions) => {
      const config = await configFrom(opts);
      const receivedAt = opts.receivedAt ? Date.parse(opts.receivedAt) : Date.now();
      if (Number.isNaN(receivedAt)) throw new UsageError(`--received-at: not an ISO 8601 time: ${opts.receivedAt}`);
      // With a configuration whose database exists, `username` commands resolve against what it knows.
      let seed: Array<[string, string]> = [];
      if (opts.config && config.store.url !== undefined) seed = await seedFromPostgres(config);
      else if (opts.config && existsSync(config.store.path)) {
        const db = openDatabase(config.store.path, { readonly: true });
        seed = knownAccounts(db);
        db.close();
      }
      const { reader } = createReader(config, seed);
      const fail = (err: unknown): never => {
        const code = (err as NodeJS.ErrnoException).code;
        process.stderr.write(`aaawatch parse: ${code ? `cannot read ${file}: ${code}` : (err as Error).message}\n`);
        process.exit(1);
      };
      let input: Input;
      try {
        input = openInput(file);
      } catch (err) {
        return fail(err);
      }
      // Bytes, not text: a line that is not UTF-8 is read as the listeners read it, not replaced.
      const splitter = new LineSplitter(config.ingest.maxMessageBytes, true);
      let n = 0;
      const each = async (lines: Line[]): Promise<void> => {
        for (const l of lines) {
          // A run of NULs (a file truncated under its writer) is no line: nothing to show.
          if ('nul' in l) continue;
          n++;
          let out: Record<string, unknown>;
          if ('oversize' in l) out = { line: n, rejected: 'oversize-line' };
          else if (l.text.length === 0) continue;
          else {
            const r = reader.read(l.text, l.latin1, opts.source, 'file', receivedAt);
            const records = r.records.map((rec) => ({ ...rec, ref: { line: n } }));
            out = { line: n, device: r.device, header: headerJson(r.msg), records };
            if (r.unknown.length) out.unknown = r.unknown;
          }
          // Every string printed passes the gate (records, unknown samples), not only the message; what a
          // terminal acts on or draws as nothing is escaped (a line's C1 CSI, tag characters in a name).
          if (!process.stdout.write(jsonEscaped(JSON.stringify(redactDeep(out))) + '\n')) await new Promise((res) => process.stdout.once('drain', res));
        }
      };
      try {
        for await (const chunk of input.chunks) await each(splitter.push(chunk));
      } catch (err) {
        fail(err);
      }
      await each(splitter.end());
    });
}

/** The accounts a shared PostgreSQL store knows (store.url): the SQLite file is not the store then. */
async function seedFromPostgres(config: Config): Promise<Array<[string, string]>> {
  const { connectPool } = await import('../store/pg/connection.js');
  const { seedAccountsPg } = await import('../store/pg/ingest-reads.js');
  const pool = await connectPool({ url: resolveSecret(config.store.url!, 'store.url'), key: 'store.url' }, { max: 1 });
  try {
    return await seedAccountsPg(pool);
  } catch (err) {
    // 42P01: no aaawatch tables yet, so nothing known.
    if ((err as { code?: unknown }).code === '42P01') return [];
    throw err;
  } finally {
    await pool.end();
  }
}
