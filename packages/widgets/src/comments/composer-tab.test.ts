/**
 * The name, email and website fields come with the rest of the form (composer-open.ts, in the posting chunk) once the
 * reader starts on it: a keyboard user's Tab from the text before they came went to the thread's first Reply. A file of
 * its own, holding that module back: once loaded, it stays for the file.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { FakeApi } from '../test/fake-api.js';
import { PAGE, threadFixture } from '../test/fixtures.js';
import { $, closedForm, mount } from '../test/render.js';

/** Lets the rest of the form arrive. */
const arrive = vi.hoisted(() => {
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (release = resolve));
  return { arrived, release };
});

vi.mock('./composer-open.js', async (original) => {
  await arrive.arrived;
  return original();
});

beforeEach(() => {
  new FakeApi().install().threads.set(PAGE, threadFixture());
});

afterEach(() => {
  document.body.replaceChildren();
  localStorage.clear();
  vi.unstubAllGlobals();
});

it('takes Tab from the text to where it would have gone had the fields been there, once they are', async () => {
  const element = await mount();
  const composer = await closedForm(element);
  await userEvent.click($(composer, '#body'));
  // A second Tab before they come: from the name field, the email's.
  await userEvent.keyboard('{Tab}{Tab}');
  expect(composer.shadowRoot!.activeElement?.id).toBe('body');

  arrive.release();
  await vi.waitFor(() => expect(composer.shadowRoot!.activeElement?.id).toBe('email'), { timeout: 10_000 });
});
