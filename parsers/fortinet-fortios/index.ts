// Fortinet FortiOS: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const fortinetFortios: Platform = {
  id: 'fortinet-fortios',
  name: 'Fortinet FortiOS',
  recognise,
  ssh,
  accounts,
  redact,
};
