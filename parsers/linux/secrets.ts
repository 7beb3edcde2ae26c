// Secrets on Linux command lines (auditd EXECVE, Falco `proc.cmdline`, sudo, shell history):
// passwords given to useradd/usermod, chpasswd's input, `passwd --stdin`, openssl passwd, sshpass.

import { S, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const linuxSecrets: SecretGrammar = [
  // `useradd -m -p HASH eve`, `usermod --password=HASH eve`.
  form('user', rx()`\b(?:useradd|usermod)\b[^|;&\n]*?${S}(?:-p|--password)(?:${S}|=)${VALUE()}`),
  // `echo 'bob:X' | chpasswd`, `echo bob:X|sudo chpasswd`.
  form('chpasswd', rx()`(?<=["'\s]|^)[\w.-]+:(?<v>[^\s"':|]+)(?=["']?\s*\|\s*(?:sudo\s+)?chpasswd\b)`),
  // `chpasswd <<< 'bob:X'`.
  form('chpasswd', rx()`\bchpasswd${S}?<<<${S}?["']?[\w.-]+:(?<v>[^\s"']+)`),
  // `echo X | passwd --stdin bob`, `passwd --stdin bob <<< X`.
  form('--stdin', rx()`\becho${S}(?:-[ne]+${S})?${VALUE()}(?=${S}?\|${S}?(?:sudo${S})?passwd${S}--stdin\b)`),
  form('--stdin', rx()`\bpasswd${S}--stdin\b[^\n<]*<<<${S}?${VALUE()}`),
  // `openssl passwd -6 -salt s X` prints a crypt hash of X.
  form('openssl', rx()`\bopenssl${S}passwd(?:${S}-(?:salt${S}[^\s\x00-\x1f]+|[^\s\x00-\x1f]+))*${S}(?!-)${VALUE()}`),
  // `sshpass -p X ssh host`.
  form('sshpass', rx()`\bsshpass${S}-p${S}?${VALUE()}`),
];
