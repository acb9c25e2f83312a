import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ToolError } from '../../src/image-build/index.js'
import { lastLines, runTool, withTempDir } from '../../src/image-build/tool.js'

describe('runTool', () => {
  it('returns stdout and passes env and stdin', async () => {
    const out = await runTool('sh', 'sh', ['-c', 'read x; echo "$GREETING $x"'], {
      env: { GREETING: 'hello' },
      input: 'world\n',
      silent: true
    })
    expect(out).toEqual({ stdout: 'hello world\n', stderr: '' })
  })

  it('names the command, the exit code and the end of stderr on failure', async () => {
    const script = 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "line $i" >&2; done; exit 125'
    const run = runTool('buildah bud', 'sh', ['-c', script], { silent: true })
    await expect(run).rejects.toThrow(ToolError)
    await expect(run).rejects.toThrow(
      'buildah bud failed (exit 125): line 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\nline 10'
    )
  })
})

describe('lastLines', () => {
  it.each([
    ['', 2, ''],
    ['a\n\n  \nb  \r\nc\n', 2, 'b\nc'],
    ['only', 5, 'only'],
    [
      'Copying blob\nwarning: Error: retrying\nError: pushing: refused\n  detail\n',
      8,
      'Error: pushing: refused\n  detail'
    ],
    ['ERROR: failed to solve: x\n', 8, 'ERROR: failed to solve: x']
  ])('%j, %d → %j', (text, count, result) => {
    expect(lastLines(text, count)).toBe(result)
  })
})

describe('withTempDir', () => {
  it('removes the directory after a failure', async () => {
    let dir = ''
    await expect(
      withTempDir(async (path) => {
        dir = path
        await writeFile(join(path, 'auth.json'), '{}', { mode: 0o600 })
        throw new Error('build failed')
      })
    ).rejects.toThrow('build failed')
    expect(dir).not.toBe('')
    expect(existsSync(dir)).toBe(false)
  })
})
