/**
 * Builds packages/widgets twice: the npm package (ESM per element, Lit external, types bundled, manifest)
 * and the script-tag embed served by the Worker (Lit inside, minified, one chunk per element, loaded on demand).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { defineConfig, type Plugin, type RollupOptions } from 'rollup';
import dts from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import { minifyTemplates } from './packages/widgets/scripts/minify-templates.js';
import { syncFolder } from './worker/scripts/sync-folder.js';

const widgets = 'packages/widgets';
const publicDir = 'worker/public';
/** What `npm start` and the end-to-end tests serve: public/ plus the demo blog at `/` (worker/scripts/dev.ts). */
const devPublicDir = 'worker/dev-public';

/** npm entry points; keep in step with `exports` in packages/widgets/package.json. */
const npmEntries = {
  index: `${widgets}/src/index.ts`,
  comments: `${widgets}/src/comments/comments.ts`,
  'popular-posts': `${widgets}/src/popular-posts/popular-posts.ts`,
  'comment-count': `${widgets}/src/comment-count/comment-count.ts`,
  'recent-comments': `${widgets}/src/recent-comments/recent-comments.ts`,
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

/**
 * Chunks of the embed build. Left alone, rollup splits what the elements share into several small chunks, each a
 * request and each compressed on its own; one shared chunk (Lit and the internals every element uses) keeps a
 * comments page's first visit about 0.3 KB smaller. The comment form, closed, is in <sala-comments>'s chunk, for the
 * same reason (0.6 KB less than a chunk of its own) and so it shows with the thread instead of pushing it down later.
 * The comment Markdown parser has a chunk of its own (comments arrive parsed from the Worker), named here or it would
 * follow @sala/protocol's index into the shared one and every list would download it.
 */
function embedChunk(id: string): string | undefined {
  // The open form and what posting takes load once the reader starts on the form (composer.ts), and with them what
  // the thread does on a Reply, Edit or Delete and the reader's own comments, needed only by a reader who acts on a
  // comment (fetched as a pointer or focus reaches its button), has some stored or posts one (comments.component.ts).
  if (
    /packages\/widgets\/src\/(comments\/(composer-open|draft|sending|thread-actions|turnstile|own-comments|own-actions)|internal\/i18n\/en-posting)\.ts$/.test(
      id,
    ) ||
    // Only posting checks the limits (the page-id and Markdown code keep their own): 0.1 KB off every first visit.
    /packages\/protocol\/src\/limits\.ts$/.test(id)
  )
    return 'sending';
  // Comments come parsed from the Worker: the parser is fetched only for a preview or a comment without `parsed`.
  if (/packages\/(widgets\/src\/internal\/markdown-parser|protocol\/src\/markdown)\.ts$/.test(id)) return 'markdown';
  if (/packages\/(widgets\/src\/comments\/|protocol\/src\/links\.ts$)/.test(id)) return 'comments';
  // How blogs mark up a post is read by the lists and the view counter, never by a thread.
  if (/packages\/(widgets\/src\/internal\/host-page|protocol\/src\/post-markup)\.ts$/.test(id)) return 'host-page';
  // Where a post's snippet is read goes with the view counter that reads it (views.ts, loaded after the element shows),
  // or it would follow @sala/protocol's index into the shared chunk like the parser.
  if (/packages\/(widgets\/src\/internal\/(views|page-meta)|protocol\/src\/post-content)\.ts$/.test(id)) return 'views';
  // Lit's directives stay with the elements that use them.
  if (/node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\/(?!directive)/.test(id)) return 'sala';
  const shared =
    /packages\/widgets\/src\/(events|internal\/(sala-element|api-client|embed-config|define|dom|theme|styles|page-identity|storage|i18n\/en|i18n\/locale))\.ts$/;
  if (shared.test(id) || /packages\/protocol\/src\/(page-id|errors)\.ts$/.test(id)) return 'sala';
  return undefined;
}

/** `import('./x.js?thread')` (embed.ts) asks for the copy of x for a page with a thread; its modules end `.thread.ts`. */
const THREAD_QUERY = '?thread';
const threadCopy = (id: string) => id.replace(/(\.[cm]?[jt]s)$/, '.thread$1');
const threadOriginal = (id: string) => id.replace(/\.thread(\.[cm]?[jt]s)$/, '$1');
const isThreadCopy = (id: string) => threadOriginal(id) !== id;

/**
 * Copies the module graph under each `?thread` import, so the embed carries a second set of element chunks for pages
 * with a thread (embed.ts says why): a copy imports copies, and its chunks are named apart (threadPageChunk).
 */
function threadCopies(): Plugin {
  return {
    name: 'sala-thread-copies',
    async resolveId(source, importer, options) {
      const copying = source.endsWith(THREAD_QUERY) || (importer !== undefined && isThreadCopy(importer));
      if (!copying) return null;
      const original = source.endsWith(THREAD_QUERY) ? source.slice(0, -THREAD_QUERY.length) : source;
      const resolved = await this.resolve(original, importer && threadOriginal(importer), {
        ...options,
        skipSelf: true,
      });
      if (!resolved || resolved.external || resolved.id.startsWith('\0')) return resolved;
      return { ...resolved, id: threadCopy(resolved.id) };
    },
    load: (id) => (isThreadCopy(id) ? readFileSync(threadOriginal(id), 'utf8') : null),
  };
}

/**
 * Chunks of the thread copies: the shared chunk and the thread's are one, so a page with a thread downloads one chunk
 * compressed as one; the other chunks keep their names, marked `.thread`.
 */
function threadPageChunk(id: string): string | undefined {
  const chunk = embedChunk(threadOriginal(id));
  if (chunk === 'sala' || chunk === 'comments') return 'comments.thread';
  return chunk && `${chunk}.thread`;
}

/** In the embed, elements take their default API from where their chunk was served (internal/embed-config.ts). */
function embedConfig(): Plugin {
  return {
    name: 'sala-embed-config',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved?.id.endsWith('/packages/widgets/src/internal/config.ts')) return resolved;
      return { ...resolved, id: resolved.id.replace(/config\.ts$/, 'embed-config.ts') };
    },
  };
}

/**
 * Shortens the messages of the errors Lit throws at code that misuses it (css`` given a value that is not CSS, a
 * template not made by html``) to "Lit". In the embed that code is Sala's alone, as this copy of Lit is nobody else's,
 * and Sala's tests and the npm package run Lit's own builds, whose messages stay whole. 0.1 KB less brotli on every
 * first visit, which carries the checks behind the `[sala]` hints on misspelt tags and attributes instead.
 */
function shortLitErrors(): Plugin {
  return {
    name: 'sala-short-lit-errors',
    transform(code, id) {
      if (!/\/node_modules\/(lit-html|lit-element|@lit\/reactive-element)\//.test(id)) return null;
      const shortened = code.replace(/\bthrow Error\("[^"]*"(?:\+\w+\+"[^"]*")*\)/g, 'throw Error("Lit")');
      // Columns move within a line; the modules stay where they were (tests/bench/size-modules.ts reads the maps).
      return shortened === code ? null : { code: shortened, map: null };
    },
  };
}

/**
 * What the embed's own copy of Lit carries for code other than Sala's, cut out of its production build. Each cut is
 * text that Lit's build must still hold, or the build fails: a new Lit is then read again, never trimmed blindly.
 * Sala declares `static properties` (no decorators, no reflected attributes), uses no directive, runs on browsers with
 * native shadow DOM, and no page can reach this copy of Lit: nothing below is a behaviour a reader or a page sees, and
 * trimLit fails the build if Sala's code starts on one it can see (a decorator, a directive, `reflect`). The npm
 * package and Sala's tests run Lit whole. 0.6 KB less brotli on every first visit (587 bytes, 2026-12-06).
 */
const LIT_CUTS: { module: RegExp; why: string; cut: string; keep?: string }[] = [
  // Decorators (@property, @customElement...) keep their options in Symbol.metadata and run initializers.
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'decorator metadata',
    cut: 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'decorator metadata',
    cut: 'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'decorator initializers',
    cut: 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'decorator initializers',
    cut: 'void 0!==t.l&&(this.l=[...t.l]),',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'decorator initializers',
    cut: ',this.constructor.l?.forEach(t=>t(this))',
  },
  // Controllers that leave their element: Sala's stay for the element's life.
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'controller removal',
    cut: 'removeController(t){this._$EO?.delete(t)}',
  },
  // Styles given as CSSStyleSheet objects, turned into text where a browser cannot adopt them: Sala's are all css``.
  {
    module: /@lit\/reactive-element\/css-tag\.js$/,
    why: 'CSSStyleSheet styles',
    cut: 'c=e?t=>t:t=>t instanceof CSSStyleSheet?(t=>{let e="";for(const s of t.cssRules)e+=s.cssText;return r(e)})(t):t;',
    keep: 'c=t=>t;',
  },
  // Templates compiled ahead of time (@lit-labs/compiler) and MathML templates (mathml``): Sala writes html`` and svg``.
  {
    module: /lit-html\/lit-html\.js$/,
    why: 'compiled templates',
    cut: '"number"==typeof s?this._$AC(t):(void 0===s.el&&(s.el=S.createElement(V(s.h,s.h[0]),this.options)),s)',
    keep: 'this._$AC(t)',
  },
  { module: /lit-html\/lit-html\.js$/, why: 'MathML templates', cut: '3===i?"<math>":' },
  { module: /lit-html\/lit-html\.js$/, why: 'MathML templates', cut: '3===i?"</math>":' },
  { module: /lit-html\/lit-html\.js$/, why: 'MathML templates', cut: '||3===i' },
  // Directives (lit/directives/*, lit/directive.js): the embed uses none, which trimLit checks, so a value is rendered
  // as itself.
  {
    module: /lit-html\/lit-html\.js$/,
    why: 'directives',
    cut: 'function M(t,i,s=t,e){if(i===E)return i;let h=void 0!==e?s._$Co?.[e]:s._$Cl;const o=a(i)?void 0:i._$litDirective$;return h?.constructor!==o&&(h?._$AO?.(!1),void 0===o?h=void 0:(h=new o(t),h._$AT(t,s,e)),void 0!==e?(s._$Co??=[])[e]=h:s._$Cl=h),void 0!==h&&(i=M(t,h._$AS(t,i.values),h,e)),i}',
    keep: 'function M(t,i){return i}',
  },
  // Properties reflected to attributes (`reflect: true`): none of Sala's is, which trimLit checks.
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'reflection',
    cut: '_$ET(t,s){const i=this.constructor.elementProperties.get(t),e=this.constructor._$Eu(t,i);if(void 0!==e&&!0===i.reflect){const h=(void 0!==i.converter?.toAttribute?i.converter:u).toAttribute(s,i.type);this._$Em=t,null==h?this.removeAttribute(e):this.setAttribute(e,h),this._$Em=null}}',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'reflection',
    cut: 'update(t){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}',
    keep: 'update(t){this._$EM()}',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'reflection',
    cut: ',!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t)',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'reflection',
    cut: 'toAttribute(t,s){switch(s){case Boolean:t=t?l:null;break;case Object:case Array:t=null==t?t:JSON.stringify(t)}return t},',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'reflection',
    cut: 'c=a.trustedTypes,l=c?c.emptyScript:"",',
  },
  // The ShadyDOM polyfill (@webcomponents/webcomponentsjs) and Lit's hooks for it: for browsers without shadow DOM,
  // none of which runs the embed's ES2020 modules.
  {
    module: /@lit\/reactive-element\/css-tag\.js$/,
    why: 'ShadyCSS polyfill',
    cut: '&&(void 0===t.ShadyCSS||t.ShadyCSS.nativeShadow)',
  },
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'polyfill hook',
    cut: 'p=a.reactiveElementPolyfillSupport,',
  },
  { module: /@lit\/reactive-element\/reactive-element\.js$/, why: 'polyfill hook', cut: 'p?.({ReactiveElement:y}),' },
  { module: /lit-html\/lit-html\.js$/, why: 'polyfill hook', cut: ',B=t.litHtmlPolyfillSupport;B?.(S,k),', keep: ';' },
  {
    module: /lit-element\/lit-element\.js$/,
    why: 'polyfill hook',
    cut: 'const o=s.litElementPolyfillSupport;o?.({LitElement:i});',
  },
  // Server rendering's hydration hook: the embed renders in the browser only.
  {
    module: /lit-element\/lit-element\.js$/,
    why: 'SSR hydration',
    cut: ',s.litElementHydrateSupport?.({LitElement:i})',
  },
  // Lists of the Lit versions on a page, read by Lit's development build to warn of several: this copy is private,
  // and a page's own Lit in development no longer counts it.
  {
    module: /@lit\/reactive-element\/reactive-element\.js$/,
    why: 'version list',
    cut: ',(a.reactiveElementVersions??=[]).push("2.1.2")',
  },
  { module: /lit-html\/lit-html\.js$/, why: 'version list', cut: '(t.litHtmlVersions??=[]).push("3.3.3");' },
  { module: /lit-element\/lit-element\.js$/, why: 'version list', cut: '(s.litElementVersions??=[]).push("4.2.2");' },
];

function trimLit(): Plugin {
  return {
    name: 'sala-trim-lit',
    transform(code, id) {
      if (/\/packages\/widgets\/src\//.test(id) && /\breflect\s*:/.test(code))
        this.error(
          `${id} reflects a property to its attribute, which trimLit (rollup.config.ts) cuts out of the embed`,
        );
      const cuts = LIT_CUTS.filter(({ module }) => module.test(threadOriginal(id)));
      if (cuts.length === 0) return null;
      let trimmed = code;
      for (const { why, cut, keep = '' } of cuts) {
        if (!trimmed.includes(cut)) this.error(`${id} no longer holds its ${why} as rollup.config.ts expects: ${cut}`);
        trimmed = trimmed.replace(cut, keep);
      }
      return { code: trimmed, map: null };
    },
    buildEnd(error) {
      if (error) return;
      const cutFeature = [...this.getModuleIds()].find((id) =>
        /\/node_modules\/(lit-html\/(async-directive|directive|directives\/)|@lit\/reactive-element\/decorators)/.test(
          id,
        ),
      );
      if (cutFeature)
        this.error(
          `${cutFeature} is a Lit directive or decorator, which trimLit (rollup.config.ts) cuts out of the embed`,
        );
    },
  };
}

/**
 * Empties build outputs we own before writing, so stale hashed chunks never ship. In watch mode (`npm run dev:watch`)
 * only the first build does: a rebuild runs only the configurations whose inputs changed, so the embed's would empty
 * public/admin for good, and the folder must keep the last good build while a broken one is being fixed. A rebuild
 * removes instead, once written, the chunks it no longer names.
 */
export function clean(paths: string[]): Plugin {
  let cleaned = false;
  return {
    name: 'sala-clean',
    buildStart() {
      if (cleaned && this.meta.watchMode) return;
      cleaned = true;
      for (const path of paths) rmSync(path, { recursive: true, force: true });
    },
    writeBundle({ dir }, bundle) {
      if (!this.meta.watchMode || dir === undefined) return;
      const written = new Set(Object.keys(bundle));
      // The hashed chunks' folders (widgets/, chunks/): the entries above them keep their names.
      const chunkFolders = new Set([...written].map((file) => dirname(file)).filter((folder) => folder !== '.'));
      for (const folder of chunkFolders) {
        for (const file of readdirSync(join(dir, folder))) {
          if (!written.has(`${folder}/${file}`)) rmSync(join(dir, folder, file), { recursive: true });
        }
      }
    },
  };
}

/**
 * Writes `to` as `from` with the demo blog (examples/blogger) on top, its home page replacing the landing page.
 * Production deploys `from` alone, so a deployed Worker never serves the demo.
 *
 * `to` is brought up to date in place, never removed, as `npm start` serves it (worker/scripts/sync-folder.ts).
 */
function devAssets(from: string, demo: string, to: string): Plugin {
  return {
    name: 'sala-dev-assets',
    writeBundle() {
      // A rebuild in watch mode may not run this configuration: scripts/dev-watch.ts updates `to` after each one.
      if (this.meta.watchMode) return;
      syncFolder([from, demo], to);
    },
  };
}

/** Copies single files into the output (the admin page's index.html). */
function copyFiles(files: Record<string, string>): Plugin {
  return {
    name: 'sala-copy-files',
    buildStart() {
      // So that in watch mode an edit to one (the admin page's index.html) rebuilds and copies it.
      for (const from of Object.keys(files)) this.addWatchFile(from);
    },
    writeBundle() {
      for (const [from, to] of Object.entries(files)) cpSync(from, to);
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

/** The npm package's scripts. */
const npmScripts: RollupOptions = {
  input: npmEntries,
  external: isLit,
  plugins: [clean([`${widgets}/dist`]), nodeResolve(), esbuild({ target: 'es2022' }), elementsManifest()],
  output: { dir: `${widgets}/dist`, format: 'es', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
};

/** The npm package's types. */
const npmTypes: RollupOptions = {
  input: npmEntries,
  external: isLit,
  // @sala/protocol is private: its types are bundled in, so the published .d.ts imports only lit.
  plugins: [inlineProtocolTypes(), dts({ respectExternal: true })],
  output: { dir: `${widgets}/dist`, format: 'es', chunkFileNames: 'chunks/[name]-[hash].d.ts' },
};

/** The script-tag embed: embed.js and its chunks, in public/ with the landing page. */
const embed: RollupOptions = {
  input: { embed: `${widgets}/src/embed.ts` },
  plugins: [
    // All of it: a demo copied here by an older build must not stay to be deployed. The admin build runs after.
    clean([publicDir]),
    threadCopies(),
    embedConfig(),
    // `production` picks Lit's build without dev-mode checks and warnings.
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2022' }),
    minifyTemplates(/packages\/widgets\/src\//),
    shortLitErrors(),
    trimLit(),
    terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
    // `/` in production: what this Worker is and the two lines to paste.
    copyFiles({
      'worker/assets/_headers': `${publicDir}/_headers`,
      'worker/assets/index.html': `${publicDir}/index.html`,
      'worker/assets/landing.js': `${publicDir}/landing.js`,
    }),
  ],
  output: {
    dir: publicDir,
    format: 'es',
    // Chunks import each other and embed.js by relative URL, so they load from wherever embed.js is served.
    chunkFileNames: 'widgets/[name]-[hash].js',
    // The thread's chunk names every chunk it may fetch: hex hashes compress better than base64 ones (0.03 KB less
    // brotli on a first visit), and 8 hex digits still tell one build of a chunk from the next.
    hashCharacters: 'hex',
    manualChunks: (id) => (isThreadCopy(id) ? threadPageChunk(id) : embedChunk(id)),
    // Only to attribute bytes to modules: tests/bench/size-modules.ts reads the maps, then deletes them. Hidden, so
    // the scripts stay byte for byte what is deployed.
    sourcemap: process.env['SALA_SOURCEMAP'] === '1' ? 'hidden' : false,
  },
};

/** The owner's admin page: served by the Worker at /admin, never part of the embed or the npm package. */
const admin: RollupOptions = {
  input: { admin: `${widgets}/src/admin/admin-page.ts` },
  plugins: [
    clean([`${publicDir}/admin`]),
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ target: 'es2022' }),
    minifyTemplates(/packages\/widgets\/src\//),
    terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
    copyFiles({ [`${widgets}/src/admin/index.html`]: `${publicDir}/admin/index.html` }),
    // Last, when public/ is complete: rollup builds these configurations one after another.
    devAssets(publicDir, 'examples/blogger', devPublicDir),
  ],
  output: {
    dir: `${publicDir}/admin`,
    format: 'es',
    // index.html names the entry; the chunks (the Khmer strings) are hashed, as they may be cached for long.
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
};

/**
 * `npm run build` builds all four. `npm run dev:watch` (scripts/dev-watch.ts) passes `configDevServer`, as
 * `rollup -c --configDevServer` would: only what the dev server serves, of which the npm package is no part.
 */
export default defineConfig((args: { configDevServer?: boolean }) =>
  args.configDevServer ? [embed, admin] : [npmScripts, npmTypes, embed, admin],
);
