/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the Sala Worker, e.g. https://comments.example.workers.dev. */
  readonly VITE_SALA_API?: string;
}
