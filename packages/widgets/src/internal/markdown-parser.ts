/**
 * The comment Markdown parser, a chunk of its own in the embed build: comments arrive parsed from the Worker, so
 * only a draft's preview and a comment from an older snapshot need it (internal/markdown.ts loads it).
 */
export { packMarkdown } from '@sala/protocol';
