/**
 * Removes the userinfo of every URL in a text: `http://admin:s3cret@host:9100/x` becomes
 * `http://***@host:9100/x`. Target URLs may be written with credentials (`http://admin:${PASS}@…`);
 * whatever repeats such a URL — a refusal, undici's "Request cannot be constructed from a URL that
 * includes credentials: …", a log line — must not repeat the password, and the user name may be a
 * token too, so the whole userinfo goes.
 *
 * A hand-written scan (each `://` found with indexOf, its authority read once): a pattern such as
 * `[a-z][a-z0-9+.-]*:\/\/[^@/]*@` retries from every letter and is quadratic on long words.
 */
export function redactUserinfo(text: string): string {
  let out = '';
  let from = 0;
  for (let sep = text.indexOf('://'); sep !== -1;) {
    const start = sep + 3;
    let end = start;
    let at = -1;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      // The authority ends at `/`, `?`, `#`, a blank, a quote or a bracket that closes a message.
      if (c === 0x2f || c === 0x3f || c === 0x23 || c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x3e)
        break;
      if (c === 0x40) at = end;
      end++;
    }
    if (at !== -1) {
      out += `${text.slice(from, start)}***`;
      from = at;
    }
    // The next `://` may start on the authority's last character (`a://b@c://…`), never before.
    sep = text.indexOf('://', Math.max(end - 1, start));
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The same for a URL object: its href without username and password. */
export function redactedHref(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href.replace('://', '://***@');
}
