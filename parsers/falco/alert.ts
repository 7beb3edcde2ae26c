// A Falco alert, from its JSON output (`json_output: true`: rule, priority, time, output,
// output_fields, hostname) or from its text output as syslog carries it:
//   09:42:29.211379652: Notice User management binary command run outside of container (user=root … command=groupadd google-sudoers …)
//   09:42:29.211379652: Notice User management binary command run outside of container | evt_type=execve user=root … command=groupadd google-sudoers …
// The text form names no rule, so the output's sentence stands for it, and its `name=value` fields
// are read by the names Falco's rules print.

import { asObject, field, objectAt, text, textAt, type JsonObject } from '../lib/json-fields.js';
import { parseIsoLike } from '../lib/record-time.js';

export interface Alert {
  /** Rule name (JSON) and/or the output's sentence before its fields (text). */
  title: string;
  stamp?: { ms: number; zoned: boolean } | undefined;
  hostname?: string | undefined;
  user?: string | undefined;
  command?: string | undefined;
  program?: string | undefined;
  file?: string | undefined;
  eventType?: string | undefined;
  containerId?: string | undefined;
  containerName?: string | undefined;
  image?: string | undefined;
  pod?: string | undefined;
  namespace?: string | undefined;
}

// Field names in the outputs of Falco's rules (falcosecurity/rules) for processes, files, containers.
const TEXT_FIELDS =
  'user|user_uid|user_loginuid|user_name|command|cmdline|pid|ppid|parent|gparent|ggparent|gggparent|pcmdline|' +
  'process|proc_exepath|parent_exepath|exe_flags|terminal|shell|program|file|name|flags|evt_type|' +
  'container|container_id|container_name|image|k8s\\.ns|k8s\\.pod|k8s_ns|k8s_pod_name';
const FIELD = new RegExp(`(?<=[\\s(])(${TEXT_FIELDS})=`, 'g');
const PRIORITY = /^(?:Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug) /;
const CLOCK = /^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})|\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?): /;

const real = (v: string | undefined): string | undefined =>
  v === undefined || v === '' || v === '<NA>' || v === 'N/A' ? undefined : v;

/** The text output of a rule, as syslog or a log file carries it. */
export function readTextAlert(message: string): Alert | undefined {
  let s = message;
  let stamp: { ms: number; zoned: boolean } | undefined;
  const clock = CLOCK.exec(s);
  if (clock) {
    // `time_format_iso_8601: true` gives a full stamp; the default time of day alone leaves the
    // syslog header's time to stand.
    const text = clock[0].slice(0, -2);
    if (text.charCodeAt(4) === 45) stamp = parseIsoLike(text);
    s = s.slice(clock[0].length);
  }
  const priority = PRIORITY.exec(s);
  if (priority) s = s.slice(priority[0].length);
  // The fields follow the sentence in parentheses (rules before falcosecurity/rules 2.0) or after
  // ` | ` (`… | evt_type=… user=… command=…`, the rules since); a command may hold either.
  const paren = s.indexOf(' (');
  const bar = s.indexOf(' | ');
  const barred = bar > 0 && (paren < 0 || bar < paren);
  const open = barred ? bar : paren;
  if (open <= 0) return undefined;
  const fields = readTextFields(s, !barred);
  const container = real(fields.container_id) ?? real(fields.container);
  return {
    title: s.slice(0, open),
    stamp,
    user: real(fields.user) ?? real(fields.user_name),
    command: real(fields.command) ?? real(fields.cmdline),
    program: real(fields.process),
    file: real(fields.file) ?? real(fields.name),
    eventType: real(fields.evt_type),
    containerId: container === 'host' ? undefined : container,
    // %container.info prints `container_id=host container_name=host` for a process on the host.
    containerName: container === 'host' ? undefined : real(fields.container_name),
    image: real(fields.image),
    pod: real(fields['k8s.pod']) ?? real(fields.k8s_pod_name),
    namespace: real(fields['k8s.ns']) ?? real(fields.k8s_ns),
  };
}

function readTextFields(s: string, parenthesised: boolean): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const marks = [...s.matchAll(FIELD)].slice(0, 64);
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    const start = m.index + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index : s.length;
    let v = s.slice(start, end).trimEnd();
    // The field list is wrapped in parentheses; more fields may follow them (`) k8s.ns=…`).
    if (parenthesised && v.endsWith(')')) v = v.slice(0, -1).trimEnd();
    out[m[1]!] ??= v;
  }
  return out;
}

/** Falco's JSON output. */
export function readJsonAlert(o: JsonObject): Alert | undefined {
  const rule = textAt(o, 'rule');
  const output = textAt(o, 'output');
  const f = objectAt(o, 'output_fields');
  if (rule === undefined || output === undefined || f === undefined) return undefined;
  const at = (name: string): string | undefined => real(text(field(f, name)));
  const stampText = textAt(o, 'time');
  const repository = at('container.image.repository');
  const tag = at('container.image.tag');
  const container = at('container.id');
  const fromText = readTextAlert(output);
  return {
    title: rule,
    stamp: parseIsoLike(stampText),
    hostname: textAt(o, 'hostname'),
    user: at('user.name') ?? fromText?.user,
    command: at('proc.cmdline') ?? fromText?.command,
    program: at('proc.name') ?? fromText?.program,
    file: at('fd.name') ?? fromText?.file,
    eventType: at('evt.type') ?? fromText?.eventType,
    containerId: container === 'host' ? undefined : container ?? fromText?.containerId,
    containerName: at('container.name') ?? fromText?.containerName,
    image: (repository ? (tag ? `${repository}:${tag}` : repository) : undefined) ?? at('container.image') ?? fromText?.image,
    pod: at('k8s.pod.name') ?? fromText?.pod,
    namespace: at('k8s.ns.name') ?? fromText?.namespace,
  };
}

export function isJsonAlert(o: JsonObject): boolean {
  return asObject(field(o, 'output_fields')) !== undefined && typeof field(o, 'rule') === 'string';
}
