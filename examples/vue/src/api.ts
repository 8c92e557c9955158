/**
 * Which Sala Worker the elements talk to: `?api=` in the address (to try the app against any Worker), else
 * `VITE_SALA_API` at build time, else the one `npm start` runs.
 */
export const salaApi: string =
  new URLSearchParams(location.search).get('api') ?? import.meta.env.VITE_SALA_API ?? 'http://127.0.0.1:8787';
