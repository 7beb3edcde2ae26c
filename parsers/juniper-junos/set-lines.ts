// Junos configuration as `set` lines, whichever form `show configuration` printed, so that a
// setting can be matched by one pattern.

/** Junos configuration as `set` lines (without `set `), from either form; `inactive:` and deactivated statements are left out (they do not apply). */
export function junosSetLines(lines: readonly string[]): string[] {
  if (lines.some((l) => l.startsWith('set '))) {
    const deactivated = deactivatedIn(lines);
    return lines.filter((l) => l.startsWith('set ')).map((l) => l.slice(4).trim()).filter((l) => !deactivated(l.split(/\s+/)));
  }
  const out: string[] = [];
  const stack: string[] = [];
  let inactiveDepth = 0;
  for (const raw of lines) {
    const line = raw.replace(/\s*##.*$/, '').replace(/\/\*.*?\*\//g, '').trim();
    if (!line || line.startsWith('#')) continue;
    if (line === '}') {
      stack.pop();
      if (inactiveDepth > stack.length) inactiveDepth = 0;
      continue;
    }
    const inactive = line.startsWith('inactive: ');
    const stmt = inactive ? line.slice(10) : line;
    if (stmt.endsWith('{')) {
      stack.push(stmt.slice(0, -1).trim());
      if (inactive && inactiveDepth === 0) inactiveDepth = stack.length;
      continue;
    }
    if (inactiveDepth || inactive) continue;
    out.push([...stack, stmt.replace(/;$/, '')].join(' '));
  }
  return out;
}

/**
 * Whether a `set` statement's words lie under a `deactivate` line of the same configuration
 * (`display set` prints `deactivate system login user bob` after bob's `set` lines): what it
 * deactivates does not apply, as an `inactive:` block does not in the brace form.
 */
export function deactivatedIn(lines: readonly string[]): (words: readonly string[]) => boolean {
  const prefixes = lines.flatMap((l) => {
    const d = /^deactivate\s+(.+)$/.exec(l.replace(/\s*##.*$/, '').trim());
    return d ? [d[1]!.split(/\s+/)] : [];
  });
  if (prefixes.length === 0) return () => false;
  return (words) => prefixes.some((p) => p.length <= words.length && p.every((w, i) => w === words[i]));
}
