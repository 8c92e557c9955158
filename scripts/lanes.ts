/**
 * `node scripts/lanes.ts "a b" "c"`: runs npm scripts in lanes side by side, each lane's scripts one after another
 * (`a` then `b`, beside `c`), so `npm test`'s type checks use both cores of a small CI machine instead of one. Each
 * script's output is printed whole when it ends, never interleaved; the exit code is the first failure's, after every
 * lane has stopped (a lane stops at its first failure).
 */
import { spawn } from 'node:child_process';

function run(script: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => {
      process.stdout.write(`> ${script}${code === 0 ? '' : ` (failed, exit ${code})`}\n${output}`);
      done(code ?? 1);
    });
  });
}

async function lane(scripts: string[]): Promise<number> {
  for (const script of scripts) {
    const code = await run(script);
    if (code !== 0) return code;
  }
  return 0;
}

const lanes = process.argv.slice(2).map((arg) => arg.split(/\s+/).filter(Boolean));
if (lanes.length === 0) {
  console.error('usage: node scripts/lanes.ts "script script…" "script…"');
  process.exit(2);
}
const codes = await Promise.all(lanes.map(lane));
process.exitCode = codes.find((code) => code !== 0) ?? 0;
