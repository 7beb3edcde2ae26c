// What every envelope reader hands back: the event inside, as the text a platform would receive
// bare, and what the envelope itself says about that event (host, program, time). The facts fill
// only what the event's own header leaves unsaid (src/ingest/header.ts `parseEnveloped`).

/** The forwarder shapes aaawatch opens (docs/ARCHITECTURE.md, "Envelopes"). */
export type EnvelopeKind = 'wazuh' | 'ecs' | 'nxlog' | 'gelf' | 'windows-xml';

export interface EnvelopeFacts {
  /** The host the event came from, as the envelope names it (Wazuh agent, ECS `host.name`, GELF `host`). */
  hostname?: string | undefined;
  /** The program that wrote it (NXLog `SourceName`, ECS `process.name`). */
  appName?: string | undefined;
  procId?: string | undefined;
  /** The envelope's stamp for the event: epoch ms UTC, the text as sent, and whether it said its zone. */
  time?: { ms: number; text: string; zoned: boolean } | undefined;
}

export interface Opened extends EnvelopeFacts {
  kind: EnvelopeKind;
  /** The inner event: a syslog line (with or without its own header) or a JSON object's text. */
  inner: string;
}
