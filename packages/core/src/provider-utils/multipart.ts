/** A multipart/form-data body (Stability's v2beta and Viggle take nothing else). */
export function multipart(fields: Record<string, string | { data: Uint8Array; filename: string; contentType: string } | undefined>): {
  data: Uint8Array;
  contentType: string;
} {
  const boundary = `----doitong${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'string') {
      parts.push(encoder.encode(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    } else {
      parts.push(
        encoder.encode(
          `--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="${value.filename}"\r\ncontent-type: ${value.contentType}\r\n\r\n`,
        ),
      );
      parts.push(value.data, encoder.encode('\r\n'));
    }
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  return { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
