/**
 * Preflight for `npm start`, `npm run deploy` and the other scripts that run `.ts` files with plain `node`: they
 * need Node's built-in type stripping, on by default from Node 22.18 (and 23.6). On an older Node those scripts
 * die with ERR_UNKNOWN_FILE_EXTENSION; this says instead, in one line, which Node is needed and how to get it.
 * CommonJS without newer syntax (no `?.`, no `import`), so that even an old Node can run it to print the message.
 */
'use strict';

/** The first versions that run Sala's scripts; package.json `engines.node` says the same for npm. */
const MINIMUM = [22, 18, 0];
const MINIMUM_AFTER_22 = [23, 6, 0];

function parse(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .map((part) => parseInt(part, 10) || 0);
}

function atLeast(version, minimum) {
  for (let index = 0; index < 3; index++) {
    if (version[index] !== minimum[index]) return version[index] > minimum[index];
  }
  return true;
}

/**
 * Why this Node cannot run Sala's scripts, as one line, or null when it can. `typescript` is
 * `process.features.typescript`: false when type stripping is off (`--no-experimental-strip-types`).
 */
function nodeProblem(version, typescript) {
  const parts = parse(version);
  const recent = atLeast(parts, parts[0] === 22 ? MINIMUM : MINIMUM_AFTER_22);
  if (!recent) {
    return (
      `Sala needs Node.js 22.18 or newer (this is Node ${version}): get it with \`nvm install\` or ` +
      '`fnm install` (both read .nvmrc), or see "Run it locally" in README.md.'
    );
  }
  if (!typescript) {
    return (
      `Sala runs its .ts scripts with Node's type stripping, which is off here (Node ${version}): ` +
      'remove --no-experimental-strip-types from NODE_OPTIONS.'
    );
  }
  return null;
}

module.exports = { nodeProblem };

if (require.main === module) {
  const problem = nodeProblem(`v${process.versions.node}`, Boolean(process.features && process.features.typescript));
  if (problem) {
    console.error(`[sala] ${problem}`);
    process.exit(1);
  }
}
