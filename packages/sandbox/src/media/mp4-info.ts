/**
 * The duration of an MP4's picture, read from the video track's `mdia/mdhd` box. The sandbox
 * reports what the file says rather than what was asked. The movie header (`mvhd`) is not used:
 * it counts the AAC encoder's priming samples, which the edit list hides from players.
 */
export function mp4Duration(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moov = children(view, 0, bytes.byteLength).find((box) => box.type === 'moov');
  if (!moov) return undefined;
  for (const trak of children(view, moov.contentStart, moov.end).filter((box) => box.type === 'trak')) {
    const mdia = children(view, trak.contentStart, trak.end).find((box) => box.type === 'mdia');
    if (!mdia) continue;
    const boxes = children(view, mdia.contentStart, mdia.end);
    const hdlr = boxes.find((box) => box.type === 'hdlr');
    const mdhd = boxes.find((box) => box.type === 'mdhd');
    // hdlr: version/flags (4), pre_defined (4), then the handler type.
    if (!hdlr || !mdhd || fourCc(view, hdlr.contentStart + 8) !== 'vide') continue;
    return mediaDuration(view, mdhd.contentStart);
  }
  return undefined;
}

interface Box {
  type: string;
  contentStart: number;
  end: number;
}

/** mdhd: version 1 has 64-bit times, version 0 32-bit; timescale and duration follow the times. */
function mediaDuration(view: DataView, start: number): number | undefined {
  const version = view.getUint8(start);
  const timescale = version === 1 ? view.getUint32(start + 20) : view.getUint32(start + 12);
  const duration = version === 1 ? Number(view.getBigUint64(start + 24)) : view.getUint32(start + 16);
  return timescale > 0 ? duration / timescale : undefined;
}

function children(view: DataView, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let offset = start;
  while (offset + 8 <= end) {
    let size = view.getUint32(offset);
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header) break;
    boxes.push({ type: fourCc(view, offset + 4), contentStart: offset + header, end: Math.min(end, offset + size) });
    offset += size;
  }
  return boxes;
}

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}
