// Huawei VRP: its syslog header forms (header.ts), command records, logins and local-account
// messages (syslog.ts; its `local-user` commands are also read one by one, as HWTACACS accounting
// sends them: commandReader), configuration pulls, local accounts and their secret grammar (config.ts),
// auditability (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { header } from './header.js';
import { localUserChange, offer, recognise } from './syslog.js';

export const huaweiVrp: Platform = {
  id: 'huawei-vrp',
  name: 'Huawei VRP',
  header,
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
  // A `local-user` command says all it does: no session to follow.
  commandReader: () => localUserChange,
};
