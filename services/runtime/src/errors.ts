/**
 * Two kinds of failure, decided where the failure is understood:
 * - RetriableError: the operation may succeed if repeated (a broker or database that is down,
 *   a timeout). Callers back off and retry, then give up by exiting non-zero.
 * - NonRetriableError: repeating cannot help (bad input, a schema mismatch). The message that
 *   caused it goes to the DLQ; the process carries on.
 */
export class RetriableError extends Error {
  override readonly name = 'RetriableError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

export class NonRetriableError extends Error {
  override readonly name = 'NonRetriableError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** A message for logs and DLQ headers, including the chain of causes. */
export function describeError(err: unknown): string {
  const parts: string[] = []
  let current: unknown = err
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`)
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.join(' <- caused by ')
}
