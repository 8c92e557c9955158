/// <reference types="node" />
/**
 * `BENCH_DIGEST=native`: `crypto.subtle.digest` answered by node:crypto's hash, a native call and a settled promise,
 * as workerd answers it, instead of Node's WebCrypto, which wraps each call in JavaScript (its arguments' checks, a
 * job on the thread pool, the promise's settling): 3.5 to 9 ms for the 100 page hashes of a fresh isolate's first
 * counts request here, 0.6 to 1.5 this way, against about 4 µs a digest in workerd (worker/docs/cpu-routes.md,
 * 2026-12-07, "Where a first counts request's time goes"). Off unless asked, so the bench's rows stay comparable
 * with their history. Imported right after global-scope.ts, before the Worker's module, so its startup warm-up
 * hashes through it too. HMAC-SHA256 signatures too (see below); a key's import stays Node's WebCrypto.
 */
import { createHash, createHmac } from 'node:crypto';

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

  // HMAC-SHA256 as well (the address, ban and commenter hashes, the avatar seed): each a native import of the key and
  // a native signature in workerd, about 10 to 20 µs for both (worker/docs/cpu-routes.md, 2026-12-07, "A fresh
  // isolate's first change on a big thread, step by step"), where Node's WebCrypto wraps both in JavaScript. The key
  // is Node's own CryptoKey, so anything else it is used for goes through WebCrypto as before.
  const rawKeys = new WeakMap<CryptoKey, Uint8Array>();
  const webImportKey = subtle.importKey.bind(subtle) as (...args: unknown[]) => Promise<CryptoKey>;
  const webSign = subtle.sign.bind(subtle) as (...args: unknown[]) => Promise<ArrayBuffer>;
  const bytesOf = (data: BufferSource) =>
    ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data as ArrayBuffer);
  Object.defineProperty(subtle, 'importKey', {
    configurable: true,
    value: async function importKey(format: string, keyData: BufferSource, algorithm: unknown, ...rest: unknown[]) {
      const key = await webImportKey(format, keyData, algorithm, ...rest);
      const { name, hash } = (algorithm ?? {}) as { name?: string; hash?: string | { name: string } };
      const hashName = typeof hash === 'string' ? hash : hash?.name;
      if (format === 'raw' && name === 'HMAC' && hashName === 'SHA-256') rawKeys.set(key, bytesOf(keyData).slice());
      return key;
    },
  });
  Object.defineProperty(subtle, 'sign', {
    configurable: true,
    value: function sign(algorithm: string | { name: string }, key: CryptoKey, data: BufferSource) {
      const raw = rawKeys.get(key);
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      if (raw === undefined || name !== 'HMAC') return webSign(algorithm, key, data);
      const mac = createHmac('sha256', raw).update(bytesOf(data)).digest();
      return Promise.resolve(mac.buffer.slice(mac.byteOffset, mac.byteOffset + mac.byteLength) as ArrayBuffer);
    },
  });
}
