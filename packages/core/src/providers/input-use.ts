/**
 * How a provider treats one field of `GenerationInput`. The engine refuses a request that leaves
 * out a `required` field or sets an `unsupported` one before anything is charged, and the router
 * only considers providers that can take the input given (an `input.image` needs image-to-video).
 */
export type InputUse = 'required' | 'optional' | 'unsupported';

/** How a provider treats each field of `GenerationInput`, for one generation type. */
export interface InputSupport {
  /** The prompt, or the script to speak. */
  text: InputUse;
  /** An image to animate, edit or condition on. */
  image: InputUse;
  /** A voice name or id (AUDIO, AVATAR); absent means unsupported. */
  voice?: InputUse;
  /** An audio file to lip-sync to; absent means unsupported. */
  audio?: InputUse;
  /** A reference video (motion transfer, lip-sync); absent means unsupported. */
  video?: InputUse;
  /** What the output must not contain; absent means unsupported. */
  negativePrompt?: InputUse;
}
