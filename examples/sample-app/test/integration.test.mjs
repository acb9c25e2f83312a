// The sample app's integration test, run against $ENVIRONMENT_URL by canary-gate:
//   mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/junit.xml 'test/*.test.mjs'
import assert from 'node:assert/strict'
import { test } from 'node:test'

const base = process.env.ENVIRONMENT_URL
if (!base) throw new Error('ENVIRONMENT_URL is not set')

test('the health check answers ok', async () => {
  const response = await fetch(`${base}/healthz`)
  assert.equal(response.status, 200)
  assert.match(await response.text(), /^ok /)
})

test('the home page is served', async () => {
  const response = await fetch(`${base}/`)
  assert.equal(response.status, 200)
  assert.match(await response.text(), /rollout-kit sample/)
})
