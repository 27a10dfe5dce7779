/**
 * The console's variables: ClickHouse as the read-only user (the only credentials it holds,
 * never sent to the browser), its HTTP port, and the login.
 */
import {
  baseEnvSchema,
  clickhouseEnvSchema,
  clickhouseReaderEnvSchema,
  httpEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'
import { PASSWORD_HASH_PATTERN } from './core/password.ts'

export const consoleEnvSchema = baseEnvSchema
  .extend(clickhouseEnvSchema.pick({ CLICKHOUSE_URL: true, CLICKHOUSE_DATABASE: true }).shape)
  .extend(clickhouseReaderEnvSchema.shape)
  .extend(httpEnvSchema('CONSOLE', 3000).shape)
  .extend(
    z.object({
      /**
       * The login's password as an scrypt hash (`npm run console:password` makes one). Unset: a
       * password is made up at start and printed once.
       */
      CONSOLE_PASSWORD_HASH: z
        .string()
        .regex(PASSWORD_HASH_PATTERN, 'an scrypt hash as `npm run console:password` prints it')
        .optional(),
      /** Signs the session cookies; unset, a random one per start (sessions end with the process). */
      CONSOLE_SESSION_SECRET: z.string().min(16, 'at least 16 characters').optional(),
      /** How long a login lasts. */
      CONSOLE_SESSION_HOURS: z.coerce.number().positive().default(12),
      /** How often the pages fetch their numbers again, in seconds. */
      CONSOLE_REFRESH_S: z.coerce.number().int().min(5).default(60),
    }).shape,
  )

export type ConsoleConfig = z.infer<typeof consoleEnvSchema>
