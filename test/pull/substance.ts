// "The pulled configuration matches the peer's stored #output.txt in substance", made exact.
//
// Oxidized (the peer) stores, per device, comment lines of its own made from other commands'
// output (`show version`, inventory, `/system resource print`, prefixed `! ` or `# `), then the
// configuration command's output with a few model-specific lines removed or rewritten. aaawatch
// stores only the configuration command's output. So, after normalising both texts the same way
// (rendered as a terminal shows them; trailing white space and empty lines dropped; RouterOS
// `\`-continued lines joined, as Oxidized joins them):
//
//   1. drop from aaawatch's text the lines the peer's model drops (PeerForm `drops`: `Building
//      configuration...`, `Current configuration : N bytes`, NX-OS `!Time:`, ASA `:` header
//      and trailer lines, FortiOS `#conf_file_ver=`, the RouterOS export's date line);
//   2. what remains must appear in the peer's text as one contiguous run of lines, equal line by
//      line, except where the peer's model rewrites a value (PeerForm `rewrites`: IOS `expression 42`
//      stored as `expression <value removed>`);
//   3. every peer line outside that run must be one of the peer's own comment lines (it starts
//      with the model's comment character).
//
// Nothing of the configuration may be missing, reordered or added.

import { RECORDINGS, type PeerForm } from '../support/emulator/recordings.js';

// What the peer does to each model's text is the model's platform's to say
// (`parsers/<platform>/test/recordings.ts`, PeerForm).
function peerForm(model: string): PeerForm {
  const form = RECORDINGS.get(model)?.peer;
  if (!form) throw new Error(`no platform claims the Oxidized model ${model}`);
  return form;
}

export function normalise(text: string, peer: PeerForm): string[] {
  const joined = peer.join ? peer.join(text) : text;
  return joined
    .split('\n')
    .map((l) => l.replace(/\r/g, '').trimEnd())
    .filter((l) => l.length > 0);
}

function lineMatches(ours: string, theirs: string, peer: PeerForm): boolean {
  if (ours === theirs) return true;
  return (peer.rewrites ?? []).some(([o, p]) => o.test(ours) && p.test(theirs));
}

/** Undefined when the texts match in substance, else what differs. */
export function substanceMismatch(pulled: string, peerOutput: string, model: string): string | undefined {
  const form = peerForm(model);
  const drops = form.drops ?? [];
  const ours = normalise(pulled, form).filter((l) => !drops.some((d) => d.test(l)));
  const peer = normalise(peerOutput, form);
  if (ours.length === 0) return 'nothing was pulled';
  for (let start = 0; start + ours.length <= peer.length; start++) {
    if (!ours.every((l, i) => lineMatches(l, peer[start + i]!, form))) continue;
    const outside = [...peer.slice(0, start), ...peer.slice(start + ours.length)];
    const stray = outside.find((l) => !l.startsWith(form.comment));
    return stray === undefined ? undefined : `the peer has a configuration line aaawatch lacks: ${JSON.stringify(stray)}`;
  }
  const firstDiff = ours.findIndex((l) => !peer.some((p) => lineMatches(l, p, form)));
  return firstDiff >= 0
    ? `aaawatch has a line the peer lacks: ${JSON.stringify(ours[firstDiff])}`
    : 'the lines are the same but not in one run, in the same order';
}
