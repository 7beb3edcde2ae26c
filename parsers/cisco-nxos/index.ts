// Cisco NX-OS: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const ciscoNxos: Platform = {
  id: 'cisco-nxos',
  name: 'Cisco NX-OS',
  recognise,
  ssh,
  accounts,
  redact,
};
