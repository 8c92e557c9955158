/**
 * The platforms' own programs (php, hugo, jekyll) that render the examples. CI always has them (.ci/run installs
 * them) and fails without them; on a developer's machine a missing one skips its file with one line saying how to
 * get it, so `npm test` passes where only Node and Chromium are installed.
 */
import { spawnSync } from 'node:child_process';
import { test } from 'vitest';

function installed(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** `test`, or `test.skip` with a hint when `command` is missing outside CI. */
export function testWith(command: string, debianPackage: string): typeof test {
  if (installed(command) || process.env['CI']) return test;
  console.warn(
    `[sala] ${command} is not installed: skipping its example's tests (Debian: apt-get install ${debianPackage})`,
  );
  return test.skip as unknown as typeof test;
}
