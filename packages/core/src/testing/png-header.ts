import { crc32 } from 'node:zlib';

/**
 * The first bytes of a PNG that declares `width` × `height` pixels (signature and IHDR, with a
 * correct checksum) and holds none: what a decoder would be asked to allocate is all a header
 * check needs to see, so tests of pixel limits need no large file.
 */
export function pngHeader(width: number, height: number): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const type = Buffer.from('IHDR');
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(Buffer.concat([type, header])) >>> 0);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), length, type, header, checksum]));
}
