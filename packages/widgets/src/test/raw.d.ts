/** Vite's `?raw` imports: a file's text as a string (used for the shared XSS corpus). */
declare module '*?raw' {
  const text: string;
  export default text;
}
