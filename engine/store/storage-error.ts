/**
 * A write failed because of the disk, not because of the data: SQLite's SQLITE_FULL and I/O
 * errors, or the filesystem's ENOSPC / EDQUOT / EROFS. Such a failure is not the incident's
 * fault: the server answers 503 with Retry-After, reports not ready, and resumes the work when a
 * write succeeds again. The PostgreSQL store reports a database it cannot reach (down, restarting,
 * out of disk, too many connections) the same way, as MT_ERR_STORE_UNAVAILABLE.
 */
export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code === 'MT_ERR_STORE_UNAVAILABLE' ||
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_IOERR') ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY' ||
    code.startsWith('SQLITE_READONLY_') ||
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    code === 'EROFS' ||
    code === 'EIO'
  );
}
