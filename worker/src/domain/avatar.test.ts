import { describe, expect, it } from 'vitest';
import { avatarSeed, ownerAvatarSeed } from './avatar.js';

describe('avatarSeed', () => {
  it('is stable per email whatever its case, differs per secret, and never shows the email', async () => {
    const seed = await avatarSeed('s1', { name: 'Dara', email: 'Dara@Example.com' });
    expect(seed).toMatch(/^[0-9a-f]{16}$/);
    expect(await avatarSeed('s1', { name: 'Someone else', email: 'dara@example.com' })).toBe(seed);
    expect(await avatarSeed('s2', { name: 'Dara', email: 'dara@example.com' })).not.toBe(seed);
  });

  it('falls back to the name when there is no email', async () => {
    const byName = await avatarSeed('s1', { name: 'Dara', email: null });
    expect(byName).toBe(await avatarSeed('s1', { name: 'Dara', email: null }));
    expect(byName).not.toBe(await avatarSeed('s1', { name: 'Sok', email: null }));
  });

  it("gives no commenter the owner's avatar, whatever name they pick", async () => {
    const owner = await ownerAvatarSeed('s1', 'demo');
    expect(await avatarSeed('s1', { name: 'owner:demo', email: null })).not.toBe(owner);
    expect(await ownerAvatarSeed('s1', 'demo')).toBe(owner);
  });
});
