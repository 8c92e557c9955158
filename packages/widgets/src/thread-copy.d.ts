/**
 * `import('./x.js?thread')` in embed.ts: the build's copy of module x for a page with a thread (rollup.config.ts,
 * threadCopies). Only the embed imports these; its loaders need no more than a module.
 */
declare module '*?thread';
