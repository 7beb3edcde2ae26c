// `npm run corpus`: per platform, the corpus lines its cases review, the records it produced over
// the whole corpus (by kind), mismatches against the cases, and corpus lines no case reviews.
// Exits non-zero on any mismatch or invalid case.

import { compareCorpus } from './corpus-cases.js';

const MAX_LISTED = 20;

function list(title: string, items: string[]): void {
  if (items.length === 0) return;
  console.log(`  ${title} (${items.length}):`);
  for (const i of items.slice(0, MAX_LISTED)) console.log(`    ${i}`);
  if (items.length > MAX_LISTED) console.log(`    … ${items.length - MAX_LISTED} more`);
}

const result = await compareCorpus();
let failed = result.invalid.length;
console.log('platform            lines  account  command  session  mismatches  unreviewed');
for (const p of result.platforms) {
  const r = (k: string): string => String(p.records[k] ?? 0).padStart(7);
  console.log(
    `${p.platform.padEnd(18)} ${String(p.linesRead).padStart(6)}  ${r('account')}  ${r('command')}  ${r('session')}  ` +
      `${String(p.mismatches.length).padStart(10)}  ${String(p.unreviewed.length).padStart(10)}`,
  );
  failed += p.mismatches.length;
}
for (const p of result.platforms) {
  if (p.mismatches.length + p.unreviewed.length === 0) continue;
  console.log(`\n${p.platform}:`);
  list('mismatches', p.mismatches);
  list('unreviewed lines', p.unreviewed);
}
if (result.unownedFiles.length > 0) {
  console.log('\ncorpus files no case file covers:');
  for (const f of result.unownedFiles) console.log(`  ${f.file} (${f.lines} lines)`);
}
if (result.invalid.length > 0) {
  console.log('\ninvalid cases:');
  for (const i of result.invalid) console.log(`  ${i}`);
}
console.log(failed === 0 ? '\nno mismatches' : `\n${failed} problem(s)`);
process.exitCode = failed === 0 ? 0 : 1;
