import * as input from '../../action/inputs.js'
import { readClusterInputs, type ClusterInputs } from './cluster/inputs.js'
import {
  readReleaseInputs,
  readVerifyInputs,
  type ReleaseInputs,
  type VerifyInputs
} from './release/inputs.js'

export type { ClusterInputs, ClusterStage } from './cluster/inputs.js'
export type { ReleaseInputs, VerifyInputs } from './release/inputs.js'
export type { Credentials } from '../shared/inputs.js'

/** The stages promote runs. */
export type Stage = 'release' | 'verify' | ClusterInputs['stage']

/** What promote was asked to do: a release, a verification, or a cluster stage. */
export type PromoteInputs = ReleaseInputs | VerifyInputs | ClusterInputs

const STAGES = ['release', 'verify', 'canary', 'production', 'rollback', 'finalize'] as const

/** Reads and checks promote's inputs; throws one InputError for the first bad one. */
export function readInputs(): PromoteInputs {
  const stage = input.oneOf<Stage>('stage', STAGES, 'release')
  if (stage === 'verify') return readVerifyInputs()
  if (stage !== 'release') return readClusterInputs(stage)
  return readReleaseInputs()
}
