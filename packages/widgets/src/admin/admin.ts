/**
 * Defines <sala-admin>, the site owner's admin page. admin-page.ts is the page's entry; its own build
 * (rollup.config.ts) writes it to worker/public/admin/, beside index.html, so the Worker serves it at /admin. It is
 * in neither the embed nor the npm package.
 */
import { define } from '../internal/define.js';
import { SalaAdmin } from './admin.component.js';

export { SalaAdmin };

define('sala-admin', SalaAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'sala-admin': SalaAdmin;
  }
}
