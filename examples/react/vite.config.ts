/** Builds the example into dist/; `npm run dev -w examples/react` serves it on http://localhost:5173. */
import { defineConfig } from 'vite';

export default defineConfig({
  // No React plugin is needed to build: Vite compiles JSX with React's automatic runtime (tsconfig `jsx`).
  build: { outDir: 'dist', emptyOutDir: true },
});
