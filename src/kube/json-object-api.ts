/**
 * KubeClient's transport: KubernetesObjectApi with JSON passed through untouched both ways, and the
 * two readings of its failures that the client and discovery share (a timeout, a 404).
 *
 * KubernetesObjectApi carries the requests (kubeconfig credentials, TLS, user agent). Its CRUD
 * methods are not used as they are, because they pass bodies and answers through client-node's typed
 * models, which drop whatever a model does not name as written: fields newer than the model (a PUT
 * would then clear them on a newer cluster) and keys that are not JS identifiers, such as
 * `x-kubernetes-preserve-unknown-fields` in a CRD schema. The subclass below sends and returns JSON
 * as it is; paths are built by its callers from discovery (KubernetesObjectApi keeps its own
 * protected).
 */
import {
  ApiException,
  KubernetesObjectApi,
  type HttpMethod,
  type ResponseContext
} from '@kubernetes/client-node'
import { KubeError } from './errors.js'

/** One request: query parameters (undefined ones left out), body and its type. */
export interface JsonRequest {
  readonly query?: Record<string, string | undefined>
  readonly body?: unknown
  readonly contentType?: string
}

/** KubernetesObjectApi's transport, with JSON passed through untouched both ways. */
export class JsonObjectApi extends KubernetesObjectApi {
  /** Time limit of one request in milliseconds. */
  timeoutMs = 60_000

  /** Sends one request and returns the answer's JSON; a non-2xx status throws an ApiException. */
  async send<T>(method: HttpMethod, path: string, request: JsonRequest = {}): Promise<T> {
    const context = this.configuration.baseServer.makeRequestContext(path, method)
    context.setHeaderParam('Accept', 'application/json')
    context.setSignal(AbortSignal.timeout(this.timeoutMs))
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) context.setQueryParam(name, value)
    }
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json')
      context.setBody(JSON.stringify(request.body))
    }
    return (await this.requestPromise(context)) as T
  }

  protected override async processResponse<T>(response: ResponseContext): Promise<T> {
    const text = await response.body.text()
    const status = response.httpStatusCode
    if (status < 200 || status > 299) {
      throw new ApiException(status, 'Unsuccessful HTTP Request', text, response.headers)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }
}

/** fetch rejects a timed-out request with a DOMException whose numeric `code` is no HTTP status. */
export function timedOut(error: unknown, timeoutMs: number): unknown {
  // by name: the DOMException may come from another realm than this module's Error
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })
  }
  return error
}

/** Undefined for a 404; any other failure is rethrown. */
export function notFound(error: unknown): undefined {
  if (error instanceof KubeError && error.status === 404) return undefined
  throw error
}
