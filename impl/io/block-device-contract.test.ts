/**
 * Both built-in devices pass the same BlockDevice contract; the file device keeps its data across
 * close and reopen and reports file problems as `io` errors naming the path.
 */
import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockDeviceError, isBlockDeviceError } from './block-device.ts';
import { defineBlockDeviceContract } from './block-device-contract.ts';
import { openFileBlockDevice } from './file-block-device.ts';
import { memoryBlockDevice } from './memory-block-device.ts';
import { makeTempDir, type TempDir } from './node-vfs.ts';

defineBlockDeviceContract('memory', async (geometry) => ({ device: memoryBlockDevice(geometry), cleanup: async () => {} }));

defineBlockDeviceContract('file', async (geometry) => {
  const tmp = await makeTempDir('spoolcheck-blockdev-');
  const device = await openFileBlockDevice(nodePath.join(tmp.path, 'device'), { ...geometry, create: true });
  return {
    device,
    cleanup: async () => {
      await device.close();
      await tmp.cleanup();
    },
  };
});

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<BlockDeviceError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(BlockDeviceError);
    return err as BlockDeviceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Runs `body` in a fresh temporary directory and always removes it. */
async function inTempDir(body: (tmp: TempDir) => Promise<void>): Promise<void> {
  const tmp = await makeTempDir('spoolcheck-blockdev-');
  try {
    await body(tmp);
  } finally {
    await tmp.cleanup();
  }
}

describe('memory device specifics', () => {
  it('snapshot copies the whole device, sector 0 first', async () => {
    const device = memoryBlockDevice({ sectorSize: 4, sectorCount: 3, description: 'tiny' });
    expect(device.description).toBe('tiny');
    await device.write(1, new Uint8Array([1, 2, 3, 4]));
    const image = device.snapshot();
    expect([...image]).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]);
    image.fill(7);
    expect([...(await device.read(1))]).toEqual([1, 2, 3, 4]);
    expect(memoryBlockDevice({ sectorSize: 512, sectorCount: 4 }).description).toBe('memory:4x512');
  });

  it('refuses a geometry that is not two positive integers', () => {
    expect(() => memoryBlockDevice({ sectorSize: 0, sectorCount: 4 })).toThrow(/sectorSize must be a positive integer, got 0/);
    expect(() => memoryBlockDevice({ sectorSize: 512.5, sectorCount: 4 })).toThrow(/sectorSize/);
    expect(() => memoryBlockDevice({ sectorSize: 512, sectorCount: -1 })).toThrow(/sectorCount must be a positive integer, got -1/);
    expect(() => memoryBlockDevice({ sectorSize: 512, sectorCount: Number.NaN })).toThrow(/sectorCount/);
  });
});

describe('file device specifics', () => {
  it('a device reopened after close sees the data; sectorCount defaults from the file size', () =>
    inTempDir(async (tmp) => {
      const path = nodePath.join(tmp.path, 'ring');
      const first = await openFileBlockDevice(path, { sectorSize: 512, sectorCount: 4, create: true });
      expect(first.description).toBe(`file:${path}`);
      expect(first.path).toBe(path);
      await first.write(3, new Uint8Array(512).fill(0xab));
      await first.write(0, new Uint8Array(512).fill(0x01));
      await first.flush();
      await first.close();
      expect((await fs.stat(path)).size).toBe(2048);

      const again = await openFileBlockDevice(path, { sectorSize: 512 });
      try {
        expect(again.sectorCount).toBe(4);
        expect(await again.read(3)).toEqual(new Uint8Array(512).fill(0xab));
        expect(await again.read(0)).toEqual(new Uint8Array(512).fill(0x01));
        expect(await again.read(1)).toEqual(new Uint8Array(512));
      } finally {
        await again.close();
      }
    }));

  it('after close every call fails with closed; closing twice is fine', () =>
    inTempDir(async (tmp) => {
      const device = await openFileBlockDevice(nodePath.join(tmp.path, 'd'), { sectorSize: 512, sectorCount: 2, create: true });
      await device.close();
      await device.close();
      expect((await rejection(device.read(0))).code).toBe('closed');
      expect((await rejection(device.write(0, new Uint8Array(512)))).code).toBe('closed');
      expect((await rejection(device.flush())).code).toBe('closed');
    }));

  it('create extends a short file with zeros and keeps its bytes; a longer file keeps its tail', () =>
    inTempDir(async (tmp) => {
      const path = nodePath.join(tmp.path, 'd');
      await fs.writeFile(path, new Uint8Array(100).fill(5));
      const device = await openFileBlockDevice(path, { sectorSize: 64, sectorCount: 3, create: true });
      expect(await device.read(0)).toEqual(new Uint8Array(64).fill(5));
      // Bytes 64..99 were in the file; 100..127 are the zeros of the extension.
      expect(await device.read(1)).toEqual(new Uint8Array(64).fill(5, 0, 36));
      expect(await device.read(2)).toEqual(new Uint8Array(64));
      await device.close();
      expect((await fs.stat(path)).size).toBe(192);

      const smaller = await openFileBlockDevice(path, { sectorSize: 64, sectorCount: 1, create: true });
      expect(smaller.sectorCount).toBe(1);
      await smaller.close();
      expect((await fs.stat(path)).size).toBe(192);

      const rounded = await openFileBlockDevice(path, { sectorSize: 100 });
      expect(rounded.sectorCount).toBe(1);
      await rounded.close();
    }));

  it('file problems are io errors naming the path; bad options are plain errors', () =>
    inTempDir(async (tmp) => {
      const missing = nodePath.join(tmp.path, 'missing');
      const err = await rejection(openFileBlockDevice(missing, { sectorSize: 512 }));
      expect(err.code).toBe('io');
      expect(err.operation).toBe('open');
      expect(err.message).toContain(missing);

      const tiny = nodePath.join(tmp.path, 'tiny');
      await fs.writeFile(tiny, new Uint8Array(511));
      const small = await rejection(openFileBlockDevice(tiny, { sectorSize: 512 }));
      expect(small.code).toBe('io');
      expect(small.message).toContain(tiny);
      const short = await rejection(openFileBlockDevice(tiny, { sectorSize: 64, sectorCount: 8 }));
      expect(isBlockDeviceError(short, 'io')).toBe(true);
      expect(short.message).toMatch(/511 bytes, the device needs 512/);

      await expect(openFileBlockDevice(tiny, { sectorSize: 0 })).rejects.toThrow(/sectorSize must be a positive integer/);
      await expect(openFileBlockDevice(tiny, { sectorSize: 512, sectorCount: 1.5 })).rejects.toThrow(/sectorCount/);
      await expect(openFileBlockDevice(nodePath.join(tmp.path, 'new'), { sectorSize: 512, create: true })).rejects.toThrow(/create needs sectorCount/);
      await expect(fs.stat(nodePath.join(tmp.path, 'new'))).rejects.toThrow(/ENOENT/);
    }));
});
