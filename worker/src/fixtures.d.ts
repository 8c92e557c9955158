/** Vite's `?raw` imports: a file's text as a string (tests read the spam corpus in tests/fixtures this way). */
declare module '*?raw' {
  const text: string;
  export default text;
}
