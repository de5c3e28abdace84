import { open } from 'node:fs/promises';

export type ReadCappedResult = { ok: true; data: Buffer } | { ok: false; code?: string; message: string };

/**
 * Reads a whole file, but never more than `maxBytes`. /proc and cgroupfs files report size 0
 * in stat, so the size cannot be checked up front: read until EOF and stop past the cap.
 * Never throws; `code` carries the errno name (ENOENT, EACCES, EOPNOTSUPP…) for callers
 * that treat absence differently from failure.
 */
export async function readFileCapped(path: string, maxBytes: number): Promise<ReadCappedResult> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    return fail(err);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      chunks.push(chunk.subarray(0, bytesRead));
      if (total > maxBytes) {
        return { ok: false, code: 'EFBIG', message: `larger than the ${maxBytes}-byte cap` };
      }
    }
    return { ok: true, data: Buffer.concat(chunks, total) };
  } catch (err) {
    return fail(err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function fail(err: unknown): ReadCappedResult {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, code: typeof code === 'string' ? code : undefined, message };
}
