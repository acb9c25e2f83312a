import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
import { readInputs, type ClusterInputs } from '../../src/actions/promote/inputs.js'

const IMAGE = `registry.example/acme/web@sha256:${'b'.repeat(64)}`
let restore: () => void = () => undefined
afterEach(() => restore())

function inputs(values: Record<string, string>): ClusterInputs {
  restore = setActionInputs('promote', {
    stage: 'canary',
    source: IMAGE,
    workload: 'deployment/web',
    weight: '20',
    ...values
  })
  return readInputs() as ClusterInputs
}

describe('promote cluster inputs', () => {
  it('reads a canary with the defaults of action.yml', () => {
    expect(inputs({})).toEqual({
      stage: 'canary',
      source: { registry: 'registry.example', repository: 'acme/web', digest: IMAGE.split('@')[1] },
      strategy: 'canary',
      traffic: 'replicas',
      weight: 20,
      baseline: false,
      kind: 'Deployment',
      workload: 'web',
      manifests: [],
      container: undefined,
      service: undefined,
      route: undefined,
      namespace: undefined,
      kubeconfig: undefined,
      context: undefined,
      timeoutMs: 600_000,
      scaleDownDelayMs: 1_800_000,
      environment: 'production',
      environmentUrl: undefined,
      githubToken: undefined,
      imagePullSecrets: [],
      dryRun: false,
      sourceCredentials: undefined,
      insecureRegistries: [],
      fieldManager: 'rollout-kit'
    })
  })

  it.each([
    [{ workload: 'deploy/web' }, 'Deployment', 'web'],
    [{ workload: 'deployments/web.v2' }, 'Deployment', 'web.v2'],
    [{ workload: 'statefulset/db' }, 'StatefulSet', 'db'],
    [{ workload: 'statefulsets/db-0.v2' }, 'StatefulSet', 'db-0.v2'],
    [{ workload: 'sts/db' }, 'StatefulSet', 'db'],
    [{ workload: 'sts/db', stage: 'rollback', source: '', weight: '' }, 'StatefulSet', 'db']
  ])('takes the workload %j', (values, kind, name) => {
    expect(inputs(values)).toMatchObject({ kind, workload: name })
  })

  it.each([
    [{ weight: '0' }, 0],
    [{ weight: '99' }, 99],
    [{ weight: '100', traffic: 'nginx' }, 100],
    [{ weight: '100', traffic: 'gateway-api' }, 100],
    [{ weight: '49', baseline: 'true' }, 49],
    [{ weight: '50', baseline: 'true', traffic: 'gateway-api' }, 50]
  ])('takes the weight of %j', (values, weight) => {
    expect(inputs(values).weight).toBe(weight)
  })

  it('needs no weight nor source for stage rollback, and reads blue-green with gateway-api', () => {
    const parsed = inputs({
      stage: 'rollback',
      source: '',
      weight: '',
      strategy: 'blue-green',
      traffic: 'gateway-api',
      'scale-down-delay': '0s'
    })
    expect(parsed).toMatchObject({
      stage: 'rollback',
      source: undefined,
      weight: undefined,
      strategy: 'blue-green',
      traffic: 'gateway-api',
      scaleDownDelayMs: 0
    })
  })

  it.each([
    [
      { stage: 'canery' },
      "Input 'stage' is 'canery'; expected one of: release, verify, canary, production, rollback, finalize"
    ],
    [{ strategy: 'rolling' }, "Input 'strategy' is 'rolling'; expected one of: canary, blue-green"],
    [
      { traffic: 'istio' },
      "Input 'traffic' is 'istio'; expected one of: replicas, nginx, gateway-api"
    ],
    [{ weight: '101' }, "Input 'weight' is '101'; expected an integer ≥ 0 and ≤ 100"],
    [{ weight: '-1' }, "Input 'weight' is '-1'; expected an integer ≥ 0 and ≤ 100"],
    [{ weight: '12.5' }, "Input 'weight' is '12.5'; expected an integer ≥ 0 and ≤ 100"],
    [{ weight: '' }, "Input 'weight' is ''; expected an integer ≥ 0 and ≤ 100"],
    [
      { weight: '100' },
      "Input 'weight' is '100'; expected below 100 with traffic replicas (stable keeps its replicas"
    ],
    [
      { weight: '50', baseline: 'true' },
      "Input 'weight' is '50'; expected below 50 with traffic replicas and a baseline"
    ],
    [
      { weight: '60', baseline: 'true', traffic: 'nginx' },
      "Input 'weight' is '60'; expected at most 50 with a baseline"
    ],
    [
      { strategy: 'blue-green' },
      "Input 'strategy' is 'blue-green'; expected canary with stage canary"
    ],
    [
      { stage: 'production', strategy: 'blue-green', traffic: 'nginx' },
      "Input 'traffic' is 'nginx'; expected replicas (the Service selector is switched) or gateway-api"
    ],
    [
      { source: '' },
      "Input 'source' is ''; expected the image to run as the canary (stage canary)"
    ],
    [
      { source: 'registry.example/acme/web' },
      "Input 'source' is 'registry.example/acme/web'; expected an image with a digest"
    ],
    [{ workload: '' }, "Input 'workload' is ''; expected a value (this input is required)"],
    [
      { workload: 'web' },
      "Input 'workload' is 'web'; expected deployment/<name> or statefulset/<name>"
    ],
    [{ workload: 'daemonset/web' }, "Input 'workload' is 'daemonset/web'; expected deployment"],
    [{ workload: 'statefulset/' }, "Input 'workload' is 'statefulset/'; expected deployment"],
    [{ workload: 'sts/DB' }, "Input 'workload' is 'sts/DB'; expected deployment"],
    [
      { workload: 'statefulset/db', traffic: 'nginx' },
      "Input 'traffic' is 'nginx'; expected replicas with a StatefulSet"
    ],
    [
      { workload: 'statefulset/db', traffic: 'gateway-api', stage: 'rollback' },
      "Input 'traffic' is 'gateway-api'; expected replicas with a StatefulSet"
    ],
    [
      { workload: 'statefulset/db', baseline: 'true', weight: '50' },
      "Input 'baseline' is 'true'; expected false with a StatefulSet"
    ],
    [
      { workload: 'statefulset/db', stage: 'production', strategy: 'blue-green' },
      "Input 'strategy' is 'blue-green'; expected canary with a StatefulSet"
    ],
    [{ workload: 'deployment/Web' }, "Input 'workload' is 'deployment/Web'; expected deployment"],
    [{ workload: 'deployment/' }, "Input 'workload' is 'deployment/'; expected deployment"],
    [{ service: 'Web_svc' }, "Input 'service' is 'Web_svc'; expected an object name"],
    [{ route: '-route' }, "Input 'route' is '-route'; expected an object name"],
    [{ namespace: 'Dev' }, "Input 'namespace' is 'Dev'; expected a DNS label"],
    [{ timeout: '0s' }, "Input 'timeout' is '0s'; expected a duration above zero"],
    [{ timeout: 'soon' }, "Input 'timeout' is 'soon'; expected a duration"],
    [{ 'scale-down-delay': '1 day' }, "Input 'scale-down-delay' is '1 day'; expected a duration"],
    [{ baseline: 'yes' }, "Input 'baseline' is 'yes'; expected true or false"],
    [{ 'image-pull-secrets': 'regcred, Bad_Name' }, "Input 'image-pull-secrets' is 'Bad_Name'"]
  ])('refuses %j', (values, message) => {
    expect(() => inputs(values)).toThrow(message)
  })
})
