/** What every Hono handler and middleware of the Worker may read from its context. */
import type { UsageTally } from './domain/usage.js';
import type { OwnerIdentity } from './middleware/owner-auth.js';
import type { Site } from './storage/sites.js';
import type { ViewCounter } from './storage/view-counter.js';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The site the request is for, set by the siteAccess middleware. */
    site: Site;
    /** The parsed JSON request body, set by the jsonBody middleware. Untrusted: validate before use. */
    jsonBody: unknown;
    /** Who is calling an admin route, set by the ownerAuth middleware. */
    owner: OwnerIdentity;
    /**
     * Salted hash of the caller's address (an IPv6 one by its /64: `addressSubject`), set by the rateLimit
     * middleware; null when the platform gave none.
     */
    ipHash: string | null;
    /** Salted hash of the caller's whole address, which IP bans stored before they covered a /64 were made of. */
    wholeIpHash: string | null;
    /** This isolate's view buffers, set by the viewFlush middleware of the Worker instance. */
    viewCounter: ViewCounter;
    /** This isolate's count of the free plan's limits, set by the Worker instance. */
    usage: UsageTally;
  };
}
