// `aaawatch user add|list|remove|token`: the web interface's local users and API tokens (which
// expire). A password never comes from the command line (it would sit in shell history and `ps`):
// it is typed at a prompt, or read from --password-file or AAAWATCH_PASSWORD. Every change is
// written to the activity log with the system user who made it.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { parseWhen } from '../reconcile/roster.js';
import { hashPassword, passwordProblem } from '../web/passwords.js';
import type { WebAccess } from '../web/data/access.js';
import { openWebAccess } from '../web/data/open.js';
import { isRole, ROLES, TOKEN_DAYS, userNameProblem } from '../web/store.js';
import { cliUser, configFrom, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';

/** Read a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new Error('no terminal to ask for the password: use --password-file FILE or AAAWATCH_PASSWORD'));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n') return done();
        if (c === '\u0003') return done(new Error('cancelled'));
        if (c === '\u007f' || c === '\b') typed = typed.slice(0, -1);
        else if (c >= ' ') typed += c;
      }
    };
    stdin.on('data', onData);
  });
}

async function newPassword(opts: { passwordFile?: string }): Promise<string> {
  let password: string;
  if (opts.passwordFile) password = readFileSync(opts.passwordFile, 'utf8').replace(/\r?\n$/, '');
  else if (process.env.AAAWATCH_PASSWORD !== undefined) password = process.env.AAAWATCH_PASSWORD;
  else {
    password = await promptHidden('Password: ');
    if ((await promptHidden('Again: ')) !== password) throw new UsageError('the two passwords differ');
  }
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(problem);
  return password;
}

function logged(access: WebAccess, action: string, detail: Record<string, unknown>): Promise<void> {
  return access.logActivity({ at: Date.now(), user: cliUser(), address: null, action, detail });
}

/** `--expires 30` (days) or `--expires 2027-01-31` (the end of that day, UTC): when a token stops working. */
export function tokenExpiry(text: string | undefined, now: number): number {
  if (text === undefined) return now + TOKEN_DAYS * 86_400_000;
  if (/^\d{1,4}$/.test(text)) {
    const days = Number(text);
    if (days < 1 || days > 3650) throw new ConfigError([`--expires ${text}: between 1 and 3650 days`]);
    return now + days * 86_400_000;
  }
  const at = parseWhen(text, true);
  if (at === undefined || at <= now) throw new ConfigError([`--expires ${text}: a number of days, or a date in the future (2027-01-31)`]);
  return at;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('web interface users (viewer, auditor, admin) and API tokens');

  withConfig(user.command('add'))
    .description('add a user (or with --replace, set a new role and password); the password is asked for, never given as an argument')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-file <file>', 'read the password from this file (else AAAWATCH_PASSWORD, else a prompt)')
    .option('--replace', 'set a new role and password for an existing user (ends their sessions and API tokens)')
    .action(async (name: string, opts: ConfigOptions & { role: string; passwordFile?: string; replace?: boolean }) => {
      const nameProblem = userNameProblem(name);
      if (nameProblem) throw new UsageError(nameProblem);
      if (!isRole(opts.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const config = await configFrom(opts);
      const hash = await hashPassword(await newPassword(opts));
      const access = await openWebAccess(config, { connections: 1 });
      try {
        const now = Date.now();
        // What a replacement ends, for the log and the operator: every session and API token it held.
        const before = opts.replace === true ? (await access.listUsers(now)).find((u) => u.name === name) : undefined;
        const outcome = await access.saveUser(name, opts.role, hash, now, opts.replace === true);
        const ended = outcome === 'updated' && before ? { sessionsEnded: before.sessions, tokensEnded: before.tokens } : {};
        await logged(access, outcome === 'added' ? 'user.add' : 'user.replace', { name, role: opts.role, ...ended });
        process.stdout.write(`${outcome} user ${name} (${opts.role})${outcome === 'updated' && before ? `; ended ${before.sessions} session(s) and ${before.tokens} API token(s) (issue new ones with aaawatch user token)` : ''}\n`);
      } finally {
        await access.close();
      }
    });

  withConfig(user.command('list'))
    .description('list users with their role, tokens and open sessions')
    .option('--json', 'one JSON object per user')
    .action(async (opts: ConfigOptions & { json?: boolean }) => {
      const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
      const users = await access.listUsers(Date.now()).finally(() => access.close());
      for (const u of users) {
        const expire = u.tokensExpire === null ? null : new Date(u.tokensExpire).toISOString();
        if (opts.json) printJson({ name: u.name, role: u.role, createdAt: new Date(u.created_at).toISOString(), tokens: u.tokens, firstTokenExpires: expire, sessions: u.sessions });
        else process.stdout.write(`${u.name.padEnd(24)} ${u.role.padEnd(8)} tokens ${u.tokens}${expire ? ` (first expires ${expire.slice(0, 10)})` : ''}  sessions ${u.sessions}  since ${new Date(u.created_at).toISOString().slice(0, 10)}\n`);
      }
    });

  withConfig(user.command('remove'))
    .description('remove a user, their tokens and sessions')
    .argument('<name>', 'user name')
    .action(async (name: string, opts: ConfigOptions) => {
      const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
      let removed: boolean;
      try {
        removed = await access.removeUser(name);
        if (removed) await logged(access, 'user.remove', { name });
      } finally {
        await access.close();
      }
      if (!removed) throw new Error(`no user ${name}`);
      process.stdout.write(`removed user ${name}\n`);
    });

  withConfig(user.command('token'))
    .description('make an API bearer token for a user (printed once; only its hash is kept; it expires), or --revoke all of theirs')
    .argument('<name>', 'user name')
    .option('--label <text>', 'what the token is for', 'api')
    .option('--expires <days|date>', `when it stops working: days from now, or a date (default ${TOKEN_DAYS} days)`)
    .option('--revoke', "revoke every token of this user instead")
    .action(async (name: string, opts: ConfigOptions & { label: string; expires?: string; revoke?: boolean }) => {
      const now = Date.now();
      const expires = opts.revoke ? 0 : tokenExpiry(opts.expires, now);
      const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
      try {
        const u = await access.findUser(name);
        if (!u) throw new Error(`no user ${name}`);
        if (opts.revoke) {
          const n = await access.revokeTokens(u.id);
          await logged(access, 'user.token.revoke', { name, revoked: n });
          process.stdout.write(`revoked ${n} token(s) of ${name}\n`);
          return;
        }
        const label = opts.label.slice(0, 100);
        const token = await access.createToken(u.id, label, now, expires);
        await logged(access, 'user.token', { name, label, expires: new Date(expires).toISOString() });
        process.stderr.write(`token for ${name} (${u.role}) until ${new Date(expires).toISOString()}; it is not shown again. Use: Authorization: Bearer <token>\n`);
        process.stdout.write(`${token}\n`);
      } finally {
        await access.close();
      }
    });
}
