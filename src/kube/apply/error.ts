/**
 * The failure of applyManifests: names the document's file:line and says whether anything had been
 * applied before it (a failure of the checks before the first write means nothing was changed).
 */
import { messageOf } from '../../action/errors.js'
import type { AppliedObject } from './types.js'

/** A document that could not be applied: names its file:line; `applied` lists what was before it. */
export class ApplyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: unknown,
    /** Objects applied before this failure, in order (empty when the checks failed). */
    readonly applied: readonly AppliedObject[] = [],
    /** False when the checks before any write failed, so that nothing was applied. */
    readonly writing = false
  ) {
    super(
      `${file}:${line}: ${messageOf(reason)}` +
        (writing
          ? ` (${applied.length} object(s) were applied before this one)`
          : ' (found before applying anything: nothing was changed)'),
      { cause: reason }
    )
    this.name = 'ApplyError'
  }
}
