import { describe, expect, it } from '@jest/globals'
import {
  bundleManifest,
  describeVerdict,
  evidenceStatement,
  judgeEvidence,
  parseRecord,
  recordOfStatement,
  type EvidenceRecord,
  type SeenEvidence
} from '../../src/evidence/index.js'

const DIGEST = `sha256:${'a'.repeat(64)}` as const
const IMAGE = `127.0.0.1:5000/acme/app@${DIGEST}`

function record(
  kind: string,
  decision: EvidenceRecord['decision'],
  createdAt: string
): EvidenceRecord {
  return { kind, decision, image: IMAGE, digest: DIGEST, createdAt }
}

describe('parseRecord', () => {
  it('reads a record written as JSON', () => {
    const r = record('tests', 'pass', '2026-11-26T10:00:00.000Z')
    expect(
      parseRecord(JSON.stringify({ ...r, runUrl: 'https://github.com/a/b/actions/runs/1' }))
    ).toEqual({
      ...r,
      runUrl: 'https://github.com/a/b/actions/runs/1'
    })
  })

  it.each([
    ['not json', 'evidence body is not JSON'],
    ['[]', 'evidence body is not a JSON object'],
    [JSON.stringify({ kind: 'tests' }), "evidence body lacks the string field 'decision'"],
    [
      JSON.stringify({ ...record('Tests', 'pass', '2026-11-26T10:00:00Z') }),
      "evidence kind 'Tests' must match"
    ],
    [
      JSON.stringify({ ...record('tests', 'maybe' as 'pass', '2026-11-26T10:00:00Z') }),
      "evidence decision 'maybe' must be one of pass, fail, inconclusive"
    ],
    [
      JSON.stringify({
        ...record('tests', 'pass', '2026-11-26T10:00:00Z'),
        image: '127.0.0.1:5000/acme/app:1'
      }),
      'evidence must name the image by digest'
    ],
    [
      JSON.stringify({ ...record('tests', 'pass', 'yesterday') }),
      "evidence createdAt 'yesterday' is not a date"
    ]
  ])('refuses %s', (body, message) => {
    expect(() => parseRecord(body)).toThrow(message)
  })
})

describe('judgeEvidence', () => {
  const t = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`
  let n = 0
  /** An accepted record ordered by `time` (its witnessed time), whatever it says about itself. */
  function seen(r: EvidenceRecord, time = r.createdAt): SeenEvidence {
    n += 1
    return { digest: `sha256:${String(n).padStart(64, '0')}`, kind: r.kind, record: r, time }
  }
  it.each<[string, SeenEvidence[], string[], { ok: boolean; missing: string[]; newest: string[] }]>(
    [
      ['nothing required', [], [], { ok: true, missing: [], newest: [] }],
      [
        'a pass of each kind',
        [seen(record('tests', 'pass', t(1))), seen(record('analysis', 'pass', t(2)))],
        ['tests', 'analysis'],
        { ok: true, missing: [], newest: ['tests=pass', 'analysis=pass'] }
      ],
      [
        'a kind with no accepted record',
        [seen(record('tests', 'pass', t(1)))],
        ['tests', 'analysis'],
        { ok: false, missing: ['analysis'], newest: ['tests=pass'] }
      ],
      [
        'the newest record decides: a later failure',
        [seen(record('tests', 'fail', t(2))), seen(record('tests', 'pass', t(1)))],
        ['tests'],
        { ok: false, missing: [], newest: ['tests=fail'] }
      ],
      [
        'the newest record decides: a later pass',
        [seen(record('tests', 'fail', t(1))), seen(record('tests', 'pass', t(2)))],
        ['tests'],
        { ok: true, missing: [], newest: ['tests=pass'] }
      ],
      [
        'the witnessed time orders, not the time a record states (2099)',
        [
          seen(record('tests', 'pass', '2099-01-01T00:00:00.000Z'), t(1)),
          seen(record('tests', 'fail', t(2)), t(2))
        ],
        ['tests'],
        { ok: false, missing: [], newest: ['tests=fail'] }
      ],
      [
        'a rejected record never counts',
        [
          seen(record('tests', 'fail', t(1))),
          {
            digest: `sha256:${'f'.repeat(64)}`,
            kind: 'tests',
            claimedDecision: 'pass',
            rejected: { reason: 'unsigned', detail: 'x' }
          }
        ],
        ['tests'],
        { ok: false, missing: [], newest: ['tests=fail'] }
      ],
      [
        'inconclusive does not pass',
        [seen(record('analysis', 'inconclusive', t(3)))],
        ['analysis'],
        { ok: false, missing: [], newest: ['analysis=inconclusive'] }
      ],
      [
        'kinds not required are ignored',
        [seen(record('http', 'fail', t(1))), seen(record('tests', 'pass', t(1)))],
        ['tests'],
        { ok: true, missing: [], newest: ['tests=pass'] }
      ]
    ]
  )('%s', (_name, records, required, expected) => {
    const verdict = judgeEvidence(records, required)
    expect({
      ok: verdict.ok,
      missing: verdict.missing,
      newest: verdict.newest.map((s) => `${s.kind}=${s.record?.decision}`)
    }).toEqual(expected)
  })

  it('names each kind, then each record seen and why it did not count', () => {
    const fail = seen({
      ...record('tests', 'fail', t(5)),
      runUrl: 'https://github.com/a/b/actions/runs/7'
    })
    const forged: SeenEvidence = {
      digest: `sha256:${'e'.repeat(64)}`,
      kind: 'tests',
      claimedDecision: 'pass',
      rejected: { reason: 'signature invalid', detail: 'signature verification failed' }
    }
    const verdict = judgeEvidence([fail, forged], ['tests', 'analysis'])
    expect(describeVerdict(IMAGE, verdict).split('\n')).toEqual([
      `${IMAGE} lacks passing evidence`,
      '  analysis: no accepted record',
      `  tests: newest accepted is fail at ${t(5)} by https://github.com/a/b/actions/runs/7`,
      'records seen (2):',
      `  ${fail.digest.slice(0, 19)} (tests fail at ${t(5)}): not a passing decision`,
      `  sha256:eeeeeeeeeeee (tests, claims pass): signature invalid (signature verification failed)`
    ])
  })
})

describe('evidenceStatement', () => {
  it('is an in-toto Statement v1 about the repository and digest, with the record as predicate', () => {
    const r = record('tests', 'pass', '2026-11-26T10:00:00.000Z')
    const statement = evidenceStatement(r)
    expect(statement).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: '127.0.0.1:5000/acme/app', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://rollout-kit.dev/evidence/tests/v1',
      predicate: r
    })
    expect(recordOfStatement(statement, DIGEST)).toEqual(r)
  })

  it('refuses a statement about another digest, or whose predicate disagrees with its type', () => {
    const statement = evidenceStatement(record('tests', 'pass', '2026-11-26T10:00:00.000Z'))
    expect(() => recordOfStatement(statement, `sha256:${'b'.repeat(64)}`)).toThrow(
      `wrong subject: the statement is about ${DIGEST}`
    )
    expect(() =>
      recordOfStatement(
        { ...statement, predicateType: 'https://rollout-kit.dev/evidence/analysis/v1' },
        DIGEST
      )
    ).toThrow('the predicate (tests about')
  })
})

describe('bundleManifest', () => {
  it('is an OCI artifact with the bundle as its layer, the image as its subject, and cosign’s annotations', () => {
    const body = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}')
    const subject = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: DIGEST,
      size: 500
    } as const
    const manifest = JSON.parse(
      bundleManifest(body, 'https://rollout-kit.dev/evidence/tests/v1', subject, {
        'dev.rollout-kit.evidence.kind': 'tests'
      }).toString()
    )
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2
      },
      layers: [
        {
          mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          digest: expect.stringMatching(/^sha256:/),
          size: body.length
        }
      ],
      subject,
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': 'https://rollout-kit.dev/evidence/tests/v1',
        'dev.rollout-kit.evidence.kind': 'tests'
      }
    })
  })
})
