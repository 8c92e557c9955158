/** Vars an operator may set that wrangler.jsonc leaves out, so `wrangler types` cannot see them. Hand-written. */
interface Env {
  /** Seconds a commenter may edit or delete their comment; LIMITS.editWindowSeconds when unset. */
  EDIT_WINDOW_SECONDS?: string;
  /** "true" under `npm run dev` and the end-to-end tests: each cron run writes every buffered view first. */
  SALA_DEV_FLUSH_VIEWS?: string;
  /**
   * Set by `npm run dev` (20): page reads a cron run makes, and a page that failed read again on the next run
   * (domain/page-verification.ts `devPageReads`). Never set on a deployed Worker.
   */
  SALA_DEV_PAGE_READS?: string;
  /** Secret. Turns email on: the key of the HTTP email API (Resend's, or one that takes the same request). */
  EMAIL_API_KEY?: string;
  /** Sender of Sala's mails, e.g. "Sala <comments@example.com>" (a domain the email API lets you send from). */
  EMAIL_FROM?: string;
  /** The email API's endpoint; default https://api.resend.com/emails. */
  EMAIL_API_URL?: string;
  /** Estimated KV writes (and lists) a day up to which imports write; 600 when unset (storage/import-run.ts). */
  IMPORT_DAILY_LIMIT?: string;
}

declare namespace Cloudflare {
  interface Env {
    EDIT_WINDOW_SECONDS?: string;
    SALA_DEV_FLUSH_VIEWS?: string;
    SALA_DEV_PAGE_READS?: string;
    EMAIL_API_KEY?: string;
    EMAIL_FROM?: string;
    EMAIL_API_URL?: string;
    IMPORT_DAILY_LIMIT?: string;
  }
}
