// tac_plus and tac_plus-ng TACACS+ servers: command accounting (who ran what on which network
// device), session start/stop, and login results, from their accounting files (`aaawatch
// import`, or a file shipped line by line) and from syslog. A file line stamped without an offset
// (ctime, or `%Y-%m-%d %H:%M:%S` alone) is the server's wall clock: it is read in the zone
// configured for the server (the sender), not the NAS.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { UNRECORDED_TACACS_SERVICES, tacacsCommand } from '../lib/account-command.js';
import { accountRecord, address, commandRecord, sessionRecord, type Origin, type Who } from '../lib/record.js';
import { inDeviceZone, recordTime } from '../lib/record-time.js';
import { readPipeLine, readTabLine, type TacLine } from './lines.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'tac-plus';

const PROGRAMS: ReadonlySet<string> = new Set(['tac_plus', 'tac_plus-ng', 'tac_plus6', 'tacacs', 'tacacs+']);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A file line: `YYYY-MM-DD HH:MM:SS +zzzz<TAB>` (25 characters), a ctime stamp `Fri Jul 17
 * 17:41:26 2020<TAB>`, or shrubbery's `Jul 17 17:41:26<TAB>`.
 */
function looksLikeFileLine(s: string): boolean {
  const c = s.charCodeAt(0);
  if (isDigit(c)) return s.charCodeAt(4) === 45 && (s.charCodeAt(25) === 9 || s.charCodeAt(19) === 9);
  return c >= 65 && c <= 90 && s.charCodeAt(3) === 32 && (s.charCodeAt(24) === 9 || s.charCodeAt(15) === 9);
}

/**
 * shrubbery tac_plus's `accounting syslog` (do_acct.c `do_acct_syslog`): the file's fields, four
 * spaces between each where the file has a tab, no stamp. A line whose fifth field is no
 * accounting type is another message of the server's, not a record.
 */
const SYSLOG_SEPARATOR = '    ';
function readSpacedLine(body: string, receivedAt: number): TacLine | undefined {
  return body.includes(SYSLOG_SEPARATOR) ? readTabLine(body.split(SYSLOG_SEPARATOR, 128).join('\t'), receivedAt) : undefined;
}

function read(msg: SyslogMessage): TacLine | undefined | null {
  const body = msg.message;
  const app = msg.appName;
  if (app !== undefined && PROGRAMS.has(app)) {
    // The servers' other messages (`connect from …`, `login query for …`) are not accounting.
    if (body.includes('\t')) return readTabLine(body, msg.receivedAt);
    const spaced = readSpacedLine(body, msg.receivedAt);
    if (spaced) return spaced;
    return body.includes('|') ? readPipeLine(body) : null;
  }
  if (looksLikeFileLine(body)) return readTabLine(body, msg.receivedAt);
  // tac_plus-ng's own UDP header (`<PRI>2024-05-01 10:00:00 +0000 host nas|…`), read by the shared
  // header, leaves the pipe line; another message with bars is no record of ours.
  if (msg.hostname !== undefined && body.includes('|')) return readPipeLine(body) ?? null;
  return null;
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const line = read(msg);
  if (line === null) return NONE;
  if (line === undefined) {
    ctx.unknown('tac_plus');
    return NONE;
  }
  return records(line, msg, ctx);
}

function records(line: TacLine, msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const o: Origin = {
    time: recordTime(msg, inDeviceZone(line.stamp, ctx, msg.hostname, msg.source)),
    device: line.nas || msg.hostname || msg.source || 'unknown',
    platform: PLATFORM,
  };
  const who: Who = { actor: line.user || undefined, actorAddress: address(line.nac), path: 'tacacs' };
  switch (line.type) {
    case 'login ok':
      return [sessionRecord(o, who, 'login')];
    case 'login failed':
      return [sessionRecord(o, who, 'login.failed')];
    case 'start':
    case 'stop': {
      if (line.service !== undefined && UNRECORDED_TACACS_SERVICES.has(line.service.toLowerCase())) return [];
      const session = { privilege: line.privilege, session: line.task };
      if (!line.cmd) return [sessionRecord(o, who, line.type === 'start' ? 'session.start' : 'session.stop', session)];
      // A command's start record is followed by its stop record; the stop is kept (account-command.ts).
      const said = tacacsCommand(line.cmd, line.type, 'relayed');
      if (said === undefined) return [];
      if (said.kind === 'session') return [sessionRecord(o, who, said.action, session)];
      const out: AaaRecord[] = [commandRecord(o, who, said.command, line.privilege)];
      if (said.change) out.push(accountRecord(o, who, said.change, said.changed));
      return out;
    }
    default:
      return [];
  }
}

export const tacPlus: Platform = {
  id: 'tac-plus',
  name: 'tac_plus / tac_plus-ng',
  recognise,
  // The servers' programs; a file line opens with its stamp: a year, a ctime day name, or a month.
  offer: {
    programs: ['tac_plus', 'tacacs'],
    texts: [
      '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Mon ', 'Tue ', 'Wed ', 'Thu ', 'Fri ', 'Sat ', 'Sun ',
      'Jan ', 'Feb ', 'Mar ', 'Apr ', 'May ', 'Jun ', 'Jul ', 'Aug ', 'Sep ', 'Oct ', 'Nov ', 'Dec ',
    ],
  },
};
