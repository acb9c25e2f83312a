/**
 * Loads the kubeconfig a deploy runs with: the action's `kubeconfig` input (YAML text) first, else
 * the files of `$KUBECONFIG`, else `~/.kube/config`; then picks the context and checks that it
 * leads to a cluster with a server and to a user the file defines.
 *
 * client-node's KubeConfig does the authentication (tokens, client certificates, exec plugins,
 * auth providers). Two parts are written here because client-node does them differently from
 * kubectl (client-go's clientcmd loader), whose behaviour users expect:
 * - merging `$KUBECONFIG` files: kubectl skips files that do not exist and lets the first file that
 *   sets a cluster, user, context or current-context win; client-node's loadFromDefault throws on
 *   duplicate names and lets the last current-context win;
 * - relative paths (certificate files, `token-file`, an exec `command` holding a `/`) resolve
 *   against the kubeconfig's folder; client-node reads `token-file` relative to the working folder
 *   and leaves exec commands alone.
 * The YAML is parsed with `yaml` first so that a mistake is reported by line and column without
 * the parser's source excerpt, which could hold a credential.
 */
import * as core from '@actions/core'
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { checkFileSize, checkTextSize, LIMITS } from '../action/limits.js'
import { homedir } from 'node:os'
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { parseDocument } from 'yaml'
import { InputError } from '../action/errors.js'
import { mask } from '../registry/mask.js'

/** A kubeconfig ready to use, with its current context set. */
export interface LoadedKubeConfig {
  /** The client configuration; its current context is the chosen one. */
  readonly kc: KubeConfig
  /** The current cluster's server URL. */
  readonly server: string
  /** The chosen context's name. */
  readonly context: string
  /** The context's namespace, when it names one. */
  readonly namespace?: string
  /** Where it came from: `input 'kubeconfig'`, `$KUBECONFIG (/a:/b)` or the file path. */
  readonly source: string
}

/** A kubeconfig that cannot be used: says where it came from and what is wrong, never its content. */
export class KubeconfigError extends InputError {
  constructor(source: string, message: string) {
    super('kubeconfig', source, message)
    this.message = message
    this.name = 'KubeconfigError'
  }
}

/** Where to find the kubeconfig. */
export interface KubeConfigOptions {
  /** Kubeconfig YAML (the action's `kubeconfig` input); wins when not empty. */
  readonly content?: string
  /** Environment for `KUBECONFIG` and `HOME` (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The context to use instead of the current-context. */
  readonly context?: string
}

/** One kubeconfig text and how to name it in messages. */
interface Source {
  /** `Input 'kubeconfig'` or `Kubeconfig <file>`: the subject of an error message. */
  readonly subject: string
  readonly source: string
  /** Folder that relative paths resolve against (files only). */
  readonly dir?: string
}

/**
 * The kubeconfig loaded (see loadKubeConfig) and the namespace settled: `namespace` when given,
 * else the context's, else `default`; the log says which server, context and namespace.
 */
export function openKubeConfig(
  options: KubeConfigOptions & { readonly namespace?: string }
): LoadedKubeConfig & { readonly namespace: string } {
  const loaded = loadKubeConfig(options)
  const namespace = options.namespace ?? loaded.namespace ?? 'default'
  core.info(
    `Kubernetes API ${loaded.server}, context ${loaded.context} (${loaded.source}), namespace ${namespace}`
  )
  return { ...loaded, namespace }
}

/**
 * Loads the kubeconfig from `content`, else `$KUBECONFIG` (files merged as kubectl does), else
 * `~/.kube/config`, and selects `context` or the current-context. Every credential in it is
 * masked before anything is logged. Throws a KubeconfigError (an InputError) for a kubeconfig that
 * is missing or cannot be used.
 */
export function loadKubeConfig(options: KubeConfigOptions): LoadedKubeConfig {
  const env = options.env ?? process.env
  const found = options.content?.trim()
    ? fromInput(options.content)
    : env.KUBECONFIG
      ? fromList(env.KUBECONFIG)
      : fromHome(env.HOME || homedir())
  return selectContext(merge(found.configs), found.whole, options.context)
}

/** Kubeconfigs and the name of the whole they make. */
interface Found {
  readonly configs: KubeConfig[]
  readonly whole: Source
}

function fromInput(content: string): Found {
  checkTextSize('kubeconfig', content, LIMITS.kubeconfig, 'kubeconfig YAML')
  const whole = { subject: "Input 'kubeconfig'", source: "input 'kubeconfig'" }
  return { configs: [parseKubeConfig(content, whole)], whole }
}

/** The files of `$KUBECONFIG`; as kubectl, those that do not exist are skipped. */
function fromList(list: string): Found {
  const whole = { subject: `Kubeconfig $KUBECONFIG (${list})`, source: `$KUBECONFIG (${list})` }
  const listed = list.split(delimiter).filter((file) => file !== '')
  const files = [...new Set(listed.map((file) => resolve(file)))].filter(existsSync)
  if (files.length === 0) {
    throw new KubeconfigError(whole.source, `KUBECONFIG is '${list}', but none of its files exists`)
  }
  return {
    configs: files.map((file) => readKubeConfig(file, `Kubeconfig ${file} (from $KUBECONFIG)`)),
    whole
  }
}

function fromHome(home: string): Found {
  const file = join(home, '.kube', 'config')
  if (!existsSync(file)) {
    throw new KubeconfigError(
      '',
      "No kubeconfig: set the 'kubeconfig' input to kubeconfig YAML, or KUBECONFIG to its " +
        `file (there is no ${file} either)`
    )
  }
  const whole = { subject: `Kubeconfig ${file}`, source: file }
  return { configs: [readKubeConfig(file, whole.subject)], whole }
}

function readKubeConfig(file: string, subject: string): KubeConfig {
  checkFileSize('kubeconfig', file, LIMITS.kubeconfig, `a kubeconfig file (${subject})`)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new KubeconfigError(file, `${subject} cannot be read: ${reasonOf(error)}`)
  }
  return parseKubeConfig(text, { subject, source: file, dir: dirname(file) })
}

/** Parses and checks one kubeconfig text, resolves its relative paths and masks its credentials. */
function parseKubeConfig(text: string, from: Source): KubeConfig {
  const fail = (problem: string): never => {
    throw new KubeconfigError(from.source, `${from.subject} ${problem}`)
  }
  const doc = parseDocument(text)
  const error = doc.errors[0]
  if (error) {
    const at = error.linePos?.[0]
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
    fail(`is not valid YAML: ${message}${at ? ` (line ${at.line}, column ${at.col})` : ''}`)
  }
  let raw: unknown
  try {
    raw = doc.toJS()
  } catch (error) {
    // the yaml library refuses alias bombs ("Excessive alias count …") while converting
    return fail(`is YAML that cannot be expanded: ${reasonOf(error)}`)
  }
  const problem = shapeProblem(raw)
  if (problem) fail(problem)
  const config = raw as Record<string, unknown>
  if (from.dir) resolvePaths(config, from.dir)
  const kc = new KubeConfig()
  try {
    // JSON is YAML: client-node reads exactly what was checked above
    kc.loadFromString(JSON.stringify(config))
  } catch (error) {
    fail(`cannot be loaded: ${reasonOf(error)}`)
  }
  maskCredentials(kc.getUsers())
  return kc
}

const LISTS = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context']
] as const

/** What keeps a parsed value from being a kubeconfig client-node can load; undefined when fine. */
function shapeProblem(raw: unknown): string | undefined {
  if (!isRecord(raw)) {
    return 'is not a kubeconfig: expected a mapping with clusters, users and contexts'
  }
  for (const [list, entry] of LISTS) {
    const entries = raw[list]
    if (entries === undefined || entries === null) continue
    if (!Array.isArray(entries)) return `is not a kubeconfig: ${list} must be a list`
    for (const [i, item] of entries.entries()) {
      if (!isRecord(item) || !isText(item.name)) return `has no name for ${list}[${i}]`
      const body = item[entry]
      if (entry === 'cluster' && !(isRecord(body) && isText(body.server))) {
        return `has no server for cluster '${item.name}'`
      }
      if (entry === 'context' && !(isRecord(body) && isText(body.cluster))) {
        return `names no cluster in context '${item.name}'`
      }
    }
  }
  return undefined
}

/** Resolves relative paths against the kubeconfig's folder, as client-go's clientcmd does. */
function resolvePaths(config: Record<string, unknown>, dir: string): void {
  const fix = (record: Record<string, unknown>, key: string, always = true): void => {
    const value = record[key]
    if (isText(value) && !isAbsolute(value) && (always || value.includes(sep))) {
      record[key] = resolve(dir, value)
    }
  }
  for (const item of asRecords(config.clusters)) {
    if (isRecord(item.cluster)) fix(item.cluster, 'certificate-authority')
  }
  for (const item of asRecords(config.users)) {
    if (!isRecord(item.user)) continue
    for (const key of ['client-certificate', 'client-key', 'token-file']) fix(item.user, key)
    // an exec command found on PATH stays as it is; one with a folder in it is a file path
    if (isRecord(item.user.exec)) fix(item.user.exec, 'command', false)
  }
}

/** Masks every credential of the users: tokens, passwords, keys, auth-provider secrets, exec env. */
function maskCredentials(users: readonly User[]): void {
  for (const user of users) {
    for (const value of [user.token, user.password, user.keyData]) {
      if (typeof value === 'string') {
        mask(value)
        mask(value.trim())
      }
    }
    const config: unknown = user.authProvider?.config
    if (isRecord(config)) {
      for (const [key, value] of Object.entries(config)) {
        if (/token|secret|password/i.test(key) && typeof value === 'string') mask(value)
      }
    }
    const exec: unknown = user.exec
    if (isRecord(exec) && Array.isArray(exec.env)) {
      for (const variable of exec.env)
        if (isRecord(variable) && isText(variable.value)) mask(variable.value)
    }
  }
}

/** Merges kubeconfigs as kubectl does: the first to define a name or a current-context wins. */
function merge(configs: readonly KubeConfig[]): KubeConfig {
  const first = <T extends { name: string }>(items: T[]): T[] => {
    const byName = new Map<string, T>()
    for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item)
    return [...byName.values()]
  }
  const merged = new KubeConfig()
  merged.loadFromOptions({
    clusters: first<Cluster>(configs.flatMap((kc) => kc.getClusters())),
    users: first<User>(configs.flatMap((kc) => kc.getUsers())),
    contexts: first<Context>(configs.flatMap((kc) => kc.getContexts())),
    currentContext: configs.map((kc) => kc.getCurrentContext()).find((name) => !!name)
  })
  return merged
}

/** Sets the chosen context, checking that its cluster and user are defined. */
function selectContext(kc: KubeConfig, from: Source, wanted?: string): LoadedKubeConfig {
  const fail = (problem: string): never => {
    throw new KubeconfigError(from.source, `${from.subject} ${problem}`)
  }
  const names = kc.getContexts().map((context) => context.name)
  const known = names.length === 0 ? 'it has no contexts' : `its contexts are: ${names.join(', ')}`
  const name = wanted || kc.getCurrentContext()
  if (wanted && !names.includes(wanted)) fail(`has no context '${wanted}'; ${known}`)
  if (!name) fail(`has no current-context, and no context was chosen; ${known}`)
  const context = kc.getContextObject(name) ?? fail(`names current-context '${name}', but ${known}`)
  const cluster = kc.getCluster(context.cluster)
  if (!cluster) {
    const clusters = kc.getClusters().map((c) => c.name)
    fail(
      `names cluster '${context.cluster}' in context '${name}', but ` +
        (clusters.length === 0 ? 'has no clusters' : `its clusters are: ${clusters.join(', ')}`)
    )
  }
  if (context.user && !kc.getUser(context.user)) {
    const users = kc.getUsers().map((u) => u.name)
    fail(
      `names user '${context.user}' in context '${name}', but ` +
        (users.length === 0 ? 'has no users' : `its users are: ${users.join(', ')}`)
    )
  }
  const command = context.user ? kc.getUser(context.user)?.exec?.command : undefined
  if (command && !onPath(command)) {
    // found here, not later as a failed request blamed on whatever was being applied
    fail(
      `names user '${context.user}' in context '${name}', whose exec plugin '${command}' is not ` +
        `installed (${command.includes('/') ? 'no such file' : 'not on PATH'}); install it before ` +
        'this step (e.g. gke-gcloud-auth-plugin for GKE, aws for EKS, kubelogin for AKS)'
    )
  }
  kc.setCurrentContext(name)
  const server = (cluster as Cluster).server
  core.debug(`Kubeconfig from ${from.source}: context ${name}, server ${server}`)
  return {
    kc,
    server,
    context: name,
    ...(context.namespace ? { namespace: context.namespace } : {}),
    source: from.source
  }
}

/** Whether an exec plugin's command can be started: a file path that exists, or a name on PATH. */
function onPath(command: string): boolean {
  if (command.includes('/')) return existsSync(command)
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK)
        return true
      } catch {
        return false
      }
    })
}

function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : []
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/** An error's message; Node's fs errors are not `instanceof Error` in another realm (jest's VM). */
function reasonOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message
  return typeof message === 'string' ? message : String(error)
}
