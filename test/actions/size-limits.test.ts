/**
 * Oversized input is refused with one error naming the input, the file and the limit, before it is
 * read: files are made sparse (their size set, no bytes written), so the tests cost no disk.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LIMITS } from '../../src/action/limits.js'
import { parseJUnit, readReports } from '../../src/gate/tests/junit.js'
import { loadKubeConfig } from '../../src/kube/kubeconfig.js'
import { loadManifests } from '../../src/kube/manifests.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'size-limits-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A file of `bytes` bytes that takes no disk. */
function sparse(name: string, bytes: number): string {
  const file = join(dir, name)
  writeFileSync(file, '')
  truncateSync(file, bytes)
  return file
}

describe('size limits', () => {
  it('refuses a kubeconfig file above 4 MiB, naming it', () => {
    const file = sparse('kubeconfig', 131 * 1024 * 1024)
    expect(() => loadKubeConfig({ env: { KUBECONFIG: file } })).toThrow(
      `Input 'kubeconfig' is '${file}'; expected a kubeconfig file (Kubeconfig ${file} (from $KUBECONFIG)) of at most 4.0 MiB; it is 131.0 MiB`
    )
  })

  it('refuses kubeconfig input text above 4 MiB without echoing it', () => {
    const text = `apiVersion: v1\n# ${'x'.repeat(LIMITS.kubeconfig)}\n`
    expect(() => loadKubeConfig({ content: text })).toThrow(
      "Input 'kubeconfig' is '(4.0 MiB of text)'; expected kubeconfig YAML of at most 4.0 MiB"
    )
  })

  it('refuses a manifest file above 16 MiB, naming it as the user wrote it', async () => {
    sparse('huge.yaml', 40 * 1024 * 1024)
    await expect(loadManifests(['huge.yaml'], { cwd: dir })).rejects.toThrow(
      "Input 'manifests' is 'huge.yaml'; expected manifest files of at most 16.0 MiB; it is 40.0 MiB"
    )
  })

  it('refuses a JUnit report above 64 MiB, naming it', async () => {
    sparse('big-junit.xml', 200 * 1024 * 1024)
    await expect(readReports(['big-junit.xml'], dir)).rejects.toThrow(
      "Input 'reports' is 'big-junit.xml'; expected JUnit report files of at most 64.0 MiB; it is 200.0 MiB"
    )
  })

  it('keeps at most 64 KiB of a failure message and of its details, saying how much was cut', () => {
    const long = 'e'.repeat(LIMITS.testText + 1000)
    const report = parseJUnit(
      `<testsuite name="s"><testcase name="t"><failure message="${long}">${long}</failure></testcase></testsuite>`,
      'r.xml'
    )
    const test = report.cases[0]
    expect(test.message).toBe(`${'e'.repeat(LIMITS.testText)}… (1000 more characters not kept)`)
    expect(test.details).toBe(test.message)
  })
})

describe('the bundled action with an oversized report', () => {
  it('fails with one ::error naming the file, and still sets its outputs', async () => {
    const { runAction } = await import('../../harness/action-runner.js')
    const result = await runAction('canary-gate', {
      mode: 'tests',
      command: `truncate -s 200M big.xml`,
      reports: 'big.xml',
      image: `registry.invalid/app@sha256:${'a'.repeat(64)}`
    })
    expect(result.exitCode).toBe(1)
    const errors = result.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].message).toContain(
      "Input 'reports' is 'big.xml'; expected JUnit report files of at most 64.0 MiB; it is 200.0 MiB"
    )
  })
})

describe('hostile input names what it came from', () => {
  const bomb = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: x}',
    'data:',
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]'
  ].join('\n')

  it('a YAML alias bomb in manifests: the input and the file', async () => {
    writeFileSync(join(dir, 'bomb.yaml'), bomb)
    await expect(loadManifests(['bomb.yaml'], { cwd: dir })).rejects.toThrow(
      "bomb.yaml:1: input 'manifests': YAML that cannot be expanded: Excessive alias count indicates a resource exhaustion attack"
    )
  })

  it('a YAML alias bomb in a kubeconfig: the input', () => {
    expect(() => loadKubeConfig({ content: bomb })).toThrow(
      "Input 'kubeconfig' is YAML that cannot be expanded: Excessive alias count"
    )
  })

  it('an external entity (XXE) in a JUnit report: the report', () => {
    expect(() =>
      parseJUnit(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="s"><testcase name="&xxe;"/></testsuite>',
        'reports/junit.xml'
      )
    ).toThrow('reports/junit.xml: unsafe or unreadable XML: External entities are not supported')
  })
})

describe('a kubeconfig whose exec plugin is missing', () => {
  const config = (command: string) =>
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: gke',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]',
      'contexts: [{name: gke, context: {cluster: c, user: u}}]',
      `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ${command}}}}]`
    ].join('\n')

  it('is blamed on the kubeconfig input, naming the plugin, before any request', () => {
    expect(() => loadKubeConfig({ content: config('gke-gcloud-auth-plugin-missing') })).toThrow(
      "Input 'kubeconfig' names user 'u' in context 'gke', whose exec plugin 'gke-gcloud-auth-plugin-missing' is not installed (not on PATH)"
    )
    expect(() => loadKubeConfig({ content: config('/no/such/plugin') })).toThrow(
      "whose exec plugin '/no/such/plugin' is not installed (no such file)"
    )
  })

  it('is accepted when the plugin is on PATH', () => {
    expect(loadKubeConfig({ content: config('sh') }).context).toBe('gke')
  })
})
