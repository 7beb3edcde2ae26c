// Lines of one minute (2026-11-21 22:10 UTC) from the three sources that write a rename as the old
// name's removal and the new name's making: shadow-utils on web1, Windows (Snare) on CORP-DC1 with
// its subject admin.kim, and CloudTrail by ops-admin. The shapes of test/corpus; names invented.

export const RENAME_T0 = Date.UTC(2026, 10, 21, 22, 10, 0);

/** shadow-utils' line from `program` at second `n`. */
export const linux = (n: number, program: string, text: string): string => `<86>Nov 21 22:10:0${n} web1 ${program}[${2200 + n}]: ${text}`;

// The subject of every Windows event below, and the SID of the account they make.
const SUBJECT = 'Subject:   Security ID:  S-1-5-21-1-2-3-1105   Account Name:  admin.kim   Account Domain:  CORP   Logon ID:  0x3E7    ';
const SID = 'S-1-5-21-1-2-3-1500';
export const DC = 'CORP-DC1.corp.example';
let seq = 9000;

/** Snare's rendering of event `id` at second `n`. */
function snare(n: number, id: number, category: string, text: string): string {
  const d = new Date(RENAME_T0 + n * 1000);
  return `<14>1 ${d.toISOString()} CORP-DC1 - - - - MSWinEventLog\t1\tSecurity\t${seq++}\tSat Nov 21 22:10:0${n} 2026\t${id}\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tSuccess Audit\t${DC}\t${category}\t\t${text}\t${seq}`;
}

const ACCOUNT = '111122223333';

/** A CloudTrail IAM call `eventName` at second `n`, forwarded by syslog. */
function ct(n: number, eventName: string, requestParameters: unknown): string {
  return `<14>Nov 21 22:10:0${n} forwarder cloudtrail: ` + JSON.stringify({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/ops-admin`, accountId: ACCOUNT, userName: 'ops-admin' },
    eventTime: `2026-11-21T22:10:0${n}Z`, eventSource: 'iam.amazonaws.com', eventName, awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', requestParameters, responseElements: null,
    requestID: `r-${n}`, eventID: `e-${n}`, readOnly: false, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCOUNT,
  });
}

/** useradd -o -u 0 toor; usermod -l backup toor — a superuser renamed. */
export const TOOR_RENAMED = [
  linux(1, 'useradd', 'new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/1'),
  linux(2, 'usermod', "change user name 'toor' to 'backup'"),
];
/** A rename of an account that held nothing. */
export const PLAIN_RENAMED = [
  linux(6, 'useradd', 'new user: name=plain, UID=1010, GID=1010, home=/home/plain, shell=/bin/bash, from=/dev/pts/1'),
  linux(7, 'usermod', "change user name 'plain' to 'plain2'"),
];
/** Windows: eve made, added to Administrators, renamed svc.backup. Called once a test file: each line takes the next record number. */
export const windowsRenamed = (): string[] => [
  snare(1, 4720, 'User Account Management',
    `A user account was created.    ${SUBJECT}New Account:   Security ID:  ${SID}   Account Name:  eve   Account Domain:  CORP    Attributes:   SAM Account Name: eve    Additional Information:   Privileges  -`),
  snare(2, 4732, 'Security Group Management',
    `A member was added to a security-enabled local group.    ${SUBJECT}Member:   Security ID:  ${SID}   Account Name:  -    Group:   Security ID:  S-1-5-32-544   Group Name:  Administrators   Group Domain:  Builtin    Additional Information:   Privileges:  -`),
  snare(3, 4781, 'User Account Management',
    `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${SID}   Account Domain:  CORP   Old Account Name: eve   New Account Name: svc.backup    Additional Information:   Privileges:  -`),
];
/** CloudTrail: CreateUser, AttachUserPolicy AdministratorAccess, UpdateUser newUserName. */
export const CLOUDTRAIL_RENAMED = [
  ct(1, 'CreateUser', { userName: 'dana' }),
  ct(2, 'AttachUserPolicy', { userName: 'dana', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  ct(3, 'UpdateUser', { userName: 'dana', newUserName: 'dana.admin' }),
];
