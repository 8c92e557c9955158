/// <reference types="node" />
/**
 * WebCrypto as workerd runs what the import bench measures: SHA-256 (one per imported comment's id) computed on the
 * calling thread, not on Node's thread pool, since the CPU time measured is the invocation's own thread's, which the
 * pool's work would escape; and workerd's `timingSafeEqual`, which the sign-in uses, taking views as they come
 * (import-run compares a document's chunks as views of it), uncopied.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function computeOnThisThread(): void {
  const nodeDigest = crypto.subtle.digest.bind(crypto.subtle);
  Object.assign(crypto.subtle, {
    timingSafeEqual: (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array) =>
      timingSafeEqual(a instanceof Uint8Array ? a : new Uint8Array(a), b instanceof Uint8Array ? b : new Uint8Array(b)),
    digest: async (algorithm: string | { name: string }, data: BufferSource) => {
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (name !== 'SHA-256') return nodeDigest(algorithm, data);
      const bytes = ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
      const hash = createHash('sha256').update(bytes).digest();
      return hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength);
    },
  });
}

/** CPU time of this thread (user + system, µs): the invocation's own, as Workers bill it. */
export const threadCpu = (): NodeJS.CpuUsage =>
  (process as unknown as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
