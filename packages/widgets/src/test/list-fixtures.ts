/** Fixtures for the list elements: popular posts with and without thumbnails, recent comments, and how to mount them. */
import { LitElement } from 'lit';
import { vi } from 'vitest';
import type { PopularPost, RecentComment } from '@sala/protocol';
import thumbnail from '@sala-fixtures/thumbnail.svg?url&no-inline';
import { API } from './fake-api.js';

export const BLOG = 'https://blog.example';

export function popularPost(slug: string, fields: Partial<PopularPost> = {}): PopularPost {
  const url = `${BLOG}/2026/11/${slug}.html`;
  return {
    pageId: url,
    url,
    title: `Post ${slug}`,
    // An image the test server serves: one that fails to load is left out of the list (popular-posts.component.ts).
    image: new URL(`${thumbnail}#${slug}`, location.href).href,
    description: `What ${slug} is about.`,
    published: '2026-11-20T00:30:00.000Z',
    labels: ['Phnom Penh'],
    views: 10,
    comments: 1,
    ...fields,
  };
}

/** Four posts, most read first: one without a thumbnail, one labelled Food. */
export function popularFixture(): PopularPost[] {
  return [
    popularPost('morning-walk', { title: 'A morning walk along Sisowath Quay', views: 40 }),
    popularPost('central-market', { title: 'Inside Phsar Thmei', views: 30, labels: ['Phnom Penh', 'Food'] }),
    popularPost('no-picture', { title: 'Words only', image: undefined, views: 20 }),
    popularPost('rainy-season', { title: 'When the rains come', views: 10 }),
  ];
}

export function recentComment(id: string, fields: Partial<RecentComment> = {}): RecentComment {
  return {
    id,
    pageId: `${BLOG}/2026/11/morning-walk.html`,
    page: { url: `${BLOG}/2026/11/morning-walk.html`, title: 'A morning walk along Sisowath Quay' },
    author: { name: 'Sophea', avatar: 'seed-sophea' },
    excerpt: 'Lovely walk, thank you!',
    createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    ...fields,
  };
}

/** Adds `tag` with `api` set unless given, and waits until `ready` holds (by default: nothing is loading). */
export async function mountTag<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  parent: HTMLElement = document.body,
  ready: (element: HTMLElementTagNameMap[K]) => boolean = (element) =>
    element.shadowRoot?.querySelector('[aria-busy="true"]') === null,
): Promise<HTMLElementTagNameMap[K]> {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries({ api: API, ...attributes })) element.setAttribute(name, value);
  parent.append(element);
  if (element instanceof LitElement) await element.updateComplete;
  await vi.waitFor(() => {
    if (!ready(element)) throw new Error(`<${tag}> still loading`);
  });
  return element;
}
