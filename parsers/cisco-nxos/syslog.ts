// Cisco NX-OS syslog: the local accounting log (every configuration command, with who and from
// where), configuration sessions, and PAM authentication results.
//
// Formats (Cisco Nexus 9000 system message reference; lines as rsyslog/liblognorm and RSA
// NetWitness parsers document them; see parsers/cisco-nxos/test/cisco-nxos.test.ts):
//   %AAA-6-AAA_ACCOUNTING_MESSAGE: update:10.1.1.1@pts/0:admin:configure terminal ; username bob … (SUCCESS)
//   %AAA-6-AAA_ACCOUNTING_MESSAGE: start:10.1.1.1@pts/0:admin:      / stop:…:admin:shell terminated gracefully
//   %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.1.1@pts/3
//   %AUTHPRIV-3-SYSTEM_MSG: pam_aaa:Authentication failed from 10.1.1.1 - dcos_sshd[pid]
//   %AUTHPRIV-6-SYSTEM_MSG: pam_unix(dcos_sshd:session): session opened for user x by (uid=0) - dcos_sshd[pid]
//   %DAEMON-3-SYSTEM_MSG: error: PAM: Authentication failure for illegal user x from 10.1.1.1 - dcos_sshd[pid]
//
// The accounting log prefixes each command with its configuration mode (`configure terminal ;
// interface e1/1 ; description x`); the account interpreter reads the last command, only when
// every mode before it is `configure …` (a global-configuration `username` command). Only
// `(SUCCESS)` entries are commands that ran: `(REDIRECT)` is an intermediate copy of the same
// command and `(FAILURE)` changed nothing.
//
// NX-OS also logs the operating-system effect of a `username` command (AUTHPRIV `New user added
// with username …`, `usermod` lines). Those lines name no actor and repeat the accounting record,
// so they yield nothing. NX-API runs its commands through VSH sessions that are accounted in the
// same log; their source is not an `address@terminal`, and no public line shows its exact form,
// so such records carry no path rather than a guessed one.
//
// The RESTCONF agent accounts its writes in the same log, with a session id for source and the
// request in place of a command (restconf.ts):
//   %AAA-6-AAA_ACCOUNTING_MESSAGE: update:3180018864:admin:(RESTCONF:POST),sourceIp=[192.0.2.2], url=[/restconf/data/…],payload=[…] (SUCCESS)
// These are path `rest`, from `sourceIp`; the `(COMMIT)`/`(ABORT)` entry that follows each request
// repeats it and yields nothing.
//
// The accounting log as `show accounting log` prints it (a device's own stamp, then
// `type=…:id=…:user=…:cmd=…`) arrives without a syslog tag, from `aaawatch import` of a saved log or
// a relay that forwards it; it is read like the syslog form:
//   Wed Jun 29 13:53:37 2022:type=update:id=192.0.2.44@pts/3:user=admin:cmd=configure terminal ; vlan 750 (SUCCESS)

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountChange } from '../lib/account-command.js';
import { facilityOf, mnemonicOf, parseConfiguredFrom } from '../lib/cisco.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type Origin, type Who } from '../lib/record.js';
import { inDeviceZone, parseCtime } from '../lib/record-time.js';
import { isTransaction, parseRestconf, restconfCommand, restconfUserCommands, type RestconfRequest } from './restconf.js';

const PLATFORM = 'cisco-nxos';
const NONE: AaaRecord[] = [];

// Offered: the facilities read below, and `show accounting log` lines, which open with a ctime stamp (an English weekday).
export const offer: Offer = { tags: ['AAA-', 'AUTHPRIV-', 'VSHD-', 'DAEMON-'], texts: ['Mon ', 'Tue ', 'Wed ', 'Thu ', 'Fri ', 'Sat ', 'Sun '] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const tag = msg.tag;
  if (tag === undefined) {
    // `show accounting log` lines: a 24-character ctime stamp, then `:type=`.
    if (msg.message.startsWith(':type=', 24)) return accountingLog(msg, ctx);
    return NONE;
  }
  const c = tag.charCodeAt(0);
  if (c === 65 /* A */) {
    if (tag.startsWith('AAA-')) return aaa(msg, tag, ctx);
    if (tag.startsWith('AUTHPRIV-') && tag.endsWith('-SYSTEM_MSG')) return authpriv(msg);
    return NONE;
  }
  if (c === 86 /* V */ && tag.startsWith('VSHD-')) {
    if (tag.endsWith('-VSHD_SYSLOG_CONFIG_I')) return configured(msg);
    if (tag.endsWith('-VSHD_SYSLOG_CMD_EXEC')) {
      const out = commandExecuted(msg);
      if (out) return out;
    }
    ctx.unknown(`${PLATFORM}:${tag}`);
    return NONE;
  }
  if (c === 68 /* D */ && tag.startsWith('DAEMON-') && tag.endsWith('-SYSTEM_MSG')) return illegalUser(msg);
  return NONE;
}

function aaa(msg: SyslogMessage, tag: string, ctx: RecogniseContext): AaaRecord[] {
  const mnemonic = mnemonicOf(tag);
  // IOS shares the AAA facility; its mnemonics do not start with `AAA_`.
  if (!mnemonic.startsWith('AAA_') || facilityOf(tag) !== 'AAA') return NONE;
  if (mnemonic !== 'AAA_ACCOUNTING_MESSAGE') {
    ctx.unknown(`${PLATFORM}:${tag}`);
    return NONE;
  }
  const m = /^(start|update|stop):(?:([0-9A-Fa-f.:]+)@([^:]+)|([^:]*)):([^:]*):(.*)$/s.exec(msg.message);
  if (!m) {
    ctx.unknown(`${PLATFORM}:${tag}`);
    return NONE;
  }
  return accounting(origin(msg, PLATFORM), m[1]!, m[2], m[3], m[5]!, m[6]!);
}

/** `Wed Jun 29 13:53:37 2022:type=update:id=…:user=…:cmd=…`: the stamp is the device's wall clock. */
function accountingLog(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  const m = /^:type=(start|update|stop):id=(.*?):user=([^:]*):cmd=(.*)$/s.exec(text.slice(24));
  const ms = parseCtime(text.slice(0, 24));
  if (!m || ms === undefined) {
    ctx.unknown(`${PLATFORM}:accounting-log`);
    return NONE;
  }
  const stamp = inDeviceZone({ ms, zoned: false }, ctx, msg.hostname, msg.source);
  const id = /^([0-9A-Fa-f.:]+)@(.+)$/s.exec(m[2]!);
  return accounting(origin(msg, PLATFORM, { time: stamp?.ms }), m[1]!, id?.[1], id?.[2], m[3]!, m[4]!);
}

/** One accounting-log entry, from either form: the session id is `address@terminal` or an opaque id. */
function accounting(o: Origin, type: string, from: string | undefined, terminal: string | undefined, user: string, text: string): AaaRecord[] {
  const path: ChangePath | undefined = /^(?:pts|tty|console|ssh|telnet)/.test(terminal ?? '') ? 'cli' : undefined;
  const who: Who = { actor: user, actorAddress: address(from), path };
  if (type === 'start') return [sessionRecord(o, who, 'session.start')];
  if (type === 'stop') return [sessionRecord(o, who, 'session.stop')];
  const entry = /^(.*) \((SUCCESS|FAILURE|FAILED|REDIRECT)\)\)?\s*$/s.exec(text);
  if (!entry || entry[2] !== 'SUCCESS') return NONE;
  const command = entry[1]!;
  const rest = parseRestconf(command);
  if (rest) return restconf(o, user, rest);
  if (isTransaction(command)) return NONE;
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  const modes = command.split(' ; ');
  const last = modes[modes.length - 1]!;
  if (modes.slice(0, -1).every((x) => x.startsWith('configure'))) {
    const change = accountChange(last, 'nxos');
    if (change) records.push(accountRecord(o, who, change, last));
  }
  return records;
}

/** A RESTCONF write: a command record naming the request (never its payload), and its account changes. */
function restconf(o: Origin, user: string, req: RestconfRequest): AaaRecord[] {
  const who: Who = { actor: user, actorAddress: address(req.sourceIp), path: 'rest' };
  const command = restconfCommand(req);
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  for (const equivalent of restconfUserCommands(req)) {
    const change = accountChange(equivalent, 'nxos');
    if (change) records.push(accountRecord(o, who, change, command));
  }
  return records;
}

function configured(msg: SyslogMessage): AaaRecord[] {
  const c = parseConfiguredFrom(msg.message);
  if (!c) return NONE;
  const path: ChangePath | undefined = c.source === 'vty' || c.source === 'console' ? 'cli' : undefined;
  return [commandRecord(origin(msg, PLATFORM), { actor: c.user, actorAddress: c.address, path }, msg.message)];
}

/** `User:jdoe executed the command:show version` (vshd's command log): a command record, and an account record for a `username` command. */
function commandExecuted(msg: SyslogMessage): AaaRecord[] | undefined {
  const m = /^User:(\S+) executed the command:(.+)$/s.exec(msg.message);
  if (!m) return undefined;
  const o = origin(msg, PLATFORM);
  const who = { actor: m[1], path: 'cli' as const };
  const command = m[2]!.trim();
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  const change = accountChange(command, 'nxos');
  if (change) records.push(accountRecord(o, who, change, command));
  return records;
}

// `Login failed for user admin - sshd[10021]` (AUTHPRIV-5) yields nothing: sshd writes it for the
// attempt pam_aaa's `Authentication failed for user admin from … - sshd[10021]` (AUTHPRIV-3, same
// pid in Elastic's Nexus sample) already stands for, without the address; an auditor counts one
// failed attempt, and a second record would double every failure. `pam_unix(aaa:auth):
// authentication failure … user=admin - aaad` is aaad's own check behind the same attempt.
function authpriv(msg: SyslogMessage): AaaRecord[] {
  const body = msg.message;
  const failed = /^pam_aaa:Authentication failed (?:for user (\S+) )?from (\S+) - (\S+?)(?:\[\d+\])?\s*$/.exec(body);
  if (failed) {
    const path: ChangePath | undefined = /sshd|telnetd|login/.test(failed[3]!) ? 'cli' : undefined;
    return [sessionRecord(origin(msg, PLATFORM), { actor: failed[1], actorAddress: address(failed[2]), path }, 'login.failed')];
  }
  const session = /^pam_unix\(([^:)]+):session\): session (opened|closed) for user (\S+)/.exec(body);
  if (session) {
    // Only interactive logins: NX-OS daemons open PAM sessions for themselves too.
    if (!/sshd|telnetd|^login$/.test(session[1]!)) return NONE;
    return [sessionRecord(origin(msg, PLATFORM), { actor: session[3], path: 'cli' }, session[2] === 'opened' ? 'login' : 'logout')];
  }
  return NONE;
}

function illegalUser(msg: SyslogMessage): AaaRecord[] {
  const m = /PAM: Authentication failure for (?:illegal user )?(\S+) from (\S+)/.exec(msg.message);
  if (!m) return NONE;
  const user = /^\*+$/.test(m[1]!) ? undefined : m[1];
  return [sessionRecord(origin(msg, PLATFORM), { actor: user, actorAddress: address(m[2]), path: 'cli' }, 'login.failed')];
}
