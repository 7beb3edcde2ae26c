// Recognising the device's prompt, pager and password questions on the line the cursor sits on.
// The prompt is learnt once at login and afterwards only that device's own prompt (same base,
// mode suffix allowed) ends a command: `description uplink to core#` or `noc@example.com` inside
// a configuration never does (Oxidized #184, #2345).

import type { SessionProfile } from '../types.js';

/** `Password:`, `Enter password:`, `Passcode:` with the cursor after it. */
export const PASSWORD_PROMPT = /(?:password|passcode|passwort)\s*:\s*$/i;

/** Screens that wait for a key before the CLI appears (ProCurve, Aruba, some banners). */
const ANY_KEY = /(?:press|hit) (?:any key|return|enter)\b.*$/i;

/** The prompt without its mode character and trailing space: `sw1>` → `sw1`, `fw1 (global) # ` → `fw1 (global)`. */
export function promptBase(prompt: string): string {
  return prompt.replace(/\s*[#>$%]\s*$/, '');
}

// What may follow the base in a later prompt: a mode in parentheses (`(config)`, ` (global)`) and the mode character.
const MODE = /^(?:\s?\([\w./-]*\))*\s?[#>$%]\s?$/;

/** Whether a rendered line is the prompt of the device whose first prompt had this base. */
export function isOwnPrompt(line: string, profile: SessionProfile, base: string): boolean {
  return line.startsWith(base) && MODE.test(line.slice(base.length)) && profile.prompt.test(line);
}

/** A pager prompt for this platform, or the common `--More--`. */
export function isPager(line: string, profile: SessionProfile): boolean {
  return (profile.more ?? /--More--\s*$/).test(line);
}

/** The answer to a pre-prompt screen, if the line is one. */
export function answerFor(line: string, profile: SessionProfile): string | undefined {
  for (const a of profile.answers ?? []) if (a.prompt.test(line)) return a.send;
  return ANY_KEY.test(line) ? '\n' : undefined;
}
