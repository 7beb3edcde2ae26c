// The command tree of `aaawatch`: one command with sub-commands, each in src/commands/. Built
// apart from running it, so the manual page and shell completion are generated from the same tree
// (packaging/docs/generate.ts).

import { Command } from 'commander';
import { EXIT_CODES } from './commands/common.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;

/**
 * Each command module, the top-level commands it adds, and how to import it, in the order
 * `aaawatch --help` lists them. A module brings its commands' whole implementation (stores,
 * parsers, web, PDF): imported only when wanted, so one command's start does not load the others'.
 */
const MODULES: ReadonlyArray<{ commands: readonly string[]; load: () => Promise<Register> }> = [
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
  { commands: ['parse'], load: async () => (await import('./commands/parse.js')).registerParse },
  { commands: ['import'], load: async () => (await import('./commands/import.js')).registerImport },
  { commands: ['check'], load: async () => (await import('./commands/check.js')).registerCheck },
  { commands: ['verify'], load: async () => (await import('./commands/verify.js')).registerVerify },
  { commands: ['stats', 'unknowns'], load: async () => (await import('./commands/stats.js')).registerStats },
  { commands: ['pull'], load: async () => (await import('./commands/pull.js')).registerPull },
  { commands: ['accounts'], load: async () => (await import('./commands/accounts.js')).registerAccounts },
  { commands: ['hostkey'], load: async () => (await import('./commands/hostkey.js')).registerHostkey },
  { commands: ['snapshots', 'diff'], load: async () => (await import('./commands/snapshots.js')).registerSnapshots },
  { commands: ['user'], load: async () => (await import('./commands/user.js')).registerUser },
  { commands: ['report', 'verify-export', 'signing-key'], load: async () => (await import('./commands/report.js')).registerReport },
  { commands: ['reconcile'], load: async () => (await import('./commands/reconcile.js')).registerReconcile },
  { commands: ['findings', 'finding', 'case'], load: async () => (await import('./commands/findings.js')).registerFindings },
  { commands: ['purge-secret'], load: async () => (await import('./commands/purge.js')).registerPurge },
  { commands: ['migrate'], load: async () => (await import('./commands/migrate.js')).registerMigrate },
];

/** The top of the tree, without commands. */
function root(): Command {
  return new Command('aaawatch')
    .description('Who holds an account on which device, was it authorised, and who created or changed it.')
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText('afterAll', `\n${EXIT_CODES}`)
    .exitOverride();
}

/** The whole tree: every command. */
export async function createProgram(): Promise<Command> {
  const program = root();
  for (const register of await Promise.all(MODULES.map((m) => m.load()))) register(program);
  return program;
}

/**
 * The tree a command line (`args`, after the program's name) needs: only the module of the command
 * it names, no command for `--version`, and the whole tree for anything else (help, no command, a
 * misspelt one: commander lists them all, or suggests the nearest).
 */
export async function programFor(args: readonly string[]): Promise<Command> {
  const first = args[0];
  if (first === '--version' || first === '-V') return root();
  const module = MODULES.find((m) => first !== undefined && m.commands.includes(first));
  if (!module) return createProgram();
  const program = root();
  (await module.load())(program);
  return program;
}
