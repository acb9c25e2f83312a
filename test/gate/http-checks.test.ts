import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import { parseChecks } from '../../src/gate/http/run.js'

describe('parseChecks', () => {
  it('reads URLs and mappings with their defaults', () => {
    const checks = parseChecks(
      [
        '- https://dev.example.com/healthz',
        '- url: https://dev.example.com/api/version',
        '  name: version',
        '  method: GET',
        '  status: [200, 204]',
        `  body: '"version":"1\\.'`,
        '  max-latency: 500ms',
        '  retries: 3',
        '  headers: { Accept: application/json, X-Attempt: 1 }',
        '- url: http://10.0.0.1:8080/ready',
        '  method: HEAD',
        '  status: 204'
      ].join('\n')
    )
    expect(checks).toEqual([
      {
        name: 'https://dev.example.com/healthz',
        url: 'https://dev.example.com/healthz',
        method: 'GET',
        retries: 2,
        headers: {}
      },
      {
        name: 'version',
        url: 'https://dev.example.com/api/version',
        method: 'GET',
        statuses: [200, 204],
        body: /"version":"1\./,
        maxLatencyMs: 500,
        retries: 3,
        headers: { Accept: 'application/json', 'X-Attempt': '1' }
      },
      {
        name: 'http://10.0.0.1:8080/ready',
        url: 'http://10.0.0.1:8080/ready',
        method: 'HEAD',
        statuses: [204],
        retries: 2,
        headers: {}
      }
    ])
  })

  it.each([
    [
      'YAML syntax',
      '- https://a.example\n- url: [unclosed',
      /^Input 'checks' is '- url: \[unclosed'; expected valid YAML \(.*\) \(line 2\)$/
    ],
    [
      'a mapping instead of a list',
      'url: https://a.example',
      "Input 'checks' is 'url: https://a.example'; expected a YAML list of checks, each a URL or a mapping with a url (line 1)"
    ],
    [
      'an empty input',
      '',
      "Input 'checks' is ''; expected a YAML list of checks, each a URL or a mapping with a url (line 1)"
    ],
    [
      'a URL of another scheme',
      '- https://ok.example\n- ftp://files.example/x',
      "Input 'checks' is 'ftp://files.example/x'; expected an http:// or https:// URL (line 2)"
    ],
    [
      'a relative URL',
      '- url: /healthz',
      "Input 'checks' is '/healthz'; expected an http:// or https:// URL (line 1)"
    ],
    [
      'a status out of range',
      '- url: https://a.example\n  status: [200, 999]',
      "Input 'checks' is '[200,999]'; expected status: an HTTP status (100–599) or a list of them (line 2)"
    ],
    [
      'a status that is text',
      '- url: https://a.example\n  status: ok',
      "Input 'checks' is 'ok'; expected status: an HTTP status (100–599) or a list of them (line 2)"
    ],
    [
      'a bad regex',
      "- url: https://a.example\n  body: '(unclosed'",
      /^Input 'checks' is '\(unclosed'; expected a JavaScript regular expression \(.*\) \(line 2\)$/
    ],
    [
      'a bad duration',
      '- url: https://a.example\n  max-latency: fast',
      "Input 'checks' is 'fast'; expected a max-latency duration such as 500ms or 2s, at most 120h (line 2)"
    ],
    [
      'an unknown key',
      '- url: https://a.example\n  timeout: 5s',
      "Input 'checks' is 'timeout'; expected one of the keys: url, name, method, status, body, max-latency, retries, headers (line 2)"
    ],
    [
      'an unknown method',
      '- url: https://a.example\n  method: POST',
      "Input 'checks' is 'POST'; expected method GET or HEAD (line 2)"
    ],
    [
      'a body pattern with HEAD',
      '- url: https://a.example\n  method: HEAD\n  body: ok',
      "Input 'checks' is 'body with method HEAD'; expected a body pattern only with method GET (line 1)"
    ],
    [
      'negative retries',
      '- url: https://a.example\n  retries: -1',
      "Input 'checks' is '-1'; expected retries: an integer from 0 to 10 (line 2)"
    ],
    [
      'a mapping without url',
      '- name: health',
      "Input 'checks' is 'a check without url'; expected a mapping with a url (line 1)"
    ],
    [
      'headers as a list',
      '- url: https://a.example\n  headers: [Accept]',
      "Input 'checks' is '[\"Accept\"]'; expected headers: a mapping of header names to values (line 2)"
    ]
  ])('refuses %s, naming the line', (_, text, message) => {
    expect(() => parseChecks(text)).toThrow(InputError)
    expect(() => parseChecks(text)).toThrow(message)
  })

  it('reports every problem at once, each with its line, under the given input name', () => {
    const text = ['- https://ok.example', '- url: gopher://x', '  status: 42', '- 17'].join('\n')
    expect(() => parseChecks(text, 'smoke')).toThrow(
      [
        "Input 'smoke' is 'gopher://x'; expected an http:// or https:// URL (line 2)",
        "  line 3: '42'; expected status: an HTTP status (100–599) or a list of them",
        "  line 4: '17'; expected an http:// or https:// URL"
      ].join('\n')
    )
  })
})
