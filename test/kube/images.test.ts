import { beforeAll, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { InputError } from '../../src/action/errors.js'
import { parseImageOverrides, substituteImages, type ImageOverride } from '../../src/kube/images.js'
import { loadManifests, type KubeObject, type ManifestDocument } from '../../src/kube/manifests.js'
import { podSpecOf } from '../../src/kube/workload.js'

const FIXTURES = fileURLToPath(new URL('./fixtures/images', import.meta.url))
const DIGEST = `sha256:${'a'.repeat(64)}`
const OLD_DIGEST = `sha256:${'1'.repeat(64)}`

let workloads: ManifestDocument[]
beforeAll(async () => {
  workloads = await loadManifests(['workloads.yaml'], { cwd: FIXTURES })
})

/** A Deployment in memory whose containers have these images. */
function deployment(name: string, ...images: string[]): ManifestDocument {
  return {
    file: 'deploy.yaml',
    line: 1,
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        template: {
          spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) }
        }
      }
    }
  }
}

/** The images of every container (init containers first) of each document, by `Kind/name`. */
function imagesOf(documents: readonly ManifestDocument[]): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  for (const { object } of documents) {
    const spec = podSpecOf(object) as
      { initContainers?: { image: string }[]; containers?: { image: string }[] } | undefined
    if (!spec) continue
    result[`${object.kind}/${object.metadata.name}`] = [
      ...(spec.initContainers ?? []),
      ...(spec.containers ?? [])
    ].map((c) => c.image)
  }
  return result
}

function set(documents: readonly ManifestDocument[], ...lines: string[]): ManifestDocument[] {
  return substituteImages(documents, parseImageOverrides(lines)).documents
}

describe('parseImageOverrides', () => {
  it.each<[string, ImageOverride]>([
    [
      `ghcr.io/acme/web@${DIGEST}`,
      { name: 'ghcr.io/acme/web', image: `ghcr.io/acme/web@${DIGEST}` }
    ],
    [
      `localhost:5000/web:1.2@${DIGEST}`,
      { name: 'localhost:5000/web', image: `localhost:5000/web@${DIGEST}` }
    ],
    ['web:1.2', { name: 'docker.io/library/web', image: 'web:1.2' }],
    ['docker.io/nginx', { name: 'docker.io/library/nginx', image: 'docker.io/nginx' }],
    [
      'nginx=registry.local:5000/mirror/nginx:1.25',
      { name: 'docker.io/library/nginx', image: 'registry.local:5000/mirror/nginx:1.25' }
    ],
    [
      `  web = ghcr.io/acme/web:2@${DIGEST}  `,
      { name: 'docker.io/library/web', image: `ghcr.io/acme/web@${DIGEST}` }
    ]
  ])('reads %j', (line, expected) => {
    expect(parseImageOverrides([line])).toEqual([expected])
  })

  it('skips blank lines and keeps the order', () => {
    expect(parseImageOverrides(['', 'b:1', '  ', 'a:1']).map((o) => o.image)).toEqual([
      'b:1',
      'a:1'
    ])
  })

  const ACCEPTED =
    'one image per line: a reference (`ghcr.io/acme/web@sha256:…`, `web:1.2`) ' +
    'or `name=reference` to set the containers of repository `name`'

  it.each([
    ['Web:1.2', "repository 'Web' must be lowercase"],
    [
      'web:1.2@sha256:abc',
      "digest 'sha256:abc' is not valid: sha256 needs 64 lowercase hex digits"
    ],
    ['web=', "reference '' is empty"],
    ['=ghcr.io/acme/web:1', "reference '' is empty"],
    ['web:1=ghcr.io/acme/web:2', "the name before '=' is a repository, without tag or digest"],
    [
      'ghcr.io/acme/web:bad tag',
      "tag 'bad tag' is not valid: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -"
    ]
  ])('refuses %j, naming the input and the line', (line, problem) => {
    expect(() => parseImageOverrides(['ok:1', line], 'image-overrides')).toThrow(
      new InputError('image-overrides', line, `${ACCEPTED} (${problem})`)
    )
  })

  it('refuses two lines for one repository, however written', () => {
    expect(() => parseImageOverrides(['nginx:1', 'docker.io/library/nginx:2'])).toThrow(
      new InputError(
        'images',
        'docker.io/library/nginx:2',
        `${ACCEPTED}; repository docker.io/library/nginx is set twice`
      )
    )
  })
})

describe('podSpecOf', () => {
  it.each([
    ['Deployment/web', ['ghcr.io/acme/web:1.0', 'ghcr.io/acme/web:1.0', 'nginx:1.25']],
    ['StatefulSet/db', ['docker.io/library/postgres:16', 'ghcr.io/acme/web']],
    ['DaemonSet/agent', [`ghcr.io/acme/web@${OLD_DIGEST}`]],
    ['ReplicaSet/legacy', ['ghcr.io/acme/web:0.9']],
    ['Job/seed', ['ghcr.io/acme/web:1.0']],
    ['CronJob/nightly', ['busybox', 'ghcr.io/acme/web:1.0']],
    ['Pod/debug', ['ghcr.io/acme/web:latest']]
  ])('finds the pod spec of %s', (workload, images) => {
    expect(imagesOf(workloads)[workload]).toEqual(images)
  })

  it('has no pod spec for other kinds, nor for a custom resource named like a workload', () => {
    const others = workloads.filter((d) => d.object.metadata.name !== 'web' && !podSpecOf(d.object))
    expect(others.map((d) => `${d.object.apiVersion} ${d.object.kind}`)).toEqual([
      'batch.volcano.sh/v1alpha1 Job',
      'v1 ConfigMap'
    ])
  })

  it('is undefined when the spec is missing', () => {
    const object: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' }
    }
    expect(podSpecOf(object)).toBeUndefined()
  })
})

describe('substituteImages', () => {
  it('sets every container and init container of every workload kind, and says where', () => {
    const result = substituteImages(
      workloads,
      parseImageOverrides([`ghcr.io/acme/web:2.0@${DIGEST}`])
    )
    const to = `ghcr.io/acme/web@${DIGEST}`
    expect(result.substitutions).toEqual([
      {
        file: 'workloads.yaml',
        line: 1,
        kind: 'Deployment',
        name: 'web',
        container: 'migrate',
        from: 'ghcr.io/acme/web:1.0',
        to
      },
      {
        file: 'workloads.yaml',
        line: 1,
        kind: 'Deployment',
        name: 'web',
        container: 'app',
        from: 'ghcr.io/acme/web:1.0',
        to
      },
      {
        file: 'workloads.yaml',
        line: 17,
        kind: 'StatefulSet',
        name: 'db',
        container: 'exporter',
        from: 'ghcr.io/acme/web',
        to
      },
      {
        file: 'workloads.yaml',
        line: 30,
        kind: 'DaemonSet',
        name: 'agent',
        container: 'agent',
        from: `ghcr.io/acme/web@${OLD_DIGEST}`,
        to
      },
      {
        file: 'workloads.yaml',
        line: 41,
        kind: 'ReplicaSet',
        name: 'legacy',
        container: 'app',
        from: 'ghcr.io/acme/web:0.9',
        to
      },
      {
        file: 'workloads.yaml',
        line: 52,
        kind: 'Job',
        name: 'seed',
        container: 'seed',
        from: 'ghcr.io/acme/web:1.0',
        to
      },
      {
        file: 'workloads.yaml',
        line: 63,
        kind: 'CronJob',
        name: 'nightly',
        container: 'report',
        from: 'ghcr.io/acme/web:1.0',
        to
      },
      {
        file: 'workloads.yaml',
        line: 80,
        kind: 'Pod',
        name: 'debug',
        container: 'shell',
        from: 'ghcr.io/acme/web:latest',
        to
      }
    ])
    expect(imagesOf(result.documents)).toEqual({
      'Deployment/web': [to, to, 'nginx:1.25'],
      'StatefulSet/db': ['docker.io/library/postgres:16', to],
      'DaemonSet/agent': [to],
      'ReplicaSet/legacy': [to],
      'Job/seed': [to],
      'CronJob/nightly': ['busybox', to],
      'Pod/debug': [to]
    })
    // the custom Job and the ConfigMap are left as they were
    expect(result.documents.slice(7)).toEqual(workloads.slice(7))
  })

  it('matches Docker Hub images however they are written', () => {
    const documents = [
      deployment(
        'hub',
        'nginx',
        'nginx:1.25',
        'docker.io/nginx:1',
        'docker.io/library/nginx',
        'index.docker.io/library/nginx:2'
      ),
      deployment('others', 'ghcr.io/library/nginx:1', 'acme/nginx:1', 'localhost:5000/nginx')
    ]
    expect(imagesOf(set(documents, `nginx@${DIGEST}`))).toEqual({
      'Deployment/hub': Array(5).fill(`docker.io/library/nginx@${DIGEST}`),
      'Deployment/others': ['ghcr.io/library/nginx:1', 'acme/nginx:1', 'localhost:5000/nginx']
    })
  })

  it('matches a registry with a port only in that registry', () => {
    const documents = [
      deployment('app', 'localhost:5000/web:1', 'localhost:5001/web:1', 'localhost/web:1', 'web:1')
    ]
    expect(imagesOf(set(documents, `localhost:5000/web:1.2@${DIGEST}`))).toEqual({
      'Deployment/app': [
        `localhost:5000/web@${DIGEST}`,
        'localhost:5001/web:1',
        'localhost/web:1',
        'web:1'
      ]
    })
  })

  it('sets name=reference on the containers of repository name, as given without a digest', () => {
    const documents = [
      deployment('app', 'web:1', 'docker.io/library/web@' + DIGEST, 'ghcr.io/acme/web:1')
    ]
    expect(imagesOf(set(documents, 'web=ghcr.io/acme/web:2.0'))).toEqual({
      'Deployment/app': ['ghcr.io/acme/web:2.0', 'ghcr.io/acme/web:2.0', 'ghcr.io/acme/web:1']
    })
  })

  it('pins a reference with tag and digest to the digest alone', () => {
    const [document] = set(
      [deployment('app', 'ghcr.io/acme/web:1.0')],
      `ghcr.io/acme/web:2.0@${DIGEST}`
    )
    expect(imagesOf([document!])).toEqual({ 'Deployment/app': [`ghcr.io/acme/web@${DIGEST}`] })
  })

  it('names every override that matches no container, with the repositories in use', () => {
    const documents = [deployment('app', 'ghcr.io/acme/web:1', 'nginx', '${PROXY_IMAGE}')]
    expect(() =>
      set(
        documents,
        'ghcr.io/acme/web:2',
        'ghcr.io/acme/wbe:2',
        'ngnix=nginx:1.25',
        'localhost:5000/web:1'
      )
    ).toThrow(
      new InputError(
        'images',
        'ghcr.io/acme/wbe, docker.io/library/ngnix, localhost:5000/web',
        'a repository used by a container of the manifests: ${PROXY_IMAGE}, docker.io/library/nginx, ghcr.io/acme/web'
      )
    )
  })

  it('says so when the manifests have no containers at all', () => {
    const configMap: ManifestDocument = {
      file: 'cm.yaml',
      line: 1,
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { image: 'web:1' }
      }
    }
    expect(() => set([configMap], 'web:2')).toThrow(
      new InputError(
        'images',
        'docker.io/library/web',
        'a repository used by a container of the manifests, but they have no containers'
      )
    )
  })

  it('returns new documents and leaves the input as it was', () => {
    const before = structuredClone(workloads)
    const result = substituteImages(workloads, parseImageOverrides([`ghcr.io/acme/web@${DIGEST}`]))
    expect(workloads).toEqual(before)
    expect(result.documents).not.toEqual(before)
    expect(result.documents[0]?.object).not.toBe(workloads[0]?.object)
  })

  it('changes nothing without overrides', () => {
    const result = substituteImages(workloads, [])
    expect(result).toEqual({ documents: workloads, substitutions: [] })
  })
})
