import { describe, expect, it } from '@jest/globals'
import {
  configRefsOf,
  fieldDifferences,
  hashedConfigName,
  withConfigNames
} from '../../src/kube/pod-config.js'

/** A pod spec naming config in every place a pod spec can. */
const podSpec = () => ({
  volumes: [
    { name: 'a', configMap: { name: 'cm-volume' } },
    { name: 'b', secret: { secretName: 'secret-volume' } },
    {
      name: 'c',
      projected: {
        sources: [{ configMap: { name: 'cm-projected' } }, { secret: { name: 'secret-projected' } }]
      }
    },
    { name: 'd', emptyDir: {} }
  ],
  initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'cm-init' } }] }],
  containers: [
    {
      name: 'app',
      envFrom: [{ secretRef: { name: 'secret-envfrom' } }, { configMapRef: { name: 'cm-volume' } }],
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-key', key: 'a' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'secret-key', key: 'b' } } },
        { name: 'C', value: 'plain' },
        { name: 'D', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }
      ]
    }
  ]
})

describe('configRefsOf', () => {
  it('finds every ConfigMap and Secret a pod spec reads, once each', () => {
    expect(configRefsOf(podSpec())).toEqual([
      { kind: 'ConfigMap', name: 'cm-volume' },
      { kind: 'Secret', name: 'secret-volume' },
      { kind: 'ConfigMap', name: 'cm-projected' },
      { kind: 'Secret', name: 'secret-projected' },
      { kind: 'ConfigMap', name: 'cm-init' },
      { kind: 'Secret', name: 'secret-envfrom' },
      { kind: 'ConfigMap', name: 'cm-key' },
      { kind: 'Secret', name: 'secret-key' }
    ])
    expect(configRefsOf({ containers: [{ name: 'app' }] })).toEqual([])
  })
})

describe('withConfigNames', () => {
  it('renames what the function names, everywhere, in a copy', () => {
    const spec = podSpec()
    const renamed = withConfigNames(spec, (ref) =>
      ref.kind === 'ConfigMap' && ref.name === 'cm-volume' ? 'cm-volume-0123456789' : undefined
    )
    expect(configRefsOf(renamed).filter((r) => r.name.startsWith('cm-volume'))).toEqual([
      { kind: 'ConfigMap', name: 'cm-volume-0123456789' }
    ])
    expect(JSON.stringify(renamed).match(/cm-volume-0123456789/g)).toHaveLength(2)
    expect(spec).toEqual(podSpec())
  })
})

describe('hashedConfigName', () => {
  const configMap = (data: Record<string, string>, name = 'app-config') => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { any: 'label' } },
    data
  })

  it('is the same for the same content, whatever the key order and metadata', () => {
    const one = hashedConfigName(configMap({ a: '1', b: '2' }))
    expect(one).toMatch(/^app-config-[0-9a-f]{10}$/)
    const reordered = { ...configMap({ b: '2', a: '1' }), metadata: { name: 'app-config' } }
    expect(hashedConfigName(reordered)).toBe(one)
  })

  it('changes with the content, the kind and the name', () => {
    const one = hashedConfigName(configMap({ a: '1' }))
    expect(hashedConfigName(configMap({ a: '2' }))).not.toBe(one)
    expect(hashedConfigName({ ...configMap({ a: '1' }), kind: 'Secret' })).not.toBe(one)
    expect(hashedConfigName(configMap({ a: '1' }, 'other')).startsWith('other-')).toBe(true)
  })

  it('stays a valid name for the longest names', () => {
    const name = hashedConfigName(configMap({ a: '1' }, 'n'.repeat(253)))
    expect(name.length).toBe(253)
  })
})

describe('fieldDifferences', () => {
  it('matches named list items by name and says each side', () => {
    const live = {
      containers: [
        {
          name: 'app',
          env: [
            { name: 'A', value: '1' },
            { name: 'X', value: 'x' }
          ]
        }
      ]
    }
    const wanted = { containers: [{ name: 'app', env: [{ name: 'A', value: '2' }] }] }
    expect(fieldDifferences(live, wanted, 'spec')).toEqual([
      { path: 'spec.containers[app].env[A].value', live: '1', wanted: '2' },
      { path: 'spec.containers[app].env[X]', live: { name: 'X', value: 'x' }, wanted: undefined }
    ])
  })

  it('compares other lists by position, and finds nothing in equal values', () => {
    expect(fieldDifferences({ args: ['a', 'b'] }, { args: ['a', 'c', 'd'] })).toEqual([
      { path: 'args[1]', live: 'b', wanted: 'c' },
      { path: 'args[2]', live: undefined, wanted: 'd' }
    ])
    expect(fieldDifferences(podSpec(), podSpec())).toEqual([])
  })
})
