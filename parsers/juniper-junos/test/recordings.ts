// The recorded Junos session this platform pulls (test/pull/corpus.test.ts replays it).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

const SRX300 = [
  { name: 'root', roles: [], credentials: ['password'] },
  { name: 'oxidized', roles: ['super-user'], credentials: ['password'] },
];

export const recordings: PlatformRecordings = {
  models: { junos: { comment: '#' } },
  accounts: {
    // The root account (root-authentication) and `user oxidized`; `syslog { user * }` is not one.
    'junos#srx300_22.4': SRX300,
    'junos#srx300_22.4_wo_cluster': SRX300,
  },
  secrets: { 'junos#srx300_22.4': ['very-secret-encrypted-password'], 'junos#srx300_22.4_wo_cluster': ['very-secret-encrypted-password'] },
  unknownCommand: (command) => `error: unknown command: ${command}\n`,
};
