/** Vite's `?raw` imports: a file's text as a string (used for the XSS corpus in tests/fixtures). */
declare module '*?raw' {
  const text: string;
  export default text;
}
