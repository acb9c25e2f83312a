/**
 * Checks workflows and action.yml files with GitHub's own language service
 * (`@actions/languageservice`, the engine of the VS Code extension for GitHub Actions): the
 * workflow schema, contexts and expressions, `needs.<job>.outputs`, and the inputs given to every
 * action. Two gaps of the service are filled here, not by hand-written checks but by feeding it:
 * - it resolves no `./actions/<name>` (local) reference, so each is presented to it as
 *   `rollout-kit/rollout-kit/actions/<name>@local` and its metadata served from this checkout;
 *   third-party actions are served from `third-party-actions.yml` at the commit they are pinned to;
 * - it treats `steps.<id>.outputs` as open-ended, so a steps context is provided in which the
 *   outputs of a step that uses an action are exactly the action's declared outputs (a `run:` step's
 *   stay open-ended: its outputs are whatever its script writes).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DescriptionDictionary, data } from '@actions/expressions'
import { validate, type ActionsMetadataProvider } from '@actions/languageservice'
import { clearCacheEntry } from '@actions/languageservice/utils/workflow-cache'
import { TextDocument } from 'vscode-languageserver-textdocument'
import { parse } from 'yaml'

/** The metadata the language service needs of an action: its inputs and outputs. */
export interface ActionMetadata {
  readonly name: string
  readonly description: string
  readonly inputs?: Record<string, { description: string; required?: boolean; default?: string }>
  readonly outputs?: Record<string, { description: string }>
}

/** How this repository's own actions are presented to the service. */
const LOCAL_OWNER = 'rollout-kit'
const LOCAL_REF = 'local'
const LOCAL_USES = /(uses:\s*)\.\/actions\/([A-Za-z0-9_.-]+)\/?(?=\s|$)/g

const THIRD_PARTY = fileURLToPath(new URL('./third-party-actions.yml', import.meta.url))

/** Where the metadata of the actions a workflow uses comes from. */
export class ActionCatalog implements ActionsMetadataProvider {
  private readonly thirdParty: Record<string, ActionMetadata>

  /** `root` holds `actions/<name>/action.yml`; `thirdPartyFile` the pinned third-party actions. */
  constructor(
    private readonly root: string,
    thirdPartyFile = THIRD_PARTY
  ) {
    this.thirdParty = (parse(readFileSync(thirdPartyFile, 'utf8')) ?? {}) as Record<
      string,
      ActionMetadata
    >
  }

  /** The metadata of `owner/name[/path]@ref` as the service parses a `uses:`, or undefined. */
  async fetchActionMetadata(reference: {
    owner: string
    name: string
    ref: string
    path?: string
  }): Promise<ActionMetadata | undefined> {
    return this.lookup(reference)
  }

  /** The same, synchronously: the steps context needs it while the service evaluates. */
  lookup(reference: {
    owner: string
    name: string
    ref: string
    path?: string
  }): ActionMetadata | undefined {
    const { owner, name, ref, path } = reference
    if (owner === LOCAL_OWNER && name === LOCAL_OWNER && ref === LOCAL_REF && path) {
      const file = join(this.root, path, 'action.yml')
      return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ActionMetadata) : undefined
    }
    const key = `${owner}/${name}${path ? `/${path}` : ''}@${ref}`
    return this.thirdParty[key]
  }

  /** The metadata a step's `uses:` (as presented to the service) resolves to, or undefined. */
  ofUses(uses: string): ActionMetadata | undefined {
    const match = /^([^/@]+)\/([^/@]+)(?:\/([^@]+))?@(.+)$/.exec(uses)
    if (!match) return undefined
    const [, owner, name, path, ref] = match
    return this.lookup({ owner, name, ref, path })
  }
}

/** A problem found, at a 1-based line of the file. */
export interface Problem {
  readonly file: string
  readonly line: number
  readonly message: string
}

/** `file:line: message`, as editors and CI logs link it. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`
}

/** The text the service sees: `./actions/<name>` presented as a remote reference it can resolve. */
export function presentLocalActions(text: string): string {
  return text.replace(
    LOCAL_USES,
    (_all, prefix: string, name: string) =>
      `${prefix}${LOCAL_OWNER}/${LOCAL_OWNER}/actions/${name}@${LOCAL_REF}`
  )
}

const ERROR = 1
const WARNING = 2

/**
 * Validates one workflow (or action.yml) text as GitHub's language service does, with the actions'
 * metadata from `catalog`. Errors and warnings are problems; information (a cron's description)
 * is not. `file` names the file in the problems and decides whether it is an action.yml.
 */
export async function checkText(
  file: string,
  text: string,
  catalog: ActionCatalog
): Promise<Problem[]> {
  const document = TextDocument.create(
    `file:///${file.replace(/^\/+/, '')}`,
    'yaml',
    1,
    presentLocalActions(text)
  )
  // the service caches what it parsed by URI: a variant of a file checked before must be parsed anew
  clearCacheEntry(document.uri)
  const diagnostics = await validate(document, {
    actionsMetadataProvider: catalog,
    contextProviderConfig: {
      getContext: async (name, defaultContext, workflowContext) =>
        name === 'steps' ? stepsContext(defaultContext, workflowContext, catalog) : undefined
    }
  })
  clearCacheEntry(document.uri)
  return diagnostics
    .filter((d) => d.severity === undefined || d.severity === ERROR || d.severity === WARNING)
    .map((d) => ({
      file,
      line: d.range.start.line + 1,
      message: typeof d.message === 'string' ? d.message : d.message.value
    }))
    .sort((a, b) => a.line - b.line || a.message.localeCompare(b.message))
}

/** The shape of the service's workflow context that the steps context reads. */
interface StepsView {
  readonly job?: { readonly steps?: readonly { id: string; uses?: { value: string } }[] }
  readonly step?: { readonly id: string }
}

/**
 * The steps before the current one, each with `outputs` closed to its action's declared outputs
 * when it uses an action the catalog knows; `run:` steps keep the service's open `outputs`.
 */
function stepsContext(
  defaultContext: DescriptionDictionary | undefined,
  workflowContext: StepsView,
  catalog: ActionCatalog
): DescriptionDictionary | undefined {
  if (!defaultContext || !workflowContext.job?.steps) return undefined
  const steps = new DescriptionDictionary()
  for (const step of workflowContext.job.steps) {
    if (workflowContext.step && step.id === workflowContext.step.id) break
    const entry = defaultContext.get(step.id)
    if (!(entry instanceof DescriptionDictionary)) continue
    const metadata = step.uses ? catalog.ofUses(step.uses.value) : undefined
    if (!metadata) {
      steps.add(step.id, entry)
      continue
    }
    const outputs = new DescriptionDictionary()
    for (const [output, { description }] of Object.entries(metadata.outputs ?? {})) {
      outputs.add(output, new data.StringData(''), description)
    }
    const closed = new DescriptionDictionary()
    for (const pair of entry.pairs()) {
      closed.add(pair.key, pair.key === 'outputs' ? outputs : pair.value, pair.description)
    }
    steps.add(step.id, closed)
  }
  return steps
}

/** Validates files (paths relative to `root`); every problem, in file order. */
export async function checkFiles(root: string, files: readonly string[]): Promise<Problem[]> {
  const catalog = new ActionCatalog(root)
  const problems: Problem[] = []
  for (const file of files) {
    const text = readFileSync(resolve(root, file), 'utf8')
    problems.push(...(await checkText(relative(root, resolve(root, file)), text, catalog)))
  }
  return problems
}
