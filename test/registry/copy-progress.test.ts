import { describe, expect, it } from '@jest/globals'
import { Readable } from 'node:stream'
import { CopyProgress } from '../../src/registry/copy-progress.js'
import { abortableRetry } from '../../src/registry/abort.js'

async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk
}

describe('CopyProgress', () => {
  it('counts blobs found present with their whole size and says so before any byte moved', () => {
    const progress = new CopyProgress(1_200_000_000, 12)
    expect(progress.line()).toBe('copied 0 B of 1.2 GB (0 of 12 blobs), 0 B/s')
    progress.finished('sha256:a', 412_000_000)
    expect(progress.line()).toMatch(/^copied 412 MB of 1\.2 GB \(1 of 12 blobs\), /)
  })

  it('never goes back when a blob restarts from the source', async () => {
    const progress = new CopyProgress(3000, 1)
    await drain(progress.counted('sha256:a', Readable.from([Buffer.alloc(2000)])))
    const first = progress.line()
    await drain(progress.counted('sha256:a', Readable.from([Buffer.alloc(500)])))
    expect(progress.line().split(',')[0]).toBe(first.split(',')[0])
    expect(first).toMatch(/^copied 2\.0 kB of 3\.0 kB \(0 of 1 blobs\)/)
    progress.finished('sha256:a', 3000)
    expect(progress.line()).toMatch(/^copied 3\.0 kB of 3\.0 kB \(1 of 1 blobs\)/)
  })

  it('passes a source error on to the counted stream', async () => {
    const progress = new CopyProgress(10, 1)
    const source = new Readable({ read() {} })
    const counted = progress.counted('sha256:a', source)
    const failed = drain(counted).then(
      () => undefined,
      (error: unknown) => error
    )
    source.destroy(new Error('source reset'))
    expect(await failed).toMatchObject({ message: 'source reset' })
  })
})

describe('abortableRetry', () => {
  it('ends a wait between attempts as soon as the signal fires', async () => {
    const controller = new AbortController()
    const policy = abortableRetry(
      { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      controller.signal
    )
    const waiting = policy.sleep?.(60_000).then(
      () => 'slept',
      (error: unknown) => error
    )
    controller.abort(new Error('stage release timed out'))
    expect(await waiting).toMatchObject({ code: 'ABORT_ERR', message: 'stage release timed out' })
  })

  it('leaves a policy alone without a signal', () => {
    const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }
    expect(abortableRetry(policy, undefined)).toBe(policy)
  })
})
