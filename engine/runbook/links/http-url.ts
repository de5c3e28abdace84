/** Longest URL memtriage links to; a longer one (an 8 KiB label in a query) is left out rather than cut. */
export const MAX_LINK_CHARS = 2000;

/**
 * An untrusted string as a link target: it must parse as an absolute http(s) URL (no
 * `javascript:`, no relative path, no credentials), and the result is the parser's serialisation,
 * in which spaces, quotes and angle brackets are percent-encoded (and `|`, `` ` ``, `^`, `{`, `}`,
 * `'` too). Undefined for anything else.
 */
export function safeHttpUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_LINK_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  const href = serializeUrl(url);
  return href.length <= MAX_LINK_CHARS ? href : undefined;
}

/**
 * `url.href`, with the characters the parser leaves alone but some contexts give meaning to (`|`
 * ends a Slack link target) percent-encoded, which servers read the same.
 */
export function serializeUrl(url: URL): string {
  return url.href.replace(/[|`^{}']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
