// FTD auditability, read from the LINA configuration FMC/FDM writes: `logging enable` at a trap
// level that lets the level-5 command and local-user messages through (111008, 502101), and a
// `logging host <interface> <address>`. Command accounting to an AAA server is an FMC platform
// setting with no LINA line, so it is not checked here.

import { captured, hasLine, lineAudit, loggingTrap } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const enabled = hasLine(lines, /^logging enable\s*$/);
  const trap = loggingTrap(lines);
  const missing: string[] = [];
  if (!enabled) missing.push('`logging enable`');
  if (trap?.level === undefined) missing.push('`logging trap notifications` (or higher)');
  else if (trap.level < 5) missing.push(`level 5 (\`logging trap ${trap.word}\` drops 111008 and 502101)`);
  return [
    { check: 'config-logging', ok: missing.length === 0, detail: missing.length ? `missing ${missing.join(', ')}` : `logging enable, logging trap ${trap!.word}` },
    hosts(captured(lines, /^logging host \S+ (\S+)/), 'no `logging host <interface> <address>`'),
  ];
});
