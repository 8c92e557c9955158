/** Identicon avatars drawn in the browser from the server's irreversible seed: no third-party request. */
import { html, svg, type TemplateResult } from 'lit';

/** 32-bit FNV-1a: tiny, and spreads similar seeds far apart. */
function hash(seed: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) value = Math.imul(value ^ seed.charCodeAt(i), 0x01000193);
  return value >>> 0;
}

/** A 5x5 mirrored grid: 15 bits choose the cells of the left three columns, the rest the hue. */
export function avatar(seed: string): TemplateResult {
  const bits = hash(seed);
  const hue = (bits >>> 15) % 360;
  const cells = [];
  for (let row = 0; row < 5; row++) {
    for (let column = 0; column < 3; column++) {
      if (!((bits >>> (row * 3 + column)) & 1)) continue;
      cells.push(svg`<rect x=${column} y=${row} width="1" height="1"/>`);
      if (column < 2) cells.push(svg`<rect x=${4 - column} y=${row} width="1" height="1"/>`);
    }
  }
  return html`<svg part="avatar" class="avatar" viewBox="-1 -1 7 7" aria-hidden="true" focusable="false">
    <rect x="-1" y="-1" width="7" height="7" fill="hsl(${hue} 60% 92%)" />
    <g fill="hsl(${hue} 55% 42%)">${cells}</g>
  </svg>`;
}
