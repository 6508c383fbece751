/** The `multispool` suite: every property, in the order the CLI runs them. */
import type { PropertyDef } from '../suite.ts';
import { corruptFiles } from './corrupt-files.ts';
import { fifoOneReader } from './fifo.ts';
import { ioFaults } from './io-faults.ts';
import { modelVsImplDisk, modelVsImplMemfs } from './model-vs-impl.ts';
import { monitorDaemon } from './monitor-daemon.ts';
import { monitorFsck } from './monitor-fsck.ts';
import { nameFormat } from './name-format.ts';
import { openValidation } from './open-validation.ts';
import { queueReaderModes } from './queue-reader.ts';
import { readerStop } from './reader-stop.ts';

/** The multispool properties. */
export const MULTISPOOL_PROPERTIES: readonly PropertyDef[] = [
  modelVsImplMemfs,
  modelVsImplDisk,
  openValidation,
  monitorFsck,
  monitorDaemon,
  fifoOneReader,
  queueReaderModes,
  readerStop,
  nameFormat,
  corruptFiles,
  ioFaults,
];
