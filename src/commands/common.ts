// What every sub-command shares: the --config option and opening the configured database.

import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isIP } from 'node:net';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { plainAddress } from '../ingest/allow.js';
import type { Config } from '../config/schema.js';
import { openDatabase, type Db } from '../store/db.js';
import type { DecisionPath } from '../reconcile/decision-path.js';
import { jsonEscaped, printable } from '../reconcile/text.js';

/**
 * A command given wrong options or arguments: exits 2, like commander's own usage errors and
 * configuration errors (the table is EXIT_CODES).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line's exit status means, for the README and every command's --help. */
export const EXIT_CODES = [
  'Exit status:',
  '  0  success',
  '  1  runtime failure: the command ran and something failed (a device not pulled, a chain or',
  '     an export that does not verify, a database or file that cannot be read, nothing by that id)',
  '  2  usage or configuration error: unknown command or option, a bad option value or argument,',
  '     a configuration, roster, inventory or credentials file with a mistake (named by file, line',
  '     and key)',
].join('\n');

/** A commander option parser for a positive whole number: anything else is a usage error. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0) throw new InvalidArgumentError('a positive whole number');
  return Number(value);
}

/**
 * A commander option parser for a sender address (`--source`): an IPv4 or IPv6 address, written
 * as a dual-stack socket reports its sender after plainAddress (`::ffff:192.0.2.12` is 192.0.2.12).
 */
export function senderAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('an IPv4 or IPv6 address, like 192.0.2.12 or 2001:db8::12');
  return plainAddress(value.toLowerCase());
}

export interface ConfigOptions {
  config?: string;
}

export function withConfig(cmd: Command): Command {
  return cmd.option(
    '-c, --config <file>',
    'configuration file (default: $AAAWATCH_CONFIG, else the embedded defaults)',
    process.env.AAAWATCH_CONFIG,
  );
}

export function configFrom(opts: ConfigOptions): Promise<Config> {
  return loadConfig(opts.config);
}

/** Open the configured database for reading; fails with a clear message if it does not exist yet. */
export function openExisting(config: Config): Db {
  if (!existsSync(config.store.path)) {
    throw new Error(`no database at ${config.store.path} (start aaawatch with \`aaawatch serve\` first, or pass --config)`);
  }
  return openDatabase(config.store.path);
}

/** The OS user running this command; its uid where the system has no name for it (a container without a passwd entry). */
export function osUser(): string {
  try {
    return userInfo().username.slice(0, 200);
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** Who ran a command, as the activity log and the exports' headers name them: the system user. */
export function cliUser(): string {
  return `${osUser()} (command line)`;
}

/** A decision taken from the command line: self-asserted (`--by` is what was typed), with the OS user who ran it. */
export function cliPath(): DecisionPath & { kind: 'cli' } {
  return { kind: 'cli', osUser: osUser() };
}

/** What a decision from the command line says it was recorded as. */
export function cliPathNote(p: { osUser: string }): string {
  return `recorded as self-asserted from the command line by OS user ${printable(p.osUser)}: --by is the reviewer claimed, not a signed-in user`;
}

/**
 * A JSON line on stdout, with every character a terminal would act on or draw as nothing escaped
 * (`\u202e`, jsonEscaped): the same value, inert on a screen. Escaping only DEL, C1, bidi and
 * zero-width characters left tag characters and the soft hyphen raw: `admin` followed by U+E0041
 * read as `admin`.
 */
export function printJson(value: unknown): void {
  process.stdout.write(jsonEscaped(JSON.stringify(value)) + '\n');
}
