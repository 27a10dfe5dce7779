import type { Logger } from 'pino'

export interface ShutdownStep {
  name: string
  run: () => Promise<void> | void
}

export interface Shutdown {
  /** Steps run in the order they were added (readiness off first, clients closed last). */
  add(step: ShutdownStep): void
  /** Runs every step once; later calls return the same promise. A failure reason exits 1. */
  run(reason: string, opts?: { failure?: boolean }): Promise<void>
  readonly started: boolean
}

export interface ShutdownOptions {
  log: Logger
  deadlineMs: number
  /** Injected so tests can observe the exit code instead of ending the test process. */
  exit?: (code: number) => void
}

/**
 * Graceful shutdown that runs once, with a hard deadline: a step that hangs (a broker that
 * never answers) cannot keep the process alive past deadlineMs; the process then exits 1.
 */
export function createShutdown(opts: ShutdownOptions): Shutdown {
  const steps: ShutdownStep[] = []
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  let running: Promise<void> | undefined

  async function runSteps(reason: string, failure: boolean): Promise<void> {
    opts.log.info({ reason, deadlineMs: opts.deadlineMs }, 'shutting down')
    const deadline = setTimeout(() => {
      opts.log.fatal({ deadlineMs: opts.deadlineMs }, 'shutdown deadline passed; exiting')
      opts.log.flush()
      exit(1)
    }, opts.deadlineMs)
    deadline.unref()
    let failed = failure
    for (const step of steps) {
      try {
        await step.run()
        opts.log.debug({ step: step.name }, 'shutdown step done')
      } catch (err) {
        failed = true
        opts.log.error({ err, step: step.name }, 'shutdown step failed')
      }
    }
    clearTimeout(deadline)
    opts.log.info({ failed }, 'shutdown complete')
    opts.log.flush()
    exit(failed ? 1 : 0)
  }

  return {
    add: (step) => steps.push(step),
    run(reason, opts) {
      running ??= runSteps(reason, opts?.failure ?? false)
      return running
    },
    get started() {
      return running !== undefined
    },
  }
}

/**
 * SIGTERM / SIGINT start the shutdown; unhandled rejections and uncaught exceptions are logged
 * as fatal and end the process with 1 — state may be inconsistent, and the last committed
 * offsets are the safe place to resume from.
 */
export function installProcessHandlers(log: Logger, shutdown: Shutdown): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown.run(signal))
  }
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection')
    log.flush()
    process.exit(1)
  })
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception')
    log.flush()
    process.exit(1)
  })
}
