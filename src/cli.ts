#!/usr/bin/env node
// `aaawatch`: runs the command tree (src/program.ts) on the command line, and turns failures into
// messages and exit codes.

import { CommanderError, type Command } from 'commander';
import { ConfigError } from './config/config-error.js';
import { UsageError } from './commands/common.js';
import { programFor } from './program.js';

const program = await programFor(process.argv.slice(2));

// The command that ran, for where a usage error points: `aaawatch user add --help`, not `user`'s.
let running: Command = program;
program.hook('preAction', (_, action) => {
  running = action;
});
const commandPath = (cmd: Command): string => (cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name());

// `aaawatch stats | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Exit status: EXIT_CODES. Commander has already written its message (and help) to stderr.
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof ConfigError) {
    process.stderr.write(`aaawatch: configuration error\n${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`aaawatch: ${err.message} (see ${commandPath(running)} --help)\n`);
    process.exit(2);
  }
  // A store's failure with its code, and for a lock held past the busy timeout who holds such locks.
  const { storeCause } = await import('./store/store-failure.js');
  process.stderr.write(`aaawatch: ${storeCause(err)}\n`);
  process.exit(1);
}
