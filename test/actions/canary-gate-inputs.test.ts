import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
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
