import { type Logger, pino } from 'pino'

export type { Logger } from 'pino'

/**
 * Paths removed from every log line: credentials, and the personal data an event may carry
 * (the envelope's ip, phone numbers, identity documents). Nested under any key one level deep.
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'secret',
  'token',
  'authorization',
  'writeKey',
  'ip',
  'phone',
  'idCard',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.writeKey',
  '*.ip',
  '*.phone',
  '*.idCard',
]

export interface LoggerOptions {
  service: string
  level: string
  /** Where lines go; standard output when omitted (tests pass a stream to read them back). */
  destination?: NodeJS.WritableStream
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: opts.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  )
}
