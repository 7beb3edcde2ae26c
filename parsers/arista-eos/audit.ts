// Arista EOS auditability: `aaa accounting commands` sent to a server group (command accounting)
// and to `logging` (configuration logging), and a `logging host`.

import { captured, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const commands = lines.filter((l) => /^aaa accounting commands (all|\d+) (default|console) (start-stop|stop-only)\b/.test(l));
  const toServer = commands.some((l) => /\bgroup\s+\S+/.test(l));
  const toLog = commands.some((l) => /\blogging\b/.test(l));
  return [
    { check: 'command-accounting', ok: toServer, detail: toServer ? 'aaa accounting commands … group' : 'no `aaa accounting commands all default start-stop group …`' },
    { check: 'config-logging', ok: toLog, detail: toLog ? 'aaa accounting commands … logging' : 'no `aaa accounting commands all default start-stop logging`: commands are not written to syslog' },
    hosts(captured(lines, /^logging (?:vrf \S+ )?host (\S+)/), 'no `logging host …`'),
  ];
});
