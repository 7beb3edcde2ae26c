// Cisco ASA auditability: `aaa accounting command`, logging enabled at a trap level that lets the
// command and local-user records through, and a `logging host <interface> <address>`.

import { captured, hasLine, lineAudit, loggingTrap } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^aaa accounting command (?:privilege \d+ )?\S+/);
  const enabled = hasLine(lines, /^logging enable\s*$/);
  const trap = loggingTrap(lines);
  const missing: string[] = [];
  if (!enabled) missing.push('`logging enable`');
  // 111008 (command executed) and 502101/502102/502103 (local users) are level 5.
  if (trap?.level === undefined) missing.push('`logging trap notifications` (or higher): without it no host receives anything');
  else if (trap.level < 5) missing.push(`level 5 (\`logging trap ${trap.word}\` drops 111008 and 502101)`);
  return [
    { check: 'command-accounting', ok: accounting, detail: accounting ? 'aaa accounting command … ' : 'no `aaa accounting command <server-group>`' },
    { check: 'config-logging', ok: missing.length === 0, detail: missing.length ? `missing ${missing.join(', ')}` : `logging enable, logging trap ${trap!.word}` },
    hosts(captured(lines, /^logging host \S+ (\S+)/), 'no `logging host <interface> <address>`'),
  ];
});
