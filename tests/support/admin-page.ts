/** What end-to-end tests do on /admin more than once. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Asks the queue again (the Filter button reloads it) until `article` is there: a comment posted a moment ago reaches
 * the moderation index as KV does, not at once.
 */
export async function untilListed(owner: Page, article: Locator): Promise<void> {
  await expect
    .poll(
      async () => {
        await owner.getByRole('button', { name: 'Filter' }).click();
        await owner.getByText('Loading comments…').waitFor({ state: 'detached' });
        return article.count();
      },
      { timeout: 20_000, interval: 500 },
    )
    .toBe(1);
}
