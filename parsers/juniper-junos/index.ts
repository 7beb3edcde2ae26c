// Juniper Junos: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const juniperJunos: Platform = {
  id: 'juniper-junos',
  name: 'Juniper Junos',
  recognise,
  ssh,
  accounts,
  redact,
};
