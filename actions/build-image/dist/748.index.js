export const id = 748;
export const ids = [748];
export const modules = {

/***/ 748:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CredentialHelperError: () => (/* reexport */ CredentialHelperError),
  DOCKER_CONFIG: () => (/* reexport */ DOCKER_CONFIG),
  DOCKER_FOREIGN_LAYER: () => (/* reexport */ DOCKER_FOREIGN_LAYER),
  DOCKER_LAYER: () => (/* reexport */ DOCKER_LAYER),
  DOCKER_MANIFEST: () => (/* reexport */ DOCKER_MANIFEST),
  DOCKER_MANIFEST_LIST: () => (/* reexport */ DOCKER_MANIFEST_LIST),
  DOCKER_SCHEMA1: () => (/* reexport */ DOCKER_SCHEMA1),
  DOCKER_SCHEMA1_SIGNED: () => (/* reexport */ DOCKER_SCHEMA1_SIGNED),
  IMAGE_MANIFEST_TYPES: () => (/* reexport */ IMAGE_MANIFEST_TYPES),
  INDEX_TYPES: () => (/* reexport */ INDEX_TYPES),
  InvalidManifestError: () => (/* reexport */ InvalidManifestError),
  InvalidReferenceError: () => (/* reexport */ reference/* InvalidReferenceError */.x_),
  MANIFEST_ACCEPT: () => (/* reexport */ MANIFEST_ACCEPT),
  OCI_CONFIG: () => (/* reexport */ OCI_CONFIG),
  OCI_EMPTY: () => (/* reexport */ OCI_EMPTY),
  OCI_INDEX: () => (/* reexport */ OCI_INDEX),
  OCI_LAYER: () => (/* reexport */ OCI_LAYER),
  OCI_LAYER_GZIP: () => (/* reexport */ OCI_LAYER_GZIP),
  OCI_LAYER_ZSTD: () => (/* reexport */ OCI_LAYER_ZSTD),
  OCI_MANIFEST: () => (/* reexport */ OCI_MANIFEST),
  RegistryClient: () => (/* reexport */ RegistryClient),
  RegistryError: () => (/* reexport */ RegistryError),
  classifyFailure: () => (/* reexport */ classifyFailure),
  digestOf: () => (/* reexport */ digestOf),
  formatReference: () => (/* reexport */ reference/* formatReference */.FH),
  formatScope: () => (/* reexport */ formatScope),
  gcpAccessToken: () => (/* reexport */ gcpAccessToken),
  isLoopbackRegistry: () => (/* reexport */ reference/* isLoopbackRegistry */.jW),
  isTransientStatus: () => (/* reexport */ isTransientStatus),
  parseChallenges: () => (/* reexport */ parseChallenges),
  parseDigest: () => (/* reexport */ reference/* parseDigest */.m),
  parseManifest: () => (/* reexport */ parseManifest),
  parseReference: () => (/* reexport */ reference/* parseReference */.F2),
  pinnedReference: () => (/* reexport */ reference/* pinnedReference */.ct),
  registryApiHost: () => (/* reexport */ reference/* registryApiHost */.Mb),
  repositoryName: () => (/* reexport */ reference/* repositoryName */.aR),
  resolveCredentials: () => (/* reexport */ resolveCredentials)
});

// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/registry/media-types.ts
/**
 * Media types of the OCI image spec (media-types.md) and Docker's image manifest v2 schema 2.
 * https://github.com/opencontainers/image-spec/blob/main/media-types.md
 */
/** OCI image manifest. */
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index (multi-platform image or artifact list). */
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** OCI image configuration. */
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** OCI empty descriptor content (`{}`), the config of artifacts. */
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** OCI uncompressed layer. */
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
/** OCI gzip-compressed layer. */
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** OCI zstd-compressed layer. */
const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
/** Docker image manifest v2 schema 2. */
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (multi-platform). */
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker image configuration. */
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
/** Docker gzip-compressed layer. */
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** Docker foreign (non-distributable) layer. */
const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
/** Docker schema 1 manifest, unsigned; deprecated and not supported here. */
const DOCKER_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';
/** Docker schema 1 manifest, signed; deprecated and not supported here. */
const DOCKER_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
/** Media types of single-platform manifests. */
const IMAGE_MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST];
/** Media types of indexes / manifest lists. */
const INDEX_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST];
/** The Accept header value for manifest requests: every type this client understands. */
const MANIFEST_ACCEPT = [
    OCI_INDEX,
    OCI_MANIFEST,
    DOCKER_MANIFEST_LIST,
    DOCKER_MANIFEST
].join(', ');

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/registry/manifest.ts
/**
 * Image manifests and indexes (OCI image-spec manifest.md / image-index.md, Docker schema 2): their
 * types, a validating parser and content digests.
 */



/** Manifest bytes that are not a supported, well-formed manifest. */
class InvalidManifestError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InvalidManifestError';
    }
}
/** The digest of some content: sha256 unless another supported algorithm is asked for. */
function digestOf(bytes, algorithm = 'sha256') {
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** Parses manifest bytes served with `contentType`; validates the shape and schemaVersion 2. */
function parseManifest(bytes, contentType) {
    const headerType = contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (headerType === DOCKER_SCHEMA1 || headerType === DOCKER_SCHEMA1_SIGNED)
        throw schema1();
    let body;
    try {
        body = JSON.parse(Buffer.from(bytes).toString('utf8'));
    }
    catch {
        throw new InvalidManifestError('manifest is not valid JSON');
    }
    if (!isObject(body))
        throw new InvalidManifestError('manifest is not a JSON object');
    if (body.schemaVersion === 1)
        throw schema1();
    if (body.schemaVersion !== 2) {
        throw invalid('schemaVersion', body.schemaVersion, 'must be 2');
    }
    const mediaType = mediaTypeOf(body, headerType);
    if (INDEX_TYPES.includes(mediaType)) {
        return { kind: 'index', mediaType, manifest: indexOf(body) };
    }
    return { kind: 'image', mediaType, manifest: imageOf(body, mediaType) };
}
function schema1() {
    return new InvalidManifestError('manifest is Docker schema 1, which is deprecated and not supported; push the image again with a current builder');
}
/** The media type: the body's, else the Content-Type's, else guessed from the fields present. */
function mediaTypeOf(body, headerType) {
    const known = [...IMAGE_MANIFEST_TYPES, ...INDEX_TYPES];
    const declared = body.mediaType;
    if (declared !== undefined) {
        if (typeof declared !== 'string')
            throw invalid('mediaType', declared, 'must be a string');
        if (!known.includes(declared))
            throw invalid('mediaType', declared, 'is not a manifest type');
        if (known.includes(headerType) && headerType !== declared) {
            throw new InvalidManifestError(`manifest mediaType '${declared}' disagrees with the Content-Type '${headerType}'`);
        }
        return declared;
    }
    if (known.includes(headerType))
        return headerType;
    if (Array.isArray(body.manifests))
        return OCI_INDEX;
    if (isObject(body.config))
        return OCI_MANIFEST;
    throw new InvalidManifestError('manifest has neither config and layers nor manifests');
}
function imageOf(body, mediaType) {
    if (!Array.isArray(body.layers))
        throw invalid('layers', body.layers, 'must be an array');
    return {
        schemaVersion: 2,
        ...(body.mediaType !== undefined && { mediaType }),
        ...optionalFields(body),
        config: descriptorOf(body.config, 'config'),
        layers: body.layers.map((layer, i) => descriptorOf(layer, `layers[${i}]`))
    };
}
function indexOf(body) {
    if (!Array.isArray(body.manifests)) {
        throw invalid('manifests', body.manifests, 'must be an array');
    }
    const manifests = body.manifests.map((entry, i) => descriptorOf(entry, `manifests[${i}]`));
    const mediaType = body.mediaType;
    return {
        schemaVersion: 2,
        ...(typeof mediaType === 'string' && { mediaType }),
        ...optionalFields(body),
        manifests
    };
}
function optionalFields(body) {
    return {
        ...(body.artifactType !== undefined && {
            artifactType: stringField(body.artifactType, 'artifactType')
        }),
        ...(body.subject !== undefined && { subject: descriptorOf(body.subject, 'subject') }),
        ...(body.annotations !== undefined && {
            annotations: stringMap(body.annotations, 'annotations')
        })
    };
}
function descriptorOf(value, where) {
    if (!isObject(value))
        throw invalid(where, value, 'must be a descriptor object');
    const size = value.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw invalid(`${where}.size`, size, 'must be a non-negative integer');
    }
    let digest;
    try {
        digest = (0,reference/* parseDigest */.m)(stringField(value.digest, `${where}.digest`));
    }
    catch (error) {
        if (error instanceof InvalidManifestError)
            throw error;
        throw invalid(`${where}.digest`, value.digest, 'is not a valid digest');
    }
    return {
        mediaType: stringField(value.mediaType, `${where}.mediaType`),
        digest,
        size,
        ...(value.urls !== undefined && { urls: stringList(value.urls, `${where}.urls`) }),
        ...(value.annotations !== undefined && {
            annotations: stringMap(value.annotations, `${where}.annotations`)
        }),
        ...(value.data !== undefined && { data: stringField(value.data, `${where}.data`) }),
        ...(value.artifactType !== undefined && {
            artifactType: stringField(value.artifactType, `${where}.artifactType`)
        }),
        ...(value.platform !== undefined && { platform: platformOf(value.platform, where) })
    };
}
function platformOf(value, where) {
    if (!isObject(value))
        throw invalid(`${where}.platform`, value, 'must be an object');
    const field = (name) => stringField(value[name], `${where}.platform.${name}`);
    const list = (name) => stringList(value[name], `${where}.platform.${name}`);
    return {
        architecture: field('architecture'),
        os: field('os'),
        ...(value['os.version'] !== undefined && { 'os.version': field('os.version') }),
        ...(value['os.features'] !== undefined && { 'os.features': list('os.features') }),
        ...(value.variant !== undefined && { variant: field('variant') }),
        ...(value.features !== undefined && { features: list('features') })
    };
}
function stringField(value, where) {
    if (typeof value !== 'string' || value === '') {
        throw invalid(where, value, 'must be a non-empty string');
    }
    return value;
}
function stringList(value, where) {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw invalid(where, value, 'must be a list of strings');
    }
    return value;
}
function stringMap(value, where) {
    if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        throw invalid(where, value, 'must map strings to strings');
    }
    return value;
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function invalid(where, value, problem) {
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    const short = shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
    return new InvalidManifestError(`manifest is not valid: ${where} (${short}) ${problem}`);
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/registry/errors.ts

/** A remote failure: names the server, the operation and, when there was one, the status. */
class RegistryError extends Error {
    server;
    operation;
    status;
    code;
    retryAfterMs;
    constructor(init) {
        super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
        this.name = 'RegistryError';
        this.server = init.server;
        this.operation = init.operation;
        this.status = init.status;
        this.code = init.code;
        this.retryAfterMs = init.retryAfterMs;
    }
}
/** The `code` and `message` of a distribution error body (`{"errors":[{code,message}]}`). */
function distributionError(body) {
    try {
        const parsed = JSON.parse(Buffer.from(body).toString('utf8'));
        const first = parsed.errors?.[0];
        if (typeof first !== 'object' || first === null)
            return {};
        const { code, message } = first;
        return {
            ...(typeof code === 'string' && { code }),
            ...(typeof message === 'string' && { message })
        };
    }
    catch {
        // Not JSON (an HTML error page from a proxy, an empty HEAD body): the status alone must do.
        return {};
    }
}
/** The error for an unexpected HTTP status, e.g. `registry h: GET manifest a:1 failed: 404 MANIFEST_UNKNOWN manifest unknown`. */
function statusError(server, operation, status, body, retryAfterMs) {
    const { code, message } = distributionError(body);
    const text = [String(status), code, message ?? (code ? undefined : external_node_http_.STATUS_CODES[status])]
        .filter(Boolean)
        .join(' ');
    return new RegistryError({
        server,
        operation,
        status,
        code,
        retryAfterMs,
        message: `registry ${server}: ${operation} failed: ${text}`
    });
}
/** The error for a connection that failed: `registry h unreachable during ping: connect ECONNREFUSED …`. */
function unreachableError(server, operation, cause) {
    const code = errorCode(cause);
    const reason = messageOf(cause);
    return new RegistryError({
        server,
        operation,
        code,
        cause,
        message: `registry ${server} unreachable during ${operation}: ${reason || code}`
    });
}
/** The errno-style code of a low-level error (`ECONNRESET`, `UND_ERR_SOCKET`), also from its cause. */
function errorCode(error) {
    for (let e = error, depth = 0; e && depth < 4; depth++) {
        const code = e.code;
        if (typeof code === 'string')
            return code;
        e = e.cause;
    }
    return undefined;
}
/** An error's message; duck-typed because errors from node internals may come from another realm. */
function messageOf(error) {
    const message = error?.message;
    return typeof message === 'string' ? message : String(error);
}

;// CONCATENATED MODULE: ./src/registry/challenge.ts
/**
 * A parser for `WWW-Authenticate` (RFC 9110 §11.6.1): one or more challenges, each a scheme followed
 * by a token68 or by comma-separated `name=value` parameters whose values may be quoted strings with
 * commas and backslash escapes. Hand-written: it is small, and no maintained package does only this.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/;
/** Parses every challenge of a `WWW-Authenticate` value; unparseable tails are dropped. */
function parseChallenges(header) {
    const challenges = [];
    let rest = header ?? '';
    for (;;) {
        rest = rest.replace(/^[\s,]+/, '');
        const scheme = TOKEN.exec(rest)?.[0];
        if (!scheme)
            return challenges;
        rest = rest.slice(scheme.length).replace(/^[ \t]+/, '');
        const params = {};
        let token68;
        const t68 = isParam(rest) ? undefined : TOKEN68.exec(rest)?.[0];
        if (t68) {
            token68 = t68;
            rest = rest.slice(t68.length);
        }
        while (isParam(rest)) {
            const name = TOKEN.exec(rest)[0];
            rest = rest.slice(name.length).replace(/^[ \t]*=[ \t]*/, '');
            const [value, after] = readValue(rest);
            params[name.toLowerCase()] = value;
            rest = after.replace(/^[ \t]*,?[ \t]*/, '');
        }
        challenges.push({ scheme: scheme.toLowerCase(), params, ...(token68 && { token68 }) });
    }
}
/** Whether the text starts with `name=` followed by a value (not a token68's trailing `=`). */
function isParam(text) {
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=(?!=)(?![ \t]*(?:,|$))/.test(text);
}
/** Reads a token or quoted-string; returns the value and the remaining text. */
function readValue(text) {
    if (!text.startsWith('"')) {
        const token = /^[^\s,]*/.exec(text)[0];
        return [token, text.slice(token.length)];
    }
    let value = '';
    for (let i = 1; i < text.length; i++) {
        const c = text[i];
        if (c === '\\' && i + 1 < text.length)
            value += text[++i];
        else if (c === '"')
            return [value, text.slice(i + 1)];
        else
            value += c;
    }
    return [value, ''];
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 11 modules
var core = __webpack_require__(3360);
;// CONCATENATED MODULE: ./src/registry/mask.ts

const masked = new Set();
/** Masks a secret in the runner's log once: a Basic header rebuilt per request is announced once. */
function mask(secret) {
    if (secret === '' || masked.has(secret))
        return;
    masked.add(secret);
    core/* setSecret */.Pq(secret);
}

;// CONCATENATED MODULE: ./src/registry/token.ts
/**
 * Bearer tokens from a registry's token server (https://distribution.github.io/distribution/spec/auth/token/
 * and .../auth/oauth/) and a cache of them keyed by registry and scope set: a cached token serves any
 * request whose scopes it covers, so one token asked for `pull,push` on two repositories (a cross-repo
 * mount) also serves a pull of either.
 */


/** `repository:library/busybox:pull,push`. */
function formatScope(scope) {
    return `${scope.type}:${scope.name}:${scope.actions.join(',')}`;
}
/** Tokens per registry; a token serves every request whose scopes its own cover. */
class TokenCache {
    now;
    byRegistry = new Map();
    constructor(now = Date.now) {
        this.now = now;
    }
    /** A live token covering all `scopes`, if one is cached. */
    get(registry, scopes) {
        const now = this.now();
        return this.byRegistry
            .get(registry)
            ?.find((entry) => entry.expiresAt > now && covers(entry.scopes, scopes))?.token;
    }
    /** Caches a token for the scopes it was asked for. */
    put(registry, scopes, token, expiresAt) {
        const live = (this.byRegistry.get(registry) ?? []).filter((e) => e.expiresAt > this.now());
        this.byRegistry.set(registry, [...live, { scopes, token, expiresAt }]);
    }
    /** Forgets every token that would serve `scopes` (it was refused). */
    drop(registry, scopes) {
        const kept = (this.byRegistry.get(registry) ?? []).filter((e) => !covers(e.scopes, scopes));
        this.byRegistry.set(registry, kept);
    }
}
function covers(held, wanted) {
    return wanted.every((w) => held.some((h) => h.type === w.type &&
        h.name === w.name &&
        (h.actions.includes('*') || w.actions.every((a) => h.actions.includes(a)))));
}
/** Why a token request failed in a way the caller words for the user (401 / 403). */
class TokenRefusedError extends Error {
    status;
    constructor(status) {
        super(`token request refused (${status})`);
        this.status = status;
        this.name = 'TokenRefusedError';
    }
}
/**
 * Asks the token server for a token: GET with Basic credentials (or none), or the OAuth2 POST with a
 * refresh token for identity tokens. Throws TokenRefusedError on 401/403, a RegistryError otherwise.
 */
async function fetchToken(transport, realm, scopes, credentials, now = Date.now) {
    const url = new URL(realm.realm);
    const operation = `token request for ${scopes.map(formatScope).join(' ') || 'registry access'}`;
    if (credentials && url.protocol === 'http:' && !transport.allowsPlainHttp(url.host)) {
        throw new RegistryError({
            server: url.host,
            operation,
            code: 'INSECURE_REALM',
            message: `registry token server ${url.host}: refusing to send credentials over plain HTTP to ${url.origin}; name it in 'insecure' if that is intended`
        });
    }
    let response;
    if (credentials && 'identityToken' in credentials) {
        const form = new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: credentials.identityToken,
            client_id: 'rollout-kit',
            ...(realm.service !== undefined && { service: realm.service }),
            scope: scopes.map(formatScope).join(' ')
        });
        response = await transport.sendUrl(operation, {
            method: 'POST',
            path: url.href,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString()
        });
    }
    else {
        if (realm.service !== undefined)
            url.searchParams.set('service', realm.service);
        for (const scope of scopes)
            url.searchParams.append('scope', formatScope(scope));
        const basic = credentials ? basicHeader(credentials) : undefined;
        response = await transport.sendUrl(operation, {
            method: 'GET',
            path: url.href,
            headers: basic ? { authorization: basic } : {}
        });
    }
    if (response.status === 401 || response.status === 403)
        throw new TokenRefusedError(response.status);
    return issuedToken(response, url.host, operation, now());
}
/** `Basic base64(user:password)`, masked before it can reach a log. */
function basicHeader(credentials) {
    const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    mask(encoded);
    return `Basic ${encoded}`;
}
function issuedToken(response, server, operation, now) {
    const fail = (what) => new RegistryError({
        server,
        operation,
        status: response.status,
        code: 'TOKEN_INVALID',
        message: `registry token server ${server}: ${operation} failed: ${what}`
    });
    if (response.status !== 200)
        throw fail(`${response.status} (expected 200)`);
    let body;
    try {
        body = JSON.parse(response.body.toString('utf8'));
    }
    catch {
        throw fail('the response is not JSON');
    }
    const token = typeof body.access_token === 'string' ? body.access_token : body.token;
    if (typeof token !== 'string' || token === '')
        throw fail('the response holds no token');
    mask(token);
    // The spec's default lifetime is 60 s; stop using a token 10 % early so it never expires in flight.
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresAt: now + seconds * 900 };
}

;// CONCATENATED MODULE: ./src/registry/transient.ts

/** Connection faults that a new connection may not meet again. */
const TRANSIENT_CODES = new Set([
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT'
]);
/** Whether an HTTP status is transient: 408, 429 and 5xx other than 501 and 505. */
function isTransientStatus(status) {
    if (status === 408 || status === 429)
        return true;
    return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
/**
 * Classifies a failed registry call. A refused connection is retried only when the server answered
 * earlier (`answeredBefore`): then it is restarting; on first contact it is a wrong address or port,
 * and failing at once says so sooner.
 */
function classifyFailure(error, answeredBefore) {
    if (error instanceof RegistryError && error.status !== undefined) {
        if (!isTransientStatus(error.status))
            return { retry: false };
        const reason = `${error.status}${error.code ? ` ${error.code}` : ''}`;
        return error.retryAfterMs === undefined
            ? { retry: true, reason }
            : { retry: true, reason, afterMs: error.retryAfterMs };
    }
    const code = errorCode(error);
    if (code === undefined)
        return { retry: false };
    if (TRANSIENT_CODES.has(code) || (code === 'ECONNREFUSED' && answeredBefore)) {
        return { retry: true, reason: code };
    }
    return { retry: false };
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/registry/credential-helper.ts
/**
 * The docker credential helper protocol (github.com/docker/docker-credential-helpers): run
 * `docker-credential-<name> get`, write the server URL to stdin, read `{"Username","Secret"}` from
 * stdout. A `<token>` username means the secret is an identity token.
 */



/** A helper that failed for a reason other than "no credentials stored". */
class CredentialHelperError extends Error {
    helper;
    constructor(helper, message) {
        super(`docker-credential-${helper} get: ${message}`);
        this.helper = helper;
        this.name = 'CredentialHelperError';
    }
}
/** Runs `docker-credential-<helper> get` for `serverUrl` with the given environment (PATH). */
function runCredentialHelper(helper, serverUrl, env) {
    const program = `docker-credential-${helper}`;
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.execFile)(program, ['get'], { env: env, timeout: 30_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
            if (error && error.code === 'ENOENT')
                return resolve('missing');
            // The protocol has one exit code for every failure; "credentials not found" is told apart
            // by its message (credentials/error.go, errCredentialsNotFoundMessage).
            if (error && /credentials not found/i.test(`${stdout}${stderr}`))
                return resolve('not-found');
            if (error) {
                const detail = (stderr || stdout).trim().split('\n')[0] || error.message;
                return reject(new CredentialHelperError(helper, detail));
            }
            try {
                resolve(parseHelperOutput(stdout));
            }
            catch (parseError) {
                reject(new CredentialHelperError(helper, messageOf(parseError)));
            }
        });
        child.stdin?.on('error', () => {
            // The helper may exit before reading stdin (e.g. not-found); its exit status tells the story.
        });
        child.stdin?.end(serverUrl);
    });
}
/** Parses a helper's `get` output; masks the secret at once. */
function parseHelperOutput(stdout) {
    let body;
    try {
        body = JSON.parse(stdout);
    }
    catch {
        throw new Error('output is not JSON');
    }
    const { Username: username, Secret: secret } = body;
    if (typeof secret !== 'string' || secret === '')
        return 'not-found';
    mask(secret);
    if (username === '<token>')
        return { identityToken: secret };
    if (typeof username !== 'string')
        throw new Error('output has no Username');
    return { username, password: secret };
}

;// CONCATENATED MODULE: ./src/registry/credentials.ts
/**
 * Where registry credentials come from, in order: those given to the client; the containers auth
 * file (`$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
 * `~/.config/containers/auth.json`, as buildah, podman and skopeo read it); Docker's config
 * (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`): `credHelpers`, `credsStore`, `auths`.
 *
 * GCR and Artifact Registry take an OAuth2 access token as the password of the user
 * `oauth2accesstoken`: `gcpAccessToken(token)` builds that from the output of
 * `gcloud auth print-access-token` or the `access_token` output of google-github-actions/auth
 * (with `token_format: access_token`).
 *
 * Every secret is passed to `core.setSecret` as soon as it is read.
 */








const DOCKER_HUB_KEYS = new Set([reference/* DOCKER_HUB */.Xb, 'index.docker.io', 'registry-1.docker.io']);
/** The server URL Docker stores and passes to helpers for Docker Hub. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
/** Finds credentials for a registry (`host[:port]`, `docker.io` for Docker Hub), or undefined. */
async function resolveCredentials(registry, options = {}) {
    const explicit = await fromSource(registry, options.explicit);
    if (explicit)
        return credentials_masked(explicit);
    if (options.files === false)
        return undefined;
    const env = options.env ?? process.env;
    const home = options.homeDir ?? (0,external_node_os_.homedir)();
    for (const file of configFiles(env, home)) {
        const found = await fromConfigFile(file, registry, env);
        if (found)
            return found;
    }
    return undefined;
}
/** `{username: 'oauth2accesstoken', password: token}` for GCR / Artifact Registry. */
function gcpAccessToken(token) {
    mask(token);
    return { username: 'oauth2accesstoken', password: token };
}
/** The registry a config-file key names (`https://index.docker.io/v1/` → `docker.io`); undefined
 * for keys scoped to a namespace (`quay.io/org`), which this lookup by registry does not use. */
function registryOfKey(key) {
    const trimmed = key.trim().toLowerCase();
    let host = trimmed;
    if (/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed)) {
        host = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split('/')[0];
    }
    else if (trimmed.replace(/\/+$/, '').includes('/')) {
        return undefined;
    }
    else {
        host = trimmed.replace(/\/+$/, '');
    }
    return DOCKER_HUB_KEYS.has(host) ? reference/* DOCKER_HUB */.Xb : host;
}
/** The entry of `map` for `registry`: an exact key first, then any key naming the same registry. */
function findEntry(map, registry) {
    if (!map)
        return undefined;
    if (Object.hasOwn(map, registry))
        return map[registry];
    const wanted = registryOfKey(registry);
    const key = Object.keys(map).find((k) => registryOfKey(k) === wanted);
    return key === undefined ? undefined : map[key];
}
function configFiles(env, home) {
    return [
        env.REGISTRY_AUTH_FILE,
        env.XDG_RUNTIME_DIR && (0,external_node_path_.join)(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'),
        (0,external_node_path_.join)(home, '.config', 'containers', 'auth.json'),
        (0,external_node_path_.join)(env.DOCKER_CONFIG || (0,external_node_path_.join)(home, '.docker'), 'config.json')
    ].filter((file) => Boolean(file));
}
async function fromSource(registry, source) {
    if (source === undefined)
        return undefined;
    if (typeof source === 'function')
        return source(registry);
    return findEntry(source, registry);
}
async function fromConfigFile(file, registry, env) {
    let config;
    try {
        config = JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new Error(`cannot read registry credentials from ${file}: ${messageOf(error)}`);
    }
    const serverUrl = registryOfKey(registry) === reference/* DOCKER_HUB */.Xb ? DOCKER_HUB_SERVER : registry;
    const helpers = [findEntry(config.credHelpers, registry), config.credsStore];
    for (const helper of helpers.filter((h) => Boolean(h))) {
        const result = await runCredentialHelper(helper, serverUrl, env);
        if (typeof result === 'object')
            return result;
        if (result === 'missing') {
            core/* debug */.Yz(`${file} names docker-credential-${helper}, which is not on PATH`);
        }
    }
    const entry = findEntry(config.auths, registry);
    return entry ? fromAuthEntry(entry, file, registry) : undefined;
}
function fromAuthEntry(entry, file, registry) {
    if (entry.identitytoken) {
        mask(entry.identitytoken);
        return { identityToken: entry.identitytoken };
    }
    if (entry.auth) {
        mask(entry.auth);
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new Error(`the auth entry for ${registry} in ${file} is not base64 of 'username:password'`);
        }
        return credentials_masked({ username: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
    }
    if (entry.username && entry.password) {
        return credentials_masked({ username: entry.username, password: entry.password });
    }
    return undefined;
}
function credentials_masked(credentials) {
    const secret = 'password' in credentials ? credentials.password : credentials.identityToken;
    if (secret)
        mask(secret);
    return credentials;
}

;// CONCATENATED MODULE: ./src/registry/auth.ts
/**
 * Authentication against a registry: the challenge learnt from `GET /v2/` (none, Basic or Bearer),
 * credentials looked up once per registry, bearer tokens fetched and cached per scope set, and the
 * wording of refusals: UNAUTHORIZED (credentials rejected or missing) versus DENIED (authenticated but
 * not allowed). https://distribution.github.io/distribution/spec/auth/token/
 */



/** Learns challenges, finds credentials, fetches and caches tokens for one client. */
class Authenticator {
    transport;
    lookup;
    now;
    challenges = new Map();
    credentials = new Map();
    tokens;
    constructor(transport, lookup, now = Date.now) {
        this.transport = transport;
        this.lookup = lookup;
        this.now = now;
        this.tokens = new TokenCache(now);
    }
    /** `GET /v2/` once per registry: settles the scheme and returns the challenge (none when open). */
    ping(registry) {
        let known = this.challenges.get(registry);
        if (!known) {
            known = this.pingOnce(registry);
            this.challenges.set(registry, known);
            // A failed ping is not remembered: the next call asks again.
            known.catch(() => this.challenges.delete(registry));
        }
        return known;
    }
    /** Remembers the challenge of a 401 that arrived after the ping (the registry changed its mind). */
    learn(registry, response) {
        const challenge = pickChallenge(response.headers['www-authenticate']);
        if (challenge)
            this.challenges.set(registry, Promise.resolve(challenge));
    }
    /** The Authorization header for a request; `refresh` drops cached tokens first. */
    async authorize(access, refresh = false) {
        const challenge = await this.ping(access.registry);
        if (!challenge)
            return { fresh: false };
        const credentials = await this.credentialsFor(access.registry);
        if (challenge.scheme === 'basic') {
            const basic = credentials && 'username' in credentials ? credentials : undefined;
            return { header: basic && basicHeader(basic), fresh: true };
        }
        if (challenge.scheme !== 'bearer')
            return { fresh: true };
        const realm = challenge.params.realm;
        if (!realm) {
            throw new RegistryError({
                server: access.registry,
                operation: access.operation,
                code: 'UNSUPPORTED',
                message: `registry ${access.registry}: ${access.operation} failed: Bearer challenge without a realm`
            });
        }
        const scopes = scopesOf(access);
        if (refresh)
            this.tokens.drop(access.registry, scopes);
        const cached = this.tokens.get(access.registry, scopes);
        if (cached)
            return { header: `Bearer ${cached}`, fresh: false };
        const service = challenge.params.service;
        try {
            const issued = await fetchToken(this.transport, { realm, ...(service !== undefined && { service }) }, scopes, credentials, this.now);
            this.tokens.put(access.registry, scopes, issued.token, issued.expiresAt);
            return { header: `Bearer ${issued.token}`, fresh: true };
        }
        catch (error) {
            if (error instanceof TokenRefusedError) {
                throw this.refusal(access, error.status === 403, error.status, credentials);
            }
            throw error;
        }
    }
    /** The error for a 401 or 403 that survived a fresh authorization. */
    async failure(access, response) {
        const credentials = await this.credentialsFor(access.registry);
        const error = pickChallenge(response.headers['www-authenticate'])?.params.error;
        const denied = response.status === 403 || error === 'insufficient_scope';
        return this.refusal(access, denied, response.status, credentials);
    }
    /** UNAUTHORIZED when credentials are missing or rejected, DENIED when they lack the access. */
    refusal(access, denied, status, credentials) {
        const { registry, operation } = access;
        const action = access.actions.includes('push') ? 'push' : 'pull';
        const target = access.repository ? `${action} ${access.repository}` : 'access it';
        if (!credentials) {
            return new RegistryError({
                server: registry,
                operation,
                status,
                code: 'UNAUTHORIZED',
                message: `registry ${registry} requires credentials to ${target} (${status}) and none were found for ${registry}`
            });
        }
        if (!denied) {
            return new RegistryError({
                server: registry,
                operation,
                status,
                code: 'UNAUTHORIZED',
                message: `credentials for ${registry} were rejected (401) during ${operation}`
            });
        }
        const who = 'username' in credentials
            ? `authenticated as ${credentials.username}`
            : 'authenticated with an identity token';
        return new RegistryError({
            server: registry,
            operation,
            status,
            code: 'DENIED',
            message: `registry ${registry}: ${who} but not allowed to ${target} (403)`
        });
    }
    credentialsFor(registry) {
        let found = this.credentials.get(registry);
        if (!found) {
            found = this.lookup(registry);
            this.credentials.set(registry, found);
        }
        return found;
    }
    async pingOnce(registry) {
        const response = await this.transport.send(registry, 'ping', { method: 'GET', path: '/v2/' });
        if (response.status >= 200 && response.status < 300)
            return undefined;
        if (response.status === 401) {
            return pickChallenge(response.headers['www-authenticate']) ?? { scheme: 'basic', params: {} };
        }
        throw statusError(registry, 'ping', response.status, response.body);
    }
}
/** Bearer when offered (it carries scopes), else Basic, else the first challenge. */
function pickChallenge(header) {
    const all = parseChallenges(header);
    return all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic') ?? all[0];
}
function scopesOf(access) {
    const own = access.repository
        ? [{ type: 'repository', name: access.repository, actions: access.actions }]
        : [];
    return [...own, ...(access.extraScopes ?? [])];
}

// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./src/retry/index.ts
/**
 * Bounded exponential backoff with jitter, honouring a server's Retry-After.
 * Hand-written because the maintained retry libraries (p-retry, async-retry) cannot take a per-error
 * delay from the server, and the classification of what is transient belongs to each caller.
 */
/** The default policy for remote calls: 5 attempts, 0.5 s doubling to at most 30 s. */
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Runs `attempt` until it succeeds, `classify` says fail, or the attempts are spent. */
async function withRetry(policy, attempt, classify, onRetry) {
    const sleep = policy.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const random = policy.random ?? Math.random;
    for (let n = 1;; n++) {
        try {
            return await attempt(n);
        }
        catch (error) {
            const verdict = classify(error);
            if (!verdict.retry || n >= policy.attempts)
                throw error;
            const delay = backoffDelay(policy, n, random(), verdict.afterMs);
            onRetry?.(verdict.reason, delay, n);
            await sleep(delay);
        }
    }
}
/** The delay before retry `n` (1-based): the server's wish when given, equal jitter otherwise. */
function backoffDelay(policy, n, random, afterMs) {
    if (afterMs !== undefined)
        return Math.min(Math.max(afterMs, 0), policy.maxDelayMs);
    const ceiling = Math.min(policy.baseDelayMs * 2 ** (n - 1), policy.maxDelayMs);
    return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

;// CONCATENATED MODULE: ./src/registry/http.ts
/**
 * The transport under the registry client: keep-alive agents of node:http/https per client
 * (optional extra CA), the choice of scheme per registry, and retries of transient failures via
 * src/retry. Node's own HTTP client rather than the undici package: the registry API needs nothing
 * more, and leaving undici out takes 1.6 MB and ~50 ms of start-up off every action bundle.
 *
 * Scheme: HTTPS, except registries named in `insecure` (plain HTTP), and loopback registries, which
 * are tried over HTTPS first and spoken to over plain HTTP when they do not offer TLS, as Docker
 * does (https://docs.docker.com/reference/cli/dockerd/#insecure-registries). The choice is kept per
 * registry for the life of the client.
 */








/** Sends requests to registries with scheme selection and retries. */
class Transport {
    agents;
    retry;
    userAgent;
    insecure;
    schemes = new Map();
    answered = new Set();
    constructor(options = {}) {
        this.agents = {
            http: new external_node_http_.Agent({ keepAlive: true }),
            https: new external_node_https_.Agent({
                keepAlive: true,
                ...(options.ca !== undefined && { ca: [...external_node_tls_.rootCertificates, options.ca] })
            })
        };
        this.retry = options.retry ?? DEFAULT_RETRY;
        this.userAgent = options.userAgent ?? 'rollout-kit';
        this.insecure = options.insecure ?? [];
    }
    /** Sends a request to a registry's API, retrying transient failures. */
    send(registry, operation, req) {
        return withRetry(this.retry, () => this.attempt(registry, operation, req), (error) => classifyFailure(error, this.answered.has(registry)), (reason, delay, n) => this.logRetry(registry, operation, reason, delay, n));
    }
    /** Sends a request to an absolute URL (a token realm, a redirect), retrying transient failures. */
    sendUrl(operation, req) {
        const url = new URL(req.path);
        return withRetry(this.retry, () => this.exchange(url, url.host, operation, req), (error) => classifyFailure(error, this.answered.has(url.host)), (reason, delay, n) => this.logRetry(url.host, operation, reason, delay, n));
    }
    /** The base URL (`https://host`) last used for a registry; HTTPS until a request decides. */
    baseUrl(registry) {
        return `${this.schemes.get(registry) ?? this.defaultScheme(registry)}://${(0,reference/* registryApiHost */.Mb)(registry)}`;
    }
    /** Whether plain HTTP to a host is acceptable: a loopback host or one named insecure. */
    allowsPlainHttp(host) {
        return (0,reference/* isLoopbackRegistry */.jW)(host) || this.defaultScheme(host) === 'http';
    }
    /** Closes the kept-alive connections. */
    async close() {
        this.agents.http.destroy();
        this.agents.https.destroy();
    }
    async attempt(registry, operation, req) {
        const host = (0,reference/* registryApiHost */.Mb)(registry);
        const known = this.schemes.get(registry);
        const scheme = known ?? this.defaultScheme(registry);
        const url = (s) => new URL(`${s}://${host}${req.path}`);
        if (known !== undefined || scheme === 'http' || !(0,reference/* isLoopbackRegistry */.jW)(registry)) {
            const response = await this.exchange(url(scheme), registry, operation, req);
            this.schemes.set(registry, scheme);
            return response;
        }
        try {
            const response = await this.exchange(url('https'), registry, operation, req);
            this.schemes.set(registry, 'https');
            return response;
        }
        catch (error) {
            if (!tlsNotOffered(error))
                throw error;
            core/* debug */.Yz(`registry ${registry} does not offer TLS on loopback; using plain HTTP`);
            const response = await this.exchange(url('http'), registry, operation, req);
            this.schemes.set(registry, 'http');
            return response;
        }
    }
    /** One HTTP exchange; throws a RegistryError when unreachable or the status is transient. */
    async exchange(url, server, operation, req) {
        let response;
        try {
            const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
            const headers = { 'user-agent': this.userAgent, ...req.headers };
            response = await roundTrip(url, agent, { method: req.method, headers, body: req.body });
        }
        catch (error) {
            throw unreachableError(server, operation, error);
        }
        this.answered.add(server);
        if (isTransientStatus(response.status)) {
            const after = parseRetryAfter(response.headers['retry-after']);
            throw statusError(server, operation, response.status, response.body, after);
        }
        return response;
    }
    defaultScheme(registry) {
        const hostOnly = registry.replace(/:\d+$/, '');
        return this.insecure.includes(registry) || this.insecure.includes(hostOnly) ? 'http' : 'https';
    }
    logRetry(server, operation, reason, delay, n) {
        const seconds = (delay / 1000).toFixed(1);
        core/* info */.pq(`registry ${server}: ${operation} failed (${reason}); retrying in ${seconds}s (attempt ${n + 1} of ${this.retry.attempts})`);
    }
}
/** Whether a failed HTTPS attempt means the server speaks plain HTTP on that port. */
function tlsNotOffered(error) {
    const cause = error instanceof RegistryError ? error.cause : error;
    const code = errorCode(cause) ?? '';
    const message = messageOf(cause);
    return (['EPROTO', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(code) ||
        code.startsWith('ERR_SSL_') ||
        /wrong version number|packet length too long/i.test(message));
}
const IDLE_TIMEOUT_MS = 300_000;
/** One request and its whole response; socket errors (also mid-body) reject with their code. */
function roundTrip(url, agent, req) {
    const send = url.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
    return new Promise((resolve, reject) => {
        const outgoing = send(url, { agent, method: req.method, headers: req.headers }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('error', reject);
            res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
            res.on('end', () => {
                if (!res.complete) {
                    reject(Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }));
                    return;
                }
                resolve({
                    status: res.statusCode ?? 0,
                    headers: flatten(res.headers),
                    body: Buffer.concat(chunks)
                });
            });
        });
        outgoing.on('error', reject);
        outgoing.setTimeout(IDLE_TIMEOUT_MS, () => outgoing.destroy(Object.assign(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })));
        outgoing.end(req.body);
    });
}
function flatten(headers) {
    const flat = {};
    for (const [name, value] of Object.entries(headers)) {
        flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}

;// CONCATENATED MODULE: ./src/registry/client.ts
/**
 * The OCI distribution client (https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
 * Every call goes through `send`: authorization (challenge, credentials, cached bearer token), the
 * transport's scheme choice and retries, one token refresh on 401, and refusals worded for people.
 * Later operations (manifest and blob upload, cross-repository mount, copy) are built on `send` too.
 */








/** Reads from and checks access to OCI registries. */
class RegistryClient {
    transport;
    auth;
    constructor(options = {}) {
        this.transport = new Transport(options);
        const lookup = options.credentialLookup;
        const where = lookup === false ? { files: false } : lookup;
        this.auth = new Authenticator(this.transport, (registry) => resolveCredentials(registry, { explicit: options.credentials, ...where }));
    }
    /** `GET /v2/`: settles HTTPS or HTTP and learns the authentication challenge. */
    async ping(registry) {
        const challenge = await this.auth.ping(registry);
        return { url: this.transport.baseUrl(registry), auth: challenge?.scheme ?? 'none' };
    }
    /** The digest, media type and size of a manifest (HEAD; GET when HEAD gives no digest). */
    async headManifest(ref) {
        const access = this.access(ref, ['pull'], `HEAD manifest ${selector(ref)}`);
        const response = await this.send(access, {
            method: 'HEAD',
            path: `/v2/${ref.repository}/manifests/${client_reference(ref)}`,
            headers: { accept: MANIFEST_ACCEPT }
        });
        if (response.status !== 200)
            throw this.unexpected(access, response);
        const header = response.headers['docker-content-digest'];
        const mediaType = contentType(response);
        const size = Number(response.headers['content-length']);
        if (!header || !mediaType || !Number.isSafeInteger(size)) {
            const { digest, mediaType: type, size: length } = await this.getManifest(ref);
            return { digest, mediaType: type, size: length };
        }
        const digest = this.headerDigest(access, header);
        if (ref.digest !== undefined && digest !== ref.digest) {
            throw mismatch(access, `reports digest ${digest} for ${ref.digest}`);
        }
        return { digest, mediaType, size };
    }
    /** Fetches a manifest and verifies its bytes against the digest asked for or reported. */
    async getManifest(ref) {
        const access = this.access(ref, ['pull'], `GET manifest ${selector(ref)}`);
        const response = await this.send(access, {
            method: 'GET',
            path: `/v2/${ref.repository}/manifests/${client_reference(ref)}`,
            headers: { accept: MANIFEST_ACCEPT }
        });
        if (response.status !== 200)
            throw this.unexpected(access, response);
        const bytes = response.body;
        const header = response.headers['docker-content-digest'];
        const reported = header ? this.headerDigest(access, header) : undefined;
        const expected = ref.digest ?? reported;
        const digest = expected ? digestOf(bytes, expected.split(':')[0]) : digestOf(bytes);
        if (ref.digest !== undefined && digest !== ref.digest) {
            throw mismatch(access, `returned content with digest ${digest}, expected ${ref.digest}`);
        }
        if (reported !== undefined && digest !== reported) {
            throw mismatch(access, `reports digest ${reported} but the content's digest is ${digest}`);
        }
        let parsed;
        try {
            parsed = parseManifest(bytes, contentType(response));
        }
        catch (error) {
            if (!(error instanceof InvalidManifestError))
                throw error;
            throw new RegistryError({
                server: ref.registry,
                operation: access.operation,
                code: 'MANIFEST_INVALID',
                message: `registry ${ref.registry}: ${access.operation} returned an unusable manifest: ${error.message}`
            });
        }
        return { ...parsed, digest, size: bytes.length, bytes };
    }
    /** The digest a reference points to now (the registry confirms a written digest exists). */
    async resolveDigest(ref) {
        return (await this.headManifest(ref)).digest;
    }
    /** Whether the repository holds a blob: HEAD, 404 is false. */
    async blobExists(ref, digest) {
        const blob = (0,reference/* parseDigest */.m)(digest);
        const access = this.access(ref, ['pull'], `HEAD blob ${ref.repository}@${blob}`);
        const response = await this.send(access, {
            method: 'HEAD',
            path: `/v2/${ref.repository}/blobs/${blob}`
        });
        if (response.status === 404)
            return false;
        // A redirect points at the blob's storage: it exists.
        if (response.status === 200 || (response.status >= 300 && response.status < 400))
            return true;
        throw this.unexpected(access, response);
    }
    /**
     * Checks that the credentials may push to the repository: starts a blob upload, then cancels it,
     * leaving nothing behind. Throws UNAUTHORIZED / DENIED RegistryErrors; returns when allowed.
     */
    async checkPushAccess(ref) {
        const access = this.access(ref, ['pull', 'push'], `POST blob upload ${ref.repository}`);
        const response = await this.send(access, {
            method: 'POST',
            path: `/v2/${ref.repository}/blobs/uploads/`,
            headers: { 'content-length': '0' }
        });
        if (response.status !== 202)
            throw this.unexpected(access, response);
        const location = response.headers.location;
        if (location)
            await this.cancelUpload(access, location);
    }
    /** Closes kept-alive connections. */
    close() {
        return this.transport.close();
    }
    /** One authorized request with retries; one token refresh on 401; 401/403 become refusals. */
    async send(access, req) {
        let auth = await this.auth.authorize(access);
        let response = await this.transport.send(access.registry, access.operation, authorized(req, auth.header));
        if (response.status === 401 && !auth.fresh) {
            this.auth.learn(access.registry, response);
            auth = await this.auth.authorize(access, true);
            response = await this.transport.send(access.registry, access.operation, authorized(req, auth.header));
        }
        if (response.status === 401 || response.status === 403) {
            throw await this.auth.failure(access, response);
        }
        return response;
    }
    async cancelUpload(access, location) {
        const base = new URL(this.transport.baseUrl(access.registry));
        const url = new URL(location, base);
        if (url.origin !== base.origin) {
            core/* debug */.Yz(`upload session at ${url.origin} left to expire: not the registry's own host`);
            return;
        }
        const operation = `DELETE blob upload ${access.repository}`;
        try {
            // distribution wants the `delete` action for any DELETE, an upload's too (appendAccessRecords
            // in https://github.com/distribution/distribution/blob/v2.8.2/registry/handlers/app.go)
            const response = await this.send({ ...access, actions: [...access.actions, 'delete'], operation }, { method: 'DELETE', path: `${url.pathname}${url.search}` });
            if (response.status >= 300) {
                core/* debug */.Yz(`${operation} answered ${response.status}; the session expires on its own`);
            }
        }
        catch (error) {
            // Cancelling is tidiness: registries expire unfinished uploads, and push access is proven.
            core/* debug */.Yz(`${operation} failed (${messageOf(error)}); the session expires on its own`);
        }
    }
    access(ref, actions, operation) {
        return { registry: ref.registry, repository: ref.repository, actions, operation };
    }
    headerDigest(access, header) {
        try {
            return (0,reference/* parseDigest */.m)(header.trim());
        }
        catch {
            throw mismatch(access, `sent an invalid Docker-Content-Digest '${header}'`);
        }
    }
    unexpected(access, response) {
        return statusError(access.registry, access.operation, response.status, response.body);
    }
}
function authorized(req, header) {
    return header ? { ...req, headers: { ...req.headers, authorization: header } } : req;
}
/** The manifest reference in the URL: the digest wins over the tag; `latest` when neither. */
function client_reference(ref) {
    return ref.digest ?? ref.tag ?? 'latest';
}
/** `repo:tag` or `repo@digest`, for messages. */
function selector(ref) {
    return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`;
}
function contentType(response) {
    return response.headers['content-type']?.split(';')[0].trim() ?? '';
}
function mismatch(access, what) {
    return new RegistryError({
        server: access.registry,
        operation: access.operation,
        code: 'DIGEST_INVALID',
        message: `registry ${access.registry}: ${access.operation} ${what}`
    });
}

;// CONCATENATED MODULE: ./src/registry/index.ts
/** The OCI distribution client: references, credentials, authentication, manifests. */
/** A reference, or a part of one, that does not follow the grammar; names the part and value. */

/** Parses `[registry/]repository[:tag][@digest]`, normalising Docker Hub names. */

/** `registry/repository[:tag][@digest]`, fully qualified. */

/** `registry/repository`, without tag or digest. */

/** `registry/repository@digest`: the reference that names exactly one image. */

/** Whether a registry host is loopback (localhost, 127.0.0.0/8, [::1]), with or without port. */

/** Validates `algorithm:hex` (sha256 with 64, sha512 with 128 lowercase hex digits). */

/** The host serving a registry's API: `registry-1.docker.io` for `docker.io`. */

/** Media type constants of OCI and Docker schema 2 manifests, indexes, configs and layers. */

/** Parses manifest bytes by Content-Type, validating shape and schemaVersion 2. */

/** Manifest bytes that are not a supported, well-formed manifest. */

/** The digest of some content (sha256 by default). */

/** A remote failure naming server, operation, status and distribution error code. */

/** Parses every challenge of a `WWW-Authenticate` header. */

/** What a bearer token grants, and its `repository:<name>:<actions>` form. */

/** Whether a failed registry call is worth another attempt. */

/** Finds credentials: explicit, containers auth.json, docker config (helpers, auths). */

/** GCR / Artifact Registry credentials from an OAuth2 access token. */

/** A docker-credential helper failed for a reason other than "not found". */

/** The registry client and its options and results. */



/***/ })

};

//# sourceMappingURL=748.index.js.map