// The recorded RouterOS sessions this platform pulls (test/pull/corpus.test.ts replays them), and
// the user list the recordings lack.

import type { Exchange } from '../../../test/support/emulator/transcript.js';
import type { ExpectedAccount, PlatformRecordings } from '../../../test/support/emulator/recordings.js';

/**
 * What `/user print detail without-paging` answers on RouterOS 7. The recordings do not include
 * that command (Oxidized does not send it), so this answer is written for the tests, in the
 * layout RouterOS prints: an index, flags, an optional `;;;` comment, then properties.
 */
export const ROUTEROS_USERS: Exchange = {
  command: '/user print detail without-paging',
  response: [
    'Flags: X - disabled',
    ' 0   ;;; system default user',
    '     name="admin" group=full address="" last-logged-in=2025-05-30 11:07:28',
    '     inactivity-timeout=10m inactivity-policy=none',
    '',
    ' 1   name="oxidized" group=read address=192.0.2.0/24',
    '     last-logged-in=2025-05-30 11:07:20 inactivity-timeout=10m inactivity-policy=none',
    '',
    ' 2 X name="olduser" group=write address="" last-logged-in=never inactivity-timeout=10m',
    '     inactivity-policy=none',
    '',
  ].join('\n'),
};

/** From ROUTEROS_USERS (the export never lists /user). */
const USERS: ExpectedAccount[] = [
  { name: 'admin', roles: ['full'], credentials: [] },
  { name: 'oxidized', roles: ['read'], credentials: [] },
  { name: 'olduser', roles: ['write'], credentials: [] },
];

export const recordings: PlatformRecordings = {
  models: {
    routeros: {
      comment: '#',
      // The export's date line, and the PoE status comment the peer removes as intermittent.
      drops: [/^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS /, /^# poe-out status: voltage_on_poe-in$/],
      join: (text) => text.replace(/\\\r?\n\s+/g, ''),
    },
  },
  accounts: {
    'routeros#CHR_7.10.1': USERS,
    'routeros#CHR_7.16': USERS,
    'routeros#L009UiGS_7.15.2': USERS,
    'routeros#RB5009UPr+S+_7.18.2': USERS,
  },
  secrets: { 'routeros#L009UiGS_7.15.2': ['password=password', 'name=community', 'trap-community=community'] },
  extra: [ROUTEROS_USERS],
  // The user list is aaawatch's own addition: the peer compares the export alone.
  configPart: (raw) => raw.slice(0, raw.indexOf('Flags: X')),
  unknownCommand: (command) => `bad command name ${command.replace(/^\//, '').split(' ')[0]} (line 1 column 2)\n`,
};
