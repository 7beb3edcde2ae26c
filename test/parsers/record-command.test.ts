// The command every record carries passes the secret gate (parsers/lib/record.ts redactCommand),
// which remembers the commands it found clean: a command seen again must come back as the gate
// would answer it, and a command holding a secret must be redacted however often it comes.

import { describe, expect, it } from 'vitest';
import { redactCommand } from '../../parsers/lib/record.js';
import { redactSecrets } from '../../parsers/lib/secrets.js';

describe('redactCommand', () => {
  it('answers a command seen again as the gate does, and redacts a secret every time', () => {
    const clean = 'show running-config | include username';
    const secret = 'username bob privilege 15 secret 0 Cleartext99';
    for (let i = 0; i < 4; i++) {
      expect(redactCommand(clean)).toBe(clean);
      expect(redactCommand(secret)).toBe('username bob privilege 15 secret 0 <redacted>');
      // The same secret text again, a different string object each time.
      expect(redactCommand(['username bob privilege 15 secret 0', 'Cleartext99'].join(' '))).not.toContain('Cleartext');
    }
  });

  it('stays the gate when the clean commands it keeps overflow, and for long commands', () => {
    for (let i = 0; i < 10_000; i++) expect(redactCommand(`interface GigabitEthernet1/0/${i}`)).toBe(`interface GigabitEthernet1/0/${i}`);
    expect(redactCommand('snmp-server community Publ1c RO')).toBe(redactSecrets('snmp-server community Publ1c RO'));
    expect(redactCommand('snmp-server community Publ1c RO')).not.toContain('Publ1c');
    const long = `description ${'x'.repeat(600)} key 0 S3cret`;
    expect(redactCommand(long)).toBe(redactSecrets(long));
    expect(redactCommand(long)).not.toContain('S3cret');
    const longClean = `description ${'y'.repeat(600)}`;
    expect(redactCommand(longClean)).toBe(longClean);
    expect(redactCommand(longClean)).toBe(longClean);
  });
});
