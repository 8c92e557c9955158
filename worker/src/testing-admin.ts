/** Test helpers for the admin API: signing in, and calling admin routes as the owner. Imported by tests only. */
import type { AdminSessionResponse, CreateApiTokenResponse } from '@sala/protocol';
import { env } from 'cloudflare:workers';
import { send, type SendOptions, type Sent } from './testing.js';

/** The Worker's own origin in tests (testing.ts sends every request to https://sala.test). */
export const OWN_ORIGIN = 'https://sala.test';

/** A fresh client address per call, so rate limits counted in one test never reach another. */
export function freshAddress(): string {
  const random = crypto.getRandomValues(new Uint16Array(3));
  return `2001:db8::${Array.from(random, (part) => part.toString(16)).join(':')}`;
}

/** Signs in with the test password; returns the Cookie header value to send. */
export async function signIn(password = env.ADMIN_PASSWORD): Promise<string> {
  const sent = await send<AdminSessionResponse>('POST', '/api/v1/admin/session', {
    json: { password },
    origin: OWN_ORIGIN,
    headers: { 'CF-Connecting-IP': freshAddress() },
  });
  if (sent.status !== 200) throw new Error(`sign-in failed: ${sent.status} ${sent.text}`);
  const setCookie = sent.headers.get('Set-Cookie') ?? '';
  return setCookie.split(';')[0]!;
}

/** Calls an admin route as the signed-in owner, from the admin page's origin. */
export function asOwner<T = unknown>(
  cookie: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Sent<T>> {
  return send<T>(method, `/api/v1/admin${path}`, {
    origin: OWN_ORIGIN,
    ...options,
    headers: { Cookie: cookie, ...options.headers },
  });
}

export async function createToken(cookie: string, name = 'script'): Promise<CreateApiTokenResponse> {
  const sent = await asOwner<CreateApiTokenResponse>(cookie, 'POST', '/tokens', { json: { name } });
  if (sent.status !== 201) throw new Error(`token failed: ${sent.status} ${sent.text}`);
  return sent.body;
}
