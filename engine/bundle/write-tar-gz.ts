import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * A directory as a gzip'd POSIX ustar archive, for the "download the raw bundle" link. Bundles are
 * small (1–4 MB in the fixtures), so the archive is built in memory. Names longer than ustar's
 * 100 + 155 bytes are skipped (bundle paths are short: `cgroup/<ts>/memory.stat`).
 */
export async function tarGzDirectory(dir: string, prefix: string): Promise<Buffer> {
  const blocks: Buffer[] = [];
  for (const file of await walk(dir)) {
    const name = `${prefix}/${relative(dir, file)}`;
    const data = await readFile(file);
    const header = ustarHeader(name, data.length, (await stat(file)).mtimeMs);
    if (header === undefined) continue;
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function ustarHeader(name: string, size: number, mtimeMs: number): Buffer | undefined {
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0) return undefined;
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (Buffer.byteLength(base) > 100) return undefined;
  }
  const h = Buffer.alloc(512);
  const put = (value: string, offset: number, length: number) => h.write(value, offset, length, 'utf8');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0');
  put(base, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtimeMs / 1000), 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar', 257, 6);
  put('00', 263, 2);
  put(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${octal(sum, 7)}\0`, 148, 8);
  return h;
}
