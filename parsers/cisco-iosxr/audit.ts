// Cisco IOS-XR auditability: commands accounted (`aaa accounting commands default`), commits
// logged (they are by default; only a low trap level hides them), and a `logging <address>` host.

import { isIP } from 'node:net';
import { hasLine, lineAudit, loggingTrap } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^aaa accounting commands default (start-stop|stop-only)\b.*\bgroup\s+\S+/);
  const trap = loggingTrap(lines);
  // Commits are logged by default (%MGBL-CONFIG-6-DB_COMMIT, informational): only a trap level below 6 hides them.
  const commitsHidden = trap?.level !== undefined && trap.level < 6;
  const found = lines.flatMap((l) => {
    const m = /^logging (\S+)(?:\s|$)/.exec(l);
    return m && isIP(m[1]!) ? [m[1]!] : [];
  });
  return [
    { check: 'command-accounting', ok: accounting, detail: accounting ? 'aaa accounting commands default … group' : 'no `aaa accounting commands default start-stop group …`' },
    {
      check: 'config-logging',
      ok: !commitsHidden,
      detail: commitsHidden ? `\`logging trap ${trap!.word}\` drops the informational commit records (%MGBL-CONFIG-6-DB_COMMIT)` : 'commits are logged (informational)',
    },
    hosts(found, 'no `logging <address> vrf …`'),
  ];
});
