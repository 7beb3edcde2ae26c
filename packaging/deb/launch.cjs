'use strict';
// Entry point of the Debian package. Written for any Node.js, so an old one hears why it cannot
// run aaawatch instead of failing on syntax: the package's native SQLite module is built for one
// Node.js line (its ABI), and aaawatch needs 20.19 or newer.
var BUILT_ABI = '@NODE_ABI@';
var BUILT_MAJOR = '@NODE_MAJOR@';
var v = process.versions.node.split('.').map(Number);
var problem;
if (v[0] < 20 || (v[0] === 20 && v[1] < 19)) {
  problem = 'aaawatch needs Node.js 20.19 or newer; ' + process.execPath + ' is ' + process.version + '.';
} else if (process.versions.modules !== BUILT_ABI) {
  problem =
    'this aaawatch package was built for Node.js ' + BUILT_MAJOR + ' (module ABI ' + BUILT_ABI + '); ' +
    process.execPath + ' is ' + process.version + ' (ABI ' + process.versions.modules + ').';
}
if (problem) {
  process.stderr.write(
    'aaawatch: ' + problem + '\n' +
      'Install Node.js ' + BUILT_MAJOR + ' (20.19 or newer) and point AAAWATCH_NODE at it, or build the package ' +
      'with the Node.js you run (npm run package:deb in the source).\n',
  );
  process.exit(1);
}
import('./dist/src/cli.js');
