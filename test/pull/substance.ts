// "The pulled configuration matches the peer's stored #output.txt in substance", made exact.
//
// Oxidized (the peer) stores, per device, comment lines of its own made from other commands'
// output (`show version`, inventory, `/system resource print`, prefixed `! ` or `# `), then the
// configuration command's output with a few model-specific lines removed or rewritten. aaawatch
// stores only the configuration command's output. So, after normalising both texts the same way
// (rendered as a terminal shows them; trailing white space and empty lines dropped; RouterOS
// `\`-continued lines joined, as Oxidized joins them):
//
//   1. drop from aaawatch's text the lines the peer's model drops (PEER_DROPS: `Building
//      configuration...`, `Current configuration : N bytes`, NX-OS `!Time:`, ASA `:` header
//      and trailer lines, FortiOS `#conf_file_ver=`, the RouterOS export's date line);
//   2. what remains must appear in the peer's text as one contiguous run of lines, equal line by
//      line, except where the peer's model rewrites a value (PEER_REWRITES: IOS `expression 42`
//      stored as `expression <value removed>`);
//   3. every peer line outside that run must be one of the peer's own comment lines (it starts
//      with the model's comment character).
//
// Nothing of the configuration may be missing, reordered or added.

const PEER_DROPS: Record<string, RegExp[]> = {
  ios: [/^Building configuration\.\.\.$/, /^Current configuration : \d+ bytes$/],
  nxos: [/^!Time: /],
  asa: [/^:/],
  fortigate: [/^#conf_file_ver=/],
  routeros: [/^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS /],
};

const PEER_REWRITES: Record<string, Array<[ours: RegExp, peer: RegExp]>> = {
  ios: [[/^\s+expression \S+$/, /^\s+expression <value removed>$/]],
};

const COMMENT: Record<string, string> = { ios: '!', nxos: '!', eos: '!', asa: '!', junos: '#', fortigate: '#', routeros: '#' };

export function normalise(text: string, model: string): string[] {
  const joined = model === 'routeros' ? text.replace(/\\\r?\n\s+/g, '') : text;
  return joined
    .split('\n')
    .map((l) => l.replace(/\r/g, '').trimEnd())
    .filter((l) => l.length > 0);
}

function lineMatches(ours: string, peer: string, model: string): boolean {
  if (ours === peer) return true;
  return (PEER_REWRITES[model] ?? []).some(([o, p]) => o.test(ours) && p.test(peer));
}

/** Undefined when the texts match in substance, else what differs. */
export function substanceMismatch(pulled: string, peerOutput: string, model: string): string | undefined {
  const drops = PEER_DROPS[model] ?? [];
  const ours = normalise(pulled, model).filter((l) => !drops.some((d) => d.test(l)));
  const peer = normalise(peerOutput, model);
  if (ours.length === 0) return 'nothing was pulled';
  for (let start = 0; start + ours.length <= peer.length; start++) {
    if (!ours.every((l, i) => lineMatches(l, peer[start + i]!, model))) continue;
    const outside = [...peer.slice(0, start), ...peer.slice(start + ours.length)];
    const stray = outside.find((l) => !l.startsWith(COMMENT[model] ?? '#'));
    return stray === undefined ? undefined : `the peer has a configuration line aaawatch lacks: ${JSON.stringify(stray)}`;
  }
  const firstDiff = ours.findIndex((l) => !peer.some((p) => lineMatches(l, p, model)));
  return firstDiff >= 0
    ? `aaawatch has a line the peer lacks: ${JSON.stringify(ours[firstDiff])}`
    : 'the lines are the same but not in one run, in the same order';
}
