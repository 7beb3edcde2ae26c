// What each platform's folder says about the recorded SSH sessions it pulls
// (`parsers/<platform>/test/recordings.ts`): which Oxidized models are its, the accounts each
// recording holds, the secrets a recording without #secret.yaml carries, and how the peer's stored
// output differs from the configuration command's. Found by looking, as the platforms are
// (parsers/index.ts), so a new platform's recordings are pulled without an edit here.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { platformFolders } from '../../../parsers/folders.js';
import type { Exchange } from './transcript.js';

/** An account as a recording's configuration holds it, read by eye from the recording. */
export interface ExpectedAccount {
  name: string;
  roles: string[];
  credentials: string[];
  privilege?: string;
}

/** How the peer (Oxidized) stores a model's configuration, for test/pull/substance.ts. */
export interface PeerForm {
  /** The character the model's own comment lines start with (`!`, `#`). */
  comment: string;
  /** Lines of the configuration command's output that the model drops. */
  drops?: RegExp[];
  /** Lines the model rewrites: aaawatch's form, the peer's. */
  rewrites?: Array<[ours: RegExp, peer: RegExp]>;
  /** Joins what the model joins before comparing (RouterOS `\`-continued lines). */
  join?(text: string): string;
}

export interface PlatformRecordings {
  /** Oxidized's model names (the part of a recording's name before the first `#`) this platform pulls. */
  models: Record<string, PeerForm>;
  /** For every recording of those models (its name without `#simulation.yaml`): the accounts it holds. */
  accounts: Record<string, ExpectedAccount[]>;
  /** Secrets in recordings that come without a #secret.yaml, found by reading them. */
  secrets?: Record<string, string[]>;
  /** Answers for commands the platform sends that the recordings lack (test-authored). */
  extra?: Exchange[];
  /** The part of the pulled text the peer compares against, when the platform sends more than the peer did. */
  configPart?(raw: string): string;
  /** What the device answers to a command it does not know, when not IOS's `% Invalid input`. */
  unknownCommand?(command: string): string;
}

export interface ModelRecordings extends PlatformRecordings {
  platform: string;
  model: string;
  peer: PeerForm;
}

async function discover(): Promise<Map<string, ModelRecordings>> {
  const byModel = new Map<string, ModelRecordings>();
  for (const folder of platformFolders()) {
    const file = join(folder.dir, 'test', 'recordings.ts');
    if (!existsSync(file)) continue;
    const { recordings } = (await import(pathToFileURL(file).href)) as { recordings?: PlatformRecordings };
    if (!recordings) throw new Error(`${file}: exports no \`recordings\``);
    for (const [model, peer] of Object.entries(recordings.models)) {
      const other = byModel.get(model);
      if (other) throw new Error(`Oxidized model ${model} is claimed by ${other.platform} and ${folder.name}`);
      byModel.set(model, { ...recordings, platform: folder.name, model, peer });
    }
  }
  return byModel;
}

/** Oxidized model → what its platform says about its recordings. */
export const RECORDINGS: ReadonlyMap<string, ModelRecordings> = await discover();

/** Oxidized's model name → aaawatch's platform. */
export const MODEL_PLATFORM: Readonly<Record<string, string>> = Object.fromEntries([...RECORDINGS].map(([model, r]) => [model, r.platform]));
