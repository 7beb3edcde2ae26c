// Juniper Junos auditability: interactive commands accounted to a TACACS+ or RADIUS destination,
// sent to a syslog host, and the `system syslog host` itself; read from either configuration form.

import { captured, hasLine, lineAudit } from '../lib/audit.js';
import { junosSetLines } from './set-lines.js';

export const audit = lineAudit((lines, hosts) => {
  const set = junosSetLines(lines);
  const events = set.filter((l) => l.startsWith('system accounting events'));
  const destination = hasLine(set, /^system accounting destination (tacplus|radius)\b/);
  const accounted = destination && events.some((l) => /\binteractive-commands\b/.test(l));
  const hostLines = set.filter((l) => l.startsWith('system syslog host '));
  const commandsToHost = hostLines.some((l) => /^system syslog host \S+ (interactive-commands|any) (any|info)\b/.test(l) || /^system syslog host \S+ change-log (any|info|notice)\b/.test(l));
  return [
    {
      check: 'command-accounting',
      ok: accounted,
      detail: accounted ? 'system accounting events interactive-commands, destination tacplus/radius' : 'no `set system accounting events interactive-commands` with a tacplus or radius destination',
    },
    {
      check: 'config-logging',
      ok: commandsToHost,
      detail: commandsToHost ? 'interactive-commands sent to a syslog host' : 'no `set system syslog host … interactive-commands any`: commands reach local files only',
    },
    hosts(captured(hostLines, /^system syslog host (\S+)/), 'no `set system syslog host …`'),
  ];
});
