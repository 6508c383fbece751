/** The `multispool` suite: every property, in the order the CLI runs them. */
import type { PropertyDef } from '../suite.ts';
import { fifoOneReader } from './fifo.ts';
import { modelVsImplDisk, modelVsImplMemfs } from './model-vs-impl.ts';
import { monitorDaemon } from './monitor-daemon.ts';
import { monitorFsck } from './monitor-fsck.ts';
import { openValidation } from './open-validation.ts';

/** The multispool properties. */
export const MULTISPOOL_PROPERTIES: readonly PropertyDef[] = [
  modelVsImplMemfs,
  modelVsImplDisk,
  openValidation,
  monitorFsck,
  monitorDaemon,
  fifoOneReader,
];
