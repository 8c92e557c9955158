/** Builds the example into dist/; `npm run dev -w examples/svelte` serves it on http://localhost:5173. */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
});
