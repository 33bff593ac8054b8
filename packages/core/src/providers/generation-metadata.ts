/** True facts about an output file, read from what the provider returned. */
export interface GenerationMetadata {
  width?: number;
  height?: number;
  /** Seconds, for audio and video. */
  duration?: number;
  /** File format: `png`, `jpeg`, `wav`, `mp3`, `mp4`. */
  format?: string;
  /** `1080p`, `720p`, `480p`, or `WIDTHxHEIGHT` for images. */
  resolution?: string;
  aspectRatio?: string;
  fps?: number;
  sampleRate?: number;
  channels?: number;
  /** Size of the file in bytes. */
  fileSize?: number;
  contentType?: string;
  model?: string;
  seed?: number;
  /** Video codec, for example `h264`. */
  codec?: string;
  hasAudio?: boolean;
}
