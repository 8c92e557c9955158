/// <reference types="node" />
/**
 * workerd's rules for a module's global scope, kept in Node while the benchmark's bundle loads the Worker's module and
 * its startup warm-up runs (src/warm.ts), so the warm-up does here what it can do in workerd and no more: no
 * Response with a body can be made, no Request with a body, no timer set, no random value drawn, no fetch, and the
 * clock reads 0 (workerd's does at startup); workerd's `crypto.subtle.timingSafeEqual` is added, as the token checks
 * use it. Import it before anything of the Worker's; `leaveGlobalScope` after `warmedUp()`.
 * It also starts the startup's clock: the CPU time from here to leaving is the module's evaluation and the warm-up.
 */
import { timingSafeEqual } from 'node:crypto';

const started = process.cpuUsage();

const disallowed = () => {
  throw new Error('Disallowed operation called within global scope (bench/global-scope.ts, as workerd)');
};

const saved = {
  Response: globalThis.Response,
  Request: globalThis.Request,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  fetch: globalThis.fetch,
  getRandomValues: crypto.getRandomValues,
  randomUUID: crypto.randomUUID,
  Date: globalThis.Date,
};

class GlobalScopeRequest extends saved.Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    if (init?.body != null) disallowed();
    super(input, init);
  }
}

/** workerd's clock at startup: 1970-01-01T00:00:00Z, however often it is read. */
class StartupDate extends saved.Date {
  constructor(...args: [] | [string | number | Date]) {
    super(...((args.length === 0 ? [0] : args) as [number]));
  }

  static override now(): number {
    return 0;
  }
}

// workerd's non-standard constant-time compare, which the Worker's token checks use (the warm-up's edit too); Node
// has it in node:crypto.
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: BufferSource, b: BufferSource) => boolean };
subtle.timingSafeEqual ??= (a, b) => timingSafeEqual(toBytes(a), toBytes(b));

function toBytes(source: BufferSource): Uint8Array {
  return ArrayBuffer.isView(source)
    ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
    : new Uint8Array(source);
}

const scope = globalThis as unknown as Record<string, unknown>;
scope.Response = new Proxy(saved.Response, {
  construct(target, args: ConstructorParameters<typeof Response>) {
    if (args[0] != null) disallowed();
    return Reflect.construct(target, args) as object;
  },
});
scope.Request = GlobalScopeRequest;
scope.setTimeout = disallowed;
scope.setInterval = disallowed;
scope.fetch = disallowed;
crypto.getRandomValues = disallowed;
crypto.randomUUID = disallowed;
scope.Date = StartupDate;

/** Puts Node's globals back; returns the CPU ms spent since this module was evaluated (the startup). */
export function leaveGlobalScope(): number {
  Object.assign(globalThis, {
    Response: saved.Response,
    Request: saved.Request,
    setTimeout: saved.setTimeout,
    setInterval: saved.setInterval,
    fetch: saved.fetch,
    Date: saved.Date,
  });
  crypto.getRandomValues = saved.getRandomValues;
  crypto.randomUUID = saved.randomUUID;
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
