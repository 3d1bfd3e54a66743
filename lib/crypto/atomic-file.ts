import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * File writes that a crash cannot leave half-done (the key file, lib/crypto/key-file.ts): a 0600 temp file,
 * fsynced, then renamed or hard-linked into place, then the directory fsynced.
 */

/** Why a file could not be created: its directory, or the file itself (with the errno code). */
export class FileCreateError extends Error {
  constructor(readonly step: "directory" | "file", readonly path: string, readonly code: string) {
    super(`${step} ${path}: ${code}`);
    this.name = "FileCreateError";
  }
}

/** Creates `file` only if it does not exist yet (write temp + hard link, so it appears complete or not at all). */
export function createFileExclusive(file: string, content: string): boolean {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new FileCreateError("directory", dir, (error as NodeJS.ErrnoException).code ?? "error");
  }
  const temp = writeTemp(file, content);
  try {
    fs.linkSync(temp, file);
    syncDir(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new FileCreateError("file", file, (error as NodeJS.ErrnoException).code ?? "error");
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Replaces `file` with `content` so a crash leaves either the old or the new file, never half of one. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = writeTemp(file, content);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

function writeTemp(file: string, content: string): string {
  const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(temp, "wx", 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // the umask could only remove bits, but be explicit
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename itself is still atomic.
  }
}
