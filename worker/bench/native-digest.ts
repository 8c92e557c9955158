/// <reference types="node" />
/**
 * `BENCH_DIGEST=native`: `crypto.subtle.digest` answered by node:crypto's hash, a native call and a settled promise,
 * as workerd answers it, instead of Node's WebCrypto, which wraps each call in JavaScript (its arguments' checks, a
 * job on the thread pool, the promise's settling): 3.5 to 9 ms for the 100 page hashes of a fresh isolate's first
 * counts request here, 0.6 to 1.5 this way, against about 4 µs a digest in workerd (worker/docs/cpu-routes.md,
 * 2026-12-07, "Where a first counts request's time goes"). Off unless asked, so the bench's rows stay comparable
 * with their history. Imported right after global-scope.ts, before the Worker's module, so its startup warm-up
 * hashes through it too.
 */
import { createHash } from 'node:crypto';

const NODE_NAMES: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

if (process.env.BENCH_DIGEST === 'native') {
  const subtle = crypto.subtle;
  const webDigest = subtle.digest.bind(subtle);
  Object.defineProperty(subtle, 'digest', {
    configurable: true,
    value: function digest(algorithm: string | { name: string }, data: BufferSource): Promise<ArrayBuffer> {
      const name = NODE_NAMES[(typeof algorithm === 'string' ? algorithm : algorithm.name).toUpperCase()];
      if (name === undefined) return webDigest(algorithm, data);
      const bytes = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
      const hash = createHash(name).update(bytes).digest();
      return Promise.resolve(hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength) as ArrayBuffer);
    },
  });
}
