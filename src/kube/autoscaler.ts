/**
 * The HorizontalPodAutoscaler of a workload, read in the newest API version the cluster serves
 * (autoscaling/v2, else v2beta2, else v1) so that a copy keeps every metric, and copied for another
 * workload (the green colour of a blue-green pair scales like blue).
 */
import * as core from '@actions/core'
import { KubeError } from './errors.js'
import { UnknownKindError, type KubeClient } from './client.js'
import type { KubeObject } from './manifests.js'
import { VARIANT_OF_ANNOTATION } from './variants.js'

const VERSIONS = ['autoscaling/v2', 'autoscaling/v2beta2', 'autoscaling/v1']

/** An HPA and what it says of its target. */
export interface Autoscaler {
  readonly object: KubeObject
  /** The replicas it last saw (status.currentReplicas); undefined before its first look. */
  readonly currentReplicas?: number
}

type Spec = {
  scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }
  minReplicas?: number
  maxReplicas?: number
}

/**
 * The HPA whose scale target is `kind/name` in `namespace`, undefined when none is (or when the
 * deployer may not list HPAs: then a warning says that sizes come from the workload alone).
 */
export async function autoscalerOf(
  kube: KubeClient,
  namespace: string,
  target: { readonly kind: string; readonly name: string }
): Promise<Autoscaler | undefined> {
  for (const apiVersion of VERSIONS) {
    let items: KubeObject[]
    try {
      items = await kube.list<KubeObject>(apiVersion, 'HorizontalPodAutoscaler', namespace)
    } catch (error) {
      if (error instanceof UnknownKindError) continue
      if (error instanceof KubeError && error.status === 403) {
        core.warning(
          `Not allowed to list HorizontalPodAutoscalers in namespace ${namespace}: sizes come from ${target.kind.toLowerCase()}/${target.name} alone; grant get and list on horizontalpodautoscalers.autoscaling to respect an HPA`
        )
        return undefined
      }
      throw error
    }
    const found = items.find((hpa) => {
      const ref = (hpa.spec as Spec | undefined)?.scaleTargetRef
      return ref?.kind === target.kind && ref.name === target.name
    })
    if (!found) return undefined
    const current = (found.status as { currentReplicas?: number } | undefined)?.currentReplicas
    return { object: found, currentReplicas: current && current > 0 ? current : undefined }
  }
  return undefined
}

/** A copy of `hpa` named `name` that scales `targetName` (same kind, bounds and metrics). */
export function autoscalerFor(hpa: KubeObject, name: string, targetName: string): KubeObject {
  const spec = structuredClone(hpa.spec as Spec & Record<string, unknown>)
  spec.scaleTargetRef = { ...spec.scaleTargetRef, name: targetName }
  return {
    apiVersion: hpa.apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: hpa.metadata.namespace,
      labels: { ...(hpa.metadata.labels as Record<string, string> | undefined) },
      annotations: { [VARIANT_OF_ANNOTATION]: hpa.metadata.name }
    },
    spec
  }
}
