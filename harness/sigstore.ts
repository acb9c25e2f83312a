/**
 * A local Sigstore for keyless signing offline, on one loopback HTTP server:
 * - the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a JWT signed by our issuer key
 *   with GitHub's claims for the identity the request token was issued for;
 * - a small Fulcio of our own on @sigstore/mock's CA (its fulcioHandler puts one claim in the SAN
 *   and none of Fulcio's OIDs): it checks the token's signature and audience, then certifies the
 *   key for `https://github.com/<job_workflow_ref>` with the issuer (.1.8), build signer URI (.1.9),
 *   source repository (.1.12), source ref (.1.14) and trigger (.1.20) extensions;
 * - @sigstore/mock's TSA, given a clock of whole seconds (its GeneralizedTime drops trailing zeros
 *   of the milliseconds, which then fail to parse about 1 in 15).
 * No Rekor: the mock's entries do not verify, so keyless is tested in TSA-only mode, as GitHub's
 * private instance works. `trustedRoot` is the root JSON that `trusted-root` and cosign read.
 */
import { initializeCA, initializeTSA, tsaHandler } from '@sigstore/mock'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose'

/** GitHub's token claims that matter for the certificate. */
export interface WorkflowIdentity {
  /** `<owner>/<repo>`. */
  readonly repository: string
  /** `<owner>/<repo>/.github/workflows/<file>@<ref>`. */
  readonly jobWorkflowRef: string
  readonly ref: string
  readonly sha: string
  readonly eventName: string
}

/** The running stand-in. */
export interface LocalSigstore {
  /** Fulcio's base URL (`fulcio-url`). */
  readonly fulcioUrl: string
  /** The TSA's URL (`tsa-url`). */
  readonly tsaUrl: string
  /** The OIDC issuer the tokens name (`evidence-issuer`). */
  readonly issuer: string
  /** The trusted root JSON and the file it is written to (`trusted-root`). */
  readonly trustedRoot: Record<string, unknown>
  readonly trustedRootFile: string
  /** The TSA's certificate chain (PEM) and Fulcio's root (PEM), for cosign's environment. */
  readonly tsaChainFile: string
  readonly fulcioRootFile: string
  /** The environment a job with `id-token: write` has, for `identity`. */
  runnerEnv(identity: WorkflowIdentity): Record<string, string>
  /** How many certificates Fulcio issued. */
  issued(): number
  stop(): Promise<void>
}

/** The identity of a workflow `file` of acme/app run on `branch`. */
export function workflowIdentity(
  file: string,
  branch = 'dev',
  repository = 'acme/app'
): WorkflowIdentity {
  return {
    repository,
    jobWorkflowRef: `${repository}/.github/workflows/${file}@refs/heads/${branch}`,
    ref: `refs/heads/${branch}`,
    sha: 'fedcba9876543210fedcba9876543210fedcba98',
    eventName: 'push'
  }
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function pem(der: ArrayBufferView, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64')
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`
}

const derOf = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength)

/** Starts the stand-in on a loopback port. */
export async function startSigstore(): Promise<LocalSigstore> {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const tsaKeys = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const oidcKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ca = await initializeCA(caKeys)
  const clock = new Date(Math.floor(Date.now() / 1000) * 1000)
  const tsa = await initializeTSA(tsaKeys, clock)
  const timestamp = tsaHandler(tsa)
  const oidcJwk = oidcKeys.privateKey.export({ format: 'jwk' }) as JWK
  const signingKey = await importJWK(oidcJwk, 'ES256')
  const verifyKey = await importJWK(oidcKeys.publicKey.export({ format: 'jwk' }) as JWK, 'ES256')
  const requestTokens = new Map<string, WorkflowIdentity>()
  let issued = 0
  let base = ''
  const issuer = () => `${base}/oidc`

  async function token(req: IncomingMessage, url: URL): Promise<[number, string]> {
    const given = (req.headers.authorization ?? '').replace(/^bearer /i, '')
    const identity = requestTokens.get(given)
    if (!identity) return [401, '{"message":"bad request token"}']
    const [owner] = identity.repository.split('/')
    const jwt = await new SignJWT({
      repository: identity.repository,
      repository_owner: owner,
      job_workflow_ref: identity.jobWorkflowRef,
      workflow_ref: identity.jobWorkflowRef,
      ref: identity.ref,
      sha: identity.sha,
      event_name: identity.eventName,
      run_id: '4242',
      run_attempt: '1'
    })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(issuer())
      .setSubject(`repo:${identity.repository}:ref:${identity.ref}`)
      .setAudience(url.searchParams.get('audience') ?? '')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey)
    return [200, JSON.stringify({ value: jwt })]
  }

  async function fulcio(raw: Buffer): Promise<[number, string]> {
    const request = JSON.parse(raw.toString()) as {
      credentials: { oidcIdentityToken: string }
      publicKeyRequest: { publicKey: { content: string } }
    }
    let claims: Record<string, unknown>
    try {
      ;({ payload: claims } = await jwtVerify(request.credentials.oidcIdentityToken, verifyKey, {
        issuer: issuer(),
        audience: 'sigstore'
      }))
    } catch (error) {
      return [
        401,
        JSON.stringify({ message: `invalid identity token: ${(error as Error).message}` })
      ]
    }
    const keyDer = Buffer.from(
      request.publicKeyRequest.publicKey.content.replace(/-----[^-]+-----|\s/g, ''),
      'base64'
    )
    const github = 'https://github.com'
    const cert = await ca.issueCertificate({
      publicKey: keyDer,
      subjectAltName: `${github}/${String(claims.job_workflow_ref)}`,
      extensions: [
        { oid: '1.3.6.1.4.1.57264.1.8', value: issuer() },
        { oid: '1.3.6.1.4.1.57264.1.9', value: `${github}/${String(claims.job_workflow_ref)}` },
        { oid: '1.3.6.1.4.1.57264.1.12', value: `${github}/${String(claims.repository)}` },
        { oid: '1.3.6.1.4.1.57264.1.14', value: String(claims.ref) },
        { oid: '1.3.6.1.4.1.57264.1.20', value: String(claims.event_name) }
      ]
    })
    issued += 1
    const chain = [pem(cert), pem(ca.rootCertificate)]
    return [
      201,
      JSON.stringify({ signedCertificateEmbeddedSct: { chain: { certificates: chain } } })
    ]
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    void (async () => {
      const raw = await body(req)
      if (req.method === 'GET' && url.pathname === '/token') {
        const [status, text] = await token(req, url)
        res.writeHead(status, { 'content-type': 'application/json' }).end(text)
      } else if (req.method === 'POST' && url.pathname === '/api/v2/signingCert') {
        const [status, text] = await fulcio(raw)
        res.writeHead(status, { 'content-type': 'application/json' }).end(text)
      } else if (req.method === 'POST' && url.pathname === timestamp.path) {
        clock.setTime(Math.floor(Date.now() / 1000) * 1000)
        const answer = await timestamp.fn(raw.toString())
        const out = typeof answer.response === 'string' ? answer.response : derOf(answer.response)
        res
          .writeHead(answer.statusCode, { 'content-type': answer.contentType ?? 'text/plain' })
          .end(out)
      } else {
        res.writeHead(404).end()
      }
    })().catch((error: unknown) => res.writeHead(500).end(String(error)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

  const start = '2020-01-01T00:00:00Z'
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    ctlogs: [],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: base,
        certChain: { certificates: [{ rawBytes: derOf(ca.rootCertificate).toString('base64') }] },
        validFor: { start }
      }
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' },
        uri: `${base}${timestamp.path}`,
        certChain: {
          certificates: [
            { rawBytes: derOf(tsa.intCertificate).toString('base64') },
            { rawBytes: derOf(tsa.rootCertificate).toString('base64') }
          ]
        },
        validFor: { start }
      }
    ]
  }
  const dir = mkdtempSync(join(tmpdir(), 'local-sigstore-'))
  const trustedRootFile = join(dir, 'trusted-root.json')
  writeFileSync(trustedRootFile, JSON.stringify(trustedRoot))
  const tsaChainFile = join(dir, 'tsa-chain.pem')
  writeFileSync(tsaChainFile, pem(tsa.intCertificate) + pem(tsa.rootCertificate))
  const fulcioRootFile = join(dir, 'fulcio-root.pem')
  writeFileSync(fulcioRootFile, pem(ca.rootCertificate))

  return {
    fulcioUrl: base,
    tsaUrl: `${base}${timestamp.path}`,
    get issuer() {
      return issuer()
    },
    trustedRoot,
    trustedRootFile,
    tsaChainFile,
    fulcioRootFile,
    runnerEnv(identity) {
      const requestToken = randomBytes(16).toString('hex')
      requestTokens.set(requestToken, identity)
      return {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${base}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken
      }
    },
    issued: () => issued,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
