// Arista EOS syslog: AAA command and exec accounting sent to the log (`aaa accounting commands
// all default start-stop logging`), logins, and configuration-mode messages. eAPI requests are
// accounted like CLI commands on the `command-api` terminal; gNMI ones on an `unknown` terminal.
//
// EOS names the agent before the tag, sometimes with a sequence number (`Aaa: %ACCOUNTING-6-CMD: …`,
// `Aaa: 101: %AAA-5-LOGIN: …`); the header parser gives both as appName and tag.
// Formats (EOS manual "Using AAA to log all commands", real lines in public captures, ANTA's
// accounting fixtures; see parsers/arista-eos/test/arista-eos.test.ts):
//   %ACCOUNTING-6-CMD: user vty6 10.1.1.1 stop task_id=N start_time=T timezone=UTC service=shell priv-lvl=15 cmd=show version
//   %ACCOUNTING-6-CMD: user unknown unknown stop task_id=N … cmd=OpenConfig.Set addr=10.1.1.1:port rpc=/gnmi.gNMI/Set request={…} <cr>
//   %ACCOUNTING-5-EXEC: user ssh 10.1.1.1 start task_id=N start_time=T timezone=UTC service=shell
//   %AAA-5-LOGIN: user x logged in [from: 10.1.1.1] [service: sshd]
//   %AAA-4-LOGIN_FAILED: user x failed to login [from: 10.1.1.1] [service: sshd] [reason: …]
//   %SYS-5-CONFIG_I: Configured from console by x on vty3 (10.1.1.1)
//
// With start-stop accounting every command is logged twice; only the `stop` record (the command
// completed) yields a command record.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountChange } from '../lib/account-command.js';
import { mnemonicOf, parseConfiguredFrom } from '../lib/cisco.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type Origin, type Who } from '../lib/record.js';

const PLATFORM = 'arista-eos';
const NONE: AaaRecord[] = [];

// Offered: the facilities read below.
export const offer: Offer = { tags: ['ACCOUNTING-', 'AAA-', 'SYS-'] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  // EOS lines always name their agent before the tag; IOS lines never do.
  const tag = msg.tag;
  if (msg.appName === undefined || tag === undefined) return NONE;
  const body = msg.message;
  let out: AaaRecord[] | undefined;
  if (tag.startsWith('ACCOUNTING-')) {
    out = accounting(msg, mnemonicOf(tag), body);
  } else if (tag.startsWith('AAA-')) {
    out = login(msg, mnemonicOf(tag), body);
  } else if (tag.startsWith('SYS-')) {
    // CONFIG_E (entering configuration mode) and the CONFIG_SESSION_* messages say no more than
    // the accounting records around them.
    if (mnemonicOf(tag) !== 'CONFIG_I') return NONE;
    out = configured(msg, body);
  } else {
    return NONE;
  }
  if (out) return out;
  ctx.unknown(`${PLATFORM}:${tag}`);
  return NONE;
}

function terminalPath(tty: string): ChangePath | undefined {
  if (tty === 'command-api') return 'rest';
  return /^(?:vty|ttyS|tty|con|console|ssh|telnet)/.test(tty) ? 'cli' : undefined;
}

function accounting(msg: SyslogMessage, mnemonic: string, body: string): AaaRecord[] | undefined {
  const m = /^(\S+) (\S+) (\S+) (start|stop) task_id=(\S+)(.*)$/s.exec(body);
  if (!m) return undefined;
  const [, user, tty, addr, phase, task, rest] = m;
  const o: Origin = origin(msg, PLATFORM);
  const who: Who = { actor: user, actorAddress: address(addr), path: terminalPath(tty!) };
  if (mnemonic === 'EXEC') {
    return [sessionRecord(o, who, phase === 'start' ? 'session.start' : 'session.stop', { session: task })];
  }
  if (mnemonic !== 'CMD') return undefined;
  if (phase !== 'stop') return NONE;
  const cmdAt = rest!.indexOf(' cmd=');
  if (cmdAt < 0) return undefined;
  const privilege = /\spriv-lvl=(\d+)/.exec(rest!.slice(0, cmdAt))?.[1];
  let command = rest!.slice(cmdAt + 5).replace(/\s*<cr>\s*$/, '').trimEnd();
  // gNMI and other programmatic requests name their client after the command.
  const gnmi = /^(\S+) addr=(\S+?)(?::\d+)? /.exec(command);
  if (gnmi) {
    who.actorAddress ??= address(gnmi[2]);
    return [commandRecord(o, who, command, privilege)];
  }
  command = command.trim();
  const records: AaaRecord[] = [commandRecord(o, who, command, privilege)];
  const change = accountChange(command, 'eos');
  if (change) records.push(accountRecord(o, who, change, command));
  return records;
}

function login(msg: SyslogMessage, mnemonic: string, body: string): AaaRecord[] | undefined {
  const m = /^user (\S*) ?(logged in|failed to login) \[from: ([^\]]*)\] \[service: ([^\]]*)\]/.exec(body);
  if (!m) return undefined;
  if ((mnemonic === 'LOGIN') !== (m[2] === 'logged in')) return undefined;
  const service = m[4]!;
  const path: ChangePath | undefined = /^(?:sshd|telnetd|login|console)$/.test(service) ? 'cli' : undefined;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[1], actorAddress: address(m[3]), path }, m[2] === 'logged in' ? 'login' : 'login.failed')];
}

function configured(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const c = parseConfiguredFrom(body);
  if (!c) return undefined;
  return [commandRecord(origin(msg, PLATFORM), { actor: c.user, actorAddress: c.address, path: c.line ? terminalPath(c.line) : undefined }, body.trim())];
}
