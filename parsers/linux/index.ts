// Linux hosts: shadow-utils and PAM account changes from syslog (auth.log / secure), and the
// audit subsystem's account records (ADD_USER, DEL_USER, USER_CHAUTHTOK, USER_MGMT, …) from
// audit.log, audispd/audisp-syslog, the kernel or journald, including direct edits of
// /etc/passwd, /etc/shadow and /etc/group seen by an audit watch.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountRecord, address, type Origin } from '../lib/record.js';
import { epochSecondsToIso, messageTime } from '../lib/record-time.js';
import { auditChanges, ACCOUNT_TYPES } from './audit-changes.js';
import { readAuditRecord, value, type AuditRecord } from './audit-record.js';
import type { ActorChange as Change } from '../lib/record.js';
import { isShadowProgram, SHADOW_PROGRAMS, shadowChanges } from './shadow.js';
import { Watches } from './watches.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'linux';

/** Programs that forward audit records over syslog. */
const AUDIT_PROGRAMS: ReadonlySet<string> = new Set(['audispd', 'audisp-syslog', 'auditd', 'audit']);

/** `type=` or `node=` at the start of the text. */
function startsAuditRecord(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c === 116 && s.startsWith('type=')) || (c === 110 && s.startsWith('node='));
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const app = msg.appName;
  const s = msg.message;
  if (app !== undefined && isShadowProgram(app)) return shadowRecords(app, msg, ctx);
  if (app === undefined || AUDIT_PROGRAMS.has(app)) {
    if (startsAuditRecord(s) || (app === 'audit' && s.charCodeAt(0) >= 65 && s.charCodeAt(0) <= 90)) return audit(s, msg, ctx);
    if (app === undefined) {
      // rsyslog's imfile with a `Tag` set without its colon (`Tag="auditd"`) sends the program as the
      // text's first word: `Mar  7 19:43:35 web auditd type=USER_END msg=audit(…)` (an rsyslog
      // collector's file of a host's audit.log, test/corpus/syslog/linux). The record says what it is.
      const sp = s.indexOf(' ');
      if (sp > 0 && AUDIT_PROGRAMS.has(s.slice(0, sp)) && startsAuditRecord(s.slice(sp + 1))) return audit(s.slice(sp + 1), msg, ctx);
    }
    return NONE;
  }
  // Kernel-logged audit records when auditd is not running, after the printk time when the syslog
  // daemon keeps it (`kernel: [ 5473.123456] audit: type=1114 …`, as Ubuntu's kern.log shows).
  if (app === 'kernel') {
    const at = s.charCodeAt(0) === 91 ? afterPrintkTime(s) : 0;
    if (s.charCodeAt(at) === 97 && s.startsWith('audit: type=', at)) return audit(s.slice(at + 7), msg, ctx);
  }
  return NONE;
}

/** Where the text after a printk time (`[12345.678901] `, seconds right-aligned) starts, or -1. */
function afterPrintkTime(s: string): number {
  const m = /^\[ *\d{1,10}\.\d{1,9}\] /.exec(s);
  return m ? m[0].length : -1;
}

function hostOrigin(msg: SyslogMessage, time: string, node?: string): Origin {
  return { time, device: node ?? msg.hostname ?? msg.source ?? 'unknown', platform: PLATFORM };
}

function toRecords(o: Origin, changes: Change[], actorAddress?: string, command?: string): AaaRecord[] {
  return changes.map((c) => accountRecord(o, { actor: c.actor, actorAddress, path: 'os' }, c, command));
}

function shadowRecords(app: string, msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const changes = shadowChanges(app, msg.message);
  if (changes === undefined) {
    ctx.unknown(`linux:${app}`);
    return NONE;
  }
  return changes.length === 0 ? NONE : toRecords(hostOrigin(msg, messageTime(msg)), changes);
}

function audit(text: string, msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const r = readAuditRecord(text);
  if (!r) return NONE;
  if (r.type === 'SYSCALL' || r.type === 'PATH') return watched(r, msg, ctx);
  if (!ACCOUNT_TYPES.has(r.type)) return NONE;
  const changes = auditChanges(r);
  if (changes.length === 0) return NONE;
  return toRecords(auditOrigin(r, msg), changes, address(value(r, 'addr')));
}

function auditOrigin(r: AuditRecord, msg: SyslogMessage): Origin {
  const time = (r.seconds !== undefined ? epochSecondsToIso(r.seconds) : undefined) ?? messageTime(msg);
  // A raw audit.log line names no host except in `hostname=`, which shadow-utils fills with the local name.
  const local = msg.hostname ?? msg.source ?? value(r, 'hostname');
  return hostOrigin(msg, time, r.node ?? local);
}

function watched(r: AuditRecord, msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const edit = ctx.state('watches', () => new Watches()).add(r);
  if (!edit) return NONE;
  const change: Change = { action: 'account.modify', target: edit.file, technique: 'T1098' };
  return [accountRecord(auditOrigin(r, msg), { actor: edit.actor, path: 'os' }, change, edit.exe)];
}

export const linux: Platform = {
  id: 'linux',
  name: 'Linux (shadow-utils, PAM, auditd)',
  recognise,
  // Offered: shadow-utils and audit programs, kernel-logged audit records, audit records with no program
  // or with it as their first word.
  offer: { programs: [...SHADOW_PROGRAMS, ...AUDIT_PROGRAMS, 'kernel'], texts: ['type=', 'node=', ...[...AUDIT_PROGRAMS].flatMap((p) => [`${p} type=`, `${p} node=`])] },
  // UID 0 is root whatever the name; membership of these groups grants sudo on the common distributions.
  privileges: { superuser: /^(?:uid=0|root|wheel|sudo|admin)$/ },
};
