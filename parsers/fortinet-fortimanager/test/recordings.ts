// The recorded FortiManager session this platform pulls (Oxidized's `fortios` model: its one
// recording is an FMG-VM64; test/pull/corpus.test.ts replays it through the emulator).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  // Oxidized's fortios.rb drops the version header lines (`#config-version=`, `#branch_pt=`).
  models: { fortios: { comment: '#', drops: [/^#config-version=/, /^#branch_pt=/, /^#conf_file_ver=/] } },
  accounts: {
    // `config system admin user` / `edit "admin"` / `set password ENC …`: no profile shown.
    'fortios#FMG-VM64_7.4.6': [{ name: 'admin', roles: [], credentials: ['password'] }],
  },
  unknownCommand: (command) => `command parse error before '${command.split(' ')[0]}'\nCommand fail. Return code -61\n`,
};
