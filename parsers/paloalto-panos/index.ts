// Palo Alto PAN-OS: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const paloaltoPanos: Platform = {
  id: 'paloalto-panos',
  name: 'Palo Alto PAN-OS',
  recognise,
  ssh,
  accounts,
  redact,
};
