// The recorded pfSense and OPNsense sessions this platform pulls (exec channel;
// test/pull/corpus.test.ts replays them through the emulator).

import type { PeerForm, PlatformRecordings } from '../../../test/support/emulator/recordings.js';

/** Oxidized drops the `<revision>` element and appends the version to the closing tag. */
const PEER: PeerForm = {
  comment: '<!--',
  join: (text) => text.replace(/^\s*<revision>[\s\S]*?<\/revision>\r?\n/m, ''),
  rewrites: [[/^<\/(?:pfsense|opnsense)>$/, /^<\/(?:pfsense|opnsense)><!-- .* -->$/]],
};

export const recordings: PlatformRecordings = {
  models: { pfsense: PEER, opnsense: PEER },
  accounts: {
    'pfsense#CE_2.7.2': [{ name: 'admin', roles: ['admins', 'all'], credentials: ['secret'], privilege: '15' }],
    'opnsense#nano_23.7': [
      { name: 'root', roles: ['admins'], credentials: ['secret'], privilege: '15' },
      { name: 'oxidized', roles: ['admins'], credentials: ['secret'], privilege: '15' },
    ],
    'opnsense#nano_24.7': [
      { name: 'root', roles: ['admins'], credentials: ['secret'], privilege: '15' },
      { name: 'oxidized', roles: ['admins'], credentials: ['secret'], privilege: '15' },
    ],
  },
  secrets: {
    // Read from the recordings: the bcrypt hashes, the certificate private keys (base64 PEM, which
    // Oxidized keeps) and the SNMP community.
    'pfsense#CE_2.7.2': ['$2b$10$13u6qwCOwODv34GyCMgdWub6oQF3RX0rG7c3d3X4JvzuEmAXLYDd2', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', '<rocommunity>public<'],
    'opnsense#nano_23.7': ['$2y$10$YRVoF4SgskIsrXOvOQjGieB9XqHPRra9R7d80B3BZdbY/j21TwBfS', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', '<snmp_password>public<', '<rocommunity>public<'],
    'opnsense#nano_24.7': ['$2y$11$R998XWJWIiCM6eQOHC5Ny.W5HAYz0Tr4mShDnYNreoPXnyAPyXIfa', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', '<rocommunity>public<'],
  },
  unknownCommand: (command) => `${command.startsWith('cat ') ? `cat: ${command.slice(4)}: No such file or directory` : `${command.split(' ')[0]}: Command not found.`}\n`,
};
