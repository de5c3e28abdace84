/**
 * A fetch that only reaches the configured origins (docs/architecture.md, "Never fetch a URL that came from an alert": never fetch a URL
 * that came from an alert). Alert labels only select a configured target, so nothing should ever
 * ask for another host; if something does (a bug, a redirect, a crafted label that found its way
 * into a URL), the request is refused before a socket opens, and the refusal is logged.
 */
export function guardedFetch(
  allowedOrigins: ReadonlySet<string>,
  onRefused: (url: string) => void,
  inner: typeof fetch = fetch,
): typeof fetch {
  return (input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let origin: string;
    try {
      origin = new URL(raw).origin;
    } catch {
      origin = '';
    }
    if (!allowedOrigins.has(origin)) {
      onRefused(origin || '(unparseable URL)');
      return Promise.reject(new Error(`refused: ${origin || 'URL'} is not a configured target`));
    }
    return inner(input, init);
  };
}
