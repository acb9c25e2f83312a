import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../../src/action/errors.js'
import { loadManifests, ManifestError, type ManifestDocument } from '../../src/kube/manifests.js'

const FIXTURES = fileURLToPath(new URL('./fixtures/manifests', import.meta.url))

/** `file:line Kind/name` of each document: what a user would look up. */
function places(documents: readonly ManifestDocument[]): string[] {
  return documents.map((d) => `${d.file}:${d.line} ${d.object.kind}/${d.object.metadata.name}`)
}

async function load(...paths: string[]): Promise<ManifestDocument[]> {
  return loadManifests(paths, { cwd: FIXTURES })
}

async function failure(...paths: string[]): Promise<unknown> {
  return load(...paths).then(
    () => {
      throw new Error(`loading ${paths.join(', ')} succeeded`)
    },
    (error: unknown) => error
  )
}

describe('loadManifests', () => {
  it('reads a folder recursively in lexical order: JSON, multi-document YAML, Lists', async () => {
    expect(places(await load('app'))).toEqual([
      'app/00-namespace.json:1 Namespace/dev',
      'app/10-deployment.yaml:2 Deployment/web',
      'app/20-multi.yml:3 Service/web',
      'app/20-multi.yml:13 ConfigMap/web-config',
      'app/nested/list.yaml:4 ServiceAccount/web',
      'app/nested/list.yaml:9 Role/web',
      'app/nested/typed-list.yaml:4 ConfigMap/first',
      'app/nested/typed-list.yaml:7 ConfigMap/second'
    ])
  })

  it('keeps the objects as written', async () => {
    const [deployment] = await load('app/10-deployment.yaml')
    expect(deployment?.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'dev' },
      spec: {
        template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/web:1.0' }] } }
      }
    })
  })

  it('reads JSON files, tab-indented ones and Lists too', async () => {
    const documents = await load('json/job.json', 'json/list.json')
    expect(places(documents)).toEqual([
      'json/job.json:1 Job/migrate',
      'json/list.json:5 Secret/token',
      'json/list.json:10 Service/api'
    ])
    expect(documents[0]?.object.spec).toEqual({
      template: {
        spec: { containers: [{ name: 'migrate', image: 'web:1.0' }], restartPolicy: 'Never' }
      }
    })
  })

  it('reads files and folders in the order given, each file once', async () => {
    expect(
      places(await load('json/job.json', 'app/nested', 'json', 'app/nested/list.yaml'))
    ).toEqual([
      'json/job.json:1 Job/migrate',
      'app/nested/list.yaml:4 ServiceAccount/web',
      'app/nested/list.yaml:9 Role/web',
      'app/nested/typed-list.yaml:4 ConfigMap/first',
      'app/nested/typed-list.yaml:7 ConfigMap/second',
      'json/list.json:5 Secret/token',
      'json/list.json:10 Service/api'
    ])
  })

  it('names files outside the working folder by their absolute path', async () => {
    const documents = await loadManifests([join(FIXTURES, 'json', 'job.json')], {
      cwd: join(FIXTURES, 'app')
    })
    expect(places(documents)).toEqual([`${join(FIXTURES, 'json', 'job.json')}:1 Job/migrate`])
  })

  it('follows symbolic links to files but not to folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-manifests-'))
    try {
      mkdirSync(join(dir, 'deploy'))
      symlinkSync(join(FIXTURES, 'json', 'job.json'), join(dir, 'deploy', 'job.json'))
      symlinkSync(join(FIXTURES, 'app'), join(dir, 'deploy', 'app'))
      writeFileSync(
        join(dir, 'deploy', 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n'
      )
      expect(places(await loadManifests(['deploy'], { cwd: dir }))).toEqual([
        'deploy/cm.yaml:1 ConfigMap/local',
        'deploy/job.json:1 Job/migrate'
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    [
      ['nope.yaml'],
      "Input 'manifests' is 'nope.yaml'; expected files or folders of YAML or JSON manifests (it does not exist)"
    ],
    [
      ['notes.txt'],
      "Input 'manifests' is 'notes.txt'; expected files or folders of YAML or JSON manifests (.yaml, .yml or .json)"
    ],
    [
      ['empty-folder'],
      "Input 'manifests' is 'empty-folder'; expected files or folders of YAML or JSON manifests (this folder has no .yaml, .yml or .json file)"
    ],
    [
      ['comments-only.yaml'],
      "Input 'manifests' is 'comments-only.yaml'; expected files or folders of YAML or JSON manifests holding at least one object"
    ],
    [[], "Input 'manifests' is ''; expected files or folders of YAML or JSON manifests"]
  ])('refuses the paths %j', async (paths, message) => {
    const error = await failure(...paths)
    expect(error).toBeInstanceOf(InputError)
    expect(error).toHaveProperty('message', message)
    expect(error).toHaveProperty('input', 'manifests')
  })

  it.each([
    [
      'malformed YAML, with the column',
      'errors/malformed.yaml',
      [
        'errors/malformed.yaml:10:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'
      ]
    ],
    [
      'malformed JSON',
      'errors/bad.json',
      ['errors/bad.json:4:31: invalid YAML: Unexpected , in flow map']
    ],
    [
      'a document that is not a mapping',
      'errors/not-mapping.yaml',
      [
        'errors/not-mapping.yaml:2: not a mapping: an object needs apiVersion, kind and metadata.name (found a sequence)'
      ]
    ],
    [
      'missing apiVersion, kind, metadata, a generateName and an empty name',
      'errors/missing-fields.yaml',
      [
        'errors/missing-fields.yaml:1: missing apiVersion',
        'errors/missing-fields.yaml:5: missing kind',
        'errors/missing-fields.yaml:9: ConfigMap: missing metadata',
        'errors/missing-fields.yaml:12: Pod: metadata.generateName is not supported (apply needs a fixed metadata.name)',
        'errors/missing-fields.yaml:17: ConfigMap: metadata.name must be a non-empty string (found an empty string)'
      ]
    ],
    [
      'a List item without apiVersion',
      'errors/bad-list.yaml',
      ['errors/bad-list.yaml:8: missing apiVersion']
    ],
    [
      'one object twice (same group, other version); another namespace is another object',
      'errors/duplicate.yaml',
      [
        'errors/duplicate.yaml:8: Deployment web in namespace dev is defined twice: first at errors/duplicate.yaml:1'
      ]
    ]
  ])('names file and line of %s', async (_what, path, lines) => {
    const error = await failure(path)
    expect(error).toBeInstanceOf(ManifestError)
    expect(error).toHaveProperty('message', lines.join('\n'))
    const [file, line] = (lines[0] ?? '').split(':')
    expect(error).toMatchObject({ file, line: Number(line) })
  })

  it('names both places of an object defined in two files', async () => {
    await expect(load('app', 'errors/duplicate-of-app.yaml')).rejects.toThrow(
      new ManifestError([
        {
          file: 'errors/duplicate-of-app.yaml',
          line: 1,
          message: 'Service web is defined twice: first at app/20-multi.yml:3'
        }
      ])
    )
  })

  it('lists the problems of every file in one error, the first on its fields', async () => {
    const error = await failure('errors')
    expect(error).toBeInstanceOf(ManifestError)
    const problems = (error as ManifestError).problems.map((p) => `${p.file}:${p.line}`)
    expect(problems).toEqual([
      'errors/bad-list.yaml:8',
      'errors/bad.json:4',
      'errors/malformed.yaml:10',
      'errors/missing-fields.yaml:1',
      'errors/missing-fields.yaml:5',
      'errors/missing-fields.yaml:9',
      'errors/missing-fields.yaml:12',
      'errors/missing-fields.yaml:17',
      'errors/not-mapping.yaml:2',
      'errors/duplicate.yaml:8'
    ])
    expect(error).toMatchObject({ file: 'errors/bad-list.yaml', line: 8 })
    expect((error as Error).message.split('\n')).toHaveLength(10)
  })
})
