// The command tree of `aaawatch`: one command with sub-commands, each in src/commands/. Built
// apart from running it, so the manual page and shell completion are generated from the same tree
// (packaging/deb/docs.ts).

import { Command } from 'commander';
import { EXIT_CODES } from './commands/common.js';
import { registerAccounts } from './commands/accounts.js';
import { registerCheck } from './commands/check.js';
import { registerFindings } from './commands/findings.js';
import { registerHostkey } from './commands/hostkey.js';
import { registerImport } from './commands/import.js';
import { registerMigrate } from './commands/migrate.js';
import { registerParse } from './commands/parse.js';
import { registerPurge } from './commands/purge.js';
import { registerPull } from './commands/pull.js';
import { registerReconcile } from './commands/reconcile.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshots } from './commands/snapshots.js';
import { registerStats } from './commands/stats.js';
import { registerUser } from './commands/user.js';
import { registerVerify } from './commands/verify.js';
import { VERSION } from './version.js';

export function createProgram(): Command {
  const program = new Command('aaawatch')
    .description('Who holds an account on which device, was it authorised, and who created or changed it.')
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText('afterAll', `\n${EXIT_CODES}`)
    .exitOverride();

  for (const register of [registerServe, registerParse, registerImport, registerCheck, registerVerify, registerStats, registerPull, registerAccounts, registerHostkey, registerSnapshots, registerUser, registerReport, registerReconcile, registerFindings, registerPurge, registerMigrate]) {
    register(program);
  }
  return program;
}
