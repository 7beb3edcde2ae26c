// The two sides of the rule for reviewer text (src/reconcile/reviewer-text.ts): what a reviewer
// types that is a secret, and the reasons and tickets reviewers write that must be kept as typed
// (test/fixtures/reviewer).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './corpus.js';

/** The lines of a file of test/fixtures/reviewer ('#' lines are comments). */
export const proseLines = (file: 'reasons.txt' | 'tickets.txt'): string[] =>
  readFileSync(join(REPO, 'test/fixtures/reviewer', file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

/** Secrets a reviewer types, each with the value that must go and the words around it that must stay. */
export const TYPED_SECRETS: ReadonlyArray<{ text: string; secret: string; keep: string[] }> = [
  { text: 'accepted; password=Hunter2x typed by mistake', secret: 'Hunter2x', keep: ['accepted;', 'password=', 'typed by mistake'] },
  { text: 'password: correcthorse (test account)', secret: 'correcthorse', keep: ['password:', '(test account)'] },
  // Inside a sentence, where the device gate reads `password: X` only at a line's or prompt's start.
  { text: 'accepted; password: Hunter2! typed by mistake', secret: 'Hunter2!', keep: ['accepted; password:', 'typed by mistake'] },
  { text: 'the vendor gave us the password: Hunter2x', secret: 'Hunter2x', keep: ['the vendor gave us the password:'] },
  { text: 'reset done, new secret=Xq9-77aa for the NOC', secret: 'Xq9-77aa', keep: ['reset done, new secret=', 'for the NOC'] },
  { text: 'enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0 set by vendor', secret: '$1$mERr$hx5rVt7rPNoS4wqbXKX7m0', keep: ['enable secret 5', 'set by vendor'] },
  { text: 'his hash $6$rounds=5000$saltsalt$Vh3yQ2f0 is in the config', secret: '$6$rounds=5000$saltsalt$Vh3yQ2f0', keep: ['his hash', 'is in the config'] },
  { text: 'type 8 was $8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs', secret: '$8$dsYGNam3K1SIJO$7nv/35M/qr6t.dVc7UY9zrJDWRVqncHub1PE9UlMQFs', keep: ['type 8 was'] },
  { text: 'secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM', secret: '$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM', keep: ['secret 9'] },
  { text: 'username bob password 7 0822455D0A16 found on core-sw1', secret: '0822455D0A16', keep: ['username bob password 7', 'found on core-sw1'] },
  { text: 'username bob password letmein (from the running config)', secret: 'letmein', keep: ['username bob password', '(from the running config)'] },
  { text: 'ran mysql -u root -p S3cretDb! to check', secret: 'S3cretDb!', keep: ['ran mysql -u root -p', 'to check'] },
  { text: 'ran mysql -uroot -pS3cretDb to check', secret: 'S3cretDb', keep: ['ran mysql -uroot -p', 'to check'] },
  { text: 'smbclient -U administrator%Winter2026 was in the history', secret: 'Winter2026', keep: ['smbclient -U administrator%', 'was in the history'] },
  { text: 'share mapped as svc_backup%Backup!2026', secret: 'Backup!2026', keep: ['share mapped as svc_backup%'] },
  { text: 'snmp-server community s3cr3tC0mm RO on the access switches', secret: 's3cr3tC0mm', keep: ['snmp-server community', 'RO on the access switches'] },
  { text: 'called the API with Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0', secret: '9f8e7d6c5b4a39281706f5e4d3c2b1a0', keep: ['called the API with Authorization: Bearer'] },
  { text: 'bearer token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U leaked', secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', keep: ['bearer token', 'leaked'] },
  { text: 'token aaw_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg was shared in chat', secret: 'aaw_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg', keep: ['token', 'was shared in chat'] },
  { text: 'key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----', secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', keep: ['key:'] },
  { text: 'authorized ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bob@laptop', secret: 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', keep: ['authorized ssh-ed25519', 'bob@laptop'] },
  { text: 'the password was Summer2024! until the reset', secret: 'Summer2024!', keep: ['the password was', 'until the reset'] },
  { text: 'tacacs-server key 7 045802150C2E1D1C5A', secret: '045802150C2E1D1C5A', keep: ['tacacs-server key 7'] },
  { text: 'API secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY pasted by mistake', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', keep: ['API secret', 'pasted by mistake'] },
  { text: 'blob 3f786850e387550fdab836ed7e6dc881de23001b3f786850 in the reason', secret: '3f786850e387550fdab836ed7e6dc881de23001b3f786850', keep: ['blob', 'in the reason'] },
];

