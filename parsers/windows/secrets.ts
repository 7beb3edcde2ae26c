// Secrets on Windows command lines (4688 `Process Command Line`, Sysmon 1, PowerShell 4104):
// `net user NAME PASSWORD /add` and PowerShell's `ConvertTo-SecureString "X" -AsPlainText`, `net use`,
// `sc config … password= X`, PsExec, WinRS, WMIC and netdom passwords, a registry value named for one.
// Event text capitalises its prose (`Password Not Required`, `Key Length`): no generic form
// reads capitalised keywords, so those stay.

import { NOT_A_VARIABLE } from '../lib/secrets/command-options.js';
import { after, ahead, S, SEP, VALUE, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/**
 * Before a positional password of `net user|use`: spaces. Snare writes an event's fields apart with
 * tabs, and the field after `Process Command Line:` is the record's counter (`/user:CORP\\bob<TAB>88412`).
 */
const SP = '[ ]+';

export const windowsSecrets: SecretGrammar = [
  // `net user bob X /add`, `net user /add bob X`, `net1 user "bob" X`; not `net user bob /delete`,
  // nor `*` (asks for it).
  // `net` and `user`, not `net user`: a tab or ISE's ` CmdArgAV=` stands between them as well.
  needing(form(['\\bnet\\b', '\\bnet1'], rx('i')`\bnet1?(?:\.exe)?${S}user${S}(?:\/[\w:]+${S})*(?:"[^"]+"|[^\s/"]+)${SP}(?![/*])${NOT_A_VARIABLE}${VALUE()}`), ['user']),
  // A PowerShell variable (`ConvertTo-SecureString $enc -Key $k`, in double quotes too: `"$MDPsecure"` is expanded) holds no literal.
  form('securestring', rx('i')`\bConvertTo-SecureString${S}(?:-(?:String|AsPlainText|Force)${S})*(?!-|"?\$[A-Za-z_{(])${VALUE()}`),
  // `net use \\fs01\share PASSWORD /user:DOMAIN\name`.
  // The device (`Z:`, `LPT1:`, `*`) is never the share, so never the password after it.
  needing(form(['\\bnet\\b', '\\bnet1'], rx('i')`\bnet1?(?:\.exe)?${S}use${S}(?:(?:[A-Z]:|LPT\d:|\*)${S})?(?![A-Z]:(?:\s|$)|LPT\d:|\*|/)[^\s"]+${SP}(?![/*])${VALUE()}`), ['use']),
  // … or after `/user:NAME` (`net use \\fs\share /user:DOM\name PASSWORD`).
  needing(form(['\\bnet\\b', '\\bnet1'], rx('i')`\bnet1?(?:\.exe)?${S}use\b${ahead(String.raw`\bnet1?(?:\.exe)?${S}use\b`)}${SEP}/user:(?:"[^"]+"|[^\s"]+)${SP}(?![/*])${VALUE()}`), ['/user:']),
  // `sc.exe config SVC obj= NAME password= X` (sc's options end in `=`, their value after a space).
  form('password=', rx('i')`\bsc(?:\.exe)?${S}(?:config|create)\b${ahead(String.raw`\bsc(?:\.exe)?\b`)}${SEP}password=${S}${VALUE()}`),
  // PsExec/PAExec `-p X`, WinRS `-p:X`, WMIC `/password:X`, netdom `/passwordd:X` and `/passwordo:X`,
  // dcpromo's `/SafeModeAdminPassword:X`.
  form(['psexec', 'paexec'], rx('i')`\b(?:psexec(?:64)?|paexec)(?:\.exe)?\b${ahead(String.raw`\b(?:psexec|paexec)`)}${SEP}-p${S}(?!-)${VALUE()}`),
  form('winrs', rx('i')`\bwinrs(?:\.exe)?\b${ahead(String.raw`\bwinrs\b`)}${SEP}-p(?:assword)?:${VALUE()}`),
  form(['/password', 'password:', 'passwordd:', 'passwordo:'], rx('i')`(?<![\w-])\/\w*password[do]?:${VALUE()}`),
  // ktpass `/pass X` (`/pass *` asks for it); bitsadmin `/SetCredentials JOB TARGET SCHEME USER X`.
  form('/pass', rx('i')`(?<![\w-])\/pass${S}(?!\*)${VALUE()}`),
  form('setcredentials', rx('i')`\/SetCredentials${S}\S+${S}(?:SERVER|PROXY)${S}(?:BASIC|DIGEST|NTLM|NEGOTIATE|PASSPORT)${S}\S+${S}${VALUE()}`),
  // A registry value named for a password (Winlogon's `DefaultPassword`): `reg add … /v NAME [/t TYPE] /d X`.
  needing(form(['pass', 'pwd', 'secret'], rx('i')`${after(String.raw`\/v`, String.raw`(?<![\w-])`)}${S}"?[\w-]*(?:password|passwd|pwd|secret)"?(?:${S}\/t${S}\w+)?${S}\/d${S}${VALUE()}`), ['/d']),
  // `cmdkey /add:host /user:name /pass:X`, `schtasks … /ru name /rp X`, `dsadd user … -pwd X`.
  form('/pass:', rx('i')`(?<![\w-])\/pass:${VALUE()}`),
  // `/rp` with no value before the next option (`/RP /TN name`) asks for it.
  form('/rp', rx('i')`(?<![\w-])\/rp${S}(?![*/])${VALUE()}`),
  form('-pwd', rx('i')`(?<![\w-])-pwd${S}(?!\*)${VALUE()}`),
  // PowerShell: a registry value named for a password (`Set-ItemProperty … -Name DefaultPassword -Value X`),
  // a credential object built from a literal (`[System.Net.NetworkCredential]::new('u', 'X')`), and an
  // environment variable so named (`$env:DB_PASSWORD = "X"`).
  form('-value', rx('i')`-Name${S}["']?[\w-]*(?:password|passwd|pwd|secret)["']?${S}-Value${S}${VALUE()}`),
  form('networkcredential', rx('i')`\bNetworkCredential(?:\]::new)?${SEP}*\(${SEP}*(?:'[^'\n]*'|"[^"\n]*")${SEP}*,${SEP}*${VALUE()}`),
  form('$env:', rx('i')`\$env:[\w]*(?:password|passwd|pwd|secret|token|apikey|api_key)${SEP}*=${SEP}*${VALUE()}`),
  // `netsh wlan set hostednetwork … key=X` (and `keyMaterial=` in a profile given inline).
  form('netsh', rx('i')`\bnetsh\b${ahead(String.raw`\bnetsh\b`)}${SEP}key(?:Material)?=${VALUE()}`),
  // Installer properties: SQL Server setup's `/SAPWD="X"`, `/SQLSVCPASSWORD=X`, `/AGTSVCPASSWORD=X`.
  form(['pwd=', 'password='], rx()`(?<![\w-])\/[A-Z]*(?:PWD|PASSWORD)=${VALUE()}`),
];
