// SonicWall SonicOS: administrator logins from its syslog (syslog.ts). Not pulled yet: no SonicOS
// configuration has been seen (the one recording is two snippets), so its account and secret
// grammar is unverified (docs/notes/platforms.md, "SonicWall SonicOS").

import type { Platform } from '../../src/types.js';
import { offer, recognise } from './syslog.js';

export const sonicwallSonicos: Platform = {
  id: 'sonicwall-sonicos',
  name: 'SonicWall SonicOS',
  recognise,
  offer,
};
