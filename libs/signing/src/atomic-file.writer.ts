import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `file` so that a reader sees either the old content or the new, never half a key file: the
 * content goes to a temporary file in the same directory (same filesystem, so the rename is atomic),
 * is flushed to disk, then renamed over the target. The temporary file is created with `mode` from
 * the start, so a private key is never readable by others, not even for a moment.
 */
export function writeFileAtomically(file: string, content: string, mode: number): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    // The umask can only narrow `mode`; fchmod makes it exact (0600 stays 0600, 0644 is not left 0600).
    fchmodSync(fd, mode);
    writeSync(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
}
