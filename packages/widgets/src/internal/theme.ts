/** Light or dark, following the host page: its explicit markers, else the background behind the element. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { composedAncestors } from './dom.js';

export type Theme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** A 1x1 canvas turns any CSS colour the browser knows (rgb, oklch, color-mix...) into sRGB bytes. */
let pixel: CanvasRenderingContext2D | null | undefined;
function toRgba(color: string): [number, number, number, number] | null {
  pixel ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!pixel) return null;
  pixel.clearRect(0, 0, 1, 1);
  pixel.fillStyle = color;
  pixel.fillRect(0, 0, 1, 1);
  const [r = 0, g = 0, b = 0, a = 0] = pixel.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a];
}

/** WCAG relative luminance of sRGB bytes. */
function luminance([r, g, b]: [number, number, number, number]): number {
  const linear = (byte: number) => {
    const c = byte / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Whether the page around `element` is dark. In order: `dark`/`light` class or `data-theme` on <html> or
 * <body>; else the first mostly opaque background behind the element; else the canvas, which is dark only
 * when the page opts into dark (`color-scheme`) and the reader prefers it. A bare page in a dark OS keeps a
 * white canvas, so following prefers-color-scheme alone would paint light text on white.
 */
export function isDarkHost(element: Element): boolean {
  const doc = element.ownerDocument;
  for (const node of [doc.documentElement, doc.body]) {
    if (!node) continue;
    const marker = node.dataset['theme'];
    if (marker === 'dark' || node.classList.contains('dark')) return true;
    if (marker === 'light' || node.classList.contains('light')) return false;
  }
  for (const node of composedAncestors(element)) {
    const rgba = toRgba(getComputedStyle(node).backgroundColor);
    // Below ~0.18 light text contrasts better than dark text (the WCAG contrast crossover).
    if (rgba && rgba[3] > 127) return luminance(rgba) < 0.18;
  }
  const scheme = getComputedStyle(doc.documentElement).colorScheme;
  return scheme.includes('dark') && (!scheme.includes('light') || matchMedia(DARK_QUERY).matches);
}

/** Re-checks the host's theme when the page flips its markers or the reader flips the OS setting. */
export class HostThemeController implements ReactiveController {
  dark = false;
  readonly #observer = new MutationObserver(() => this.#check());
  #media: MediaQueryList | undefined;
  readonly #onMediaChange = () => this.#check();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    const doc = this.host.ownerDocument;
    const watched = { attributes: true, attributeFilter: ['class', 'data-theme', 'style'] };
    this.#observer.observe(doc.documentElement, watched);
    if (doc.body) this.#observer.observe(doc.body, watched);
    this.#media = matchMedia(DARK_QUERY);
    this.#media.addEventListener('change', this.#onMediaChange);
    this.#check();
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
    this.#media?.removeEventListener('change', this.#onMediaChange);
  }

  #check(): void {
    const dark = isDarkHost(this.host);
    if (dark === this.dark) return;
    this.dark = dark;
    this.host.requestUpdate();
  }
}
