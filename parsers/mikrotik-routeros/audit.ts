// MikroTik RouterOS auditability: a `/system logging` rule sending system or account topics to a
// remote action, and that action's address. RouterOS has no command accounting to check.

import { lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  let section = '';
  const remoteActions = new Set<string>();
  const addresses: string[] = [];
  const rules: string[] = [];
  for (const raw of lines) {
    const l = raw.trim();
    if (l.startsWith('/')) {
      section = l;
      continue;
    }
    if (section === '/system logging action') {
      const remote = /\bremote=([^\s"]+)/.exec(l);
      const name = /\bname=("?)([^\s"]+)\1/.exec(l);
      // `target=remote` on an added action; the built-in action named `remote` is set by name or `default=yes`.
      const isRemote = /\btarget=remote\b/.test(l) || name?.[2] === 'remote' || /\bdefault=yes\b/.test(l);
      if (isRemote && remote && remote[1] !== '0.0.0.0') {
        addresses.push(remote[1]!);
        remoteActions.add(name?.[2] ?? 'remote');
      }
    } else if (section === '/system logging' && l.startsWith('add ')) rules.push(l);
  }
  const forwarded = rules.some((r) => {
    const action = /\baction=("?)([^\s"]+)\1/.exec(r)?.[2];
    return action !== undefined && remoteActions.has(action) && /\btopics=\S*\b(system|info|account)\b/.test(r);
  });
  return [
    { check: 'config-logging', ok: forwarded, detail: forwarded ? 'system/account topics sent to a remote action' : 'no `/system logging add topics=system,info action=<remote>`' },
    hosts(addresses, 'no `/system logging action` with target=remote'),
  ];
});
