// Arista EOS: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const aristaEos: Platform = {
  id: 'arista-eos',
  name: 'Arista EOS',
  recognise,
  ssh,
  accounts,
  redact,
};
