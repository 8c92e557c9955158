/** API tokens: one key per token, named by the token's SHA-256, with what the list shows in its metadata. */
import type { ApiTokenInfo } from '@sala/protocol';
import { apiTokenPrefix, hashApiToken, newApiToken } from '../domain/api-token.js';
import { API_TOKEN_PREFIX, apiTokenKey } from './keys.js';

type TokenMetadata = Omit<ApiTokenInfo, 'id'>;

export class ApiTokenStore {
  constructor(private readonly kv: KVNamespace) {}

  /** A new token and what the list will show of it; the token itself is returned here and never again. */
  async create(name: string, now = new Date()): Promise<{ token: string; info: ApiTokenInfo }> {
    const token = newApiToken();
    const id = await hashApiToken(token);
    const metadata: TokenMetadata = { name, prefix: apiTokenPrefix(token), createdAt: now.toISOString() };
    await this.kv.put(apiTokenKey(id), JSON.stringify(metadata), { metadata });
    return { token, info: { id, ...metadata } };
  }

  /** The token's info if it exists and is not revoked. A revocation can take up to 60 s to reach every location. */
  async find(token: string): Promise<ApiTokenInfo | null> {
    const id = await hashApiToken(token);
    const metadata = await this.kv.get<TokenMetadata>(apiTokenKey(id), 'json');
    return metadata === null ? null : { id, ...metadata };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const tokens: ApiTokenInfo[] = [];
    let cursor: string | undefined;
    do {
      const listed = await this.kv.list<TokenMetadata>({ prefix: API_TOKEN_PREFIX, ...(cursor ? { cursor } : {}) });
      for (const key of listed.keys) {
        if (key.metadata) tokens.push({ id: key.name.slice(API_TOKEN_PREFIX.length), ...key.metadata });
      }
      cursor = listed.list_complete ? undefined : listed.cursor;
    } while (cursor);
    return tokens.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  /** False when there was no such token. */
  async revoke(id: string): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(id)) return false;
    const exists = (await this.kv.get(apiTokenKey(id))) !== null;
    if (exists) await this.kv.delete(apiTokenKey(id));
    return exists;
  }
}
