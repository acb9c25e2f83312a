// `npm run bench`: each benchmark prints its numbers beside a peer measured in the same run.
import { buildCache } from './build-cache.js'
import { buildOverhead } from './build-overhead.js'
import { canaryAnalysis } from './canary-analysis.js'
import { coldStart } from './cold-start.js'
import { deployDev } from './deploy-dev.js'
import { promoteCopy } from './promote-copy.js'
import { promoteRollback } from './promote-rollback.js'

const which = process.argv.slice(2)
const all = which.length === 0
if (all || which.includes('cold-start')) coldStart()
if (all || which.includes('build-overhead')) await buildOverhead()
if (all || which.includes('build-cache')) await buildCache()
if (all || which.includes('promote-copy')) await promoteCopy()
if (all || which.includes('deploy-dev')) await deployDev()
if (all || which.includes('canary-analysis')) await canaryAnalysis()
if (all || which.includes('promote-rollback')) await promoteRollback()
