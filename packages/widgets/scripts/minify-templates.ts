/**
 * Rollup plugin for the embed build: shrinks the static text of Lit `css` and `html`/`svg` templates, which
 * terser leaves as written. CSS goes through esbuild's minifier; markup loses the line breaks and indentation
 * that HTML collapses to one space anyway (our templates hold no literal <pre> or <textarea> text), and the
 * comments written for maintainers (whole within one piece of the template, so none holds a binding).
 */
import { transformSync } from 'esbuild';
import type { Plugin } from 'rollup';

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface TemplateElement extends Node {
  value: { raw: string; cooked: string | null };
}

function* walk(node: unknown): Generator<Node> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child);
  } else if (node && typeof node === 'object' && typeof (node as Node).type === 'string') {
    yield node as Node;
    for (const value of Object.values(node)) if (value && typeof value === 'object') yield* walk(value);
  }
}

const escapeTemplate = (text: string) => text.replace(/[`\\]|\$\{/g, (match) => `\\${match}`);

export function minifyTemplates(include: RegExp): Plugin {
  return {
    name: 'sala-minify-templates',
    transform(code, id) {
      if (!include.test(id)) return null;
      const edits: { start: number; end: number; text: string }[] = [];
      for (const node of walk(this.parse(code))) {
        if (node.type !== 'TaggedTemplateExpression') continue;
        const tag = node['tag'] as Node & { name?: string };
        const quasis = (node['quasi'] as { quasis: TemplateElement[] }).quasis;
        if (tag.name === 'css' && quasis.length === 1 && quasis[0]!.value.cooked !== null) {
          const css = transformSync(quasis[0]!.value.cooked, { loader: 'css', minify: true }).code.trim();
          edits.push({ start: quasis[0]!.start, end: quasis[0]!.end, text: escapeTemplate(css) });
        } else if (tag.name === 'html' || tag.name === 'svg') {
          for (const quasi of quasis) {
            const text = quasi.value.raw.replace(/<!--[\s\S]*?-->/g, '').replace(/\s*\n\s*/g, ' ');
            edits.push({ start: quasi.start, end: quasi.end, text });
          }
        }
      }
      if (edits.length === 0) return null;
      let result = code;
      for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
        result = result.slice(0, start) + text + result.slice(end);
      }
      return { code: result, map: null };
    },
  };
}
