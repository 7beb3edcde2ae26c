// VyOS auditability: a remote syslog host (`system syslog host ADDRESS` up to 1.4, `system syslog
// remote ADDRESS` from 1.5) receiving the commit log (`Successful change to active configuration by
// user U`, facility user, notice): with facility `all` or `user` at notice or below.

import { captured, lineAudit } from '../lib/audit.js';

const DETAILED = /^set system syslog (?:host|remote) (\S+) facility (?:all|user) level '?(?:notice|info|debug)'?/;

export const audit = lineAudit((lines, hosts) => {
  const sending = lines.some((l) => DETAILED.test(l));
  return [
    {
      check: 'config-logging',
      ok: sending,
      detail: sending ? 'commits (facility user, notice) reach a remote syslog host' : 'no remote syslog host takes facility all or user at notice: commits are not logged off the box',
    },
    hosts(captured(lines, /^set system syslog (?:host|remote) ('[^']*'|\S+)/).map((h) => h.replace(/^'|'$/g, '')), 'no `set system syslog host|remote ADDRESS …`'),
  ];
});
