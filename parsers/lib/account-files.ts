// The files that are a Unix host's account databases: a write to one of them outside the account
// tools is an account change (auditd watches in parsers/linux, Falco's rules in parsers/falco).

export const ACCOUNT_FILES: ReadonlySet<string> = new Set(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow']);
