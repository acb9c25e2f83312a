import { afterEach, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  actionDefaults,
  inputEnv,
  parseCommandFile,
  runAction,
  setActionInputs
} from './action-runner.js'

const ECHO = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'echo-action')

describe('inputEnv', () => {
  it.each([
    ['image', 'INPUT_IMAGE'],
    ['registry-username', 'INPUT_REGISTRY-USERNAME'],
    ['multi line', 'INPUT_MULTI_LINE'],
    ['dry-run', 'INPUT_DRY-RUN']
  ])('names input %s %s', (name, variable) => {
    expect(inputEnv({ [name]: 'v' })).toEqual({ [variable]: 'v' })
  })
})

describe('parseCommandFile', () => {
  it.each([
    ['a<<EOF\none\nEOF\n', { a: 'one' }],
    ['a<<ghadelimiter_1\nx\ny\n\nghadelimiter_1\nb=2\n', { a: 'x\ny\n', b: '2' }],
    ['a=1\na=2\n', { a: '2' }],
    ['', {}]
  ])('parses %j', (text, expected) => {
    expect(parseCommandFile(text)).toEqual(expected)
  })
})

describe('runAction', () => {
  afterEach(() => {
    delete process.env.INPUT_UNSET
  })

  it('runs the bundle with inputs over action.yml defaults and parses what it wrote', async () => {
    // a leftover INPUT_* in the test process must not reach the action
    process.env.INPUT_UNSET = 'leaked'
    const result = await runAction(
      'echo',
      { message: 'hello' },
      { GITHUB_TOKEN: 'ghs_secret' },
      { actionDir: ECHO }
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toEqual({
      message: 'hello',
      multi: 'first\nsecond\n',
      'dry-run': 'false',
      'unset-is-set': 'false',
      'cwd-is-workspace': 'true',
      'runner-temp': expect.stringContaining('runner-temp')
    })
    expect(result.masks).toEqual(['ghs_secret'])
    expect(result.state).toEqual({ started: 'yes' })
    expect(result.summary).toBe('### Echo\nhello\n')
  })

  it('reports a failure with its exit code and annotations', async () => {
    const result = await runAction(
      'echo',
      { message: 'x', fail: 'true', 'dry-run': 'true' },
      {},
      { actionDir: ECHO }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs['dry-run']).toBe('true')
    expect(result.masks).toEqual([])
    expect(result.annotations).toEqual([{ level: 'error', message: 'echo failed\non purpose' }])
  })
})

describe('setActionInputs', () => {
  it('sets INPUT_* from action.yml defaults and inputs, and restores process.env', () => {
    expect(actionDefaults(ECHO, { GITHUB_TOKEN: 't' })).toMatchObject({ token: 't', fail: 'false' })
    const restore = setActionInputs('echo', { message: 'm' }, ECHO)
    expect(process.env['INPUT_MESSAGE']).toBe('m')
    expect(process.env['INPUT_MULTI_LINE']).toBe('first\nsecond\n')
    expect(process.env['INPUT_UNSET']).toBeUndefined()
    restore()
    expect(process.env['INPUT_MESSAGE']).toBeUndefined()
  })
})
