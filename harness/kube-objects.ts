/**
 * Kubernetes objects that tests and benches create on the control plane, written once so that every
 * suite rolls out the same shape of Deployment.
 */
import type { KubeObject } from './kube-request.js'

/** Options for {@link deploymentObject}; each default is what most suites want. */
export interface DeploymentOptions {
  /** `spec.replicas`; default 2. */
  readonly replicas?: number
  /** `spec.progressDeadlineSeconds`; the server's default (600) when absent. */
  readonly progressDeadlineSeconds?: number
  /** Label the Deployment itself `app: <name>`, as its pod template always is; default true. */
  readonly labelled?: boolean
  /** The container's one port; none when absent. */
  readonly containerPort?: number
}

/** A pod template labelled `app: <name>` with one container, `app`, running `image`. */
export function podTemplate(name: string, image: string, containerPort?: number) {
  const container = {
    name: 'app',
    image,
    ...(containerPort === undefined ? {} : { ports: [{ containerPort }] })
  }
  return { metadata: { labels: { app: name } }, spec: { containers: [container] } }
}

/**
 * A Deployment `name` selecting `app: <name>`, rolling out one surge pod at a time and never fewer
 * than `replicas` ready (maxSurge 1, maxUnavailable 0), its pods running `image`.
 */
export function deploymentObject(
  name: string,
  image: string,
  options: DeploymentOptions = {}
): KubeObject & { apiVersion: string; kind: string } {
  const { replicas = 2, progressDeadlineSeconds, labelled = true, containerPort } = options
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(labelled ? { labels: { app: name } } : {}) },
    spec: {
      replicas,
      ...(progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds }),
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: podTemplate(name, image, containerPort)
    }
  }
}
