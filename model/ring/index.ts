/**
 * The block-ring reference model (docs/ring-protocol.md): plain data in, plain data out. See `docs/ring-protocol.md`.
 */
export {
  capacityOf,
  CONTROL_SECTORS,
  geometryProblem,
  itemSize,
  MAX_ITEM_LENGTH,
  RETRY,
  ringError,
  ringOk,
  roundup4,
  SUSPENDED,
  type Popped,
  type RingErrorKind,
  type RingGeometry,
  type RingResult,
  type RingState,
} from './types.ts';
export {
  initialRingState,
  itemBoundaries,
  publishedItems,
  unpublishedItem,
  type HandleStatus,
  type ProducerHandle,
  type RingModelState,
  type StreamItem,
} from './state.ts';
export { step, type Folded, type Op, type OpKind, type OpOf, type OpValues, type StepOutcome } from './operations.ts';
