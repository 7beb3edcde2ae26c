// `aaawatch import FILE|-`: store the records of a file, read as a stream (gzip or not, from a
// file or standard input) in constant memory: a platform's own export format (a CloudTrail
// `Records` file, a FreeRADIUS detail file) when one claims it, else journalctl's JSON or export
// output, Windows events saved as CSV, JSON events other than one a line or Windows event XML
// (FILE_SHAPES) when the file opens as those do, else raw syslog lines. A progress
// line on a terminal, a summary at the end, and an entry in the activity log.

import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { platforms } from '../../parsers/index.js';
import { openInput, peek, LineSplitter } from '../ingest/file-source.js';
import { eventCsv } from '../ingest/event-csv-file.js';
import { journalExport, journalJson } from '../ingest/journal-file.js';
import { jsonEvents } from '../ingest/json-file.js';
import { xmlEvents } from '../ingest/xml-file.js';
import type { Pipeline } from '../ingest/pipeline.js';
import { collectorName, type Config } from '../config/schema.js';
import type { CounterRow } from '../store/queries.js';
import type { ImportFormat, ImportItem } from '../types.js';
import { openWebAccess } from '../web/data/open.js';
import { cliUser, configFrom, printJson, senderAddress, withConfig, type ConfigOptions, UsageError } from './common.js';
import { CollectorLive, postgresImport, sqliteImport, type ImportTarget } from './import-target.js';

interface ImportOptions extends ConfigOptions {
  source?: string;
  collector?: string;
  json?: boolean;
}

/** What the summary reports. */
interface Summary {
  file: string;
  /** The platform whose export format the file is in, `journal-json`, `journal-export`, `event-csv`, `json` or `xml` (FILE_SHAPES: src/ingest/journal-file.ts, event-csv-file.ts, json-file.ts, xml-file.ts), or `lines`. */
  format: string;
  bytes: number;
  /** Lines read (raw lines), or entries read (an export format). */
  read: number;
  records: number;
  /** Lines read that were not UTF-8: stored byte for byte, as the listeners store them. */
  notUtf8: number;
  malformed: number;
  seconds: number;
  peakRssBytes: number;
  /** On a PostgreSQL store: the collector whose chain the records joined. */
  collector?: string;
}

/** Files of events that are no platform's own format, tried after the platforms' (by their beginning). */
const FILE_SHAPES = [
  // Before JSON events, which would claim a journal's pretty-printed entries and hand on JSON no platform reads.
  { id: 'journal-json', name: 'journalctl JSON', format: journalJson },
  { id: 'journal-export', name: 'journalctl export', format: journalExport },
  { id: 'event-csv', name: 'Windows event CSV', format: eventCsv },
  { id: 'json', name: 'JSON events', format: jsonEvents },
  { id: 'xml', name: 'Windows event XML', format: xmlEvents },
];

/** Enough of a file's beginning to tell its format. */
const HEAD_BYTES = 4096;

/** An export record may be larger than a syslog message (CloudTrail request parameters), but is bounded too. */
const MIN_RECORD_CHARS = 1 << 20;

/**
 * A line that is not UTF-8 is read and stored (as the escaped form of its bytes) and counted as the
 * listeners count it, under `malformed.`; it is no malformed input, and the summary says so apart.
 */
const NOT_UTF8 = 'malformed.not-utf8';

/** Stored records, lines read that were not UTF-8, and malformed or refused inputs, as the store counts them. */
function tally(rows: readonly CounterRow[]): { records: number; notUtf8: number; malformed: number } {
  let records = 0;
  let notUtf8 = 0;
  let malformed = 0;
  for (const c of rows) {
    if (c.name === 'recognised.records') records = c.value;
    else if (c.name === NOT_UTF8) notUtf8 = c.value;
    else if (c.name.startsWith('malformed.') || c.name.startsWith('rejected.')) malformed += c.value;
  }
  return { records, notUtf8, malformed };
}

/** Why reading stopped, in the words of the file: zlib's own ("unexpected end of file") does not say it was gzip. */
function readProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') return `the gzip data ends early: the .gz is cut short (${message})`;
  if (code === 'Z_DATA_ERROR') return `the gzip data is damaged (${message})`;
  return message;
}

const megabytes = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** Rewrites one line on a terminal's standard error; nothing anywhere else. */
function progressLine(describe: () => string): { stop(): void } {
  if (!process.stderr.isTTY) return { stop: () => {} };
  const draw = (): void => void process.stderr.write(`\r\x1b[K${describe()}`);
  const timer = setInterval(draw, 250);
  timer.unref();
  draw();
  return {
    stop() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    },
  };
}

export function registerImport(program: Command): void {
  withConfig(program.command('import'))
    .description('store the records of a file or standard input (gzip or not; UTF-8, or UTF-16 with a byte order mark or without): a platform export (CloudTrail `Records` file or lookup-events output, FreeRADIUS detail file), journalctl -o json or -o export output, Windows events saved as CSV (Event Viewer, Export-Csv), JSON events (an array, an API page under `value` or `items`, pretty-printed events), Windows event XML, or raw syslog lines')
    .argument('<file>', 'file to import, or - for standard input; gzip is recognised by its .gz name or its content')
    .option('--source <address>', 'sender address to record for every line', senderAddress)
    .option('--collector <name>', 'on a PostgreSQL store (store.url): the collector whose chain the records join (default: the configuration\'s collector); refused while a serve of it runs')
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, opts: ImportOptions) => {
      const config = await configFrom(opts);
      if (opts.collector !== undefined && config.store.url === undefined) throw new UsageError('--collector names a collector of a PostgreSQL store (store.url); this store is the SQLite file');
      const collector = opts.collector ?? config.collector;
      if (collector !== undefined && !collectorName.safeParse(collector).success) {
        throw new UsageError(`--collector ${JSON.stringify(collector)}: must be 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit`);
      }
      const started = Date.now();
      const input = openInput(file);
      let target: ImportTarget;
      try {
        target = config.store.url === undefined ? sqliteImport(config) : await postgresImport(config, collector!);
      } catch (err) {
        if (err instanceof CollectorLive) throw new Error(`import refused: ${err.message}`);
        throw err;
      }
      const { pipeline, writer } = target;
      const before = tally(await target.counters());
      let read = 0;
      let stored = 0;
      const progress = progressLine(() => {
        const of = input.size ? ` of ${megabytes(input.size)} (${Math.floor((100 * input.bytesRead()) / input.size)}%)` : '';
        return `${file}: ${megabytes(input.bytesRead())}${of}, ${read.toLocaleString('en')} read, ${stored.toLocaleString('en')} records stored`;
      });
      const counting = setInterval(() => void target.counters().then((c) => (stored = tally(c).records - before.records), () => undefined), 1000);
      counting.unref();
      let format = 'lines';
      let after: ReturnType<typeof tally> | undefined;
      // Every record of the import has this receive time; the activity log's entry names it.
      let now = Date.now();
      let problem: string | undefined;
      try {
        const { head, all } = await peek(input.chunks, HEAD_BYTES);
        const headText = head.toString('utf8');
        const owner = platforms.find((p) => p.importFormat?.claims(headText));
        // The time stamps without a year or zone get them from when they were read.
        now = Date.now();
        const shape = owner ? undefined : FILE_SHAPES.find((s) => s.format.claims(headText));
        const exportFormat = owner?.importFormat ?? shape?.format;
        if (exportFormat) {
          format = owner?.id ?? shape!.id;
          read = await importExport(exportFormat, all, Math.max(config.ingest.maxMessageBytes, MIN_RECORD_CHARS), pipeline, opts.source, now, (n) => (read = n), target.drain);
        } else {
          read = await importLines(all, config.ingest.maxMessageBytes, pipeline, opts.source, now, (n) => (read = n), target.drain);
        }
        writer.flush();
        await target.finish();
        after = tally(await target.counters());
      } catch (err) {
        // What was read before the failure is stored; say where it stopped.
        writer.flush();
        await target.finish().catch(() => undefined);
        problem = `${readProblem(err)}; the ${read.toLocaleString('en')} read before it are stored`;
        after = await target.counters().then(tally, () => undefined);
      } finally {
        clearInterval(counting);
        progress.stop();
        await target.close();
      }
      await logImport(config, {
        file, format, bytes: input.bytesRead(), sha256: input.sha256(), read, receivedAt: now,
        ...(after ? { records: after.records - before.records, notUtf8: after.notUtf8 - before.notUtf8, malformed: after.malformed - before.malformed } : {}),
        ...(opts.source !== undefined ? { source: opts.source } : {}),
        ...(config.store.url !== undefined ? { collector: collector! } : {}),
        ...(problem !== undefined ? { stopped: problem } : {}),
      });
      if (problem !== undefined || !after) throw new Error(`${file}: ${problem}`);
      const summary: Summary = {
        file,
        format,
        bytes: input.bytesRead(),
        read,
        records: after.records - before.records,
        notUtf8: after.notUtf8 - before.notUtf8,
        malformed: after.malformed - before.malformed,
        seconds: (Date.now() - started) / 1000,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        ...(config.store.url !== undefined ? { collector: collector! } : {}),
      };
      if (opts.json) printJson(summary);
      else {
        const what = format === 'lines' ? 'lines' : `${(FILE_SHAPES.find((s) => s.id === format) ?? platforms.find((p) => p.id === format)!).name} entries`;
        process.stdout.write(
          `${file}: ${summary.read.toLocaleString('en')} ${what} read, ${summary.records.toLocaleString('en')} records stored${summary.collector ? ` as collector ${summary.collector}` : ''}${summary.notUtf8 ? `, ${summary.notUtf8.toLocaleString('en')} not UTF-8 (kept byte for byte)` : ''}, ${summary.malformed.toLocaleString('en')} malformed, ${summary.seconds.toFixed(1)} s\n`,
        );
      }
    });
}

interface ImportEntry {
  file: string;
  format: string;
  bytes: number;
  sha256: string;
  read: number;
  receivedAt: number;
  records?: number;
  notUtf8?: number;
  malformed?: number;
  source?: string;
  collector?: string;
  stopped?: string;
}

/**
 * The import in the activity log, as `user add` and exports are: records that came from no sender
 * (transport file) are tied to who imported which bytes (the file's SHA-256, as `sha256sum` gives
 * it) by their receive time, which every record of one import shares. Logged when reading stopped
 * part way too, since what came before is stored.
 */
async function logImport(config: Config, e: ImportEntry): Promise<void> {
  const access = await openWebAccess(config, { connections: 1 });
  try {
    const { receivedAt, file, ...rest } = e;
    await access.logActivity({
      at: Date.now(),
      user: cliUser(),
      address: null,
      action: 'import',
      detail: { file: file === '-' ? '(standard input)' : file, ...rest, receivedAt: new Date(receivedAt).toISOString() },
    });
  } finally {
    await access.close();
  }
}

/** Raw lines: each read like a received message. Returns how many. */
async function importLines(
  chunks: AsyncIterable<Buffer>, maxBytes: number, pipeline: Pipeline, source: string | undefined, now: number, seen: (n: number) => void, drain: () => Promise<void>,
): Promise<number> {
  const splitter = new LineSplitter(maxBytes);
  let n = 0;
  const each = (lines: ReturnType<LineSplitter['push']>): void => {
    for (const l of lines) {
      // A run of NULs is no line: counted, and nothing of it kept.
      if ('nul' in l) {
        pipeline.malformed('nul-run');
        continue;
      }
      n++;
      if ('oversize' in l) pipeline.reject('oversize-line', l.oversize, source, 'file');
      else pipeline.message(l.text, l.latin1, source, 'file', now);
    }
    seen(n);
  };
  for await (const chunk of chunks) {
    each(splitter.push(chunk));
    await drain();
  }
  each(splitter.end());
  return n;
}

/** An export format (a platform's, or JSON events): each entry read like a message body. Returns how many entries. */
async function importExport(
  format: ImportFormat, chunks: AsyncIterable<Buffer>, maxChars: number, pipeline: Pipeline, source: string | undefined, now: number, seen: (n: number) => void,
  drain: () => Promise<void>,
): Promise<number> {
  const reader = format.reader(maxChars);
  const decoder = new StringDecoder(format.encoding ?? 'utf8');
  let n = 0;
  const each = (items: ImportItem[]): void => {
    for (const item of items) {
      n++;
      if ('text' in item) pipeline.message(item.text, item.latin1 === true, source, 'file', now);
      else pipeline.reject(item.malformed, Buffer.from(item.sample), source, 'file');
    }
    seen(n);
  };
  for await (const chunk of chunks) {
    each(reader.push(decoder.write(chunk)));
    await drain();
  }
  each(reader.push(decoder.end()));
  each(reader.end());
  return n;
}
