import { afterEach, expect, it, vi } from 'vitest';
import { loadWhenPresent } from './lazy-define.js';

const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  document.body.replaceChildren();
});

it('loads an element only when its tag is on the page, once, including tags added later and nested', async () => {
  const comments = vi.fn(async () => {});
  const popular = vi.fn(async () => {});
  document.body.append(document.createElement('sala-comments'));
  stops.push(loadWhenPresent({ 'sala-comments': comments, 'sala-popular-posts': popular }));

  expect(comments).toHaveBeenCalledTimes(1);
  expect(popular).not.toHaveBeenCalled();

  const sidebar = document.createElement('aside');
  sidebar.append(document.createElement('sala-popular-posts'));
  document.body.append(sidebar, document.createElement('sala-comments'));
  await vi.waitFor(() => expect(popular).toHaveBeenCalledTimes(1));
  expect(comments).toHaveBeenCalledTimes(1);
});

it('reports a chunk that fails to load with a [sala] hint instead of throwing', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  document.body.append(document.createElement('sala-comments'));
  stops.push(loadWhenPresent({ 'sala-comments': () => Promise.reject(new Error('offline')) }));
  await vi.waitFor(() => expect(String(warn.mock.calls[0]?.[0])).toContain('[sala] could not load <sala-comments>'));
  warn.mockRestore();
});
