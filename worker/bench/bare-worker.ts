/**
 * The baseline of `npm run bench:http`: a Worker that does nothing but answer. `GET /?bytes=N` returns a JSON body
 * of exactly N bytes (made once per size), so it sends what Sala's answer it is compared with sends.
 */
const bodies = new Map<number, string>();

function bodyOf(bytes: number): string {
  let body = bodies.get(bytes);
  if (body === undefined) {
    const frame = '{"pad":""}';
    body = `{"pad":"${'x'.repeat(Math.max(0, bytes - frame.length))}"}`;
    bodies.set(bytes, body);
  }
  return body;
}

export default {
  fetch(request: Request): Response {
    const bytes = Number(new URL(request.url).searchParams.get('bytes')) || 2;
    return new Response(bodyOf(Math.min(bytes, 1 << 20)), {
      headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    });
  },
} satisfies ExportedHandler;
