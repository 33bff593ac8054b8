import type { GenerationMetadata } from './generation-metadata';

/**
 * An output as the provider gives it: bytes we store, or a URL we copy (when it expires) or hand
 * to the caller as it is. Only the first output of a job becomes the generation's `url`.
 */
export type ProviderOutput =
  | {
      kind: 'bytes';
      /** The file itself (synchronous APIs answer with it: text-to-speech, Imagen). */
      data: Uint8Array;
      /** Its MIME type, served with the download. */
      contentType: string;
      /** What the file is (size, duration, format), as far as the provider or the file says. */
      metadata: GenerationMetadata;
    }
  | {
      kind: 'url';
      /** Where the provider serves the file (the caller's `url` when it does not expire). */
      url: string;
      /** Its MIME type when known; otherwise a copy takes the download's. */
      contentType?: string;
      /** What the file is, as far as the provider says. */
      metadata: GenerationMetadata;
      /** Provider URLs that expire (BFL: ~10 min) are copied into the asset store before COMPLETED. */
      expires?: boolean;
      /**
       * Headers the copy must send (Veo's files download only with the API key). Used once, for the
       * copy, and never stored with the generation.
       */
      headers?: Record<string, string>;
    };
