// Cisco ASA: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const ciscoAsa: Platform = {
  id: 'cisco-asa',
  name: 'Cisco ASA',
  recognise,
  ssh,
  accounts,
  redact,
};
