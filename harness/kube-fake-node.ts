import { createHash, randomBytes } from 'node:crypto'
import {
  kubeOk,
  kubeRequest,
  kubeWatch,
  type KubeList,
  type KubeObject,
  type KubeTarget,
  type Watch,
  type WatchEvent
} from './kube-request.js'

/**
 * Stands in for kubelet and scheduler, which do not exist here: registers a Ready node, binds every
 * pending pod to it (`pods/binding`), reports bound pods Running and Ready with a pod IP through
 * `pods/status`, and finishes the deletion of terminating pods as a kubelet would. The real
 * controller-manager does the Deployment, ReplicaSet and Endpoints work on top of that.
 *
 * Chosen images misbehave; an entry matches a container's image when it equals the image, its
 * repository (without tag or digest), its `repository:tag` or its digest:
 * - `failImages`: Running but never Ready (a readiness probe that keeps failing);
 * - `crashImages`: CrashLoopBackOff, restartCount rising every `restartIntervalMs`;
 * - `pullFailImages`: Pending in ImagePullBackOff.
 * The sets are live: changing them changes the status of pods that already run.
 */
export interface FakeNodeOptions {
  /** Default `node-1`. */
  readonly name?: string
  /** First three octets of pod IPs (default `10.1.0`, giving 10.1.0.2 …). */
  readonly podNetwork?: string
  /** How often a crash-looping container restarts (default 2000 ms). */
  readonly restartIntervalMs?: number
  /** How often statuses are re-checked against the sets (default 500 ms). */
  readonly resyncMs?: number
}

interface Tracked {
  pod: KubeObject
  ip: string
  startedAt: string
  restarts: number
  lastRestart: number
  /** JSON of the status last written, to write only changes. */
  written?: string
  /** Whether an error event was recorded for the current trouble. */
  eventFor?: string
}

type Trouble = 'unready' | 'crash' | 'pull' | undefined

const CAPACITY = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' }

export class FakeNode {
  readonly name: string
  /** Images whose pods run but never become Ready. */
  readonly failImages = new Set<string>()
  /** Images whose containers crash-loop. */
  readonly crashImages = new Set<string>()
  /** Images that cannot be pulled. */
  readonly pullFailImages = new Set<string>()

  private readonly target: KubeTarget
  private readonly network: string
  private readonly restartIntervalMs: number
  private readonly resyncMs: number
  private readonly pods = new Map<string, Tracked>()
  /** Unbound pods by uid, with whether a binding is under way; retried until bound or gone. */
  private readonly pending = new Map<string, { pod: KubeObject; binding: boolean }>()
  private readonly usedIps = new Set<string>()
  private readonly watches = new Set<Watch>()
  private readonly loops: Promise<void>[] = []
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private errors: string[] = []

  private constructor(target: KubeTarget, options: FakeNodeOptions) {
    this.target = target
    this.name = options.name ?? 'node-1'
    this.network = options.podNetwork ?? '10.1.0'
    this.restartIntervalMs = options.restartIntervalMs ?? 2000
    this.resyncMs = options.resyncMs ?? 500
  }

  /** Registers the node (Ready) and starts binding and running pods. */
  static async start(target: KubeTarget, options: FakeNodeOptions = {}): Promise<FakeNode> {
    const node = new FakeNode(target, options)
    await node.register()
    node.loops.push(
      node.inform('/api/v1/pods?fieldSelector=spec.nodeName%3D', (event) => node.onPending(event)),
      node.inform(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node.name}`, (event) =>
        node.onMine(event)
      )
    )
    node.timer = setInterval(() => void node.resync(), node.resyncMs)
    node.timer.unref()
    return node
  }

  /** The IP given to a pod, once it is bound here. */
  podIp(namespace: string, name: string): string | undefined {
    for (const tracked of this.pods.values()) {
      const { metadata } = tracked.pod
      if (metadata.namespace === namespace && metadata.name === name) return tracked.ip
    }
    return undefined
  }

  /** Errors the node met while talking to the API server (most recent last, at most 20). */
  get recentErrors(): readonly string[] {
    return this.errors
  }

  /** Stops watching; the node object stays in the cluster (as a node whose kubelet died would). */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    for (const watch of this.watches) watch.stop()
    await Promise.allSettled(this.loops)
  }

  private note(error: unknown): void {
    if (this.stopped) return
    this.errors.push(error instanceof Error ? error.message : String(error))
    if (this.errors.length > 20) this.errors = this.errors.slice(-20)
  }

  private async register(): Promise<void> {
    const labels = {
      'kubernetes.io/hostname': this.name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64'
    }
    const created = await kubeRequest(this.target, 'POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.name, labels }
    })
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`registering node ${this.name} → ${created.status}: ${created.text}`)
    }
    await this.heartbeat()
  }

  private async heartbeat(): Promise<void> {
    const now = new Date().toISOString()
    const condition = (type: string, status: string, reason: string): object => ({
      type,
      status,
      reason,
      message: reason,
      lastHeartbeatTime: now,
      lastTransitionTime: now
    })
    await kubeOk(this.target, 'PATCH', `/api/v1/nodes/${this.name}/status`, {
      status: {
        capacity: CAPACITY,
        allocatable: CAPACITY,
        conditions: [
          condition('Ready', 'True', 'KubeletReady'),
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID')
        ],
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: this.name }
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: this.name,
          systemUUID: this.name,
          bootID: this.name,
          kernelVersion: 'fake',
          osImage: 'rollout-kit fake node',
          containerRuntimeVersion: 'fake://1.0',
          kubeletVersion: 'v1.20.2',
          kubeProxyVersion: 'v1.20.2',
          operatingSystem: 'linux',
          architecture: 'amd64'
        }
      }
    })
  }

  /** List, then watch from the list's resourceVersion; relist when the watch is gone (410). */
  private async inform(path: string, handle: (event: WatchEvent) => void): Promise<void> {
    while (!this.stopped) {
      try {
        const list = await kubeOk<KubeList>(this.target, 'GET', path)
        for (const object of list.items) handle({ type: 'ADDED', object })
        let resourceVersion = list.metadata.resourceVersion
        let gone = false
        while (!this.stopped && !gone) {
          const query = `resourceVersion=${resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=60`
          const watch = kubeWatch(this.target, `${path}&${query}`, (event) => {
            if (event.type === 'ERROR') {
              gone = true
              return
            }
            resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion
            if (event.type !== 'BOOKMARK') handle(event)
          })
          this.watches.add(watch)
          try {
            await watch.done
          } finally {
            this.watches.delete(watch)
          }
        }
      } catch (error) {
        this.note(error)
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }

  private onPending(event: WatchEvent): void {
    const pod = event.object
    const uid = pod.metadata.uid ?? ''
    if (event.type === 'DELETED' || pod.metadata.deletionTimestamp || pod.spec?.nodeName) {
      this.pending.delete(uid)
      return
    }
    const entry = this.pending.get(uid) ?? { pod, binding: false }
    entry.pod = pod
    this.pending.set(uid, entry)
    this.bindPending(uid)
  }

  private bindPending(uid: string): void {
    const entry = this.pending.get(uid)
    if (!entry || entry.binding || this.stopped) return
    entry.binding = true
    this.bind(entry.pod).then(
      () => this.pending.delete(uid),
      (error: unknown) => {
        entry.binding = false
        this.note(error)
      }
    )
  }

  private async bind(pod: KubeObject): Promise<void> {
    const { namespace, name, uid } = pod.metadata
    const res = await kubeRequest(
      this.target,
      'POST',
      `/api/v1/namespaces/${namespace}/pods/${name}/binding`,
      {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: this.name }
      }
    )
    // 409: bound already; 404: deleted meanwhile
    if (res.status === 201 || res.status === 409 || res.status === 404) {
      if (res.status === 201)
        void this.event(pod, 'Normal', 'Scheduled', `assigned to ${this.name}`)
      return
    }
    throw new Error(`binding ${namespace}/${name} → ${res.status}: ${res.text}`)
  }

  private onMine(event: WatchEvent): void {
    const pod = event.object
    const uid = pod.metadata.uid ?? ''
    if (event.type === 'DELETED') {
      const tracked = this.pods.get(uid)
      if (tracked) this.usedIps.delete(tracked.ip)
      this.pods.delete(uid)
      return
    }
    let tracked = this.pods.get(uid)
    if (!tracked) {
      tracked = {
        pod,
        ip: this.allocateIp(),
        startedAt: new Date().toISOString(),
        restarts: 0,
        lastRestart: Date.now()
      }
      this.pods.set(uid, tracked)
    }
    tracked.pod = pod
    void this.reconcile(tracked).catch((error: unknown) => this.note(error))
  }

  private allocateIp(): string {
    for (let host = 2; host < 255; host++) {
      const ip = `${this.network}.${host}`
      if (!this.usedIps.has(ip)) {
        this.usedIps.add(ip)
        return ip
      }
    }
    throw new Error(`fake node ${this.name}: no pod IP left in ${this.network}.0/24`)
  }

  private async resync(): Promise<void> {
    if (this.stopped) return
    for (const uid of this.pending.keys()) this.bindPending(uid)
    await Promise.all(
      [...this.pods.values()].map((tracked) =>
        this.reconcile(tracked).catch((error: unknown) => this.note(error))
      )
    )
  }

  private trouble(images: string[]): Trouble {
    const matches = (set: Set<string>): boolean =>
      images.some((image) => imageKeys(image).some((key) => set.has(key)))
    if (matches(this.pullFailImages)) return 'pull'
    if (matches(this.crashImages)) return 'crash'
    if (matches(this.failImages)) return 'unready'
    return undefined
  }

  private async reconcile(tracked: Tracked): Promise<void> {
    if (this.stopped) return
    const { pod } = tracked
    const { namespace, name, uid } = pod.metadata
    if (pod.metadata.deletionTimestamp) {
      // what a kubelet does once the containers are gone: delete for good
      const res = await kubeRequest(
        this.target,
        'DELETE',
        `/api/v1/namespaces/${namespace}/pods/${name}`,
        { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } }
      )
      if (res.status >= 300 && res.status !== 404 && res.status !== 409) {
        throw new Error(`deleting ${namespace}/${name} → ${res.status}: ${res.text}`)
      }
      return
    }
    const containers = (pod.spec?.containers ?? []) as { name: string; image: string }[]
    const trouble = this.trouble(containers.map((c) => c.image))
    if (trouble === 'crash' && Date.now() - tracked.lastRestart >= this.restartIntervalMs) {
      tracked.restarts++
      tracked.lastRestart = Date.now()
    }
    const status = this.statusFor(tracked, containers, trouble)
    const json = JSON.stringify(status)
    if (json === tracked.written) return
    const res = await kubeRequest(
      this.target,
      'PATCH',
      `/api/v1/namespaces/${namespace}/pods/${name}/status`,
      { status },
      { contentType: 'application/merge-patch+json' }
    )
    // 404: the pod was deleted meanwhile (a ReplicaSet scaled down), as a kubelet would find it
    if (res.status === 404) return
    if (res.status >= 300) {
      throw new Error(`updating the status of ${namespace}/${name} → ${res.status}: ${res.text}`)
    }
    tracked.written = json
    const reason = { pull: 'Failed', crash: 'BackOff', unready: 'Unhealthy' }
    if (trouble && tracked.eventFor !== trouble) {
      tracked.eventFor = trouble
      const message = {
        pull: 'Back-off pulling image',
        crash: 'Back-off restarting failed container',
        unready: 'Readiness probe failed'
      }
      void this.event(pod, 'Warning', reason[trouble], message[trouble])
    }
  }

  private statusFor(
    tracked: Tracked,
    containers: { name: string; image: string }[],
    trouble: Trouble
  ): object {
    const { ip, startedAt, restarts } = tracked
    const ready = trouble === undefined
    const condition = (type: string, value: boolean): object => ({
      type,
      status: value ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: startedAt,
      ...(value ? {} : { reason: 'ContainersNotReady' })
    })
    const containerStatuses = containers.map((container) => {
      const failing = this.trouble([container.image])
      const base = {
        name: container.name,
        image: container.image,
        imageID: imageId(container.image),
        ready: failing === undefined,
        restartCount: failing === 'crash' ? restarts : 0
      }
      if (failing === 'pull') {
        return {
          ...base,
          imageID: '',
          started: false,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: `Back-off pulling image "${container.image}"`
            }
          }
        }
      }
      const containerId = `containerd://${createHash('sha256')
        .update(
          `${tracked.pod.metadata.uid}/${container.name}/${failing === 'crash' ? restarts : 0}`
        )
        .digest('hex')}`
      if (failing === 'crash') {
        return {
          ...base,
          started: false,
          containerID: containerId,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off restarting failed container ${container.name}`
            }
          },
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: startedAt,
              finishedAt: new Date(tracked.lastRestart).toISOString()
            }
          }
        }
      }
      return {
        ...base,
        started: true,
        containerID: containerId,
        state: { running: { startedAt } }
      }
    })
    return {
      phase: trouble === 'pull' ? 'Pending' : 'Running',
      conditions: [
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true)
      ],
      hostIP: '127.0.0.1',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: startedAt,
      qosClass: 'BestEffort',
      containerStatuses
    }
  }

  private async event(
    pod: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string
  ): Promise<void> {
    const { namespace, name, uid } = pod.metadata
    const now = new Date().toISOString()
    await kubeRequest(this.target, 'POST', `/api/v1/namespaces/${namespace}/events`, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace, name, uid },
      type,
      reason,
      message,
      source: {
        component: reason === 'Scheduled' ? 'default-scheduler' : 'kubelet',
        host: this.name
      },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1
    }).catch((error: unknown) => this.note(error))
  }
}

/** The forms of an image reference an entry in the fail sets may take. */
export function imageKeys(image: string): string[] {
  const at = image.indexOf('@')
  const digest = at >= 0 ? image.slice(at + 1) : undefined
  const named = at >= 0 ? image.slice(0, at) : image
  const slash = named.lastIndexOf('/')
  const colon = named.lastIndexOf(':')
  const repository = colon > slash ? named.slice(0, colon) : named
  return [image, named, repository, ...(digest ? [digest] : [])]
}

/** What a kubelet reports as imageID: the repository at the digest that ran. */
function imageId(image: string): string {
  const keys = imageKeys(image)
  const repository = keys[2] ?? image
  const digest = keys[3] ?? `sha256:${createHash('sha256').update(image).digest('hex')}`
  return `${repository}@${digest}`
}
