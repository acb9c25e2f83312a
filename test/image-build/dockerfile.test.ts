import { describe, expect, it } from '@jest/globals'
import { baseImages } from '../../src/image-build/index.js'
import { withLabels } from '../../src/image-build/dockerfile.js'

describe('baseImages', () => {
  it.each<[string, string, [string, string][], string[]]>([
    ['a plain FROM', 'FROM alpine:3.19\nRUN true', [], ['alpine:3.19']],
    ['scratch', 'FROM scratch\nCOPY hello.txt /', [], []],
    [
      'a platform flag and a stage used later',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app',
      [],
      ['golang:1.22']
    ],
    [
      'stages built on stages, in any case',
      'from busybox as Base\nFROM base AS two\nFROM TWO',
      [],
      ['busybox']
    ],
    [
      'ARG defaults before the first FROM',
      'ARG REGISTRY=127.0.0.1:5000\nARG TAG=1\nFROM ${REGISTRY}/base/busybox:$TAG',
      [],
      ['127.0.0.1:5000/base/busybox:1']
    ],
    [
      'build args over ARG defaults',
      'ARG REGISTRY=127.0.0.1:5000\nARG TAG=1\nFROM ${REGISTRY}/base/busybox:$TAG',
      [['TAG', '2']],
      ['127.0.0.1:5000/base/busybox:2']
    ],
    [
      'a default that refers to an earlier ARG, several per line, quoted',
      'ARG HOST="localhost:5000" REPO=tools\nARG IMAGE=${HOST}/${REPO}\nFROM $IMAGE',
      [],
      ['localhost:5000/tools']
    ],
    ['a build arg without an ARG is not seen', 'FROM busybox:${V}', [['V', '1']], ['busybox:']],
    ['an ARG after FROM does not apply to FROM', 'FROM a\nARG B=x\nFROM $B', [], ['a']],
    [
      '${VAR:-word} and ${VAR:+word}',
      'ARG EMPTY\nARG SET=1\nFROM ${EMPTY:-busybox}${SET:+:musl}',
      [],
      ['busybox:musl']
    ],
    [
      'continuation lines, comments and blank lines',
      '# syntax=docker/dockerfile:1\n\nFROM \\\n  # the base\n\n  busybox \\\n  AS base\nFROM base',
      [],
      ['busybox']
    ],
    ['the escape directive', '# escape=`\nFROM `\n  busybox', [], ['busybox']],
    [
      'COPY --from an image and a stage index',
      'FROM scratch\nCOPY --from=localhost:5000/tools:1 /bin/x /x\nCOPY --from=0 /a /a\nADD --from="alpine" /b /b',
      [],
      ['localhost:5000/tools:1', 'alpine']
    ],
    ['each image once', 'FROM alpine AS a\nFROM alpine AS b', [], ['alpine']],
    ['Windows line ends', 'FROM alpine\r\nFROM busybox\r\n', [], ['alpine', 'busybox']]
  ])('%s', (_name, text, buildArgs, images) => {
    expect(baseImages(text, buildArgs)).toEqual(images)
  })
})

describe('withLabels', () => {
  const labels = { 'org.opencontainers.image.title': 'app', note: 'say "hi"\\now' }

  it('appends one LABEL instruction for a build of the last stage, values quoted and escaped', () => {
    const text = 'FROM base AS build\nRUN make\nFROM base AS run\nCOPY --from=build /app /app'
    const expected = `${text}\nLABEL "org.opencontainers.image.title"="app" "note"="say \\"hi\\"\\\\now"\n`
    expect(withLabels(text, labels)).toBe(expected)
    expect(withLabels(text, labels, 'RUN')).toBe(expected)
  })

  it('gives up where one LABEL at the end would be wrong or unreadable', () => {
    expect(withLabels('FROM base AS build\nFROM base AS run\n', labels, 'build')).toBeUndefined()
    expect(withLabels('# escape=`\nFROM base\n', labels)).toBeUndefined()
    expect(withLabels('FROM base\n', {})).toBe('FROM base\n')
  })
})
