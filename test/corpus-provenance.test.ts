// The corpus README names the source of every file in test/corpus: a file added without a row of
// provenance, or a row left behind for a file that is gone, fails here.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from './support/corpus.js';

const root = corpusPath();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The rows of the table under "## Provenance": the file named in the first cell, and the other cells. */
function provenanceRows(): Array<{ file: string; cells: string[] }> {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const section = text.split(/^## Provenance$/m)[1];
  if (section === undefined) throw new Error('test/corpus/README.md has no "## Provenance" section');
  const rows: Array<{ file: string; cells: string[] }> = [];
  for (const line of section.split('\n')) {
    // Cells are split on pipes that are not escaped (`\|` inside a cell is text).
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const named = /^`([^`]+)`$/.exec(cells[0] ?? '');
    if (named) rows.push({ file: named[1]!, cells: cells.slice(1) });
  }
  return rows;
}

describe('corpus provenance', () => {
  const rows = provenanceRows();
  const named = rows.map((r) => r.file);

  it('names every file of the corpus in a row, and only files that exist', () => {
    const files = filesUnder(root).map((f) => relative(root, f)).filter((f) => f !== 'README.md').sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !named.includes(f))).toEqual([]);
    expect(named.filter((f) => !files.includes(f))).toEqual([]);
  });

  it('gives each file one row with its source, path, commit and licence filled in', () => {
    expect(named.filter((f, i) => named.indexOf(f) !== i)).toEqual([]);
    for (const r of rows) {
      expect(r.cells, r.file).toHaveLength(4);
      for (const cell of r.cells) expect(cell, r.file).not.toBe('');
    }
  });
});
