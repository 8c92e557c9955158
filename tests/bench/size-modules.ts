/**
 * `SALA_SOURCEMAP=1 npm run build && node tests/bench/size-modules.ts [element]`: where the bytes of an element's first
 * visit come from (default: comments.thread, the thread on a page with one; `comments` is the thread's chunk of the
 * set without it, embed.ts). It deletes the source maps once read, so none is deployed. For every chunk the visit downloads, each source module's minified bytes and
 * what it costs in brotli: the chunk's brotli size less that of the chunk without the module's bytes. Brotli costs
 * are not additive (a module that repeats another's names costs less than alone), but they rank what to cut.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const publicDir = join(import.meta.dirname, '../../worker/public');
/** The build copies public/ here for `npm start`, maps included. */
const devPublicDir = join(import.meta.dirname, '../../worker/dev-public');
const element = process.argv[2] ?? 'comments.thread';

const brotli = (text: string) =>
  brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The source index of each segment of a source map's `mappings`, per generated line: [column, source][]. */
function segments(mappings: string): [number, number][][] {
  let source = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const fields: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          shift += 5;
          if (digit & 32) continue;
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          [value, shift] = [0, 0];
        }
        column += fields[0]!;
        if (fields.length > 1) source += fields[1]!;
        return [column, source] as [number, number];
      });
  });
}

/** Each character of `code` credited to the module its last mapped segment came from. */
function owners(code: string, map: { sources: string[]; mappings: string }): string[] {
  const names = map.sources.map((source) =>
    source.includes('node_modules/')
      ? `lit: ${source.replace(/.*node_modules\//, '')}`
      : source.replace(/^(\.\.\/)+/, ''),
  );
  const lines = segments(map.mappings);
  const result: string[] = [];
  let current = '(rollup)';
  code.split('\n').forEach((line, index) => {
    const marks = lines[index] ?? [];
    let next = 0;
    for (let column = 0; column <= line.length; column++) {
      while (next < marks.length && marks[next]![0] <= column) current = names[marks[next++]![1]]!;
      result.push(current);
    }
  });
  return result;
}

function staticImports(file: string): string[] {
  const code = readFileSync(join(publicDir, file), 'utf8');
  const found = code.matchAll(/(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["']\.\/([^"']+\.js)["']/g);
  return [...found].map((match) => `widgets/${match[1]!}`);
}

/** Each chunk of `element`'s first visit, module by module. */
function report(): void {
  const embed = readFileSync(join(publicDir, 'embed.js'), 'utf8');
  const entry = [...embed.matchAll(/import\(\s*["']\.\/(widgets\/[^"']+\.js)["']\s*\)/g)]
    .map((match) => match[1]!)
    .find((file) => new RegExp(`^widgets/${element}-[\\w-]{8}\\.js$`).test(file));
  if (!entry) throw new Error(`embed.js loads no chunk of ${element}`);

  const files = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    staticImports(file).forEach(visit);
  };
  visit(entry);

  for (const file of files) {
    const mapFile = join(publicDir, `${file}.map`);
    if (!existsSync(mapFile)) throw new Error(`no ${file}.map: build with SALA_SOURCEMAP=1 npm run build`);
    const code = readFileSync(join(publicDir, file), 'utf8');
    const byChar = owners(code, JSON.parse(readFileSync(mapFile, 'utf8')));
    const total = brotli(code);
    console.log(
      `\n${file}: ${code.length} bytes, ${total} brotli\n${'bytes'.padStart(8)}${'brotli'.padStart(8)}  module`,
    );
    const rows = [...new Set(byChar)].map((module) => {
      const without = [...code].filter((_, index) => byChar[index] !== module).join('');
      return { module, bytes: code.length - without.length, cost: total - brotli(without) };
    });
    for (const { module, bytes, cost } of rows.sort((a, b) => b.cost - a.cost)) {
      console.log(`${String(bytes).padStart(8)}${String(cost).padStart(8)}  ${module}`);
    }
  }
}

/** The maps must not be deployed, whether the report ran or failed. */
function deleteMaps(): void {
  for (const dir of [publicDir, devPublicDir]) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.js.map')) rmSync(join(dir, file));
    }
  }
}

try {
  report();
} finally {
  deleteMaps();
}
