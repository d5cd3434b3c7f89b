/** One part of a `multipart/related` body (RFC 2387), as Cloud Storage multipart uploads send them. */
export interface MultipartPart {
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/**
 * Splits a `multipart/related; boundary=…` body into its parts (headers, blank line, bytes). Returns undefined when
 * the content type has no boundary. Bytes are kept as they are: the media part is binary.
 */
export function parseMultipartRelated(body: Buffer, contentType: string): MultipartPart[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The CRLF before the next delimiter belongs to the delimiter.
    const end = body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    const raw = body.subarray(start, end);
    const headerEnd = raw.indexOf('\r\n\r\n');
    const headerText = headerEnd < 0 ? '' : raw.subarray(0, headerEnd).toString('utf8');
    const type = /^content-type:\s*(.+)$/im.exec(headerText)?.[1]?.trim();
    parts.push({ contentType: type, body: headerEnd < 0 ? raw : raw.subarray(headerEnd + 4) });
    at = next;
  }
  return parts;
}
