import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../engine/bundle/read-bundle.js';
import { readTarGz } from '../../engine/bundle/read-tar-gz.js';
import { BundleError } from '../../engine/errors.js';
import { tarGzDirectory } from '../../engine/bundle/write-tar-gz.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'mt-tgz-'));
const BUNDLE = 'examples/incidents/pub-map-leak';

describe('bundles as .tar.gz', () => {
  it('reads a GNU tar archive of a bundle exactly as the directory', async () => {
    const archive = join(fresh(), 'pub-map-leak.tar.gz');
    execFileSync('tar', ['-C', 'examples/incidents', '-czf', archive, 'pub-map-leak']);
    const fromDir = await readBundle(BUNDLE);
    const fromTar = await readBundle(archive);
    expect({ ...fromTar, dir: '' }).toEqual({ ...fromDir, dir: '' });
  });

  it('reads the archive the web page exports (own ustar writer), and one without a top folder', async () => {
    const dir = fresh();
    const exported = join(dir, 'exported.tar.gz');
    writeFileSync(exported, await tarGzDirectory(BUNDLE, 'memtriage-incident'));
    const flat = join(dir, 'flat.tgz');
    execFileSync('tar', ['-C', BUNDLE, '-czf', flat, '.']);
    const fromDir = await readBundle(BUNDLE);
    for (const archive of [exported, flat]) {
      const b = await readBundle(archive);
      expect(b.meta).toEqual(fromDir.meta);
      expect(b.cgroup.length).toBe(fromDir.cgroup.length);
      expect(b.profiles.map((p) => p.ts)).toEqual(fromDir.profiles.map((p) => p.ts));
    }
  });

  it('rejects corrupt and truncated archives with the file named', () => {
    expect(() => readTarGz(Buffer.from('not gzip'), 'x.tar.gz')).toThrow(BundleError);
    expect(() => readTarGz(Buffer.from('not gzip'), 'x.tar.gz')).toThrow(
      /x\.tar\.gz: not a readable \.tar\.gz/,
    );
    const header = Buffer.alloc(512);
    header.write('file', 0);
    header.write('00000001000', 124); // claims 512 bytes, none follow
    expect(() => readTarGz(gzipSync(header), 'y.tar.gz')).toThrow(/corrupt tar header|truncated/);
  });

  it('keeps only regular files: a symlink or a `..` name never reaches the filesystem', () => {
    const dir = fresh();
    const archive = join(dir, 'evil.tar.gz');
    writeFileSync(join(dir, 'meta.json'), '{"service":"x"}');
    execFileSync('ln', ['-s', '/etc/passwd', join(dir, 'gctrace.log')]);
    execFileSync('tar', ['-C', dir, '-czf', archive, 'meta.json', 'gctrace.log']);
    const files = readTarGz(readFileSync(archive), archive);
    expect([...files.keys()]).toEqual(['meta.json']);
  });
});
