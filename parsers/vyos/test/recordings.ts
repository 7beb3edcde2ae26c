// The recorded VyOS session this platform pulls (test/pull/corpus.test.ts replays it through the
// emulator). Its configuration has no `system login` lines: no account.

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { vyos: { comment: '#' } },
  accounts: { 'vyos#Supermicro_1.4.3': [] },
  secrets: {
    // The WireGuard and PKI keys, the BGP/VRRP passwords and the IPsec PSK (written as placeholders
    // by the contributor), beside #secret.yaml's community.
    'vyos#Supermicro_1.4.3': ['AAAAAAAAAABBBBBBBBBB'],
  },
  unknownCommand: (command) => `\n  Invalid command: [${command.split(' ')[0]}]\n\n`,
};
