import { describe, expect, it } from '@jest/globals'
import {
  describeVerdict,
  evidenceManifest,
  judgeEvidence,
  parseRecord,
  type EvidenceRecord
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
  it.each<
    [string, EvidenceRecord[], string[], { ok: boolean; missing: string[]; failing: string[] }]
  >([
    ['nothing required', [], [], { ok: true, missing: [], failing: [] }],
    [
      'a pass of each kind',
      [record('tests', 'pass', t(1)), record('analysis', 'pass', t(2))],
      ['tests', 'analysis'],
      { ok: true, missing: [], failing: [] }
    ],
    [
      'a kind with no record',
      [record('tests', 'pass', t(1))],
      ['tests', 'analysis'],
      { ok: false, missing: ['analysis'], failing: [] }
    ],
    [
      'the newest record decides: a later failure',
      [record('tests', 'pass', t(1)), record('tests', 'fail', t(2))],
      ['tests'],
      { ok: false, missing: [], failing: ['tests'] }
    ],
    [
      'the newest record decides: a later pass',
      [record('tests', 'fail', t(1)), record('tests', 'pass', t(2))],
      ['tests'],
      { ok: true, missing: [], failing: [] }
    ],
    [
      'inconclusive does not pass',
      [record('analysis', 'inconclusive', t(3))],
      ['analysis'],
      { ok: false, missing: [], failing: ['analysis'] }
    ],
    [
      'kinds not required are ignored',
      [record('http', 'fail', t(1)), record('tests', 'pass', t(1))],
      ['tests'],
      { ok: true, missing: [], failing: [] }
    ]
  ])('%s', (_name, records, required, expected) => {
    const verdict = judgeEvidence(records, required)
    expect({
      ok: verdict.ok,
      missing: verdict.missing,
      failing: verdict.failing.map((r) => r.kind)
    }).toEqual(expected)
  })

  it('says what is missing and what fails', () => {
    const verdict = judgeEvidence([record('tests', 'fail', t(5))], ['tests', 'analysis'])
    expect(describeVerdict(IMAGE, verdict)).toBe(
      `${IMAGE} lacks passing evidence: analysis (no record); tests (newest is fail, ${t(5)})`
    )
  })
})

describe('evidenceManifest', () => {
  it('is an OCI artifact with the record as its layer and the image as its subject', () => {
    const r = record('tests', 'pass', '2026-11-26T10:00:00.000Z')
    const body = Buffer.from(JSON.stringify(r))
    const subject = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: DIGEST,
      size: 500
    } as const
    const manifest = JSON.parse(evidenceManifest(r, body, subject).toString())
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.rollout-kit.evidence.v1+json',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2
      },
      layers: [{ mediaType: 'application/vnd.rollout-kit.evidence.v1+json', size: body.length }],
      subject,
      annotations: {
        'dev.rollout-kit.evidence.kind': 'tests',
        'dev.rollout-kit.evidence.decision': 'pass'
      }
    })
  })
})
