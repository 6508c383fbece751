/**
 * A real file used as a {@link BlockDevice}, through a `node:fs/promises` FileHandle.
 *
 * Sector `s` is the bytes `[s * sectorSize, (s + 1) * sectorSize)` of the file; bytes past the
 * last whole sector are ignored. Reads and writes loop until the whole sector is transferred.
 * Durability is whatever the kernel and the disk give: `flush` is fdatasync(2) on the file (which
 * also covers a size change made at open). The directory entry of a newly created file is not
 * synced: a caller that must survive a power loss right after creating the device syncs the
 * directory itself.
 *
 * Failures: every error from the operating system becomes a {@link BlockDeviceError} `io` whose
 * message names the path; misuse gives `range` or `size`; any call after `close` gives `closed`.
 * Bad options (a geometry that is not positive integers, `create` without `sectorCount`) throw a
 * plain Error before the file is touched.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { BlockDeviceError, checkSectorArgs, requirePositiveInteger, type BlockDevice } from './block-device.ts';

/** How {@link openFileBlockDevice} interprets the file. */
export interface FileBlockDeviceOptions {
  /** Bytes per sector: a positive integer. */
  readonly sectorSize: number;
  /**
   * Number of sectors: a positive integer. Default: as many whole sectors as the file holds
   * (an error when that is none). Without `create`, a file too small for it is an error.
   */
  readonly sectorCount?: number;
  /**
   * Create the file if it is missing and extend it with zeros to `sectorCount * sectorSize`
   * bytes if it is shorter (existing bytes are kept; a longer file is not truncated).
   * Requires `sectorCount`. Default: false (the file must exist).
   */
  readonly create?: boolean;
  /** Shown in reports. Default: `file:<path>`. */
  readonly description?: string;
}

/** A file-backed device; `close` releases the file handle. */
export interface FileBlockDevice extends BlockDevice {
  /** The file's path, as given to {@link openFileBlockDevice}. */
  readonly path: string;
  /** Closes the file; later calls fail with `closed`. Closing again does nothing. */
  close(): Promise<void>;
}

/** The message of whatever was thrown. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs `f`, turning anything but a BlockDeviceError into a BlockDeviceError `io` naming `path`. */
async function io<T>(path: string, operation: string, sector: number | undefined, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof BlockDeviceError) throw err;
    throw new BlockDeviceError('io', operation, sector, `${path}: ${messageOf(err)}`);
  }
}

/**
 * Opens `path` as a device of `sectorSize`-byte sectors. Rejects with a BlockDeviceError `io`
 * when the file cannot be opened, is missing (without `create`), or is smaller than the device.
 */
export async function openFileBlockDevice(path: string, options: FileBlockDeviceOptions): Promise<FileBlockDevice> {
  const { sectorSize } = options;
  requirePositiveInteger('openFileBlockDevice', 'sectorSize', sectorSize);
  if (options.sectorCount !== undefined) requirePositiveInteger('openFileBlockDevice', 'sectorCount', options.sectorCount);
  const create = options.create === true;
  if (create && options.sectorCount === undefined) {
    throw new Error('openFileBlockDevice: create needs sectorCount (the size of the device to create)');
  }

  const flags = constants.O_RDWR | (create ? constants.O_CREAT : 0);
  const handle = await io(path, 'open', undefined, () => fs.open(path, flags, 0o644));
  let sectorCount: number;
  try {
    const size = (await io(path, 'open', undefined, () => handle.stat())).size;
    if (options.sectorCount === undefined) {
      sectorCount = Math.floor(size / sectorSize);
      if (sectorCount === 0) {
        throw new BlockDeviceError('io', 'open', undefined, `${path}: the file has ${size} bytes, less than one sector of ${sectorSize}`);
      }
    } else {
      sectorCount = options.sectorCount;
      const needed = sectorCount * sectorSize;
      if (size < needed) {
        if (!create) {
          throw new BlockDeviceError('io', 'open', undefined, `${path}: the file has ${size} bytes, the device needs ${needed} (${sectorCount} x ${sectorSize})`);
        }
        await io(path, 'open', undefined, () => handle.truncate(needed));
      }
    }
  } catch (err) {
    await handle.close().catch(() => {});
    throw err;
  }

  let open = true;
  const geometry = { sectorSize, sectorCount };
  /** Throws `closed` after close, then `range`/`size` for bad arguments. */
  const check = (operation: string, sector?: number, data?: Uint8Array): void => {
    if (!open) throw new BlockDeviceError('closed', operation, sector, `${path} was closed`);
    if (sector !== undefined) checkSectorArgs(geometry, operation, sector, data);
  };

  return {
    description: options.description ?? `file:${path}`,
    path,
    sectorSize,
    sectorCount,
    read: async (sector) => {
      check('read', sector);
      const buffer = new Uint8Array(sectorSize);
      const base = sector * sectorSize;
      let done = 0;
      while (done < sectorSize) {
        const { bytesRead } = await io(path, 'read', sector, () => handle.read(buffer, done, sectorSize - done, base + done));
        if (bytesRead === 0) {
          throw new BlockDeviceError('io', 'read', sector, `${path}: the file ends inside the sector (it shrank after open)`);
        }
        done += bytesRead;
      }
      return buffer;
    },
    write: async (sector, data) => {
      check('write', sector, data);
      // Copy now: the caller may reuse its buffer while the write is in flight.
      const copy = data.slice();
      const base = sector * sectorSize;
      let done = 0;
      while (done < sectorSize) {
        const { bytesWritten } = await io(path, 'write', sector, () => handle.write(copy, done, sectorSize - done, base + done));
        if (bytesWritten === 0) throw new BlockDeviceError('io', 'write', sector, `${path}: the write made no progress`);
        done += bytesWritten;
      }
    },
    flush: async () => {
      check('flush');
      await io(path, 'flush', undefined, () => handle.datasync());
    },
    close: async () => {
      if (!open) return;
      open = false;
      await io(path, 'close', undefined, () => handle.close());
    },
  };
}
