import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { SNIFF_BYTES } from './file-type';

/** What the storage engine adds to multer's file description. */
export interface StoredFileInfo {
  path: string;
  size: number;
  storageKey: string;
  sha256: string;
  head: Buffer;
}

export type StoredFile = Express.Multer.File & StoredFileInfo;

/** A random key, two-level fanned out: `ab/abcdef…`. Never derived from the client's filename. */
export function newStorageKey(): string {
  const key = randomBytes(16).toString('hex');
  return `${key.slice(0, 2)}/${key}`;
}

/**
 * Streams a file to `<dir>/<random key>` while hashing it, counting its size and keeping its
 * first bytes for type detection. multer enforces the size limit and removes partial files.
 */
export async function writeHashed(source: NodeJS.ReadableStream, dir: string): Promise<StoredFileInfo> {
  const storageKey = newStorageKey();
  const path = join(dir, storageKey);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await unlink(path).catch(() => undefined);
    throw err;
  }
  return { path, size, storageKey, sha256: hash.digest('hex'), head };
}

export function hashingStorage(dir: string): StorageEngine {
  return {
    _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<StoredFile>) => void) {
      writeHashed(file.stream, dir).then(
        (info) => cb(null, info),
        (err: unknown) => cb(err),
      );
    },
    _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void) {
      unlink(file.path).then(
        () => cb(null),
        () => cb(null),
      );
    },
  };
}
