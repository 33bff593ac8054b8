/**
 * The unified input of `generate`: the same shape for every provider, so a caller can switch
 * providers without rewriting a request. What each field means to a provider is its `inputs`.
 */
export interface GenerationInput {
  /** The prompt, or the script to speak for AUDIO and AVATAR. */
  text?: string;
  /** An image URL (or data: URL) to animate or to condition on. */
  image?: string;
  /** A voice name or id, for AUDIO and AVATAR. */
  voice?: string;
  /** An audio URL to lip-sync to, for AVATAR. */
  audio?: string;
  /** A reference video URL, for motion transfer and lip-sync. */
  video?: string;
  /** What the output must not contain. */
  negativePrompt?: string;
}
