// The actions run on node24 and @kubernetes/client-node/undici 8 need it: fail loudly when jest was
// started by an older node (for example when `npm ci --ignore-scripts` skipped the `node` wrapper's
// install script and the system node took over).
const major = Number(process.versions.node.split('.')[0])
if (major < 24) {
  throw new Error(
    `Tests need Node 24 or newer, this is ${process.version}: run them with \`npm test\` after \`npm ci\``
  )
}

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/harness'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/harness/global-setup.ts',
  globalTeardown: '<rootDir>/harness/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
  // A worker gets 3 s, not jest's 500 ms, to exit after its last suite: on a busy 2-vCPU machine
  // the default was sometimes too short (about every other full run) with no handle left open
  // (probed with process.getActiveResourcesInfo() after every suite). A real leak that outlives
  // this is still force-exited and reported.
  workerGracefulExitTimeout: 3000
}
