import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../impl/io/clock.ts';
import { memfsVfs } from '../impl/io/memfs-vfs.ts';
import { memoryBlockDevice } from '../impl/io/memory-block-device.ts';
import { processTable } from './processes.ts';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('simulated processes', () => {
  it('a live process passes calls through and records them in its timeline', async () => {
    const table = processTable();
    const p = table.spawn('p1');
    const vfs = p.vfs(memfsVfs({ volume: new Volume() }));
    await vfs.mkdir('/a');
    expect(await vfs.readdir('/')).toEqual(['a']);
    expect(p.timeline().map((e) => `${e.kind} ${e.what}`)).toEqual(['call mkdir /a', 'return mkdir /a', 'call readdir /', 'return readdir /']);
  });

  it('a killed process never sees a result, never starts a call, never wakes; others go on', async () => {
    const table = processTable();
    const volume = new Volume();
    const clock = manualClock(0);
    const [p1, p2] = [table.spawn('p1'), table.spawn('p2')];
    const v1 = p1.vfs(memfsVfs({ volume }));
    const v2 = p2.vfs(memfsVfs({ volume }));
    let seen = 0;
    void v1.mkdir('/x').then(() => seen++);
    p1.kill();
    await settle();
    expect(seen).toBe(0);
    // The call the disk had carried out stays carried out.
    expect(await v2.readdir('/')).toEqual(['x']);
    void v1.mkdir('/y').then(() => seen++);
    void p1.clock(clock).sleep(10).then(() => seen++);
    clock.advance(20);
    await settle();
    expect(seen).toBe(0);
    expect(await v2.readdir('/')).toEqual(['x']);
    expect(table.isAlive('p1')).toBe(false);
    expect(table.isAlive('p2')).toBe(true);
    expect(p2.probe.isAlive('p1')).toBe(false);
    expect(p2.probe.isAlive('nobody')).toBe(false);
    expect(table.describe().some((l) => l.endsWith('p1 killed kill -9'))).toBe(true);
  });

  it('a killed process cannot write to a shared block device', async () => {
    const table = processTable();
    const device = memoryBlockDevice({ sectorSize: 512, sectorCount: 4 });
    const p = table.spawn('p');
    const view = p.device(device);
    await view.write(1, new Uint8Array(512).fill(7));
    p.kill();
    void view.write(2, new Uint8Array(512).fill(9));
    await settle();
    expect((await device.read(1))[0]).toBe(7);
    expect((await device.read(2))[0]).toBe(0);
  });

  it('refuses two processes of one name', () => {
    const table = processTable();
    table.spawn('p');
    expect(() => table.spawn('p')).toThrow(/already exists/);
  });
});
