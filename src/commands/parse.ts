import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { redactDeep, redactSecrets } from '../../parsers/lib/secrets.js';
import { createReader } from '../ingest/service.js';
import { openDatabase } from '../store/db.js';
import { knownAccounts } from '../store/queries.js';
import type { SyslogMessage } from '../types.js';
import { configFrom, withConfig, type ConfigOptions, UsageError } from './common.js';

interface ParseOptions extends ConfigOptions {
  receivedAt?: string;
  source?: string;
}

/** The header fields worth printing, secrets removed from the message text and structured data. */
export function headerJson(m: SyslogMessage): Record<string, unknown> {
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
    sd: m.sd === undefined ? undefined : redactDeep(m.sd),
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
    .option('--source <address>', 'sender address to assume for every line')
    .action(async (file: string, opts: ParseOptions) => {
      const config = configFrom(opts);
      const receivedAt = opts.receivedAt ? Date.parse(opts.receivedAt) : Date.now();
      if (Number.isNaN(receivedAt)) throw new UsageError(`--received-at: not an ISO 8601 time: ${opts.receivedAt}`);
      // With a configuration whose database exists, `username` commands resolve against what it knows.
      let seed: Array<[string, string]> = [];
      if (opts.config && existsSync(config.store.path)) {
        const db = openDatabase(config.store.path, { readonly: true });
        seed = knownAccounts(db);
        db.close();
      }
      const { reader } = createReader(config, seed);
      const input = file === '-' ? process.stdin : createReadStream(file);
      input.on('error', (err: Error) => {
        process.stderr.write(`aaawatch parse: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err.message}\n`);
        process.exit(1);
      });
      const lines = createInterface({ input, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.length === 0) continue;
        const r = reader.read(line, false, opts.source, 'file', receivedAt);
        const records = r.records.map((rec) => ({ ...rec, ref: { line: n } }));
        const out: Record<string, unknown> = { line: n, device: r.device, header: headerJson(r.msg), records };
        if (r.unknown.length) out.unknown = r.unknown;
        // Every string printed passes the gate (records, unknown samples), not only the message.
        if (!process.stdout.write(JSON.stringify(redactDeep(out)) + '\n')) await new Promise((res) => process.stdout.once('drain', res));
      }
    });
}
