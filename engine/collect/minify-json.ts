export type MinifyResult = { ok: true; text: string } | { ok: false; message: string };

/**
 * Validates JSON text and removes the whitespace between tokens, without re-serialising.
 * Re-serialising through JSON.parse/JSON.stringify would corrupt expvar: MemStats `LastGC`
 * and `PauseEnd` are nanoseconds since 1970 (~1.8e18, above 2^53, golang/go
 * src/runtime/mstats.go), which a JS number cannot hold. Here every number, string and
 * escape keeps its exact digits and bytes.
 */
export function minifyJson(text: string, opts: { requireObject?: boolean } = {}): MinifyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not valid JSON: ${(err as Error).message}` };
  }
  if (opts.requireObject && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
    return { ok: false, message: 'not a JSON object' };
  }
  return { ok: true, text: stripWhitespace(text) };
}

/** Only valid JSON reaches here, so strings are well formed: copy them verbatim, drop the rest's whitespace. */
function stripWhitespace(text: string): string {
  let out = '';
  let runStart = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart);
}
