import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setActionInputs } from '../../harness/action-runner.js'
import { testPki, type TestPki } from '../../harness/tls.js'
import { readInputs, type AnalysisInputs } from '../../src/actions/canary-gate/inputs.js'

let restore: () => void = () => undefined
afterEach(() => restore())

function analysis(values: Record<string, string>): AnalysisInputs {
  restore = setActionInputs('canary-gate', {
    mode: 'analysis',
    'prometheus-url': 'https://prometheus.example',
    metrics:
      '- name: errors\n  query: sum(rate(errors{$selector}[1m]))\n  kind: threshold\n  max: 0.1\n',
    'canary-selector': 'app="web-canary"',
    ...values
  })
  return readInputs() as AnalysisInputs
}

describe('canary-gate Prometheus credentials', () => {
  it('sends no Authorization by default, a bearer token, or basic auth, and extra headers', () => {
    expect(analysis({}).prometheusHeaders).toEqual({})
    expect(analysis({ 'prometheus-token': 'ya29.token' }).prometheusHeaders).toEqual({
      Authorization: 'Bearer ya29.token'
    })
    expect(
      analysis({
        'prometheus-username': 'reader',
        'prometheus-password': 'pw',
        'prometheus-headers': 'X-Scope-OrgID: team-a\n# a comment\nX-Extra: a:b'
      }).prometheusHeaders
    ).toEqual({
      Authorization: `Basic ${Buffer.from('reader:pw').toString('base64')}`,
      'X-Scope-OrgID': 'team-a',
      'X-Extra': 'a:b'
    })
  })

  it.each([
    [
      { 'prometheus-token': 't', 'prometheus-username': 'u', 'prometheus-password': 'p' },
      "Input 'prometheus-token' is '***'; expected empty when prometheus-username and prometheus-password are given"
    ],
    [
      { 'prometheus-username': 'u' },
      "Input 'prometheus-password' is ''; expected a value when prometheus-username is set"
    ],
    [
      { 'prometheus-headers': 'no colon here' },
      "Input 'prometheus-headers' is '(a line without a name)'; expected lines of the form Name: value"
    ],
    [{ 'prometheus-headers': 'Bad Name: x' }, "Input 'prometheus-headers' is 'Bad Name: …'"]
  ])('refuses %j without showing a value', (given, message) => {
    expect(() => analysis(given)).toThrow(message)
  })
})

describe('canary-gate prometheus-ca', () => {
  let pki: TestPki
  let dir: string
  beforeAll(async () => {
    pki = await testPki()
    dir = mkdtempSync(join(tmpdir(), 'rollout-kit-prometheus-ca-'))
  })

  it('is absent by default, and reads the PEM text or a file holding it', () => {
    expect(analysis({}).prometheusCa).toBeUndefined()
    const bundle = `${pki.ca.certPem}${pki.server.certPem}`
    expect(analysis({ 'prometheus-ca': bundle }).prometheusCa).toBe(bundle.trim())
    const file = join(dir, 'bundle.pem')
    writeFileSync(file, `# the internal CA\n${pki.ca.certPem}`)
    expect(analysis({ 'prometheus-ca': file }).prometheusCa).toBe(
      `# the internal CA\n${pki.ca.certPem}`.trim()
    )
  })

  it.each([
    [
      'a certificate that does not parse',
      () => '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
      "Input 'prometheus-ca' is '-----BEGIN CERTIFICATE-----…'; expected PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it; certificate 1 of 1 does not parse"
    ],
    [
      'PEM without a certificate',
      () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      "Input 'prometheus-ca' is '-----BEGIN PUBLIC KEY-----…'; expected PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it; it holds no -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- block"
    ],
    [
      'a private key beside the certificate, never shown',
      () => `${pki.ca.certPem}${pki.ca.keyPem}`,
      "Input 'prometheus-ca' is '-----BEGIN CERTIFICATE-----…'; expected PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it; it holds a private key; give only the certificates of the CA"
    ],
    [
      'a path that is not a file',
      () => join(dir, 'missing.pem'),
      '; expected PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it; the file cannot be read: ENOENT'
    ],
    [
      'a file without a certificate',
      () => {
        const file = join(dir, 'empty.pem')
        writeFileSync(file, 'nothing here\n')
        return file
      },
      "empty.pem'; expected PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it; it holds no -----BEGIN CERTIFICATE-----"
    ]
  ])('refuses %s, naming the input and what is accepted', (_, value, message) => {
    const given = value()
    let thrown: unknown
    try {
      analysis({ 'prometheus-ca': given })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(Error)
    expect((thrown as Error).message).toContain(message)
    expect((thrown as Error).message).not.toContain('PRIVATE KEY')
  })
})
