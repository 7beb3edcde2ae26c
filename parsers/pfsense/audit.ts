// pfSense / OPNsense auditability: a remote syslog server (pfSense `<syslog><remoteserver>`,
// `remoteserver2`, `remoteserver3`; OPNsense `<Syslog><destinations><destination><hostname>`).
// The web configurator's logins go to the system log, which a remote server receives with the rest.

import { lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const text = lines.join('\n');
  const found = [
    ...[...text.matchAll(/<remoteserver[23]?>([^<]+)<\/remoteserver[23]?>/g)].map((m) => m[1]!.replace(/:\d+$/, '')),
    ...[...text.matchAll(/<destination\b[^>]*>[\s\S]*?<hostname>([^<]+)<\/hostname>[\s\S]*?<\/destination>/g)].map((m) => m[1]!),
  ];
  return [hosts(found, 'no remote syslog server (`<syslog><remoteserver>`, OPNsense `<Syslog><destinations>`)')];
});
