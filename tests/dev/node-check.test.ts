/**
 * The Node preflight (scripts/check-node.cjs): on a Node that cannot run Sala's `.ts` scripts, `npm start` stops
 * with one line naming the Node needed and how to get it, before building anything.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const { nodeProblem } = createRequire(import.meta.url)('../../scripts/check-node.cjs') as {
  nodeProblem(version: string, typescript: boolean): string | null;
};

test('Node 22.18+ and 23.6+ pass; older ones get one line saying what is needed and how to get it', () => {
  for (const version of ['v22.18.0', 'v22.21.1', 'v23.6.0', 'v24.0.0', 'v26.1.0']) {
    expect(nodeProblem(version, true), version).toBeNull();
  }
  for (const version of ['v20.20.2', 'v22.12.0', 'v22.17.1', 'v23.5.0']) {
    const problem = nodeProblem(version, false);
    expect(problem, version).toContain('Sala needs Node.js 22.18 or newer');
    expect(problem).toContain(`this is Node ${version}`);
    expect(problem).toContain('nvm install');
    expect(problem).not.toContain('\n');
  }
});

test('the stated minimum is the checked one: engines, the worker, .nvmrc and CI agree', () => {
  const engines = (path: string) =>
    (JSON.parse(readFileSync(resolve(root, path), 'utf8')) as { engines: { node: string } }).engines.node;
  expect(engines('package.json')).toBe('^22.18.0 || >=23.6.0');
  expect(engines('worker/package.json')).toBe(engines('package.json'));
  expect(nodeProblem(`v${readFileSync(resolve(root, '.nvmrc'), 'utf8').trim()}.0.0`, true)).toBeNull();
  expect(readFileSync(resolve(root, '.ci/run'), 'utf8')).toContain('node scripts/check-node.cjs');
});

test('npm start on a Node without type stripping stops at once with the one line', () => {
  const start = spawnSync('npm', ['start'], {
    cwd: root,
    encoding: 'utf8',
    // What Node before 22.18 does by default: .ts files are not runnable.
    env: { ...process.env, NODE_OPTIONS: '--no-experimental-strip-types' },
    timeout: 30_000,
  });
  expect(start.status).toBe(1);
  const saying = start.stderr.split('\n').filter((line) => line.includes('[sala]'));
  expect(saying).toEqual([expect.stringContaining('type stripping, which is off here')]);
  expect(start.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  // Stopped before the build: rollup printed nothing.
  expect(start.stdout + start.stderr).not.toContain('rollup');
});
