// The domain records every part of aaawatch passes around (see docs/ARCHITECTURE.md,
// "The normalised records"). Plain data only: no methods, no I/O.

import type { OwnCommands } from '../parsers/lib/account-command.js';

/** How a message arrived: syslog over UDP/TCP/TLS/RELP, a file, or native accounting (TACACS+, RADIUS). */
export type Transport = 'udp' | 'tcp' | 'tls' | 'relp' | 'file' | 'tacacs' | 'radius';

/** Which header grammar a line was read with. `bare` = no syslog header at all. */
export type HeaderFormat = 'rfc5424' | 'rfc3164' | 'bare';

/** RFC 5424 structured data: SD-ID → parameter name → value (a repeated name keeps its last value). */
export type StructuredData = Record<string, Record<string, string>>;

/** One syslog message after header parsing; the input to every platform's `recognise`. */
export interface SyslogMessage {
  /** The frame as received, decoded (UTF-8, or Latin-1 when the bytes were not UTF-8). */
  raw: string;
  /** When aaawatch received it, epoch ms. */
  receivedAt: number;
  /** Sender address as seen on the socket (or undefined for files and stdin). */
  source: string | undefined;
  transport: Transport;
  format: HeaderFormat;
  /** Set when the header was recognisably broken; the message is still kept. */
  malformed: string | undefined;
  /** True when the payload was not valid UTF-8 and was decoded byte-for-byte as Latin-1. */
  latin1: boolean;
  pri: number | undefined;
  facility: number | undefined;
  severity: number | undefined;
  /** Event time, epoch ms UTC; the receive time when the message carries no readable stamp. */
  time: number;
  /** The device's own stamp text, exactly as sent. */
  timeText: string | undefined;
  /**
   * How the time was obtained: `exact` (stamp with year and zone), `inferred` (year and/or zone
   * taken from the receive time or the device's configured zone), `received` (no stamp).
   */
  timeQuality: 'exact' | 'inferred' | 'received';
  /** Cisco clock markers: `*` = clock not authoritative, `.` = was synchronised, lost sync. */
  clockMarker: '*' | '.' | undefined;
  hostname: string | undefined;
  /** Program / RFC 5424 APP-NAME (`useradd`, `mgd`, `CISE_TACACS_Accounting`). */
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  sd: StructuredData | undefined;
  /** Cisco-family sequence number(s) as sent (`2406`, `54 000051`). */
  sequence: string | undefined;
  /** Cisco-family message tag without `%` and `:` (`PARSER-5-CFGLOG_LOGGEDCMD`, `ASA-5-502101`). */
  tag: string | undefined;
  /** The text after the header (for Cisco-family lines, after the `%TAG:`), BOM removed. */
  message: string;
  /**
   * The forwarder envelope the event arrived in (src/ingest/envelopes), when it did: the fields
   * above then describe the event inside (`raw` is its text), while the frame as received stays the
   * stored evidence.
   */
  envelope?: 'wazuh' | 'ecs' | 'nxlog' | 'gelf' | 'windows-xml' | undefined;
}

export type AccountAction =
  | 'account.create'
  | 'account.delete'
  | 'account.modify'
  | 'privilege.change'
  /**
   * A privilege, role or administrative right taken away from an account that keeps existing
   * (Entra `Remove member from role`, Okta `user.account.privilege.revoke`): `privilege`/`role`
   * name what was taken, as `privilege.change` names what was given. Membership of a group stays
   * `group.remove_member`, as its grant is `group.add_member`.
   */
  | 'privilege.revoke'
  | 'password.change'
  | 'group.add_member'
  | 'group.remove_member'
  /** A group made or removed (groupadd, Windows 4727/4731): the target is the group. */
  | 'group.create'
  | 'group.delete';

/**
 * What a network `username bob …` command means before aaawatch knows whether bob existed:
 * recognisers emit `account.set`, and `resolveAccountSet` (src/ingest/resolve.ts) turns it into
 * `account.create` or `account.modify` from what is known of the device. Never stored or printed.
 */
export type ProvisionalAccountAction = 'account.set';

export type SessionAction = 'login' | 'logout' | 'login.failed' | 'session.start' | 'session.stop';

export type ChangePath = 'cli' | 'rest' | 'netconf' | 'gui' | 'tacacs' | 'radius' | 'os' | 'cloud';

/** ATT&CK techniques aaawatch names. */
export type Technique = 'T1136.001' | 'T1136.003' | 'T1098' | 'T1098.001' | 'T1098.003' | 'T1098.004' | 'T1098.005' | 'T1098.007' | 'T1531';

export interface ContainerRef {
  id?: string;
  name?: string;
  image?: string;
  pod?: string;
  namespace?: string;
}

/** Fields every normalised record carries. Absent values are omitted, never invented. */
export interface RecordBase {
  /** ISO 8601, UTC. */
  time: string;
  /** The device the record is about (for AAA servers: the NAS, not the server). */
  device: string;
  platform: string;
  actor?: string;
  actorAddress?: string;
  path?: ChangePath;
  /** Where the record came from: a stored message id, or a line number of a parsed file. */
  ref?: { messageId?: number; line?: number };
}

export interface AccountEvent extends RecordBase {
  kind: 'account';
  action: AccountAction | ProvisionalAccountAction;
  /** The account acted on. */
  target: string;
  privilege?: string;
  role?: string;
  group?: string;
  technique?: Technique;
  /** The command that did it, secrets redacted. */
  command?: string;
  container?: ContainerRef;
}

export interface CommandEvent extends RecordBase {
  kind: 'command';
  action: 'command';
  /** Secrets redacted. */
  command: string;
  privilege?: string;
  container?: ContainerRef;
}

export interface SessionEvent extends RecordBase {
  kind: 'session';
  action: SessionAction;
  privilege?: string;
  /** Session identifier where the source has one (TACACS+ task id, RADIUS Acct-Session-Id). */
  session?: string;
}

export type AaaRecord = AccountEvent | CommandEvent | SessionEvent;

/** State a platform may keep between messages (ISE segment reassembly), and where it reports lines it does not understand. */
export interface RecogniseContext {
  /** Per-platform scratch state, created on first use. */
  state<T>(key: string, init: () => T): T;
  /** A line that looks like AAA/configuration traffic but matches no known form (counted against `device`, else the sender). */
  unknown(type: string, device?: string): void;
  /** The IANA zone configured for a device, for times inside a message that carry no zone (undefined = UTC). */
  zoneFor(hostname: string | undefined, source: string | undefined): string | undefined;
}

/** How to talk to a device over SSH (used by src/pull). */
export interface SessionProfile {
  /** Matches a whole line that is the device prompt (no trailing newline). */
  prompt: RegExp;
  /** Commands sent after login to make output machine-readable (paging off, width). */
  setup: string[];
  /**
   * Commands whose outputs, in order, form the configuration text. A list in place of a command
   * gives alternatives tried in order until one does not fail (RouterOS 7 `/export show-sensitive`,
   * RouterOS 6 `/export`).
   */
  configCommands: Array<string | string[]>;
  /** `enable` handling: none, `plain` (send enable), or `secret` (answer the password prompt). */
  enable?: 'plain' | 'secret';
  /** A prompt that shows the session is already privileged, so `enable` is skipped. */
  privileged?: RegExp;
  /** A pager prompt to answer with a space, for devices whose pager cannot be turned off. */
  more?: RegExp;
  /** Screens shown before the first prompt that need an answer (FortiOS `(Press 'a' to accept):`). */
  answers?: Array<{ prompt: RegExp; send: string }>;
  /** Output that means the command failed. */
  errors: RegExp[];
  /** Run each command on its own exec channel instead of an interactive shell. */
  exec?: boolean;
  /**
   * Text ignored when deciding whether a configuration changed (volatile counters, timestamps):
   * every match is removed before hashing, so a pattern that matches a whole line drops the line.
   */
  volatile: RegExp[];
  /** The configuration is whole only when this matches (IOS `end`): a cut-short read is a failure, never a snapshot. */
  complete?: RegExp;
}

export type CredentialKind = 'password' | 'secret' | 'key' | 'none';

/** A local account read from a device configuration. */
export interface LocalAccount {
  name: string;
  privilege?: string;
  /** Roles / login classes / groups / access profiles, in the order the configuration gives them. */
  roles: string[];
  credentials: CredentialKind[];
  /** The configuration lines it came from, secrets redacted. */
  lines: string[];
}

export type AuditCheckName = 'command-accounting' | 'config-logging' | 'logging-host';

/** One setting that makes a device auditable, read from its (redacted) configuration. */
export interface AuditCheck {
  check: AuditCheckName;
  ok: boolean;
  /** What was found, or what is missing, in the vendor's words. */
  detail: string;
}

/**
 * How a platform states privilege, placed on one scale so that "more than the roster allows" can
 * be decided: 0 is no access, 15 is full administration (IOS's own numbers). A numeric level is
 * its own rank on every platform; this describes only what differs.
 */
export interface PrivilegeScheme {
  /** The vendor's documented built-in roles, ranked 0–15. A role not listed (a custom one) has no rank. */
  roleRanks?: Readonly<Record<string, number>>;
  /** Role names that carry a level in their first group (NX-OS `priv-7` is level 7). */
  numberedRole?: RegExp;
  /** The level an account holds when its configuration line names neither a level nor a role. */
  defaultPrivilege?: string;
  /** The role an account holds when its configuration line names neither a level nor a role. */
  defaultRole?: string;
  /** What the platform calls a role, for sentences (`class`, `accprofile`, `group`); `role` when unset. */
  roleWord?: string;
  /**
   * Values (a privilege, role or group an account record names) that grant full administration
   * where no 0–15 rank says so: Linux `uid=0` and the sudo groups, Windows Administrators.
   */
  superuser?: RegExp;
  /**
   * The lowest numeric level that grants full administration where it is below 15 (Huawei VRP's
   * management level, 3: levels 3–15 run the same commands unless a device re-levels them).
   */
  administrativeLevel?: number;
  /**
   * A custom role its platform module has resolved from the device's own definition, written
   * `NAME (GRANT)`: group 1 is the role's name (the roster allows it by that name, as any custom
   * role), group 2 the grant, ranked as `roleRanks` ranks it. Junos `ops (permissions all)` is a
   * class of the device's own that grants what `super-user` does.
   */
  resolvedRole?: RegExp;
  /**
   * An account holds one role at a time (a FortiOS administrator's accprofile, a Junos user's class,
   * a RouterOS user's group, an EOS user's role): a role stated that is not the one held replaces
   * it, where elsewhere (IOS-XR usergroups, NX-OS roles) it is one more.
   */
  oneRole?: boolean;
}

/**
 * A syslog header form only one vendor sends (Huawei VRP's `Jan 8 2013 03:58:15+07:00 HUAWEI
 * %%01…`), declared by its platform. src/ingest/header.ts consults it only when its own forms
 * found neither a hostname nor a Cisco-family tag, so ordinary traffic never reaches it.
 */
export interface HeaderQuirk {
  /**
   * Reads the header starting at `start` of `line` (after any `<PRI>`), or returns undefined —
   * cheaply, and without throwing — for a line that is not this vendor's.
   */
  read(line: string, start: number): QuirkHeader | undefined;
}

/** What a header quirk read: the stamp's fields, the hostname, and where the message starts. */
export interface QuirkHeader {
  /** The stamp exactly as sent. */
  timeText: string;
  year: number;
  /** 0–11. */
  month: number;
  day: number;
  /** Milliseconds since midnight of the wall clock. */
  ms: number;
  /** Minutes east of UTC when the stamp says its zone; else the device's configured zone applies. */
  offset?: number | undefined;
  hostname: string;
  /** Index in `line` where the text after the header starts. */
  body: number;
}

/** One vendor: the only place that knows its log formats, CLI and configuration syntax. */
/**
 * A platform's own export file format, read for `aaawatch import` as the file streams in: a file
 * of any size is read holding one record at a time.
 */
export interface ImportFormat {
  /** Whether a file that begins with `head` (its first few KiB, as text) is in this format. */
  claims(head: string): boolean;
  /**
   * How the reader is given the file: UTF-8 text (the default), or `latin1`, a character a byte,
   * for a format whose fields are counted in bytes and may hold any (journalctl's export format).
   */
  encoding?: 'latin1';
  /** A reader for one file, keeping no record longer than `maxRecordChars`. */
  reader(maxRecordChars: number): ImportReader;
}

/** Text in, records out: each record's text is then read like a message body. */
export interface ImportReader {
  /** The items the text completes. */
  push(text: string): ImportItem[];
  /** At the end of the file: the last items, and whatever the file left unfinished. */
  end(): ImportItem[];
}

/**
 * A record (`latin1`: its text is the Latin-1 reading of bytes that are not UTF-8, stored and
 * counted as a listener does such a frame), or something in the file that is not one (counted and
 * kept as malformed).
 */
export type ImportItem = { text: string; latin1?: boolean } | { malformed: string; sample: string };

export interface Platform {
  id: string;
  name: string;
  /** Normalised records for a syslog message from this platform; an empty array when it is not one. Must reject unrelated traffic cheaply. Called as a plain function (no `this`). */
  recognise?(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[];
  /** For `aaawatch import FILE`: this platform's own export file format (a CloudTrail `Records` file). */
  importFormat?: ImportFormat;
  ssh?: SessionProfile;
  accounts?(configText: string): LocalAccount[];
  /**
   * The custom roles a (redacted) configuration defines that resolve (`privileges.resolvedRole`),
   * held by an account or not: Junos `ops` → `ops (permissions all)`. A user syslog later puts in one
   * is recorded resolved, though syslog never showed its definition (src/ingest/resolve.ts).
   */
  resolvedRoles?(configText: string): Map<string, string>;
  /**
   * The account actions whose role is a user's own statement, resolved against the latest pull's
   * roles (resolvedRoles). Default: a making or change (`account.set`, `account.create`,
   * `account.modify`); a Junos `privilege.change` is a class's change syslog showed after the pull,
   * which stands, where FortiOS logs an administrator's profile set as one.
   */
  roleStatements?: readonly string[];
  /** The configuration with every password, secret, hash, key and community replaced. */
  redact?(configText: string): string;
  /**
   * A reader of commands typed at this platform's CLI, for account commands that are neither
   * Cisco-style (`username`) nor Junos (`set system login user`), which
   * parsers/lib/account-command.ts reads for every platform: how native TACACS+ accounting's `cmd=`
   * from such a device is read (VRP `local-user`; Comware's `password` in the view a `local-user`
   * entered). Made once per serve and given every command in order with its session (device,
   * port, user), so a reader may follow what a session's earlier commands did.
   */
  commandReader?(): OwnCommands;
  /**
   * Whether a (redacted) configuration makes the device auditable: commands accounted to an AAA
   * server, configuration changes written to syslog, a logging host among `collectors` (this
   * collector's addresses; empty = not compared). Only the checks the platform has a setting for.
   */
  audit?(configText: string, collectors: readonly string[]): AuditCheck[];
  /** How the privilege and roles `accounts` reads rank against each other. */
  privileges?: PrivilegeScheme;
  /** A header form of this vendor's that the header scanner does not know. */
  header?: HeaderQuirk;
  /**
   * Which messages `recognise` can read, so the recogniser offers it only those. Optional: a
   * platform that declares none is offered every message (correct, only slower).
   */
  offer?: Offer;
}

/**
 * Prefixes of the messages a platform's `recognise` can read: a message is offered to it when its
 * tag (`SYS-5-CONFIG_I`), its program (`useradd`), its text or its RFC 5424 MSGID starts with one of them. Every
 * message `recognise` turns into records or reports as unknown must match one; the others are
 * turned away before any platform code runs (src/ingest/dispatch.ts).
 */
export interface Offer {
  /** `SyslogMessage.tag` prefixes: a facility with its dash (`SYS-`, `ASA-`). */
  tags?: readonly string[];
  /** `SyslogMessage.appName` prefixes (`useradd`, `CISE_`). */
  programs?: readonly string[];
  /** `SyslogMessage.message` prefixes (`%%`, `date=`, `{`). */
  texts?: readonly string[];
  /** `SyslogMessage.msgId` prefixes, the RFC 5424 MSGID (`UI_`). */
  msgIds?: readonly string[];
}
