/**
 * True facts about an output file, read from what the provider returned (or from the file), shown
 * to the caller as the generation's `metadata`. Every field is optional: a provider that returns a
 * bare link says little, and a guess is worse than nothing.
 */
export interface GenerationMetadata {
  /** Pixels, for images and video. */
  width?: number;
  height?: number;
  /** Seconds, for audio and video. */
  duration?: number;
  /** File format: `png`, `jpeg`, `wav`, `mp3`, `mp4`. */
  format?: string;
  /** `1080p`, `720p`, `480p`, or `WIDTHxHEIGHT` for images. */
  resolution?: string;
  /** `16:9`, `1:1`…, as the request asked and the provider delivered. */
  aspectRatio?: string;
  /** Frames per second, for video. */
  fps?: number;
  /** Samples per second and channel count, for audio. */
  sampleRate?: number;
  channels?: number;
  /** Size of the file in bytes. */
  fileSize?: number;
  /** The MIME type the download is served with. */
  contentType?: string;
  /** The provider's model that made it, which may differ from the alias the caller chose. */
  model?: string;
  /** The seed used, so the caller can ask for the same result again. */
  seed?: number;
  /** Video codec, for example `h264`. */
  codec?: string;
  /** Whether a video has a sound track. */
  hasAudio?: boolean;
}
