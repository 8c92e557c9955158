/** @sala/protocol: what the widgets and the Worker agree on. No runtime dependencies. */
export * from './admin-links.js';
export * from './errors.js';
export * from './form-timing.js';
export * from './limits.js';
export * from './links.js';
export * from './markdown.js';
export * from './page-id.js';
export * from './post-content.js';
export * from './post-markup.js';
export * from './text-direction.js';
export type * from './types.js';
export type * from './admin.js';
export * from './export.js';
export type * from './import.js';
export type * from './import-status.js';
export type * from './held-reasons/words.js';
