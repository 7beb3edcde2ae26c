// The recorded AOS-CX sessions this platform pulls (Oxidized's `aoscx` model; test/pull/corpus.test.ts
// replays each through the emulator), with the accounts each configuration holds, read by eye.
// The `_environment` recordings printed no configuration (`----- output stripped -----`).

import type { ExpectedAccount, PlatformRecordings } from '../../../test/support/emulator/recordings.js';

const admin = (name: string, credentials = ['password']): ExpectedAccount => ({ name, roles: ['administrators'], credentials });

export const recordings: PlatformRecordings = {
  models: { aoscx: { comment: '!' } },
  accounts: {
    'aoscx#6000-48G_PL.10.13.0005': [admin('admin')],
    'aoscx#6100-48G_PL.10.10.1090': [],
    // The contributor masked the ciphertext (`**********`): still a password.
    'aoscx#6300M-48G-4SFP56_10.13.1101': [admin('admin')],
    'aoscx#8100-48XF4C_LL.10.13.1050': [],
    'aoscx#8325H_HL.10.15.1020': [admin('admin'), { name: 'robot', roles: [], credentials: ['key'] }],
    'aoscx#CX10000_10.16.1020_environment': [],
    'aoscx#CX6000-8G_10.16.1010_environment': [admin('admin'), admin('oxidized', ['password', 'key']), admin('contose-adm')],
    'aoscx#CX6200_10.16.1020_environment': [],
    'aoscx#CX6300_10.16.1020_environment': [],
    'aoscx#CX8100_10.16.1020_environment': [],
    'aoscx#CX8360_10.16.1020_environment': [],
    'aoscx#CX9300_10.14.1061_environment': [],
    'aoscx#R0X25A-6410_FL.10.10.1100': [admin('admin'), admin('user')],
    'aoscx#R8N85A-C6000-48G-CL4_PL.10.08.1010': [admin('admin'), admin('oxidzed'), { name: 'operator', roles: ['operators'], credentials: ['password'] }],
  },
  secrets: {
    // The recordings' placeholders for the values their contributors replaced.
    'aoscx#6000-48G_PL.10.13.0005': ['AAAAAAAAAABBBBBBBBBBCCCCCCCCCC'],
    'aoscx#R0X25A-6410_FL.10.10.1100': ['AQEcvdLHmJIR', 'AQEfgTZ27jH5bp3e4uMv1qTG'],
    'aoscx#R8N85A-C6000-48G-CL4_PL.10.08.1010': ['AAAAAAAAAABBBBBBBBBBCCCCCCCCCC'],
  },
  unknownCommand: (command) => `Invalid input: ${command.split(' ')[0]}\n`,
};
