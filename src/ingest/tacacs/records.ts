// A TACACS+ accounting request as aaawatch's normalised records, and as the text kept for it as
// raw evidence. Commands (STOP records with `cmd=`) become command records, and account records
// when the command changes a local account (the same interpreter as the syslog path, with the
// forms Junos and NX-OS send: account-command.ts `tacacsCommand`); exec sessions (START/STOP
// without `cmd=`, and Junos's `cmd=login`/`cmd=logout`) become session records keyed by `task_id`.
// A command's START and WATCHDOG updates add nothing its STOP does not: they are answered and counted only.
// Pure: no I/O.

import { UNRECORDED_TACACS_SERVICES, tacacsCommand, type Cli, type OwnCommands } from '../../../parsers/lib/account-command.js';
import { accountRecord, address, commandRecord, sessionRecord, type Origin, type Who } from '../../../parsers/lib/record.js';
import { redactSecrets } from '../../../parsers/lib/secrets.js';
import { messageChange } from '../../../parsers/lib/fortios-changes.js';
import { isoTime } from '../../../parsers/lib/record-time.js';
import type { AaaRecord } from '../../types.js';
import { epochSeconds, escapeValue } from '../native/render.js';
import { ACCT_FLAG_START, ACCT_FLAG_STOP, ACCT_FLAG_WATCHDOG, type AcctRequest, type Header } from './packet.js';

export const PLATFORM = 'tacacs';

export interface AcctContext {
  /** The device's canonical name. */
  device: string;
  /** Its CLI, when the inventory says which (how `no username …` reads); else `relayed`. */
  cli: Cli;
  /** Its platform's reader of its own account commands, when the inventory says which and they have a syntax of their own (VRP `local-user`, Comware's view). */
  own?: OwnCommands;
  receivedAt: number;
}

export interface AcctReading {
  records: AaaRecord[];
  /** The rendering kept as the records' raw message, secrets redacted. */
  raw: string;
  /** The event time (epoch ms) and the device's own stamp text, when it sent one. */
  time: number;
  timeText: string | undefined;
}

/** Arguments by name (the first of each; `cmd-arg` gathered in order). `name*value` is an optional argument: read alike. */
interface Args {
  byName: Map<string, string>;
  cmdArgs: string[];
}

function readArgs(args: readonly string[]): Args {
  const byName = new Map<string, string>();
  const cmdArgs: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    const star = a.indexOf('*');
    const at = eq < 0 ? star : star < 0 ? eq : Math.min(eq, star);
    if (at <= 0) continue;
    const name = a.slice(0, at);
    const value = a.slice(at + 1);
    if (name === 'cmd-arg') cmdArgs.push(value);
    else if (!byName.has(name)) byName.set(name, value);
  }
  return { byName, cmdArgs };
}

const FLAG_NAMES: Readonly<Record<number, string>> = {
  [ACCT_FLAG_START]: 'START', [ACCT_FLAG_STOP]: 'STOP', [ACCT_FLAG_WATCHDOG]: 'WATCHDOG', [ACCT_FLAG_WATCHDOG | ACCT_FLAG_START]: 'WATCHDOG+START',
};
const METHODS: Readonly<Record<number, string>> = {
  0x00: 'not_set', 0x01: 'none', 0x02: 'krb5', 0x03: 'line', 0x04: 'enable', 0x05: 'local', 0x06: 'tacacsplus', 0x08: 'guest', 0x10: 'radius', 0x11: 'krb4', 0x20: 'rcmd',
};
const TYPES: Readonly<Record<number, string>> = { 0x00: 'not_set', 0x01: 'ascii', 0x02: 'pap', 0x03: 'chap', 0x04: 'arap', 0x05: 'mschap', 0x06: 'mschapv2' };
const SERVICES: Readonly<Record<number, string>> = {
  0x00: 'none', 0x01: 'login', 0x02: 'enable', 0x03: 'ppp', 0x04: 'arap', 0x05: 'pt', 0x06: 'rcmd', 0x07: 'x25', 0x08: 'nasi', 0x09: 'fwproxy',
};
const named = (table: Readonly<Record<number, string>>, v: number): string => table[v] ?? String(v);

/**
 * The request as one line: `TACACS+ accounting STOP`, the header's session and the body's fixed
 * fields as `name=value`, then each argument after a tab exactly as sent. Secrets are redacted by
 * the same gate as every syslog line.
 */
export function renderAcct(h: Header, r: AcctRequest): string {
  // Only what the device sent goes through the gate: the rest is aaawatch's own words, and their
  // `TACACS+` and `tacacsplus` are gate hints (`tacacs-server key …`) that would send every
  // request through the gate's slow path (~9 µs each).
  const sent = redactSecrets(`user=${escapeValue(r.user, true)} port=${escapeValue(r.port, true)} rem_addr=${escapeValue(r.remAddr, true)}`);
  let args = '';
  for (const a of r.args) args += '\t' + escapeValue(a);
  return (
    `TACACS+ accounting ${FLAG_NAMES[r.flags] ?? r.flags} session=0x${(h.session >>> 0).toString(16).padStart(8, '0')} ${sent} priv_lvl=${r.privLvl} ` +
    `authen_method=${named(METHODS, r.authenMethod)} authen_type=${named(TYPES, r.authenType)} authen_service=${named(SERVICES, r.authenService)}` +
    redactSecrets(args)
  );
}

/**
 * When the event happened, by the device's clock. A STOP's `stop_time`; else, for a session, its
 * `start_time` plus `elapsed_time`; else, for a command, its `start_time`: what IOS and NX-OS send
 * on a command's STOP (`task_id=2962 timezone=GMT start_time=1585185432 priv-lvl=15`, as ISE logs an
 * IOS `show` command; stop-only command accounting has no START), the command's own time. A START's
 * and an update's `start_time`. The arrival when the device sent none of these.
 */
function eventTime(byName: Map<string, string>, stop: boolean, command: boolean, receivedAt: number): { time: number; timeText: string | undefined } {
  const startText = byName.get('start_time');
  const started = epochSeconds(startText);
  if (stop) {
    const stopText = byName.get('stop_time');
    const stopped = epochSeconds(stopText);
    if (stopped !== undefined) return { time: stopped, timeText: `stop_time=${stopText}` };
    const elapsedText = byName.get('elapsed_time');
    const elapsed = elapsedText !== undefined && /^\d{1,10}$/.test(elapsedText) ? Number(elapsedText) * 1000 : undefined;
    if (started !== undefined && elapsed !== undefined) return { time: started + elapsed, timeText: `start_time=${startText} elapsed_time=${elapsedText}` };
    if (!command) return { time: receivedAt, timeText: undefined };
  }
  return started === undefined ? { time: receivedAt, timeText: undefined } : { time: started, timeText: `start_time=${startText}` };
}

const unquote = (v: string | undefined): string | undefined => (v !== undefined && v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);

export function readAccounting(h: Header, r: AcctRequest, ctx: AcctContext): AcctReading {
  const { byName, cmdArgs } = readArgs(r.args);
  const stop = r.flags === ACCT_FLAG_STOP;
  const start = r.flags === ACCT_FLAG_START;
  const { time, timeText } = eventTime(byName, stop, byName.has('cmd') || cmdArgs.length > 0, ctx.receivedAt);
  const reading: AcctReading = { records: [], raw: renderAcct(h, r), time, timeText };
  const service = byName.get('service')?.toLowerCase();
  // Answered, never recorded (a network-access or system service).
  if (service !== undefined && UNRECORDED_TACACS_SERVICES.has(service)) return reading;
  const o: Origin = { time: isoTime(time), device: ctx.device, platform: PLATFORM };
  const who: Who = { actor: r.user || undefined, actorAddress: address(r.remAddr), path: 'tacacs' };
  const privilege = byName.get('priv-lvl') ?? byName.get('priv_lvl') ?? String(r.privLvl);
  let cmd = byName.get('cmd');
  if (cmdArgs.length > 0) cmd = [cmd ?? '', ...cmdArgs].join(' ');
  if (service === 'fortigate') {
    // FortiOS (7.0.2+) accounts in `reason`: the login on START, then each configuration change
    // or CLI command on a STOP of its own, and the logout on the last STOP.
    const reason = unquote(byName.get('reason'));
    if (start) reading.records.push(sessionRecord(o, who, 'session.start', { privilege, session: byName.get('task_id') }));
    else if (stop && reason !== undefined && !/\blogged out\b/i.test(reason)) {
      // A configuration change is the event log's message (`Add system.admin bob`): an account
      // change as that event's syslog is read; anything else a command.
      const change = messageChange(reason);
      if (change) {
        reading.records.push(commandRecord(o, who, reason, privilege), accountRecord(o, who, change, reason));
        return reading;
      }
      cmd = reason;
    } else if (stop) reading.records.push(sessionRecord(o, who, 'session.stop', { privilege, session: byName.get('task_id') }));
    if (cmd === undefined) return reading;
  }
  if (cmd !== undefined && cmd.trim() !== '') {
    const said = tacacsCommand(cmd, stop ? 'stop' : start ? 'start' : 'update', ctx.cli, ctx.own, ctx.own && `${ctx.device}\u0000${r.port}\u0000${r.user}`);
    if (said?.kind === 'session') reading.records.push(sessionRecord(o, who, said.action, { privilege, session: byName.get('task_id') }));
    else if (said) {
      reading.records.push(commandRecord(o, who, said.command, privilege));
      if (said.change) reading.records.push(accountRecord(o, who, said.change, said.changed));
    }
    return reading;
  }
  if (start || stop) {
    reading.records.push(sessionRecord(o, who, start ? 'session.start' : 'session.stop', { privilege, session: byName.get('task_id') }));
  }
  return reading;
}
