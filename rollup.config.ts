/**
 * Builds packages/widgets twice: the npm package (ESM per element, Lit external, types bundled, manifest)
 * and the script-tag embed served by the Worker (Lit inside, minified, one chunk per element, loaded on demand).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { defineConfig, type Plugin } from 'rollup';
import dts from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import { minifyTemplates } from './packages/widgets/scripts/minify-templates.js';

const widgets = 'packages/widgets';
const publicDir = 'worker/public';

/** npm entry points; keep in step with `exports` in packages/widgets/package.json. */
const npmEntries = {
  index: `${widgets}/src/index.ts`,
  comments: `${widgets}/src/comments/comments.ts`,
};

/** Lit stays a dependency of the npm package so apps share one copy; @sala/protocol is private and bundled. */
const isLit = (id: string) => /^(lit|lit-html|lit-element|@lit\/[^/]+)(\/|$)/.test(id);

/** Points the types build at @sala/protocol's source so its types are inlined, not imported. */
function inlineProtocolTypes(): Plugin {
  return {
    name: 'sala-inline-protocol-types',
    resolveId: (id) => (id === '@sala/protocol' ? resolve('packages/protocol/src/index.ts') : null),
  };
}

/** Empties build outputs we own before writing, so stale hashed chunks never ship. */
function clean(paths: string[]): Plugin {
  return {
    name: 'sala-clean',
    buildStart() {
      for (const path of paths) rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Serves the demo blog at the Worker's `/`: examples/blogger/* is copied next to embed.js. */
function copyDemo(from: string, to: string): Plugin {
  return {
    name: 'sala-copy-demo',
    writeBundle() {
      if (!existsSync(from)) return;
      for (const entry of readdirSync(from)) cpSync(`${from}/${entry}`, `${to}/${entry}`, { recursive: true });
    },
  };
}

/** Regenerates custom-elements.json from the classes' JSDoc (config: packages/widgets/custom-elements-manifest.config.mjs). */
function elementsManifest(): Plugin {
  return {
    name: 'sala-custom-elements-manifest',
    writeBundle() {
      const cli = createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/cem.js');
      execFileSync(process.execPath, [cli, 'analyze', '--quiet'], { cwd: widgets, stdio: 'inherit' });
    },
  };
}

export default defineConfig([
  {
    input: npmEntries,
    external: isLit,
    plugins: [clean([`${widgets}/dist`]), nodeResolve(), esbuild({ target: 'es2022' }), elementsManifest()],
    output: { dir: `${widgets}/dist`, format: 'es', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
  },
  {
    input: npmEntries,
    external: isLit,
    // @sala/protocol is private: its types are bundled in, so the published .d.ts imports only lit.
    plugins: [inlineProtocolTypes(), dts({ respectExternal: true })],
    output: { dir: `${widgets}/dist`, format: 'es', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
  },
  {
    input: { embed: `${widgets}/src/embed.ts` },
    plugins: [
      clean([`${publicDir}/embed.js`, `${publicDir}/widgets`]),
      // `production` picks Lit's build without dev-mode checks and warnings.
      nodeResolve({ browser: true, exportConditions: ['production'] }),
      esbuild({ target: 'es2022' }),
      minifyTemplates(/packages\/widgets\/src\//),
      terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
      copyDemo('examples/blogger', publicDir),
    ],
    output: {
      dir: publicDir,
      format: 'es',
      // Chunks import each other and embed.js by relative URL, so they load from wherever embed.js is served.
      chunkFileNames: 'widgets/[name]-[hash].js',
    },
  },
]);
