// Writes aaawatch(1) or the bash completion to stdout: `node dist/packaging/docs/generate.js man|bash`
// after `npm run build`.
// The page's date is $SOURCE_DATE_EPOCH (the commit's, when the package build sets it).

// An --config default from this environment must not end up in the page.
delete process.env.AAAWATCH_CONFIG;
const { createProgram } = await import('../../src/program.js');
const { VERSION } = await import('../../src/version.js');
const { manPage } = await import('./man.js');
const { bashCompletion } = await import('./completion.js');

const what = process.argv[2];
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const date = Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date();
if (what === 'man') process.stdout.write(manPage(await createProgram(), { version: VERSION, date }));
else if (what === 'bash') process.stdout.write(bashCompletion(await createProgram()));
else {
  process.stderr.write('usage: generate.ts man|bash\n');
  process.exit(2);
}
