import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { type ClickHouseError, clickhouseError } from '../core/clickhouse-error.ts'

/**
 * A request's body, decompressed by its Content-Encoding (gzip, deflate, br), up to `limit`
 * bytes after decompression. Over the limit, reading stops at once and the answer is ClickHouse's
 * "too large" error; a body that does not decompress is CANNOT_DECOMPRESS.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | ClickHouseError> {
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase().trim()
  let source: Readable = req
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip())
  else if (encoding === 'deflate') source = req.pipe(createInflate())
  else if (encoding === 'br') source = req.pipe(createBrotliDecompress())
  else if (encoding !== '' && encoding !== 'identity')
    return clickhouseError('BAD_ARGUMENTS', `Unknown Content-Encoding of HTTP request: ${encoding}`, 400)
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of Readable.from(source)) {
      const buf = chunk as Buffer
      size += buf.length
      if (size > limit) {
        req.resume()
        return clickhouseError(
          'QUERY_IS_TOO_LARGE',
          `Request body is larger than this server's limit of ${limit} bytes (CLICKHOUSE_LOCAL_MAX_BODY_BYTES)`,
        )
      }
      chunks.push(buf)
    }
  } catch (err) {
    if (source === req) throw err
    return clickhouseError(
      'CANNOT_DECOMPRESS',
      `Cannot decompress the request body: ${(err as Error).message}`,
      400,
    )
  }
  return Buffer.concat(chunks, size)
}
