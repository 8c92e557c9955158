/** Builds the example into dist/; `npm run dev -w examples/vue` serves it on http://localhost:5173. */
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // <sala-*> are custom elements: Vue renders them as they are and does not look for Vue components by those names.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('sala-') } } })],
  build: { outDir: 'dist', emptyOutDir: true },
});
