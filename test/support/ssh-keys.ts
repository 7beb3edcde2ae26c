// Key pairs for SSH tests. ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from
// the public key, so about 1 pair in 256 cannot be read back by ssh2 itself ("Malformed OpenSSH
// private key"; mscdex/ssh2#1390, #1513, open in 1.17). A pair is generated again until both
// halves parse, so a test never fails on the draw of a key.

import ssh2 from 'ssh2';

export interface SshKeyPair {
  private: string;
  public: string;
}

export function sshKeyPair(type: 'ed25519' | 'rsa' = 'ed25519'): SshKeyPair {
  for (;;) {
    const pair = type === 'rsa' ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }) : ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}
