// `npm run bench`: each benchmark prints its numbers beside a peer measured in the same run.
import { buildOverhead } from './build-overhead.js'
import { coldStart } from './cold-start.js'
import { deployDev } from './deploy-dev.js'
import { promoteCopy } from './promote-copy.js'

const which = process.argv.slice(2)
const all = which.length === 0
if (all || which.includes('cold-start')) coldStart()
if (all || which.includes('build-overhead')) await buildOverhead()
if (all || which.includes('promote-copy')) await promoteCopy()
if (all || which.includes('deploy-dev')) await deployDev()
