/**
 * What the reconciler reports for each repair. Listeners of `reconciler.repaired` (the events)
 * and the reconciler both use it, so it stands apart from the reconciler that makes repairs.
 */

/** One thing a pass repaired; logged and emitted as `reconciler.repaired`. */
export interface Repair {
  kind:
    /** A PENDING generation whose submit job was lost: queued again (a run that already made the create call adopts or refuses it). */
    | 'submission.queued'
    /** A generation past its provider's maxJobTime still PROCESSING: polled, which ends it. */
    | 'generation.polled'
    /** A final generation whose ending (credits, slot, webhooks) was cut short: finished. */
    | 'ending.resumed'
    /** A reservation left open by a final generation: settled as the generation says. */
    | 'reservation.settled'
    /** A reservation whose generation was never stored, or that the generation no longer uses: refunded. */
    | 'reservation.refunded'
    /** A concurrency slot held for a final or missing generation: released. */
    | 'slot.released';
  generationId: string | null;
  accountId: string;
  reservationId?: string;
  detail: string;
}
