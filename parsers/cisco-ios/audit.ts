// Cisco IOS / IOS-XE auditability: privileged commands accounted (`aaa accounting commands 15`),
// configuration commands sent to syslog (`archive › log config › notify syslog`, at a trap level
// that lets %PARSER-5-CFGLOG_LOGGEDCMD through), and a logging host.

import type { AuditCheck } from '../../src/types.js';
import { captured, hasLine, indentedBlocks, lineAudit, loggingTrap } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const out: AuditCheck[] = [];
  const inline = hasLine(lines, /^aaa accounting commands 15 \S+ (start-stop|stop-only)\b.*\bgroup\s+\S+/);
  const blockForm = indentedBlocks(lines, /^aaa accounting commands 15 \S+\s*$/).some((b) => hasLine(b, /^\s+action-type (start-stop|stop-only)\b/) && hasLine(b, /^\s+group\s+\S+/));
  out.push({
    check: 'command-accounting',
    ok: inline || blockForm,
    detail: inline || blockForm ? 'aaa accounting commands 15 … group' : 'no `aaa accounting commands 15 default start-stop group …`: privileged commands are not accounted',
  });

  const archive = indentedBlocks(lines, /^archive\s*$/).flat();
  const missing: string[] = [];
  if (!hasLine(archive, /^\s+log config\s*$/)) missing.push('archive › log config');
  else {
    if (!hasLine(archive, /^\s+logging enable\s*$/)) missing.push('logging enable');
    if (!hasLine(archive, /^\s+notify syslog\b/)) missing.push('notify syslog contenttype plaintext');
  }
  const trap = loggingTrap(lines);
  if (hasLine(lines, /^no logging on\s*$/)) missing.push('logging itself (`no logging on`)');
  else if (trap?.level !== undefined && trap.level < 5) missing.push(`level 5 to the host (\`logging trap ${trap.word}\` drops %PARSER-5-CFGLOG_LOGGEDCMD)`);
  out.push({
    check: 'config-logging',
    ok: missing.length === 0,
    detail: missing.length ? `configuration commands are not sent to syslog: missing ${missing.join(', ')}` : 'archive log config with logging enable and notify syslog',
  });

  out.push(hosts([...captured(lines, /^logging host (?:ipv6 )?(\S+)/), ...captured(lines, /^logging (\d{1,3}(?:\.\d{1,3}){3})\b/)], 'no `logging host …`'));
  return out;
});
