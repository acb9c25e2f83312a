/**
 * `npm run check:workflows [file…]`: every workflow in `workflows/` and `.github/workflows/` and
 * every `actions/<name>/action.yml` validated by GitHub's language service (see
 * language-service.ts). Prints each problem as `file:line: message` and exits 1 when there is one.
 */
import { fileURLToPath } from 'node:url'
import { defaultFiles } from './files.js'
import { checkFiles, formatProblem } from './language-service.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles(ROOT)
const problems = await checkFiles(process.cwd() === ROOT ? ROOT : process.cwd(), files)
for (const problem of problems) console.log(formatProblem(problem))
console.log(
  `check:workflows: ${files.length} file(s), ${problems.length} problem(s) (GitHub's language service)`
)
process.exitCode = problems.length === 0 ? 0 : 1
