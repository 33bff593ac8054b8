import type { GenerationRequest } from '@doitong/core';

/**
 * For APIs that take an input image as bytes only (Gemini's Veo, Stability's multipart, BFL's
 * `image_prompt`): an image link is refused by the catalog check, so the router passes over the
 * provider for it rather than a request reaching an API that cannot fetch it.
 */
export function linkedImageProblem(request: GenerationRequest, name: string, field = 'input.image'): string | undefined {
  const image = request.input.image;
  if (image === undefined || image.startsWith('data:')) return undefined;
  return `${name} takes ${field} as a data: URL (base64); it does not fetch links.`;
}
