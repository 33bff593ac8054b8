/**
 * Keeps a finished job's output: a copy in the asset store of a file the provider sent or of a link
 * that expires, or the provider's own link when it lasts. Named by the generation, with an
 * extension from its content type, so the asset routes can serve it.
 */
import { downloadOutput } from '../../assets/download';
import type { ProviderOutput } from '../../providers/provider-output';
import type { Generation } from '../generation';
import { callTimeout } from './provider-call';
import type { WorkerState } from './worker-state';

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
};

/** Where the output now is (an asset key, or the provider's URL when it lasts) and its metadata. */
export async function storeOutput(state: WorkerState, generation: Generation, outputs: ProviderOutput[], metadata: ProviderOutput['metadata'] | undefined) {
  const output = outputs[0];
  if (!output) throw new Error('the provider reported success without an output');
  if (output.kind === 'url' && output.expires) {
    // The provider's link dies (minutes to days): keep a copy so `url` works as long as our links do.
    const download = state.dependencies.download ?? downloadOutput;
    const copied = await download(output.url, { ...(output.headers ? { headers: output.headers } : {}), signal: AbortSignal.timeout(10 * callTimeout(state)) });
    const contentType = output.contentType ?? copied.contentType ?? 'application/octet-stream';
    const extension = extensions[contentType] ?? output.metadata.format ?? 'bin';
    const key = `${generation.accountId}/${generation.id}.${extension}`;
    const info = await state.dependencies.assets.put(key, copied.data, contentType);
    return {
      assetKey: key,
      metadata: { ...output.metadata, ...metadata, fileSize: info.size, contentType, format: output.metadata.format ?? extension },
    };
  }
  if (output.kind === 'bytes') {
    const extension = extensions[output.contentType] ?? output.metadata.format ?? 'bin';
    const key = `${generation.accountId}/${generation.id}.${extension}`;
    const info = await state.dependencies.assets.put(key, output.data, output.contentType);
    return {
      assetKey: key,
      metadata: { ...output.metadata, ...metadata, fileSize: info.size, contentType: output.contentType, format: output.metadata.format ?? extension },
    };
  }
  return { externalUrl: output.url, metadata: { ...output.metadata, ...metadata } };
}
