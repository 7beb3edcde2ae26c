// Fortinet FortiOS auditability: administrator changes are system events, logged unless
// `config log eventfilter` turns them off, and a `config log syslogd setting` server that is on.
// FortiOS has no command accounting to check.

import { lineAudit } from '../lib/audit.js';
import { withSections } from '../lib/fortinet-config.js';

/** `set`/`unset` lines with the `config` sections they sit in (`log syslogd setting`, nested ones joined by ` › `). */
function settings(lines: readonly string[]): Array<{ section: string; line: string }> {
  const out: Array<{ section: string; line: string }> = [];
  for (const [raw, sections] of withSections(lines)) {
    const line = raw.trim();
    if (line.startsWith('set ') || line.startsWith('unset ')) out.push({ section: sections.join(' › '), line });
  }
  return out;
}

export const audit = lineAudit((lines, hosts) => {
  const s = settings(lines);
  const syslog = s.filter((x) => /^log syslogd\d? setting$/.test(x.section));
  const enabled = syslog.some((x) => x.line === 'set status enable');
  const servers = enabled ? syslog.flatMap((x) => {
    const m = /^set server "?([^"\s]+)"?/.exec(x.line);
    return m ? [m[1]!] : [];
  }) : [];
  const eventsOff = s.some((x) => x.section === 'log eventfilter' && /^set (event|system) disable$/.test(x.line));
  return [
    { check: 'config-logging', ok: !eventsOff, detail: eventsOff ? '`config log eventfilter` disables system events: administrator changes are not logged' : 'system event logging on (the default)' },
    hosts(servers, enabled ? 'no `set server` under `config log syslogd setting`' : 'no `config log syslogd setting` with `set status enable`'),
  ];
});
