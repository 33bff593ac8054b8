import type { Logger } from '../logger';
import type { AssetStore } from './asset-store';

/** How the default asset store is set up: `createDoitong({ assets: { directory, retentionSeconds } })`. */
export interface AssetOptions {
  /** The folder of the default local store (a folder in the OS temp directory when left out). */
  directory?: string;
  /** Another store (S3, GCS…) instead of the local folder; retention applies when it can `prune`. */
  store?: AssetStore;
  /**
   * Output files older than this are deleted, on a schedule (every quarter of the retention, at
   * most hourly). Their generations keep their metadata; their links answer 404 afterwards.
   * Files are kept forever when left out.
   */
  retentionSeconds?: number;
}

/**
 * Deletes old output files on a schedule owned by one Doitong instance. The timer is unref'd, so
 * it never keeps a process alive, and `stop()` (called by `doitong.close()`) ends it.
 */
export class AssetRetention {
  readonly #store: AssetStore;
  readonly #retentionMilliseconds: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(store: AssetStore, retentionSeconds: number, logger: Logger) {
    this.#store = store;
    this.#retentionMilliseconds = retentionSeconds * 1000;
    this.#logger = logger;
  }

  /** Milliseconds between two prunes: a quarter of the retention, between one second and one hour. */
  get intervalMilliseconds(): number {
    return Math.min(3_600_000, Math.max(1_000, Math.round(this.#retentionMilliseconds / 4)));
  }

  get scheduled(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer || !this.#store.prune) {
      if (!this.#store.prune) this.#logger.warn({}, 'the asset store cannot prune: assets.retentionSeconds has no effect');
      return;
    }
    this.#timer = setInterval(() => {
      this.prune().catch((error: unknown) => this.#logger.error({ err: error }, 'pruning old assets failed'));
    }, this.intervalMilliseconds);
    this.#timer.unref();
  }

  /** Deletes the files older than the retention now; resolves with how many. One prune at a time. */
  prune(): Promise<number> {
    if (!this.#store.prune) return Promise.resolve(0);
    this.#running ??= this.#store.prune(this.#retentionMilliseconds).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }
}
