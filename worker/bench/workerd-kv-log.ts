/**
 * For `npm run bench:cpu:workerd` (bench/cpu-workerd.ts), never measured: Sala's Worker with its KV binding wrapped
 * to log each call (method, keys, read type, a put's value size and options), in order, and its rate limiters'. `GET /__kv-log` answers the
 * log; the bench replays it in a bare Worker (bench/workerd-kv-replay.ts), the KV's local cost without Sala.
 */
import sala from '../src/index.js';

export interface KvCall {
  method: string;
  /** The first argument: a key, keys, or a list's options. */
  key: unknown;
  /** A read's type or options. */
  options?: unknown;
  /** A put's value: its size in bytes, whether it was text, and the put's options. */
  size?: number;
  text?: boolean;
  putOptions?: unknown;
}

const log: KvCall[] = [];

/** A rate limiter's calls, logged as `limit` with the binding's name as `key` and its argument as `options`. */
function limiter(name: string, binding: RateLimit): RateLimit {
  return {
    limit(options) {
      log.push({ method: 'limit', key: name, options });
      return binding.limit(options);
    },
  };
}

/** The bindings with the KV and the rate limiters (local Workers of Miniflare's, here) logged. */
function logged(env: Env): Env {
  return {
    ...env,
    SALA: loggedKv(env.SALA),
    COMMENT_RATE_LIMITER: limiter('COMMENT_RATE_LIMITER', env.COMMENT_RATE_LIMITER),
    SIGN_IN_RATE_LIMITER: limiter('SIGN_IN_RATE_LIMITER', env.SIGN_IN_RATE_LIMITER),
  };
}

function loggedKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const method = String(property);
        if (method === 'put') {
          const body = args[1];
          const text = typeof body === 'string';
          const size = text
            ? new TextEncoder().encode(body).byteLength
            : ((body as ArrayBufferLike | ArrayBufferView | null)?.byteLength ?? 0);
          log.push({ method, key: args[0], size, text, putOptions: args[2] });
        } else {
          log.push({ method, key: args[0], options: args[1] });
        }
        return (value as (...params: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === '/__kv-log') return Response.json(log);
    return sala.fetch(request, logged(env), ctx);
  },
  async scheduled(controller: ScheduledController, env: Env) {
    return sala.scheduled(controller, logged(env));
  },
} satisfies ExportedHandler<Env>;
