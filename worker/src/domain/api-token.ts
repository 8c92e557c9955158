/**
 * API tokens for scripts calling the admin API: `sala_` and 43 base64url characters (256 random bits). Only the
 * SHA-256 is stored, so the stored form cannot be used to call the API.
 */
import { sha256Hex, toBase64Url } from './bytes.js';

const TOKEN = /^sala_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return `sala_${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN.test(value);
}

export function hashApiToken(token: string): Promise<string> {
  return sha256Hex(token);
}

/** Enough of the token to tell tokens apart in a list, too little to guess the rest. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, 9);
}
