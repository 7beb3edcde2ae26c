// The process log (pino). JSON lines to files and pipes, what log shippers read; readable lines
// (pino-pretty) at a terminal or when `log.format: pretty`; and under journald, whichever the
// format, each line starts with its syslog priority (`<3>` … `<7>`), which journald takes as the
// entry's PRIORITY (SyslogLevelPrefix=, on by default), so `journalctl -p warning` works.
// Fields that could carry a secret are censored at the logger, whatever a caller passes, and every
// string logged passes the secret gate (parsers/lib/secrets.ts).

import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type { prettyFactory as PrettyFactory } from 'pino-pretty';
import { redactDeep, redactSecrets } from '../parsers/lib/secrets.js';

/** pino-pretty, loaded only for readable output: every command makes a logger, few show it to a person. */
const prettyFactory: typeof PrettyFactory = (options) => (createRequire(import.meta.url)('pino-pretty') as { prettyFactory: typeof PrettyFactory }).prettyFactory(options);

export interface LogOptions {
  level: string;
  format?: 'auto' | 'json' | 'pretty';
}

/** pino's levels and the syslog priority (RFC 5424 severity) journald records for each. */
const PRIORITY: ReadonlyArray<readonly [Level, number]> = [
  ['trace', 7],
  ['debug', 7],
  ['info', 6],
  ['warn', 4],
  ['error', 3],
  ['fatal', 2],
];

/**
 * Whether `fd` is the stream journald handed this process: systemd sets JOURNAL_STREAM to the
 * device and inode of that stream, so a redirected stdout (to a file, a pipe) is told apart.
 */
export function isJournalStream(fd: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const expected = env.JOURNAL_STREAM;
  if (!expected) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return expected === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}

/** `stream` 2 puts the log on stderr, for one-shot commands whose stdout carries their results. */
export function createLogger(options: LogOptions, stream: 1 | 2 = 1, env: NodeJS.ProcessEnv = process.env): Logger {
  const journal = isJournalStream(stream, env);
  const pretty = options.format === 'pretty' || ((options.format ?? 'auto') === 'auto' && isatty(stream));
  const dest = pino.destination({ fd: stream, sync: true });
  // A line journald reads must stay one line: its priority prefix covers only the first.
  const render = pretty
    ? prettyFactory({ colorize: isatty(stream) && !journal, singleLine: journal, ignore: 'pid,hostname,app', translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l' })
    : undefined;
  const write = (prefix: string): DestinationStream => ({ write: (line: string) => dest.write(prefix + (render ? render(line) : line)) });
  const target = journal
    ? pino.multistream(
        PRIORITY.map(([level, priority]) => ({ level, stream: write(`<${priority}>`) })),
        { dedupe: true },
      )
    : render
      ? write('')
      : dest;
  return pino(
    {
      level: options.level,
      base: { app: 'aaawatch' },
      // Every string logged passes the secret gate: a message or an error quoting a device line.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: { log: (fields) => redactDeep(fields) },
      redact: {
        paths: ['password', 'secret', 'passphrase', 'key', 'community', '*.password', '*.secret', '*.passphrase', '*.key'],
        censor: '<redacted>',
      },
    },
    target,
  );
}

export type { Logger };
