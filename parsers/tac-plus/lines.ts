// The accounting lines tac_plus servers write, in the three shapes they come in:
//
// - shrubbery/facebook tac_plus, file (`accounting file`) and `accounting syslog` (no stamp;
//   shrubbery's separates the fields with four spaces, index.ts):
//     2020-07-17 17:41:26 +0000<TAB>10.1.1.2<TAB>admin<TAB>ssh<TAB>10.1.1.1<TAB>stop<TAB>task_id=129<TAB>…<TAB>cmd=commit stay
//   the file's stamp as each release writes it: that (facebook's), ctime (`Fri Jul 17 17:41:26
//   2020`, Cisco's), or `Jul 17 17:41:26` (shrubbery F4.0.4's do_acct.c: strftime `%h %e %T`);
//   and its authentication lines: `…<TAB>10.1.1.1<TAB>ascii login failed`.
// - tac_plus-ng file log, default format (tac_plus-ng/config.c `acct_file`):
//     %Y-%m-%d %H:%M:%S %z<TAB>${nas}<TAB>${user}<TAB>${port}<TAB>${nac}<TAB>${accttype}<TAB>${service}<TAB>${cmd}
// - tac_plus-ng syslog, default format (`acct_syslog3`, and `acct_syslog` with its own header
//   `<PRI>%Y-%m-%d %H:%M:%S %z ${hostname} ` when sent over UDP, which the shared header reads):
//     ${nas}|${user}|${port}|${nac}|${accttype}|${service}|${args}
//   where ${args} is every attribute-value pair, space-separated (`service=shell cmd=show run`).

import { parseCtime, parseIsoLike, parseYearless, type Stamp } from '../lib/record-time.js';

export interface TacLine {
  /** The line's own stamp, when it has one. */
  stamp?: Stamp | undefined;
  nas: string;
  user: string;
  port: string;
  nac: string;
  type: TacType;
  service?: string | undefined;
  cmd?: string | undefined;
  privilege?: string | undefined;
  task?: string | undefined;
}

/** The accounting types the servers write (`login ok` / `login failed`: tac_plus's login lines). */
export type TacType = 'start' | 'stop' | 'update' | 'watchdog' | 'login ok' | 'login failed';
const TYPES: ReadonlySet<string> = new Set<TacType>(['start', 'stop', 'update', 'watchdog']);

/**
 * The field as an accounting type, else undefined: a user name holding the separator (a tab or a
 * `|`) shifts every field after it, and such a line is no accounting line (seeds24: it was read as
 * a type of no record and passed over, where a line that is not one is counted and kept).
 */
function accountingType(field: string): TacType | undefined {
  const type = field.toLowerCase();
  return TYPES.has(type) ? (type as TacType) : undefined;
}

const MAX_FIELDS = 128;

/** The file line's stamp; a yearless one takes its year from the time the line was received. */
function stampOf(text: string, receivedAt: number): Stamp | undefined {
  const iso = parseIsoLike(text);
  if (iso) return iso;
  const ct = parseCtime(text) ?? parseYearless(text, receivedAt);
  return ct === undefined ? undefined : { ms: ct, zoned: false };
}

/**
 * `text.split('\t', MAX_FIELDS)`, cut field by field: split went through the runtime and was a
 * sixth of a tac_plus file line's CPU (2026-12-03, load 20).
 */
function tabFields(text: string): string[] {
  const f: string[] = [];
  let i = 0;
  while (f.length < MAX_FIELDS) {
    const tab = text.indexOf('\t', i);
    if (tab < 0) {
      f.push(text.slice(i));
      break;
    }
    f.push(text.slice(i, tab));
    i = tab + 1;
  }
  return f;
}

/** A tab-separated line (either tac_plus), with or without its leading stamp. */
export function readTabLine(text: string, receivedAt: number): TacLine | undefined {
  const f = tabFields(text);
  const stamp = stampOf(f[0]!, receivedAt);
  const o = stamp ? 1 : 0;
  if (f.length < o + 5) return undefined;
  const nas = f[o]!;
  const user = f[o + 1]!;
  const port = f[o + 2]!;
  const nac = f[o + 3]!;
  const type = f[o + 4]!;
  const login = /^\S+ login (failed|succeeded)$/.exec(type);
  if (login) return { stamp, nas, user, port, nac, type: login[1] === 'failed' ? 'login failed' : 'login ok' };
  const accounting = accountingType(type);
  if (f.length < o + 6 || accounting === undefined) return undefined;
  const line: TacLine = { stamp, nas, user, port, nac, type: accounting };
  const rest = f.slice(o + 5);
  if (rest[0]!.includes('=')) {
    applyPairs(line, rest);
  } else {
    // tac_plus-ng: a bare service name, then the command text.
    line.service = rest[0] || undefined;
    line.cmd = rest.slice(1).join(' ') || undefined;
  }
  return line;
}

/** tac_plus-ng's pipe-separated syslog line. */
export function readPipeLine(body: string): TacLine | undefined {
  const f: string[] = [];
  let i = 0;
  // Six separators; the seventh field (the attributes) may itself contain `|` (`show run | include`).
  for (let n = 0; n < 6; n++) {
    const bar = body.indexOf('|', i);
    if (bar < 0) return undefined;
    f.push(body.slice(i, bar));
    i = bar + 1;
  }
  const [nas, user, port, nac, type, service] = f as [string, string, string, string, string, string];
  const accounting = accountingType(type);
  if (accounting === undefined) return undefined;
  const line: TacLine = { nas, user, port, nac, type: accounting, service: service || undefined };
  applyPairs(line, splitArgs(body.slice(i)));
  return line;
}

// The attribute names TACACS+ accounting uses (RFC 8907 §8.3 and Cisco's additions): the ${args}
// list is split only before these, so a command such as `show run | include x=y` stays whole.
const AV_NAMES =
  'task_id|start_time|stop_time|elapsed_time|timezone|event|reason|bytes_in|bytes_out|paks_in|paks_out|status|err_msg|' +
  'service|protocol|priv-lvl|priv_lvl|cmd|cmd-arg|addr|nas-rx-speed|nas-tx-speed|disc-cause|disc-cause-ext|pre-session-time';
const AV_SPLIT = new RegExp(` (?=(?:${AV_NAMES})=)`);

function splitArgs(args: string): string[] {
  return args.length === 0 ? [] : args.split(AV_SPLIT, MAX_FIELDS);
}

function applyPairs(line: TacLine, pairs: string[]): void {
  const args: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const name = p.slice(0, eq);
    const value = p.slice(eq + 1);
    if (name === 'cmd') line.cmd = value;
    else if (name === 'cmd-arg') args.push(value);
    else if (name === 'service') line.service ??= value;
    else if (name === 'priv-lvl' || name === 'priv_lvl') line.privilege ??= value;
    else if (name === 'task_id') line.task ??= value;
  }
  // Authorisation-style records carry the command as `cmd=username` plus one `cmd-arg=` per word.
  if (args.length > 0) line.cmd = [line.cmd ?? '', ...args].join(' ').trim();
}
