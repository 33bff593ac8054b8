import type { Generation } from './generation';
import type { Repair } from './repair';

/** The events `doitong.on(…)` delivers; each carries the generation as stored after the change. */
export interface DoitongEvents {
  'generation.created': (generation: Generation) => void;
  /** The provider accepted the job: PENDING became PROCESSING. */
  'generation.started': (generation: Generation) => void;
  'generation.progress': (generation: Generation) => void;
  'generation.completed': (generation: Generation) => void;
  'generation.failed': (generation: Generation) => void;
  'generation.cancelled': (generation: Generation) => void;
  /** The reconciler repaired something a crash or an outage left half done. */
  'reconciler.repaired': (repair: Repair) => void;
}

export type DoitongEventName = keyof DoitongEvents;
