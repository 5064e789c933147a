/**
 * An HTTP body's Content-Encoding undone, with the inflated size capped: inflating stops
 * as soon as the cap is passed (a gzip bomb costs at most the cap), and a corrupt or
 * truncated stream is an answer with its reason, never an exception.
 */
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

export type Decoded = { ok: true; body: Buffer } | { ok: false; status: 400 | 413 | 415; reason: 'decoded_too_large' | 'corrupt_encoding' | 'unsupported_encoding'; error: string };

export const SUPPORTED_ENCODINGS = ['gzip', 'x-gzip', 'deflate', 'identity'];

type Inflater = (buf: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;

function run(fn: Inflater, body: Buffer, limit: number): Promise<{ body: Buffer } | { err: NodeJS.ErrnoException }> {
  return new Promise((resolve) => fn(body, { maxOutputLength: limit }, (err, out) => resolve(err ? { err } : { body: out })));
}

function failure(err: NodeJS.ErrnoException, encoding: string, limit: number): Decoded {
  if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return { ok: false, status: 413, reason: 'decoded_too_large', error: `the ${encoding} body inflates beyond ${limit} bytes (collector.http.max_body_bytes); send smaller batches` };
  const what = err.code === 'Z_BUF_ERROR' ? 'truncated (the stream ends before its end marker)' : `corrupt (${err.message})`;
  return { ok: false, status: 400, reason: 'corrupt_encoding', error: `the body is declared Content-Encoding: ${encoding} but is ${what}` };
}

/** Undoes `encoding` (the Content-Encoding header) on `body`, producing at most `limit` bytes. */
export async function decodeBody(body: Buffer, encoding: string | undefined, limit: number): Promise<Decoded> {
  const enc = String(encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body.length > limit ? { ok: false, status: 413, reason: 'decoded_too_large', error: `the body exceeds ${limit} bytes (collector.http.max_body_bytes)` } : { ok: true, body };
  if (enc === 'gzip' || enc === 'x-gzip') {
    const r = await run(gunzip, body, limit);
    return 'body' in r ? { ok: true, body: r.body } : failure(r.err, enc, limit);
  }
  if (enc === 'deflate') {
    // RFC 9110 deflate is zlib-wrapped; some clients send raw deflate, so that is tried when the zlib header is missing
    const r = await run(inflate, body, limit);
    if ('body' in r) return { ok: true, body: r.body };
    if (r.err.code !== 'Z_DATA_ERROR') return failure(r.err, enc, limit);
    const raw = await run(inflateRaw, body, limit);
    return 'body' in raw ? { ok: true, body: raw.body } : failure(raw.err, enc, limit);
  }
  return { ok: false, status: 415, reason: 'unsupported_encoding', error: `Content-Encoding ${JSON.stringify(enc).slice(0, 80)} is not supported: send ${SUPPORTED_ENCODINGS.join(', ')}` };
}
