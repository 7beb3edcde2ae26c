// Secrets on Windows command lines (4688 `Process Command Line`, Sysmon 1, PowerShell 4104):
// `net user NAME PASSWORD /add` and PowerShell's `ConvertTo-SecureString "X" -AsPlainText`.
// Event text capitalises its prose (`Password Not Required`, `Key Length`): no generic form
// reads capitalised keywords, so those stay.

import { S, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const windowsSecrets: SecretGrammar = [
  // `net user bob X /add`, `net1 user "bob" X`; not `net user bob /delete`, nor `*` (asks for it).
  form(['net user', 'net1 user', 'net use', 'net1 use', 'net.exe', 'net1.exe'], rx('i')`\bnet1?(?:\.exe)?${S}user${S}(?:"[^"]+"|[^\s/"]+)${S}(?![/*])${VALUE()}`),
  form('securestring', rx('i')`\bConvertTo-SecureString${S}(?:-(?:String|AsPlainText|Force)${S})*(?!-)${VALUE()}`),
  // `net use \\fs01\share PASSWORD /user:DOMAIN\name`.
  form(['net user', 'net1 user', 'net use', 'net1 use', 'net.exe', 'net1.exe'], rx('i')`\bnet1?(?:\.exe)?${S}use${S}(?:[A-Z]:${S})?[^\s"]+${S}(?![/*])${VALUE()}`),
  // `cmdkey /add:host /user:name /pass:X`, `schtasks … /ru name /rp X`, `dsadd user … -pwd X`.
  form('/pass:', rx('i')`(?<![\w-])\/pass:${VALUE()}`),
  form('/rp', rx('i')`(?<![\w-])\/rp${S}(?!\*)${VALUE()}`),
  form('-pwd', rx('i')`(?<![\w-])-pwd${S}(?!\*)${VALUE()}`),
];
