// The recorded Cumulus sessions this platform pulls (Oxidized's `cumulus` model; both are custom
// simulations with no stored output: test/pull/corpus.test.ts pulls them through the emulator and
// checks accounts and secrets). The NVUE switch answers `nv config show`; the VX has no NVUE, so
// the pull falls back to /etc/passwd (in the recording, read after `sudo su -`, which aaawatch does not send).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { cumulus: { comment: '#' } },
  accounts: {
    'cumulus#MSN2010_5.9.2_nvue': [{ name: 'cumulus', roles: ['system-admin'], credentials: ['none'] }],
    'cumulus#VX_5.4.0_frr': [
      { name: 'root', roles: [], credentials: [], privilege: '15' },
      { name: 'cumulus', roles: [], credentials: [] },
    ],
  },
  unknownCommand: (command) => `-bash: ${command.split(' ')[0]}: command not found\n`,
};
