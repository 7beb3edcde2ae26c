#!/usr/bin/env node
// `aaawatch`: one command with sub-commands. Each sub-command lives in src/commands/.

import { Command, CommanderError } from 'commander';
import { ConfigError } from './config/load.js';
import { EXIT_CODES, UsageError } from './commands/common.js';
import { registerAccounts } from './commands/accounts.js';
import { registerCheck } from './commands/check.js';
import { registerFindings } from './commands/findings.js';
import { registerHostkey } from './commands/hostkey.js';
import { registerImport } from './commands/import.js';
import { registerParse } from './commands/parse.js';
import { registerPull } from './commands/pull.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshots } from './commands/snapshots.js';
import { registerStats } from './commands/stats.js';
import { registerUser } from './commands/user.js';
import { registerVerify } from './commands/verify.js';
import { VERSION } from './version.js';

const program = new Command('aaawatch')
  .description('Who holds an account on which device, was it authorised, and who created or changed it.')
  .version(VERSION)
  .showHelpAfterError()
  .addHelpText('afterAll', `\n${EXIT_CODES}`)
  .exitOverride();

for (const register of [registerServe, registerParse, registerImport, registerCheck, registerVerify, registerStats, registerPull, registerAccounts, registerHostkey, registerSnapshots, registerUser, registerReport, registerReconcile, registerFindings]) {
  register(program);
}

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
    process.stderr.write(`aaawatch: ${err.message} (see aaawatch ${process.argv[2] ?? ''} --help)\n`);
    process.exit(2);
  }
  process.stderr.write(`aaawatch: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
