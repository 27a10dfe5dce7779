// Prints one closing line "tests: N passed, N failed[, N skipped]" from vitest's JSON report.
import { readFileSync } from 'node:fs'

const report = JSON.parse(readFileSync(process.argv[2] ?? '.test-results/vitest.json', 'utf8'))
const skipped = report.numPendingTests + report.numTodoTests
process.stdout.write(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
)
process.exitCode = report.numTotalTests > 0 && report.numFailedTests === 0 ? 0 : 1
