export const id = 550;
export const ids = [550];
export const modules = {

/***/ 8770:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sy: () => (/* binding */ writeSummary),
/* harmony export */   aY: () => (/* binding */ code),
/* harmony export */   ee: () => (/* binding */ bytes)
/* harmony export */ });
/* unused harmony exports escapeHtml, preformatted */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9044);

/** Writes a job summary section: a heading, a two-column table, and optional notes below. */
async function writeSummary(heading, rows, notes = []) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(heading, 3).addTable([
        [
            { data: 'what', header: true },
            { data: 'value', header: true }
        ],
        ...rows.map(([label, value]) => [label, value])
    ]);
    for (const note of notes)
        summary.addRaw(`\n${note}\n`, true);
    await summary.write();
}
/** Escapes the characters HTML gives meaning to in a summary's text. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** Code-formats a value for a summary cell, escaping HTML. */
function code(value) {
    return `<code>${escapeHtml(value)}</code>`;
}
/** A block of text kept as it is (command output, a multi-line error), escaping HTML. */
function preformatted(text) {
    return `<pre>${escapeHtml(text)}</pre>`;
}
/** A byte count for people: 1.2 MB, 340 kB. */
function bytes(n) {
    if (n < 1000)
        return `${n} B`;
    const units = ['kB', 'MB', 'GB', 'TB'];
    let value = n;
    let unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
        value /= 1000;
        unit++;
    }
    return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}


/***/ }),

/***/ 6764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $C: () => (/* binding */ statusError),
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   DE: () => (/* binding */ onSide),
/* harmony export */   DZ: () => (/* binding */ unreachableError),
/* harmony export */   gl: () => (/* binding */ RegistryError)
/* harmony export */ });
/* unused harmony export distributionError */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8055);


/** A remote failure: names the server, the operation and, when there was one, the status. */
class RegistryError extends Error {
    server;
    operation;
    status;
    code;
    retryAfterMs;
    side;
    constructor(init) {
        super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
        this.name = 'RegistryError';
        this.server = init.server;
        this.operation = init.operation;
        this.status = init.status;
        this.code = init.code;
        this.retryAfterMs = init.retryAfterMs;
        this.side = init.side;
    }
}
/**
 * `error` naming the side of a copy, as `destination registry h: …`; status, code and Retry-After are
 * kept. Errors that name a side already, and errors that are not RegistryErrors, are returned as is.
 */
function onSide(error, side, registry) {
    if (!(error instanceof RegistryError) || error.side !== undefined)
        return error;
    const own = `registry ${registry}`;
    const message = error.message.startsWith(own)
        ? `${side} ${error.message}`
        : `${side} ${own}: ${error.message}`;
    return new RegistryError({
        server: error.server,
        operation: error.operation,
        status: error.status,
        code: error.code,
        retryAfterMs: error.retryAfterMs,
        side,
        message,
        cause: error
    });
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
    const text = [String(status), code, message ?? (code ? undefined : node_http__WEBPACK_IMPORTED_MODULE_0__.STATUS_CODES[status])]
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
    const reason = (0,_action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .messageOf */ .b)(cause);
    // The idle timeout of http-exchange: the server is there, it just says nothing.
    const silent = code === 'ETIMEDOUT' && reason.startsWith('no data for');
    return new RegistryError({
        server,
        operation,
        code,
        cause,
        message: silent
            ? `registry ${server}: ${operation} got ${reason}`
            : `registry ${server} unreachable during ${operation}: ${reason || code}`
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


/***/ }),

/***/ 3550:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CredentialHelperError: () => (/* reexport */ CredentialHelperError),
  DOCKER_CONFIG: () => (/* reexport */ media_types/* DOCKER_CONFIG */.e6),
  DOCKER_FOREIGN_LAYER: () => (/* reexport */ media_types/* DOCKER_FOREIGN_LAYER */.Wk),
  DOCKER_LAYER: () => (/* reexport */ media_types/* DOCKER_LAYER */.n2),
  DOCKER_MANIFEST: () => (/* reexport */ media_types/* DOCKER_MANIFEST */.Vv),
  DOCKER_MANIFEST_LIST: () => (/* reexport */ media_types/* DOCKER_MANIFEST_LIST */.m6),
  DOCKER_SCHEMA1: () => (/* reexport */ media_types/* DOCKER_SCHEMA1 */.kj),
  DOCKER_SCHEMA1_SIGNED: () => (/* reexport */ media_types/* DOCKER_SCHEMA1_SIGNED */.n$),
  IMAGE_MANIFEST_TYPES: () => (/* reexport */ media_types/* IMAGE_MANIFEST_TYPES */.ML),
  INDEX_TYPES: () => (/* reexport */ media_types/* INDEX_TYPES */.V),
  InvalidCopyError: () => (/* reexport */ InvalidCopyError),
  InvalidManifestError: () => (/* reexport */ registry_manifest/* InvalidManifestError */.t4),
  InvalidReferenceError: () => (/* reexport */ reference/* InvalidReferenceError */.x_),
  MANIFEST_ACCEPT: () => (/* reexport */ media_types/* MANIFEST_ACCEPT */.dY),
  NoTagSelectedError: () => (/* reexport */ NoTagSelectedError),
  OCI_CONFIG: () => (/* reexport */ media_types/* OCI_CONFIG */.TF),
  OCI_EMPTY: () => (/* reexport */ media_types/* OCI_EMPTY */.g1),
  OCI_INDEX: () => (/* reexport */ media_types/* OCI_INDEX */.$p),
  OCI_LAYER: () => (/* reexport */ media_types/* OCI_LAYER */.QP),
  OCI_LAYER_GZIP: () => (/* reexport */ media_types/* OCI_LAYER_GZIP */.BQ),
  OCI_LAYER_ZSTD: () => (/* reexport */ media_types/* OCI_LAYER_ZSTD */.aH),
  OCI_MANIFEST: () => (/* reexport */ media_types/* OCI_MANIFEST */.EG),
  RegistryClient: () => (/* reexport */ RegistryClient),
  RegistryError: () => (/* reexport */ errors/* RegistryError */.gl),
  TagWriteError: () => (/* reexport */ TagWriteError),
  addReferrer: () => (/* reexport */ addReferrer),
  buildTimes: () => (/* reexport */ buildTimes),
  classifyFailure: () => (/* reexport */ classifyFailure),
  copyImage: () => (/* reexport */ copyImage),
  digestOf: () => (/* reexport */ registry_manifest/* digestOf */.ol),
  formatReference: () => (/* reexport */ reference/* formatReference */.FH),
  formatScope: () => (/* reexport */ formatScope),
  formatTagPolicy: () => (/* reexport */ formatTagPolicy),
  gcpAccessToken: () => (/* reexport */ gcpAccessToken),
  isLoopbackRegistry: () => (/* reexport */ reference/* isLoopbackRegistry */.jW),
  isTransientStatus: () => (/* reexport */ isTransientStatus),
  onSide: () => (/* reexport */ errors/* onSide */.DE),
  parseChallenges: () => (/* reexport */ parseChallenges),
  parseCreated: () => (/* reexport */ parseCreated),
  parseDigest: () => (/* reexport */ reference/* parseDigest */.m),
  parseManifest: () => (/* reexport */ registry_manifest/* parseManifest */.Ng),
  parseReference: () => (/* reexport */ reference/* parseReference */.F2),
  parseTagFilter: () => (/* reexport */ parseTagFilter),
  parseTagPolicy: () => (/* reexport */ parseTagPolicy),
  pickTag: () => (/* reexport */ pickTag),
  pinnedReference: () => (/* reexport */ reference/* pinnedReference */.ct),
  planCopy: () => (/* reexport */ planCopy),
  platformsOf: () => (/* reexport */ platformsOf),
  referrerDescriptor: () => (/* reexport */ referrerDescriptor),
  referrersTag: () => (/* reexport */ referrersTag),
  registryApiHost: () => (/* reexport */ reference/* registryApiHost */.Mb),
  registryClient: () => (/* reexport */ registryClient),
  repositoryName: () => (/* reexport */ reference/* repositoryName */.aR),
  resolveCredentials: () => (/* reexport */ resolveCredentials),
  selectTag: () => (/* reexport */ selectTag)
});

// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
// EXTERNAL MODULE: ./src/registry/media-types.ts
var media_types = __webpack_require__(9867);
// EXTERNAL MODULE: ./src/registry/manifest.ts
var registry_manifest = __webpack_require__(506);
// EXTERNAL MODULE: ./src/registry/errors.ts
var errors = __webpack_require__(6764);
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

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(9044);
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
async function fetchToken(transport, realm, scopes, credentials, now = Date.now, signal) {
    const url = new URL(realm.realm);
    const operation = `token request for ${scopes.map(formatScope).join(' ') || 'registry access'}`;
    if (credentials && url.protocol === 'http:' && !transport.allowsPlainHttp(url.host)) {
        throw new errors/* RegistryError */.gl({
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
            body: form.toString(),
            ...(signal && { signal })
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
            headers: basic ? { authorization: basic } : {},
            ...(signal && { signal })
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
    const fail = (what) => new errors/* RegistryError */.gl({
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
    if (error instanceof errors/* RegistryError */.gl && error.status !== undefined) {
        if (!isTransientStatus(error.status))
            return { retry: false };
        const reason = `${error.status}${error.code ? ` ${error.code}` : ''}`;
        return error.retryAfterMs === undefined
            ? { retry: true, reason }
            : { retry: true, reason, afterMs: error.retryAfterMs };
    }
    const code = (0,errors/* errorCode */.CA)(error);
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
// EXTERNAL MODULE: ./src/action/errors.ts
var action_errors = __webpack_require__(8055);
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
                reject(new CredentialHelperError(helper, (0,action_errors/* messageOf */.b)(parseError)));
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
        throw new Error(`cannot read registry credentials from ${file}: ${(0,action_errors/* messageOf */.b)(error)}`);
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

;// CONCATENATED MODULE: ./src/retry/index.ts
/**
 * Bounded exponential backoff with jitter, honouring a server's Retry-After and an optional
 * deadline; and `later`, for a request started early whose result is awaited after others.
 * Hand-written because the maintained retry libraries (p-retry, async-retry) cannot take a per-error
 * delay from the server, and the classification of what is transient belongs to each caller.
 */
/** The default policy for remote calls: 5 attempts, 0.5 s doubling to at most 30 s. */
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Runs `attempt` until it succeeds, `classify` says fail, or the attempts or the deadline are spent. */
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
            if (policy.deadline !== undefined && performance.now() + delay >= policy.deadline)
                throw error;
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
/** `work`, to be awaited later: a failure before then is not an unhandled rejection. */
function later(work) {
    work.catch(() => undefined);
    return work;
}

;// CONCATENATED MODULE: ./src/registry/abort.ts
/** The error of a request not sent (or cut off) because `signal` fired: code ABORT_ERR. */
function abortError(signal) {
    const reason = signal.reason;
    const message = reason instanceof Error ? reason.message : 'The operation was aborted';
    return Object.assign(new Error(message, { cause: reason }), {
        name: 'AbortError',
        code: 'ABORT_ERR'
    });
}
/** `policy` whose waits between attempts end (rejecting) as soon as `signal` fires. */
function abortableRetry(policy, signal) {
    if (signal === undefined)
        return policy;
    // The default wait is a timer cleared on abort, so that it does not keep the process alive.
    const sleep = policy.sleep ??
        ((ms) => new Promise((resolve) => {
            const timer = setTimeout(resolve, ms);
            signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
        }));
    return {
        ...policy,
        sleep: (ms) => new Promise((resolve, reject) => {
            if (signal.aborted) {
                reject(abortError(signal));
                return;
            }
            const stop = () => reject(abortError(signal));
            signal.addEventListener('abort', stop, { once: true });
            sleep(ms).then(() => {
                signal.removeEventListener('abort', stop);
                resolve();
            }, (error) => {
                signal.removeEventListener('abort', stop);
                reject(error instanceof Error ? error : new Error(String(error)));
            });
        })
    };
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
    inFlight = new Map();
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
    /**
     * Remembers that a registry answered a request without credentials with something other than 401
     * (what a ping would have learnt: no challenge), so that later requests, writes too, need no ping.
     * A registry that does want credentials for a write answers it 401 with its challenge.
     */
    answeredOpenly(registry) {
        if (!this.challenges.has(registry))
            this.challenges.set(registry, Promise.resolve(undefined));
    }
    /**
     * The Authorization header for a request; `refresh` drops cached tokens first. An `optimistic`
     * request (one without a body, so it can be sent again) to a registry whose challenge is not known
     * yet and for which there are no credentials goes out without asking `GET /v2/` first: an open
     * registry answers it at once, and any other answers 401 with the challenge that the ping would
     * have returned. A poll that finds nothing new is then one request, not two.
     */
    async authorize(access, refresh = false, optimistic = false) {
        if (optimistic && !this.challenges.has(access.registry)) {
            if ((await this.credentialsFor(access.registry)) === undefined)
                return { fresh: false };
        }
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
            throw new errors/* RegistryError */.gl({
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
            const issued = await this.shared(access.registry, scopes, () => fetchToken(this.transport, { realm, ...(service !== undefined && { service }) }, scopes, credentials, this.now, access.signal));
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
            return new errors/* RegistryError */.gl({
                server: registry,
                operation,
                status,
                code: 'UNAUTHORIZED',
                message: `registry ${registry} requires credentials to ${target} (${status}) and none were found for ${registry}`
            });
        }
        if (!denied) {
            return new errors/* RegistryError */.gl({
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
        return new errors/* RegistryError */.gl({
            server: registry,
            operation,
            status,
            code: 'DENIED',
            message: `registry ${registry}: ${who} but not allowed to ${target} (403)`
        });
    }
    /** One token request for requests that want the same scopes at the same time (a copy's first blobs). */
    shared(registry, scopes, fetch) {
        const key = `${registry} ${scopes.map(formatScope).join(' ')}`;
        let pending = this.inFlight.get(key);
        if (!pending) {
            pending = fetch().finally(() => this.inFlight.delete(key));
            this.inFlight.set(key, pending);
        }
        return pending;
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
        throw (0,errors/* statusError */.$C)(registry, 'ping', response.status, response.body);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./src/registry/http-exchange.ts
/**
 * One HTTP exchange over node:http/https, the response either read in full or handed over as a
 * stream. Request bodies are a buffer or a Readable piped without buffering; when the server answers
 * before the body is sent (a refusal), the rest of the body is dropped and its source destroyed.
 */



/** How long a request may go without a byte either way before it fails, unless told otherwise. */
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const CONTINUE_WAIT_MS = 1000;
/** Sends a request and resolves once the response headers arrive; socket errors reject with their code. */
function exchangeStream(url, agent, req, limits = {}) {
    const send = url.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
    const idleMs = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
        if (limits.signal?.aborted) {
            if (isReadable(req.body))
                req.body.destroy();
            reject(abortError(limits.signal));
            return;
        }
        const options = {
            agent,
            method: req.method,
            headers: req.headers,
            ...(limits.signal && { signal: limits.signal })
        };
        const outgoing = send(url, options, (res) => {
            const source = req.body;
            // The server answered; a body still flowing (a refusal before it was read) is not wanted.
            if (isReadable(source) && !source.readableEnded) {
                source.unpipe(outgoing);
                source.destroy();
            }
            res.on('aborted', () => res.destroy(limits.signal?.aborted
                ? abortError(limits.signal)
                : Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
            resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: res });
        });
        outgoing.on('error', (error) => {
            // A body still flowing into a request that failed (a timeout, an abort) is not wanted either.
            if (isReadable(req.body) && !req.body.readableEnded)
                req.body.destroy();
            reject(error);
        });
        outgoing.setTimeout(idleMs, () => outgoing.destroy(Object.assign(new Error(`no data for ${seconds(idleMs)} s`), { code: 'ETIMEDOUT' })));
        const body = req.body;
        if (!isReadable(body)) {
            outgoing.end(body);
            return;
        }
        // A failing source (the other registry reset mid-blob) fails this request with its error.
        body.on('error', (error) => outgoing.destroy(error));
        if (req.headers.expect?.toLowerCase() !== '100-continue') {
            body.pipe(outgoing);
            return;
        }
        // Expect: 100-continue lets a server refuse a large body (413) before it is sent; a server that
        // does not answer 100 soon gets the body anyway (as curl does, RFC 9110 section 10.1.1).
        let started = false;
        const start = () => {
            if (started || outgoing.destroyed)
                return;
            started = true;
            clearTimeout(timer);
            body.pipe(outgoing);
        };
        const timer = setTimeout(start, CONTINUE_WAIT_MS);
        outgoing.once('continue', start);
        outgoing.once('response', () => clearTimeout(timer));
        outgoing.once('close', () => clearTimeout(timer));
    });
}
/** One request and its whole response; socket errors (also mid-body) reject with their code. */
async function exchange(url, agent, req, limits = {}) {
    const response = await exchangeStream(url, agent, req, limits);
    return { ...response, body: await readAll(response.body) };
}
/** Reads a response body to its end; a connection cut short rejects with ECONNRESET. */
function readAll(body) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        body.on('data', (chunk) => chunks.push(chunk));
        body.on('error', reject);
        body.on('end', () => {
            const incoming = body;
            if (incoming.complete === false) {
                reject(Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }));
                return;
            }
            resolve(Buffer.concat(chunks));
        });
    });
}
/** Reads and drops a body so that its connection can be reused; errors are of no interest. */
function drain(body) {
    return readAll(body).then(() => undefined, 
    // The body is unwanted; a connection that fails while it is dropped is dropped with it.
    () => undefined);
}
function seconds(ms) {
    return String(Math.round(ms / 100) / 10);
}
function isReadable(body) {
    return typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}
function flatten(headers) {
    const flat = {};
    for (const [name, value] of Object.entries(headers)) {
        flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return flat;
}

;// CONCATENATED MODULE: ./src/registry/session.ts




/** Authorized, retried requests to registries. */
class Session {
    transport;
    auth;
    retry;
    /**
     * Per registry, whether it has the OCI referrers API, once a listing has shown it: the spec has
     * a registry with the API never answer it 404, so one 404 settles it for the client's life.
     */
    referrersApi = new Map();
    constructor(transport, auth, 
    /** The retry policy, for operations that retry above single requests (blob uploads). */
    retry = DEFAULT_RETRY) {
        this.transport = transport;
        this.auth = auth;
        this.retry = retry;
    }
    /** `GET /v2/` once per registry: settles the scheme and returns the challenge scheme. */
    async ping(registry) {
        return (await this.auth.ping(registry))?.scheme ?? 'none';
    }
    /** One authorized request, its response read in full. */
    async send(access, req) {
        return this.authorized(access, req, (wire) => this.transport.send(access.registry, access.operation, wire));
    }
    /** One authorized request whose response body is a stream (redirects followed); read or drain it. */
    stream(access, req) {
        return this.authorized(access, req, (wire) => this.transport.stream(access.registry, access.operation, wire));
    }
    /** What a request on `ref` needs: its repository, the actions, more scopes, and how to name it. */
    access(ref, actions, operation, extraScopes) {
        return {
            registry: ref.registry,
            repository: ref.repository,
            actions,
            operation,
            ...(extraScopes && { extraScopes })
        };
    }
    /** The base URL (`https://host`) in use for a registry. */
    baseUrl(registry) {
        return this.transport.baseUrl(registry);
    }
    /** The error for a status the operation did not expect. */
    unexpected(access, response) {
        return (0,errors/* statusError */.$C)(access.registry, access.operation, response.status, response.body);
    }
    /** A digest from a `Docker-Content-Digest` header, or a DIGEST_INVALID error. */
    headerDigest(access, header) {
        try {
            return (0,reference/* parseDigest */.m)(header.trim());
        }
        catch {
            throw mismatch(access, `sent an invalid Docker-Content-Digest '${header}'`);
        }
    }
    /** Authorizes, sends, refreshes the token once on 401; 401/403 that remain become refusals. */
    async authorized(access, req, exchange) {
        const signal = req.signal ?? access.signal;
        const wire = async (header) => {
            const body = typeof req.body === 'function' ? await req.body() : req.body;
            const headers = header ? { ...req.headers, authorization: header } : req.headers;
            return {
                method: req.method,
                path: req.path,
                ...(headers && { headers }),
                ...(body !== undefined && { body }),
                ...(signal !== undefined && { signal })
            };
        };
        const optimistic = req.body === undefined && (req.method === 'GET' || req.method === 'HEAD');
        let auth = await this.auth.authorize(access, false, optimistic);
        let response = await exchange(await wire(auth.header));
        if (auth.header === undefined && response.status !== 401)
            this.auth.answeredOpenly(access.registry);
        if (response.status === 401 && !auth.fresh) {
            await discard(response);
            this.auth.learn(access.registry, response);
            auth = await this.auth.authorize(access, true);
            response = await exchange(await wire(auth.header));
        }
        if (response.status === 401 || response.status === 403) {
            await discard(response);
            throw await this.auth.failure(access, response);
        }
        return response;
    }
}
async function discard(response) {
    if (!Buffer.isBuffer(response.body))
        await drain(response.body);
}
/** A DIGEST_INVALID error: the registry's content or header does not match. */
function mismatch(access, what) {
    return new errors/* RegistryError */.gl({
        server: access.registry,
        operation: access.operation,
        code: 'DIGEST_INVALID',
        message: `registry ${access.registry}: ${access.operation} ${what}`
    });
}

;// CONCATENATED MODULE: ./src/registry/young-collector.ts
/**
 * Frees the Buffers of bytes already streamed, early. Every socket read allocates a new 64 KiB
 * Buffer outside V8's heap, and V8 frees it only when a collection finds it dead; but streaming
 * allocates so little on the heap that collections are rare, so dead Buffers pile up to V8's
 * external-memory limit (about 64 MiB, then twice as much in RSS with the allocator's slack):
 * copying 1 GiB peaked at 176 MB RSS. A young-generation collection after every few MiB streamed
 * (about 1.5 ms each, while they are still young) keeps the pile small, and reusing freed memory
 * costs fewer page faults than fresh memory, which pays for the collections.
 *
 * Node gives an action no heap flags (the runner starts `node dist/index.js`), and no API to ask
 * for a collection; `--expose-gc` set at run time puts `gc` into new contexts (node's own tests do
 * this), and a node started with `--expose-gc` has it globally. Without either nothing is done.
 * node:v8 and node:vm are loaded at the first collection, not at start-up (5 ms).
 */
/** Bytes streamed between two collections. */
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;
/** Counts bytes streamed (by any stream) and collects the young generation every `every` bytes. */
class YoungCollector {
    find;
    every;
    since = 0;
    collect;
    /** `find` returns V8's gc (undefined when there is none); it is called at the first collection. */
    constructor(find, every = COLLECT_EVERY_BYTES) {
        this.find = find;
        this.every = every;
    }
    /** `bytes` more were streamed. */
    streamed(bytes) {
        this.since += bytes;
        if (this.since < this.every)
            return;
        this.since = 0;
        if (this.collect === undefined)
            this.collect = this.find() ?? null;
        this.collect?.({ type: 'minor' });
    }
}
/** V8's `gc`, exposed at run time when the process was not started with it. */
function exposedGc() {
    const global = globalThis.gc;
    if (typeof global === 'function')
        return global;
    try {
        process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
        const gc = process.getBuiltinModule('node:vm').runInNewContext('gc');
        return typeof gc === 'function' ? gc : undefined;
    }
    catch {
        // A runtime without V8's gc extension: the Buffers are freed as V8 sees fit.
        return undefined;
    }
}
let shared;
/** The process's collector, shared by all streams so that their bytes count together. */
function youngCollector() {
    shared ??= new YoungCollector(exposedGc);
    return shared;
}

;// CONCATENATED MODULE: ./src/registry/blob-read.ts
/**
 * Reading blobs: `GET /v2/<name>/blobs/<digest>` as a stream (storage redirects followed by the
 * transport), hashed as it flows so that a stream whose digest or size is wrong fails at its end.
 */









/** The most `fetchBlob` reads into memory; larger blobs are for `openBlob`. */
const FETCH_LIMIT_BYTES = 32 * 1024 * 1024;
/** Opens a blob as a stream; it errors at its end when the content's digest or size do not match. */
async function openBlob(session, repo, blob, options = {}) {
    const digest = (0,reference/* parseDigest */.m)(blob.digest);
    const access = session.access(repo, ['pull'], `GET blob ${repo.repository}@${digest}`);
    const response = await session.stream(access, {
        method: 'GET',
        path: `/v2/${repo.repository}/blobs/${digest}`
    });
    if (response.status !== 200) {
        const body = await readAll(response.body).catch(() => Buffer.alloc(0));
        throw session.unexpected(access, { ...response, body });
    }
    const verifier = new DigestVerifier(access, digest, blob.size, options.limit, options.side);
    response.body.on('error', (error) => verifier.destroy((0,errors/* unreachableError */.DZ)(access.registry, access.operation, error)));
    verifier.on('close', () => response.body.destroy());
    return response.body.pipe(verifier);
}
/** A small blob read in full and verified; a body cut off midway is read again. */
function fetchBlob(session, repo, digest) {
    return withRetry(session.retry, async () => readAll(await openBlob(session, repo, { digest }, { limit: FETCH_LIMIT_BYTES })), (error) => classifyFailure(error, true));
}
/**
 * Bytes a verifier holds before it stops reading: a few of the socket's 64 KiB reads, so that a
 * reader and a writer of different pace do not stop and start each other on every read (16 KiB,
 * the default, is less than one read).
 */
const VERIFIER_BUFFER = 256 * 1024;
/**
 * Passes bytes through while hashing them; fails on a wrong digest, size or a blob over `limit`.
 * Its errors, and those it is destroyed with, name `side` when given.
 */
class DigestVerifier extends external_node_stream_.Transform {
    access;
    digest;
    size;
    limit;
    side;
    hash;
    collector = youngCollector();
    bytes = 0;
    constructor(access, digest, size, limit, side) {
        super({ highWaterMark: VERIFIER_BUFFER });
        this.access = access;
        this.digest = digest;
        this.size = size;
        this.limit = limit;
        this.side = side;
        this.hash = (0,external_node_crypto_.createHash)(digest.split(':')[0] ?? 'sha256');
    }
    _transform(chunk, _encoding, done) {
        this.bytes += chunk.length;
        if (this.limit !== undefined && this.bytes > this.limit) {
            done(tooLarge(this.access, this.limit));
            return;
        }
        if (this.size !== undefined && this.bytes > this.size) {
            done(mismatch(this.access, `returned more than the ${this.size} bytes the descriptor names`));
            return;
        }
        this.hash.update(chunk);
        this.collector.streamed(chunk.length);
        done(null, chunk);
    }
    _flush(done) {
        const actual = `${this.digest.split(':')[0]}:${this.hash.digest('hex')}`;
        if (this.size !== undefined && this.bytes !== this.size) {
            done(mismatch(this.access, `returned ${this.bytes} bytes, the descriptor names ${this.size}`));
        }
        else if (actual !== this.digest) {
            done(mismatch(this.access, `returned content with digest ${actual}, expected ${this.digest}`));
        }
        else {
            done();
        }
    }
    _destroy(error, done) {
        done(error && this.side ? (0,errors/* onSide */.DE)(error, this.side, this.access.registry) : error);
    }
}
function tooLarge(access, limit) {
    return new errors/* RegistryError */.gl({
        server: access.registry,
        operation: access.operation,
        code: 'SIZE_INVALID',
        message: `registry ${access.registry}: ${access.operation} returned more than ${limit} bytes, too large to read into memory`
    });
}

;// CONCATENATED MODULE: ./src/registry/request-parts.ts
/** The manifest reference in the URL: the digest wins over the tag; `latest` when neither. */
function request_parts_reference(ref) {
    return ref.digest ?? ref.tag ?? 'latest';
}
/** `repo:tag` or `repo@digest`, for messages. */
function selector(ref) {
    return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`;
}
/** The media type of a response, without parameters. */
function contentType(response) {
    return response.headers['content-type']?.split(';')[0].trim() ?? '';
}
/** The path and query of a `Location` or `Link` (absolute or relative), with more query parameters. */
function uploadPath(location, params = {}) {
    const url = new URL(location, 'http://registry.invalid');
    for (const [name, value] of Object.entries(params))
        url.searchParams.set(name, value);
    return `${url.pathname}${url.search}`;
}

;// CONCATENATED MODULE: ./src/registry/blob-upload.ts
/**
 * Writing blobs (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs):
 * a monolithic upload (POST, then PUT `?digest=` with the whole body streamed), a chunked upload
 * (PATCH with Content-Range, then PUT) when the monolithic PUT is refused as too large, and the
 * cross-repository mount. A failed upload restarts from the source with a new session; before each
 * restart the destination is asked whether the blob arrived after all (a response lost on the way).
 * A session that will not be completed (a failed or aborted attempt) is cancelled with `DELETE`.
 */










const DEFAULT_CHUNK = 8 * 1024 * 1024;
/** Uploads a small blob from memory unless the repository holds it. */
async function pushBlob(session, repo, data) {
    const blob = { digest: (0,registry_manifest/* digestOf */.ol)(data), size: data.length };
    await uploadBlob(session, repo, blob, async () => external_node_stream_.Readable.from([data]), { checkFirst: true });
    return blob;
}
/** Uploads a blob from `open` (called again for each attempt); `skipped` when it is there already. */
async function uploadBlob(session, repo, blob, open, options = {}) {
    const digest = (0,reference/* parseDigest */.m)(blob.digest);
    const access = session.access(repo, ['pull', 'push'], `PUT blob ${repo.repository}@${digest}`);
    const exists = () => blobThere(session, repo, digest);
    if (options.checkFirst === true && (await exists()))
        return 'skipped';
    return withRetry(session.retry, async (n) => {
        if (n > 1 && (await exists()))
            return 'uploaded';
        const given = n === 1 ? options.location : undefined;
        let pending = given ?? (await startUpload(session, access));
        const source = tracked(open);
        try {
            if (await putWhole(session, access, pending, blob, source.open))
                return 'uploaded';
            core/* info */.pq(`${access.operation}: monolithic upload refused as too large; uploading in chunks`);
            const refused = pending;
            pending = undefined;
            await cancelUpload(session, access, refused, core/* info */.pq);
            pending = await startUpload(session, access);
            await putChunks(session, access, pending, blob, source.open, options.chunkSize, (next) => {
                pending = next;
            });
            return 'uploaded';
        }
        catch (error) {
            if (pending !== undefined)
                await cancelUpload(session, access, pending, core/* info */.pq);
            // The source failing midway surfaces as a failed request to the destination: report it.
            throw source.failure() ?? error;
        }
    }, (error) => classifyFailure(error, true), (reason, delay, n) => core/* info */.pq(`registry ${repo.registry}: ${access.operation} failed (${reason}); restarting the blob from the source in ${(delay / 1000).toFixed(1)}s (attempt ${n + 1} of ${session.retry.attempts})`));
}
/** `POST ?mount=&from=`: true when mounted (201); a 202 opened an upload session instead. */
async function mountBlob(session, repo, digest, from) {
    const operation = `mount blob ${digest} from ${from} to ${repo.repository}`;
    const access = session.access(repo, ['pull', 'push'], operation, [
        { type: 'repository', name: from, actions: ['pull'] }
    ]);
    const query = new URLSearchParams({ mount: (0,reference/* parseDigest */.m)(digest), from });
    const response = await session.send(access, {
        method: 'POST',
        path: `/v2/${repo.repository}/blobs/uploads/?${query.toString()}`,
        headers: { 'content-length': '0' }
    });
    if (response.status === 201)
        return { mounted: true };
    if (response.status === 202) {
        const location = response.headers.location;
        return { mounted: false, ...(location !== undefined && { location }) };
    }
    throw session.unexpected(access, response);
}
/** How long cancelling one upload session may take: it is tidying up, not the work. */
const CANCEL_TIMEOUT_MS = 10_000;
/**
 * `DELETE <upload URL>`: ends an upload session that will not be completed, so that it does not
 * wait on the registry for its purge (distribution answers 204, and the URL then answers 404
 * BLOB_UPLOAD_UNKNOWN). Best effort: a failure is logged with `log`, never thrown. It carries its
 * own signal, as it must still go out after a stage's timeout aborted the upload. True when done.
 */
async function cancelUpload(session, access, location, log = core/* debug */.Yz) {
    const base = new URL(session.baseUrl(access.registry));
    const url = new URL(location, base);
    const operation = `DELETE blob upload ${access.repository}`;
    if (url.origin !== base.origin) {
        log(`upload session at ${url.origin} left to expire: not the registry's own host`);
        return false;
    }
    try {
        // distribution wants the `delete` action for any DELETE, an upload's too (appendAccessRecords
        // in https://github.com/distribution/distribution/blob/v2.8.2/registry/handlers/app.go)
        const response = await session.send({
            ...access,
            actions: [...new Set([...access.actions, 'delete'])],
            operation,
            signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS)
        }, { method: 'DELETE', path: `${url.pathname}${url.search}` });
        if (response.status < 300)
            return true;
        log(`registry ${access.registry}: ${operation} answered ${response.status}; the session expires on its own`);
    }
    catch (error) {
        // Cancelling is tidiness: registries expire unfinished uploads; the failure that led here matters.
        log(`registry ${access.registry}: ${operation} failed (${(0,action_errors/* messageOf */.b)(error)}); the session expires on its own`);
    }
    return false;
}
async function blobThere(session, repo, digest) {
    const access = session.access(repo, ['pull'], `HEAD blob ${repo.repository}@${digest}`);
    const response = await session.send(access, {
        method: 'HEAD',
        path: `/v2/${repo.repository}/blobs/${digest}`
    });
    if (response.status === 404)
        return false;
    if (response.status === 200 || (response.status >= 300 && response.status < 400))
        return true;
    throw session.unexpected(access, response);
}
async function startUpload(session, access) {
    const post = { ...access, operation: `POST blob upload ${access.repository}` };
    const response = await session.send(post, {
        method: 'POST',
        path: `/v2/${access.repository}/blobs/uploads/`,
        headers: { 'content-length': '0' }
    });
    const location = response.headers.location;
    if (response.status !== 202)
        throw session.unexpected(post, response);
    if (!location)
        throw invalid(post, 'answered 202 without a Location for the upload');
    return location;
}
/** PUT of the whole blob; false when the registry refuses it as too large. */
async function putWhole(session, access, location, blob, open) {
    const response = await session.send(access, {
        method: 'PUT',
        path: uploadPath(location, { digest: blob.digest }),
        headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(blob.size),
            expect: '100-continue'
        },
        body: open
    });
    if (refusedAsTooLarge(response.status, response.body))
        return false;
    checkCommitted(session, access, response, blob.digest);
    return true;
}
/** PATCHes the stream in chunks of `chunkSize`, then commits with an empty PUT. */
async function putChunks(session, access, location, blob, open, chunkSize = DEFAULT_CHUNK, moved = () => undefined) {
    const patch = { ...access, operation: `PATCH blob ${access.repository}@${blob.digest}` };
    let offset = 0;
    let next = location;
    const send = async (chunk) => {
        const response = await session.send(patch, {
            method: 'PATCH',
            path: uploadPath(next),
            headers: {
                'content-type': 'application/octet-stream',
                'content-length': String(chunk.length),
                'content-range': `${offset}-${offset + chunk.length - 1}`
            },
            body: chunk
        });
        if (response.status !== 202)
            throw session.unexpected(patch, response);
        next = response.headers.location ?? next;
        moved(next);
        offset += chunk.length;
    };
    let pending = [];
    let held = 0;
    for await (const piece of await open()) {
        pending.push(piece);
        held += piece.length;
        while (held >= chunkSize) {
            const all = Buffer.concat(pending);
            await send(all.subarray(0, chunkSize));
            pending = [all.subarray(chunkSize)];
            held = all.length - chunkSize;
        }
    }
    if (held > 0)
        await send(Buffer.concat(pending));
    const response = await session.send(access, {
        method: 'PUT',
        path: uploadPath(next, { digest: blob.digest }),
        headers: { 'content-length': '0' }
    });
    checkCommitted(session, access, response, blob.digest);
}
function checkCommitted(session, access, response, digest) {
    if (response.status !== 201)
        throw session.unexpected(access, response);
    const reported = response.headers['docker-content-digest'];
    if (reported !== undefined && session.headerDigest(access, reported) !== digest) {
        throw mismatch(access, `stored the blob as ${reported}`);
    }
}
/** 413, or a 400 whose distribution code says the size is the problem. */
function refusedAsTooLarge(status, body) {
    if (status === 413)
        return true;
    return status === 400 && /"code"\s*:\s*"SIZE_INVALID"/.test(body.toString('utf8'));
}
/** Wraps `open` so that an error of the source stream can be told from one of the destination. */
function tracked(open) {
    let failed;
    return {
        open: async () => {
            const stream = await open();
            stream.once('error', (error) => {
                failed ??= error;
            });
            return stream;
        },
        failure: () => (failed instanceof errors/* RegistryError */.gl ? failed : undefined)
    };
}
function invalid(access, what) {
    return new errors/* RegistryError */.gl({
        server: access.registry,
        operation: access.operation,
        code: 'BLOB_UPLOAD_INVALID',
        message: `registry ${access.registry}: ${access.operation} ${what}`
    });
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
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
    counts = { registry: 0, token: 0 };
    idleTimeoutMs;
    signal;
    flying = new Set();
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
        this.idleTimeoutMs = options.idleTimeoutMs;
        this.signal = options.signal;
    }
    /** Sends a request to a registry's API, retrying transient failures (not with a stream body). */
    send(registry, operation, req) {
        return this.retrying(registry, operation, req, async (url, wire, limits) => {
            const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
            return exchange(url, agent, wire, limits);
        });
    }
    /**
     * Sends a request and hands the response body over as a stream, following redirects (a blob's
     * storage): the registry's Authorization header goes only to the registry's own origin. Failures
     * before the body are retried; the caller restarts a body that fails midway.
     */
    stream(registry, operation, req) {
        return this.retrying(registry, operation, req, (url, wire, limits) => this.followRedirects(url, wire, registry, operation, limits));
    }
    /** Sends a request to an absolute URL (a token realm, a redirect), retrying transient failures. */
    sendUrl(operation, req) {
        const url = new URL(req.path);
        const limits = this.limitsOf(req);
        return withRetry(abortableRetry(this.retry, limits.signal), () => this.checked(url, url.host, operation, req, exchangeAt(this.agents), limits, 'token'), (error) => classifyFailure(error, this.answered.has(url.host)), (reason, delay, n) => this.logRetry(url.host, operation, reason, delay, n));
    }
    /** Requests sent and not yet answered (a streamed body counts until its headers arrive). */
    inFlight() {
        const now = performance.now();
        return [...this.flying].map(({ server, operation, since }) => ({
            server,
            operation,
            forMs: now - since
        }));
    }
    /** The requests answered so far; a caller measures an operation by the difference. */
    requestCounts() {
        return { ...this.counts };
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
    limitsOf(req) {
        const signal = req.signal ?? this.signal;
        return {
            ...(this.idleTimeoutMs !== undefined && { idleTimeoutMs: this.idleTimeoutMs }),
            ...(signal !== undefined && { signal })
        };
    }
    retrying(registry, operation, req, send) {
        const streamed = req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body);
        const limits = this.limitsOf(req);
        const policy = abortableRetry(streamed ? { ...this.retry, attempts: 1 } : this.retry, limits.signal);
        return withRetry(policy, () => this.attempt(registry, operation, req, send, limits), (error) => classifyFailure(error, this.answered.has(registry)), (reason, delay, n) => this.logRetry(registry, operation, reason, delay, n));
    }
    async attempt(registry, operation, req, send, limits) {
        const host = (0,reference/* registryApiHost */.Mb)(registry);
        const known = this.schemes.get(registry);
        const scheme = known ?? this.defaultScheme(registry);
        const url = (s) => new URL(`${s}://${host}${req.path}`);
        if (known !== undefined || scheme === 'http' || !(0,reference/* isLoopbackRegistry */.jW)(registry)) {
            const response = await this.checked(url(scheme), registry, operation, req, send, limits);
            this.schemes.set(registry, scheme);
            return response;
        }
        try {
            const response = await this.checked(url('https'), registry, operation, req, send, limits);
            this.schemes.set(registry, 'https');
            return response;
        }
        catch (error) {
            if (!tlsNotOffered(error))
                throw error;
            core/* debug */.Yz(`registry ${registry} does not offer TLS on loopback; using plain HTTP`);
            const response = await this.checked(url('http'), registry, operation, req, send, limits);
            this.schemes.set(registry, 'http');
            return response;
        }
    }
    /** One exchange; throws a RegistryError when unreachable or the status is transient. */
    async checked(url, server, operation, req, send, limits, counted = 'registry') {
        let response;
        const flight = { server, operation, since: performance.now() };
        this.flying.add(flight);
        try {
            const headers = { 'user-agent': this.userAgent, ...req.headers };
            response = await send(url, { method: req.method, headers, body: req.body }, limits);
        }
        catch (error) {
            throw (0,errors/* unreachableError */.DZ)(server, operation, error);
        }
        finally {
            this.flying.delete(flight);
        }
        this.answered.add(server);
        this.counts[counted]++;
        if (isTransientStatus(response.status)) {
            const after = parseRetryAfter(response.headers['retry-after']);
            const body = Buffer.isBuffer(response.body) ? response.body : await bodyOf(response.body);
            throw (0,errors/* statusError */.$C)(server, operation, response.status, body, after);
        }
        return response;
    }
    /** GETs `url`, following up to five redirects; Authorization is kept for the same origin only. */
    async followRedirects(url, wire, registry, operation, limits) {
        const agentFor = (u) => (u.protocol === 'https:' ? this.agents.https : this.agents.http);
        let response = await exchangeStream(url, agentFor(url), wire, limits);
        for (let hops = 0; isRedirect(wire, response); hops++) {
            if (hops === 5)
                throw new Error(`more than 5 redirects from ${url.origin}`);
            await drain(response.body);
            const next = new URL(response.headers.location ?? '', url);
            const headers = { ...wire.headers };
            if (next.origin !== url.origin)
                delete headers.authorization;
            core/* debug */.Yz(`registry ${registry}: ${operation} redirected to ${next.origin}`);
            response = await exchangeStream(next, agentFor(next), { method: wire.method, headers }, limits);
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
    const cause = error instanceof errors/* RegistryError */.gl ? error.cause : error;
    const code = (0,errors/* errorCode */.CA)(cause) ?? '';
    const message = (0,action_errors/* messageOf */.b)(cause);
    return (['EPROTO', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(code) ||
        code.startsWith('ERR_SSL_') ||
        /wrong version number|packet length too long/i.test(message));
}
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Only GETs follow redirects: a HEAD's redirect already says the blob exists (and storage URLs are signed for GET). */
function isRedirect(wire, response) {
    return wire.method === 'GET' && REDIRECTS.has(response.status) && !!response.headers.location;
}
function exchangeAt(agents) {
    return (url, wire, limits) => exchange(url, url.protocol === 'https:' ? agents.https : agents.http, wire, limits);
}
/** The body of a failed streamed response, for its error message; a cut-off body is empty. */
function bodyOf(body) {
    return readAll(body).catch(() => Buffer.alloc(0));
}

;// CONCATENATED MODULE: ./src/registry/manifest-put.ts
/**
 * Writing manifests: `PUT /v2/<name>/manifests/<tag|digest>` with the manifest's media type, checking
 * that the digest the registry reports is the digest of the bytes sent.
 */




/** Puts `bytes` to the tag or digest of `ref`; a digest in `ref` must be the bytes' digest. */
async function putManifest(session, ref, bytes, mediaType, options = {}) {
    const algorithm = ref.digest?.split(':')[0] ?? 'sha256';
    const digest = (0,registry_manifest/* digestOf */.ol)(bytes, algorithm);
    const access = {
        ...session.access(ref, ['pull', 'push'], `PUT manifest ${selector(ref)}`),
        ...(options.signal && { signal: options.signal })
    };
    if (ref.digest !== undefined && ref.digest !== digest) {
        throw new errors/* RegistryError */.gl({
            server: ref.registry,
            operation: access.operation,
            code: 'DIGEST_INVALID',
            message: `registry ${ref.registry}: ${access.operation} not sent: the manifest's digest is ${digest}`
        });
    }
    const response = await session.send(access, {
        method: 'PUT',
        path: `/v2/${ref.repository}/manifests/${request_parts_reference(ref)}`,
        headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
        body: bytes
    });
    if (response.status !== 201)
        throw session.unexpected(access, response);
    const reported = response.headers['docker-content-digest'];
    if (reported !== undefined && session.headerDigest(access, reported) !== digest) {
        throw mismatch(access, `stored the manifest as ${reported}, but the bytes sent are ${digest}`);
    }
    return { digest, headers: response.headers };
}
/**
 * Deletes a tag (`DELETE /v2/<name>/manifests/<tag>`, OCI distribution 1.1): `deleted`, or `absent`
 * when the registry has no such tag. Registries that delete manifests only by digest (distribution
 * 2.x answers 400/405 UNSUPPORTED) fail with that status: deleting by digest would take every other
 * tag of the manifest with it, so it is never attempted instead.
 */
async function deleteTag(session, ref, options = {}) {
    const access = {
        ...session.access(ref, ['pull', 'push', 'delete'], `DELETE tag ${selector(ref)}`),
        ...(options.signal && { signal: options.signal })
    };
    const response = await session.send(access, {
        method: 'DELETE',
        path: `/v2/${ref.repository}/manifests/${request_parts_reference(ref)}`
    });
    if (response.status === 202 || response.status === 200)
        return 'deleted';
    if (response.status === 404)
        return 'absent';
    throw session.unexpected(access, response);
}

;// CONCATENATED MODULE: ./src/registry/referrers-index.ts

/** The tag of the referrers tag schema: `sha256:abc…` → `sha256-abc…` (at most 128 characters). */
function referrersTag(subject) {
    return subject.replace(':', '-').slice(0, 128);
}
/**
 * The descriptor that lists a referrer: its media type, digest and size, its artifact type (for an
 * image manifest without one, the config's media type, as the spec says) and its annotations.
 */
function referrerDescriptor(parsed, digest, size) {
    const manifest = parsed.manifest;
    const artifactType = manifest.artifactType ??
        (parsed.kind === 'image' ? parsed.manifest.config.mediaType : undefined);
    return {
        mediaType: parsed.mediaType,
        digest,
        size,
        ...(artifactType !== undefined && { artifactType }),
        ...(manifest.annotations !== undefined && { annotations: manifest.annotations })
    };
}
/** The tag-schema index with `referrer` in it; `changed` is false when it was listed already. */
function addReferrer(index, referrer) {
    const manifests = index?.manifests ?? [];
    if (manifests.some((m) => m.digest === referrer.digest)) {
        return { index: index ?? emptyIndex(), changed: false };
    }
    return {
        index: {
            ...(index ?? emptyIndex()),
            mediaType: media_types/* OCI_INDEX */.$p,
            manifests: [...manifests, referrer]
        },
        changed: true
    };
}
/** An index with no manifests. */
function emptyIndex() {
    return { schemaVersion: 2, mediaType: media_types/* OCI_INDEX */.$p, manifests: [] };
}
/** The descriptors of `artifactType` (all when it is undefined). */
function filterReferrers(descriptors, artifactType) {
    return descriptors.filter((d) => artifactType === undefined || d.artifactType === artifactType);
}
/** The `rel="next"` target of a `Link` header (RFC 8288), or undefined. */
function nextLink(header) {
    for (const part of header?.split(',') ?? []) {
        const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
        if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2] ?? ''))
            return match[1];
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/registry/referrers.ts
/**
 * Referrers of a manifest: the OCI 1.1 referrers API where the registry has it, the referrers tag
 * schema (an index at tag `sha256-<hex>`) where it answers 404, as distribution 2.8 does.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 */






/** How often a tag-schema update is read, changed and written when another writer interferes. */
const UPDATE_ATTEMPTS = 5;
/**
 * The referrers of `subject` (which must name a digest), of `artifactType` when given. The first
 * listing on a registry asks the referrers API and reads the tag-schema index at once, as either
 * may be the answer; once the API has answered (or 404ed) only the registry's own way is asked.
 */
async function listReferrers(session, subject, artifactType) {
    const digest = subjectDigest(subject);
    const known = session.referrersApi.get(subject.registry);
    if (known === false) {
        return filterReferrers((await readTagIndex(session, subject, digest))?.manifests ?? [], artifactType);
    }
    const tagIndex = known === undefined ? readTagIndex(session, subject, digest) : undefined;
    // Awaited below when the API is missing, and its failure is then the listing's; else unwanted.
    tagIndex?.catch(() => undefined);
    const listed = await fromApi(session, subject, digest, artifactType);
    session.referrersApi.set(subject.registry, listed !== undefined);
    if (listed !== undefined)
        return listed;
    const index = await (tagIndex ?? readTagIndex(session, subject, digest));
    return filterReferrers(index?.manifests ?? [], artifactType);
}
/** The referrers API's listing, every page; undefined when the registry does not have the API. */
async function fromApi(session, subject, digest, artifactType) {
    const access = session.access(subject, ['pull'], `GET referrers ${subject.repository}@${digest}`);
    const query = artifactType === undefined ? '' : `?${new URLSearchParams({ artifactType })}`;
    let path = `/v2/${subject.repository}/referrers/${digest}${query}`;
    const found = [];
    for (let page = 0; path !== undefined; page++) {
        const response = await session.send(access, {
            method: 'GET',
            path,
            headers: { accept: media_types/* OCI_INDEX */.$p }
        });
        if (response.status === 404 && page === 0)
            return undefined;
        if (response.status !== 200)
            throw session.unexpected(access, response);
        found.push(...indexOf(access, response.body, contentType(response)).manifests);
        const next = nextLink(response.headers.link);
        path = next === undefined ? undefined : uploadPath(next);
    }
    return filterReferrers(found, artifactType);
}
/**
 * Puts a manifest that has a `subject` by its digest. A registry that answers without `OCI-Subject`
 * did not index it, so the tag-schema index is read, extended and written back, then read again to
 * see that no other writer replaced it in between (distribution 2.8 has no If-Match on manifests).
 */
async function pushReferrer(session, repo, manifest, mediaType) {
    const parsed = (0,registry_manifest/* parseManifest */.Ng)(manifest, mediaType);
    const subject = parsed.manifest.subject;
    const digest = (0,registry_manifest/* digestOf */.ol)(manifest);
    const operation = `PUT referrer ${repo.repository}@${digest}`;
    if (subject === undefined) {
        throw new errors/* RegistryError */.gl({
            server: repo.registry,
            operation,
            code: 'MANIFEST_INVALID',
            message: `registry ${repo.registry}: ${operation} not sent: the manifest has no subject`
        });
    }
    const target = { registry: repo.registry, repository: repo.repository };
    const put = await putManifest(session, { ...target, digest }, manifest, parsed.mediaType);
    if (put.headers['oci-subject'] !== undefined)
        return digest;
    const descriptor = referrerDescriptor(parsed, digest, manifest.length);
    const tag = { ...target, tag: referrersTag(subject.digest) };
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
        const current = await readTagIndex(session, target, subject.digest);
        const { index, changed } = addReferrer(current, descriptor);
        if (!changed)
            return digest;
        await putManifest(session, tag, Buffer.from(JSON.stringify(index)), media_types/* OCI_INDEX */.$p);
        const after = await readTagIndex(session, target, subject.digest);
        if (after?.manifests.some((m) => m.digest === digest))
            return digest;
    }
    throw new errors/* RegistryError */.gl({
        server: repo.registry,
        operation,
        code: 'CONFLICT',
        message: `registry ${repo.registry}: ${operation}: the referrers index at tag ${tag.tag} kept changing under ${UPDATE_ATTEMPTS} attempts to add ${digest}`
    });
}
/** The index at the subject's tag-schema tag, or undefined when there is none. */
async function readTagIndex(session, repo, subject) {
    const tag = referrersTag(subject);
    const access = session.access(repo, ['pull'], `GET referrers tag ${repo.repository}:${tag}`);
    const response = await session.send(access, {
        method: 'GET',
        path: `/v2/${repo.repository}/manifests/${tag}`,
        headers: { accept: media_types/* OCI_INDEX */.$p }
    });
    if (response.status === 404)
        return undefined;
    if (response.status !== 200)
        throw session.unexpected(access, response);
    return indexOf(access, response.body, contentType(response));
}
function indexOf(access, body, type) {
    try {
        const parsed = (0,registry_manifest/* parseManifest */.Ng)(body, type || media_types/* OCI_INDEX */.$p);
        if (parsed.kind === 'index')
            return parsed.manifest;
        throw new registry_manifest/* InvalidManifestError */.t4(`expected an image index, got ${parsed.mediaType}`);
    }
    catch (error) {
        if (!(error instanceof registry_manifest/* InvalidManifestError */.t4))
            throw error;
        throw new errors/* RegistryError */.gl({
            server: access.registry,
            operation: access.operation,
            code: 'MANIFEST_INVALID',
            message: `registry ${access.registry}: ${access.operation} returned an unusable index: ${error.message}`
        });
    }
}
function subjectDigest(subject) {
    if (subject.digest !== undefined)
        return subject.digest;
    throw new errors/* RegistryError */.gl({
        server: subject.registry,
        operation: `GET referrers ${subject.repository}`,
        code: 'DIGEST_INVALID',
        message: `registry ${subject.registry}: referrers are listed for a digest, and ${subject.repository}:${subject.tag ?? 'latest'} names none`
    });
}

;// CONCATENATED MODULE: ./src/registry/tag-list.ts
/**
 * Listing a repository's tags: `GET /v2/<name>/tags/list`, page after page while the registry sends
 * `Link: <…>; rel="next"` (distribution paginates with `n` and `last`).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */



/** Every tag of the repository, in the registry's order, each once. */
async function listTags(session, repo, options = {}) {
    const { pageSize } = options;
    if (pageSize !== undefined && !(Number.isSafeInteger(pageSize) && pageSize > 0)) {
        throw new RangeError(`listTags: pageSize must be a positive integer, not ${pageSize}`);
    }
    const access = session.access(repo, ['pull'], `GET tags ${repo.repository}`);
    const query = pageSize === undefined ? '' : `?n=${pageSize}`;
    const tags = new Set();
    const seen = new Set();
    let path = `/v2/${repo.repository}/tags/list${query}`;
    while (path !== undefined && !seen.has(path)) {
        seen.add(path);
        const response = await session.send(access, { method: 'GET', path });
        if (response.status === 404)
            throw notFound(access, response.body);
        if (response.status !== 200)
            throw session.unexpected(access, response);
        for (const tag of tagsOf(access, response.body))
            tags.add(tag);
        const next = nextLink(response.headers.link);
        // A next link seen before would loop forever; the pages so far are the whole listing.
        path = next === undefined ? undefined : uploadPath(next);
    }
    return [...tags];
}
/** 404: NAME_UNKNOWN says the repository does not exist; any other code is reported as it is. */
function notFound(access, body) {
    const error = (0,errors/* statusError */.$C)(access.registry, access.operation, 404, body);
    if (error.code !== undefined && error.code !== 'NAME_UNKNOWN')
        return error;
    return new errors/* RegistryError */.gl({
        server: access.registry,
        operation: access.operation,
        status: 404,
        code: error.code ?? 'NAME_UNKNOWN',
        message: `registry ${access.registry}: ${access.operation} failed: 404 ${error.code ?? 'Not Found'}: repository ${access.registry}/${access.repository} does not exist`
    });
}
/** The `tags` of a `{"name": …, "tags": […]}` body; `null` (no tags) is an empty list. */
function tagsOf(access, body) {
    let parsed;
    try {
        parsed = JSON.parse(body.toString('utf8'));
    }
    catch {
        throw unusable(access, 'is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null)
        throw unusable(access, 'is not an object');
    const tags = parsed.tags;
    if (tags === null || tags === undefined)
        return [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
        throw unusable(access, 'has no list of strings in "tags"');
    }
    return tags;
}
function unusable(access, problem) {
    return new errors/* RegistryError */.gl({
        server: access.registry,
        operation: access.operation,
        code: 'TAG_LIST_INVALID',
        message: `registry ${access.registry}: ${access.operation} returned a tag list that ${problem}`
    });
}

;// CONCATENATED MODULE: ./src/registry/client.ts
















/**
 * The client an action uses: each registry's credentials from the action's inputs (a pair whose
 * credentials are undefined is left out, so the config files answer for that registry), and the
 * registries spoken to over plain HTTP.
 */
function registryClient(credentials, insecure, limits = {}) {
    const map = {};
    for (const [registry, given] of credentials)
        if (given)
            map[registry] = given;
    return new RegistryClient({ credentials: map, insecure: [...insecure], ...limits });
}
/** Reads from and writes to OCI registries. */
class RegistryClient {
    session;
    constructor(options = {}) {
        const transport = new Transport(options);
        const lookup = options.credentialLookup;
        const where = lookup === false ? { files: false } : lookup;
        const auth = new Authenticator(transport, (registry) => resolveCredentials(registry, { explicit: options.credentials, ...where }));
        const retry = abortableRetry(options.retry ?? DEFAULT_RETRY, options.signal);
        this.session = new Session(transport, auth, retry);
    }
    /** `GET /v2/`: settles HTTPS or HTTP and learns the authentication challenge. */
    async ping(registry) {
        const auth = await this.session.ping(registry);
        return { url: this.session.baseUrl(registry), auth };
    }
    /** The digest, media type and size of a manifest (HEAD; GET when HEAD gives no digest). */
    async headManifest(ref) {
        const access = this.access(ref, ['pull'], `HEAD manifest ${selector(ref)}`);
        const response = await this.send(access, {
            method: 'HEAD',
            path: `/v2/${ref.repository}/manifests/${request_parts_reference(ref)}`,
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY }
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
            path: `/v2/${ref.repository}/manifests/${request_parts_reference(ref)}`,
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY }
        });
        if (response.status !== 200)
            throw this.unexpected(access, response);
        const bytes = response.body;
        const header = response.headers['docker-content-digest'];
        const reported = header ? this.headerDigest(access, header) : undefined;
        const expected = ref.digest ?? reported;
        const digest = expected ? (0,registry_manifest/* digestOf */.ol)(bytes, expected.split(':')[0]) : (0,registry_manifest/* digestOf */.ol)(bytes);
        if (ref.digest !== undefined && digest !== ref.digest) {
            throw mismatch(access, `returned content with digest ${digest}, expected ${ref.digest}`);
        }
        if (reported !== undefined && digest !== reported) {
            throw mismatch(access, `reports digest ${reported} but the content's digest is ${digest}`);
        }
        let parsed;
        try {
            parsed = (0,registry_manifest/* parseManifest */.Ng)(bytes, contentType(response));
        }
        catch (error) {
            if (!(error instanceof registry_manifest/* InvalidManifestError */.t4))
                throw error;
            throw new errors/* RegistryError */.gl({
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
        // Tidiness: registries expire unfinished uploads, and push access is proven.
        if (location)
            await cancelUpload(this.session, access, location);
    }
    /** Uploads a small blob (POST, then PUT `?digest=`) unless the repository holds it. */
    pushBlob(repo, data) {
        return pushBlob(this.session, repo, data);
    }
    /** A small blob (a config, an evidence record), read in full and verified against its digest. */
    fetchBlob(repo, digest) {
        return fetchBlob(this.session, repo, digest);
    }
    /**
     * A blob as a stream (storage redirects followed), failing at its end unless digest and size
     * match; its errors name `side` of a copy when given.
     */
    openBlob(repo, blob, side) {
        return openBlob(this.session, repo, blob, side === undefined ? {} : { side });
    }
    /**
     * Uploads a blob from a stream, restarting from `open` on a transient failure; falls back to a
     * chunked upload when a monolithic PUT is refused as too large. `skipped` when the blob is there.
     */
    uploadBlob(repo, blob, open, options) {
        return uploadBlob(this.session, repo, blob, open, options);
    }
    /** Cross-repository mount; `{ mounted: false, location }` when the registry opened an upload instead. */
    mountBlob(repo, digest, from) {
        return mountBlob(this.session, repo, digest, from);
    }
    /** Puts a manifest to a tag or digest; checks the digest the registry reports. */
    async putManifest(ref, bytes, mediaType, options) {
        return (await putManifest(this.session, ref, bytes, mediaType, options)).digest;
    }
    /** Deletes a tag where the registry allows it (see deleteTag in manifest-put). */
    deleteTag(ref, options) {
        return deleteTag(this.session, ref, options);
    }
    /** Referrers of `subject` (by digest): the referrers API, else the `sha256-<hex>` tag schema. */
    listReferrers(subject, artifactType) {
        return listReferrers(this.session, subject, artifactType);
    }
    /** Puts a manifest with a `subject`; keeps the tag-schema index when the registry does not. */
    pushReferrer(repo, manifest, mediaType) {
        return pushReferrer(this.session, repo, manifest, mediaType);
    }
    /**
     * Every tag of a repository (`GET tags/list`), following `Link: rel="next"` pages; a 404
     * NAME_UNKNOWN says the repository does not exist.
     */
    listTags(repo, options) {
        return listTags(this.session, repo, options);
    }
    /** Requests sent and not yet answered: what a timeout would interrupt now. */
    inFlight() {
        return this.session.transport.inFlight();
    }
    /** HTTP requests answered so far (registries' APIs and token servers); measure by difference. */
    requestCounts() {
        return this.session.transport.requestCounts();
    }
    /** Closes kept-alive connections. */
    close() {
        return this.session.transport.close();
    }
    send(access, req) {
        return this.session.send(access, req);
    }
    access(ref, actions, operation) {
        return this.session.access(ref, actions, operation);
    }
    headerDigest(access, header) {
        return this.session.headerDigest(access, header);
    }
    unexpected(access, response) {
        return this.session.unexpected(access, response);
    }
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/registry/build-time.ts
/**
 * When the image behind a tag was built, for the `newest-build` tag policy. The first of:
 * 1. the `org.opencontainers.image.created` annotation of the tag's manifest (image or index): it
 *    needs no further request, and the image spec defines it as the build time (annotations.md);
 * 2. for an index, the same for its first platform's manifest: the first image entry whose platform is
 *    not `unknown/unknown` (BuildKit lists attestations under that platform), as `docker pull` and
 *    Flux pick one image of a multi-platform tag rather than mixing platforms' times;
 * 3. the image config's `created` (config.md), fetched once per config digest.
 * Tags whose manifest is gone (404) or unusable (schema 1, not a manifest) have no build time, nor do
 * artifacts (a config that is not an image config); they are skipped, not failed on.
 *
 * Fetches run at most `concurrency` at a time. The pool is written here: it is ten lines, and p-limit
 * would be a new dependency for it.
 */



/** The annotation holding an image's build time (RFC 3339). */
const CREATED_ANNOTATION = 'org.opencontainers.image.created';
/** The build time of each tag that still names a manifest, in the order of `tags`. */
async function buildTimes(client, repo, tags, concurrency = 4) {
    const configs = new Map();
    const children = new Map();
    const configTime = (config) => {
        let known = configs.get(config.digest);
        if (!known) {
            known = client.fetchBlob(repo, config.digest).then(createdOfConfig);
            configs.set(config.digest, known);
        }
        return known;
    };
    const imageTime = (fetched) => {
        const annotated = parseCreated(fetched.manifest.annotations?.[CREATED_ANNOTATION]);
        if (annotated !== undefined)
            return Promise.resolve(annotated);
        if (fetched.kind === 'image') {
            const config = fetched.manifest.config;
            const isImage = config.mediaType === media_types/* OCI_CONFIG */.TF || config.mediaType === media_types/* DOCKER_CONFIG */.e6;
            return isImage ? configTime(config) : Promise.resolve(undefined);
        }
        const entry = firstPlatform(fetched.manifest.manifests);
        if (!entry)
            return Promise.resolve(undefined);
        let known = children.get(entry.digest);
        if (!known) {
            known = client.getManifest({ ...repo, digest: entry.digest }).then(imageTime);
            children.set(entry.digest, known);
        }
        return known;
    };
    const times = await inPool(tags, concurrency, async (tag) => {
        const fetched = await manifestOf(client, { ...repo, tag });
        if (!fetched)
            return undefined;
        const created = await imageTime(fetched);
        return { tag, digest: fetched.digest, ...(created !== undefined && { created }) };
    });
    return times.filter((time) => time !== undefined);
}
/** The tag's manifest, or undefined when it was removed since the listing or is unusable. */
async function manifestOf(client, ref) {
    try {
        return await client.getManifest(ref);
    }
    catch (error) {
        const skip = error instanceof errors/* RegistryError */.gl && (error.status === 404 || error.code === 'MANIFEST_INVALID');
        if (!skip)
            throw error;
        core/* debug */.Yz(`tag ${ref.tag} skipped for newest-build: ${error.message}`);
        return undefined;
    }
}
/** The first single-platform image of an index that is not an attestation (`unknown/unknown`). */
function firstPlatform(entries) {
    return entries.find((entry) => media_types/* IMAGE_MANIFEST_TYPES */.ML.includes(entry.mediaType) &&
        !(entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown'));
}
function createdOfConfig(bytes) {
    try {
        const config = JSON.parse(bytes.toString('utf8'));
        const created = config?.created;
        return typeof created === 'string' ? parseCreated(created) : undefined;
    }
    catch {
        // A config that is not JSON gives no build time; the tag is skipped like an artifact.
        return undefined;
    }
}
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9})\d*)?(Z|[+-]\d\d:\d\d)$/i;
/**
 * An RFC 3339 time as nanoseconds since the epoch. Nanoseconds, not Date's milliseconds: Go writes
 * `created` with up to nine fractional digits, and builds a few hundred µs apart must still order.
 */
function parseCreated(text) {
    const match = text === undefined ? null : RFC3339.exec(text);
    if (!match)
        return undefined;
    const [, seconds = '', fraction = '', zone = ''] = match;
    const ms = Date.parse(`${seconds}${zone}`.toUpperCase());
    if (Number.isNaN(ms))
        return undefined;
    return BigInt(ms) * 1000000n + BigInt(fraction.padEnd(9, '0'));
}
/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
async function inPool(items, limit, fn) {
    const results = [];
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const index = next++;
            try {
                results[index] = await fn(items[index]);
            }
            catch (error) {
                failed = true; // no new fetches once one has failed: the selection fails anyway
                throw error;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/registry/tag-policy.ts
/**
 * Tag policies: which of a repository's tags deploy-dev's poll mode runs now.
 * - `semver:<range>`: the highest semver tag (a leading `v` allowed) in the range, with npm semver's
 *   rules: a pre-release only fits a range that names a pre-release of the same major.minor.patch
 *   (`>=1.0.0-0` admits `1.0.0-rc.1`, not `1.1.0-rc.1`); build metadata orders by compareBuild.
 * - `newest-build`: the tag whose image was built last (build-time.ts says from what).
 * - `digest:<tag>`: the digest a moving tag points to now, with one HEAD.
 * - `alphabetical`: the last tag in ascending byte order; `numerical`: the highest decimal number.
 *   Both as Flux's ImagePolicy (https://fluxcd.io/flux/components/image/imagepolicies/).
 * A tag filter (a JavaScript regex) keeps the tags it matches; with a capture group (the one named
 * `value`, else the first) the captured text is what is compared. Ties go to the greater tag name.
 * Tags of the referrers tag schema and cosign (`sha256-<hex>`, `sha256-<hex>.sig`) are never
 * selected by a listing policy: they name signatures and attestations, not images to run.
 */





/** A policy that selected no tag; names the repository, policy, filter and what was there. */
class NoTagSelectedError extends Error {
    repository;
    policy;
    filter;
    considered;
    examples;
    constructor(repository, policy, filter, considered, examples, why) {
        const filtered = filter === undefined ? 'no tag-filter' : `tag-filter '${filter}'`;
        const seen = examples.length === 0 ? '' : `; e.g. ${examples.join(', ')}`;
        super(`No tag of ${repository} selected by policy '${policy}' (${filtered}): ${considered} ${considered === 1 ? 'tag' : 'tags'} considered, ${why}${seen}`);
        this.repository = repository;
        this.policy = policy;
        this.filter = filter;
        this.considered = considered;
        this.examples = examples;
        this.name = 'NoTagSelectedError';
    }
}
const ACCEPTED = 'one of: semver:<range> (e.g. semver:^1.2), newest-build, digest:<tag> (e.g. digest:dev), alphabetical, numerical';
/** The tag grammar of reference.ts (distribution's reference.go). */
const TAG = /^\w[\w.-]{0,127}$/;
const ARTIFACT_TAG = /^sha256-[0-9a-f]{64}(\.[a-z]+)?$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const EXAMPLES = 5;
/** Parses `semver:<range>`, `newest-build`, `digest:<tag>`, `alphabetical` or `numerical`. */
function parseTagPolicy(value, input = 'policy') {
    const text = value.trim();
    if (text === 'newest-build' || text === 'alphabetical' || text === 'numerical') {
        return { kind: text };
    }
    const colon = text.indexOf(':');
    const kind = text.slice(0, colon);
    const argument = text.slice(colon + 1).trim();
    if (colon !== -1 && kind === 'semver') {
        if (argument === '' || semver_default().validRange(argument) === null) {
            throw new action_errors/* InputError */.d(input, value, "a valid semver range after 'semver:' in npm semver syntax, e.g. semver:^1.2, semver:>=1.0.0 <2, semver:* (any release)");
        }
        return { kind: 'semver', range: argument };
    }
    if (colon !== -1 && kind === 'digest') {
        if (!TAG.test(argument)) {
            throw new action_errors/* InputError */.d(input, value, "a tag after 'digest:' (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -), e.g. digest:dev");
        }
        return { kind: 'digest', tag: argument };
    }
    throw new action_errors/* InputError */.d(input, value, ACCEPTED);
}
/** The policy as it is written in the input. */
function formatTagPolicy(policy) {
    if (policy.kind === 'semver')
        return `semver:${policy.range}`;
    if (policy.kind === 'digest')
        return `digest:${policy.tag}`;
    return policy.kind;
}
/** A tag filter: a JavaScript regular expression; empty is no filter. */
function parseTagFilter(value, input = 'tag-filter') {
    if (value.trim() === '')
        return undefined;
    try {
        return new RegExp(value);
    }
    catch (error) {
        throw new action_errors/* InputError */.d(input, value, `a JavaScript regular expression (${(0,action_errors/* messageOf */.b)(error)})`);
    }
}
/** The tag a name-only policy selects, or undefined when none fits. Pure. */
function pickTag(tags, policy, filter) {
    const candidates = candidatesOf(tags, filter);
    if (policy.kind === 'semver') {
        const ranked = candidates.flatMap(({ tag, value }) => {
            const version = semver_default().parse(value);
            return version && semver_default().satisfies(version, policy.range) ? [{ tag, key: version }] : [];
        });
        return highest(ranked, (semver_default()).compareBuild);
    }
    if (policy.kind === 'numerical') {
        const ranked = candidates.flatMap(({ tag, value }) => {
            const key = NUMBER.test(value) ? Number(value) : NaN;
            return Number.isFinite(key) ? [{ tag, key }] : [];
        });
        return highest(ranked, (a, b) => a - b);
    }
    return highest(candidates.map(({ tag, value }) => ({ tag, key: value })), byName);
}
/** Selects a tag of `repository` (its tag and digest are ignored) with the registry's help. */
async function selectTag(client, repository, policy, filter) {
    const before = client.requestCounts();
    const cost = () => {
        const after = client.requestCounts();
        return { requests: after.registry - before.registry, tokenRequests: after.token - before.token };
    };
    const repo = { registry: repository.registry, repository: repository.repository };
    const none = (tags, considered, why) => {
        throw new NoTagSelectedError((0,reference/* repositoryName */.aR)(repo), formatTagPolicy(policy), filter?.source, considered, examplesOf(tags, filter), why);
    };
    if (policy.kind === 'digest') {
        // The listing is read only to show examples when the tag is not there.
        if (filter && candidatesOf([policy.tag], filter).length === 0) {
            none(await client.listTags(repo), 1, `tag '${policy.tag}' does not match the tag-filter`);
        }
        const digest = await digestOf(client, { ...repo, tag: policy.tag });
        if (digest === undefined) {
            return none(await client.listTags(repo), 1, `tag '${policy.tag}' does not exist`);
        }
        return { tag: policy.tag, digest, considered: 1, ...cost() };
    }
    const tags = await client.listTags(repo);
    if (policy.kind === 'newest-build') {
        const names = candidatesOf(tags, filter).map(({ tag }) => tag);
        const newest = newestBuild(await buildTimes(client, repo, names));
        if (!newest)
            return none(tags, tags.length, whyNone(tags, filter, 'has a build time'));
        return { tag: newest.tag, digest: newest.digest, considered: tags.length, ...cost() };
    }
    const tag = pickTag(tags, policy, filter);
    if (tag === undefined)
        return none(tags, tags.length, whyNone(tags, filter, 'fits the policy'));
    return { tag, considered: tags.length, ...cost() };
}
/** The digest behind a tag (one HEAD), or undefined when the registry has no such manifest. */
async function digestOf(client, ref) {
    try {
        return await client.resolveDigest(ref);
    }
    catch (error) {
        if (error instanceof errors/* RegistryError */.gl && error.status === 404)
            return undefined;
        throw error;
    }
}
/** Tags that are not artifact tags and match the filter, with the text each is compared by. */
function candidatesOf(tags, filter) {
    // exec on a global or sticky regex starts at lastIndex; a copy without those flags does not.
    const pattern = filter && (filter.global || filter.sticky)
        ? new RegExp(filter.source, filter.flags.replace(/[gy]/g, ''))
        : filter;
    return tags.flatMap((tag) => {
        if (ARTIFACT_TAG.test(tag))
            return [];
        if (!pattern)
            return [{ tag, value: tag }];
        const match = pattern.exec(tag);
        if (!match)
            return [];
        const groups = match.groups;
        const value = groups && 'value' in groups ? groups.value : match.length > 1 ? match[1] : tag;
        // A group that took no part in the match leaves nothing to compare.
        return value === undefined ? [] : [{ tag, value }];
    });
}
/** The tag with the greatest key; equal keys go to the greater tag name. */
function highest(ranked, compare) {
    let best;
    for (const item of ranked) {
        if (!best)
            best = item;
        else {
            const order = compare(item.key, best.key) || byName(item.tag, best.tag);
            if (order > 0)
                best = item;
        }
    }
    return best?.tag;
}
function newestBuild(times) {
    const known = times.flatMap((t) => (t.created === undefined ? [] : [{ ...t, key: t.created }]));
    const tag = highest(known, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return known.find((t) => t.tag === tag);
}
/** Byte order (as Go's sort.Strings, which Flux uses), not the locale's. */
function byName(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function whyNone(tags, filter, fits) {
    if (tags.length === 0)
        return 'the repository has no tags';
    const kept = candidatesOf(tags, filter).length;
    if (filter) {
        return kept === 0
            ? 'none matched the tag-filter'
            : `${kept} matched the tag-filter, none ${fits}`;
    }
    const ignored = tags.length - kept;
    return `none ${fits}${ignored > 0 ? ` (${ignored} signature/attestation tags ignored)` : ''}`;
}
/** A few tags to show: the greatest names among the filter's matches, else among all tags. */
function examplesOf(tags, filter) {
    const matched = candidatesOf(tags, filter).map(({ tag }) => tag);
    const pool = matched.length > 0 ? matched : [...tags];
    return pool.sort(byName).slice(-EXAMPLES);
}

;// CONCATENATED MODULE: ./src/registry/tag-write.ts


/** A failed tag write: the failed write's RegistryError, with where every tag points now. */
class TagWriteError extends errors/* RegistryError */.gl {
    states;
    constructor(failed, 
    /** One phrase per tag, e.g. `latest put back to sha256:…`, `1.0.0 not written, not created`. */
    states, target) {
        super({
            server: failed.server,
            operation: failed.operation,
            status: failed.status,
            code: failed.code,
            message: `${failed.message}; no tag moved to ${tag_write_short(target)}: ${states.join('; ')}`,
            cause: failed
        });
        this.states = states;
        this.name = 'TagWriteError';
    }
}
/** How long putting one tag back may take. */
const PUT_BACK_TIMEOUT_MS = 30_000;
function tag_write_short(digest) {
    return digest.slice(0, 'sha256:'.length + 12);
}
async function previousOf(client, ref) {
    try {
        const fetched = await client.getManifest(ref);
        return { digest: fetched.digest, bytes: fetched.bytes, mediaType: fetched.mediaType };
    }
    catch (error) {
        if (error instanceof errors/* RegistryError */.gl && error.status === 404)
            return undefined;
        throw error;
    }
}
/**
 * Points each of `tags` of `repository` at `target`, in order; returns the tags written. On a
 * failure, puts back what was written and throws a RegistryError of the failed write whose message
 * ends with every tag's final state.
 */
async function writeTags(client, repository, tags, target, log = () => undefined) {
    const at = (tag) => ({
        registry: repository.registry,
        repository: repository.repository,
        tag
    });
    const previous = await Promise.all(tags.map((tag) => previousOf(client, at(tag))));
    const written = [];
    const order = [
        ...[...tags.keys()].filter((i) => previous[i] !== undefined),
        ...[...tags.keys()].filter((i) => previous[i] === undefined)
    ];
    for (const i of order) {
        const tag = tags[i];
        if (previous[i]?.digest === target.digest)
            continue;
        try {
            await client.putManifest(at(tag), target.bytes, target.mediaType);
            written.push(i);
        }
        catch (error) {
            const states = await putBack(client, tags, previous, written, i, target, at);
            if (!(error instanceof errors/* RegistryError */.gl))
                throw error;
            throw new TagWriteError(error, states, target.digest);
        }
    }
    for (const tag of tags)
        log(`tag ${tag} points at ${target.digest}`);
    return tags.filter((_, i) => written.includes(i));
}
/** Undoes `written` (newest first) and says where every tag points now. */
async function putBack(client, tags, previous, written, failed, target, at) {
    const states = new Map();
    for (const i of [...written].reverse()) {
        const tag = tags[i];
        const before = previous[i];
        // Its own bound, not the client's signal: after a stage's timeout the tags must still go back.
        const options = { signal: AbortSignal.timeout(PUT_BACK_TIMEOUT_MS) };
        try {
            if (before) {
                await client.putManifest(at(tag), before.bytes, before.mediaType, options);
                states.set(i, `${tag} put back to ${tag_write_short(before.digest)}`);
            }
            else {
                await client.deleteTag(at(tag), options);
                states.set(i, `${tag} (new) deleted`);
            }
        }
        catch (error) {
            states.set(i, `${tag} STILL POINTS AT ${tag_write_short(target.digest)} (${before ? `was ${tag_write_short(before.digest)}` : 'new'}; putting it back failed: ${(0,action_errors/* messageOf */.b)(error)})`);
        }
    }
    return tags.map((tag, i) => {
        const state = states.get(i);
        if (state)
            return state;
        const before = previous[i];
        const where = before ? `still at ${tag_write_short(before.digest)}` : 'not created';
        if (before?.digest === target.digest)
            return `${tag} already at ${tag_write_short(target.digest)}`;
        return i === failed ? `${tag} not written, ${where}` : `${tag} ${where}`;
    });
}

// EXTERNAL MODULE: ./src/action/summary.ts
var summary = __webpack_require__(8770);
;// CONCATENATED MODULE: ./src/registry/copy-progress.ts
/**
 * Progress of a copy's blob phase for people watching a long copy: bytes copied of the total,
 * blobs done of the total and the rate, e.g. `copied 412 MB of 1.2 GB (7 of 12 blobs), 38 MB/s`.
 * The counts only grow: a blob restarted from the source counts the bytes it had reached once.
 */


/** How often a long copy says how far it is, unless told otherwise. */
const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;
/** Counts blobs and bytes as they move. */
class CopyProgress {
    totalBytes;
    totalBlobs;
    started = performance.now();
    blobsDone = 0;
    bytesDone = 0;
    /** Per blob in flight, the most bytes any attempt reached. */
    reached = new Map();
    /** Every byte streamed, restarts included: what the rate is made of. */
    streamed = 0;
    constructor(totalBytes, totalBlobs) {
        this.totalBytes = totalBytes;
        this.totalBlobs = totalBlobs;
    }
    /** `stream` with its bytes counted towards `digest`; errors and destruction pass both ways. */
    counted(digest, stream) {
        let attempt = 0;
        const counter = new external_node_stream_.Transform({
            transform: (chunk, _encoding, done) => {
                attempt += chunk.length;
                this.streamed += chunk.length;
                this.reached.set(digest, Math.max(this.reached.get(digest) ?? 0, attempt));
                done(null, chunk);
            }
        });
        stream.on('error', (error) => counter.destroy(error));
        counter.on('close', () => stream.destroy());
        return stream.pipe(counter);
    }
    /** A blob is done (copied, mounted or found present): it counts with its whole size. */
    finished(digest, size) {
        this.reached.delete(digest);
        this.blobsDone++;
        this.bytesDone += size;
    }
    /** The progress line now. */
    line() {
        let copied = this.bytesDone;
        for (const n of this.reached.values())
            copied += n;
        const seconds = (performance.now() - this.started) / 1000;
        const rate = seconds > 0 ? this.streamed / seconds : 0;
        return `copied ${(0,summary/* bytes */.ee)(copied)} of ${(0,summary/* bytes */.ee)(this.totalBytes)} (${this.blobsDone} of ${this.totalBlobs} blobs), ${(0,summary/* bytes */.ee)(Math.round(rate))}/s`;
    }
    /** Calls `log` with a line every `intervalMs` until the returned function is called. */
    every(intervalMs, log) {
        const timer = setInterval(() => log(this.line()), intervalMs);
        timer.unref();
        return () => clearInterval(timer);
    }
}

;// CONCATENATED MODULE: ./src/registry/copy-blobs.ts


/** Transfers `blobs`, at most `concurrency` at a time; the first failure stops the rest. */
async function copyBlobs(ctx, blobs) {
    const counts = { blobs: 0, mounted: 0, skipped: 0, bytes: 0 };
    const progress = new CopyProgress(blobs.reduce((sum, blob) => sum + blob.size, 0), blobs.length);
    const stop = ctx.dryRun
        ? () => undefined
        : progress.every(ctx.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS, ctx.log);
    try {
        await eachLimited(blobs, ctx.concurrency, async (blob) => {
            const outcome = await copyBlob(ctx, blob, progress);
            progress.finished(blob.digest, blob.size);
            count(counts, outcome, blob.size);
            const verb = { skipped: 'present', mounted: 'mounted', uploaded: 'copied' }[outcome];
            ctx.log(`blob ${blob.digest} (${blob.size} bytes): ${ctx.dryRun ? `would be ${verb}` : verb}`);
        });
    }
    finally {
        stop();
    }
    return counts;
}
function count(counts, outcome, size) {
    if (outcome === 'skipped')
        counts.skipped++;
    if (outcome === 'mounted')
        counts.mounted++;
    if (outcome === 'uploaded') {
        counts.blobs++;
        counts.bytes += size;
    }
}
async function copyBlob(ctx, blob, progress) {
    const { client, source, destination } = ctx;
    const dest = (work) => sided(work, 'destination', destination.registry);
    if (await dest(client.blobExists(destination, blob.digest)))
        return 'skipped';
    const sameRegistry = source.registry === destination.registry;
    if (ctx.dryRun)
        return sameRegistry ? 'mounted' : 'uploaded';
    let location;
    if (sameRegistry) {
        const mount = await dest(client.mountBlob(destination, blob.digest, source.repository));
        if (mount.mounted)
            return 'mounted';
        location = mount.location;
    }
    const open = async () => progress.counted(blob.digest, await sided(openSource(client, source, blob), 'source', source.registry));
    const options = {
        ...(location !== undefined && { location }),
        ...(ctx.chunkSize !== undefined && { chunkSize: ctx.chunkSize })
    };
    await dest(client.uploadBlob(destination, blob, open, options));
    return 'uploaded';
}
/** The source blob as a stream whose errors name the source. */
function openSource(client, source, blob) {
    return client.openBlob(source, blob, 'source');
}
/** `work`, its RegistryError naming `side` unless it names one already. */
async function sided(work, side, registry) {
    try {
        return await work;
    }
    catch (error) {
        throw (0,errors/* onSide */.DE)(error, side, registry);
    }
}
/** Runs `fn` over `items` with at most `limit` at once; waits for those started, then throws the first failure. */
async function eachLimited(items, limit, fn) {
    let next = 0;
    let failure;
    const worker = async () => {
        while (failure === undefined && next < items.length) {
            const item = items[next++];
            try {
                await fn(item);
            }
            catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    if (failure)
        throw failure.error;
}
/** `fn` of each of `items`, at most `limit` at once, in the order of `items`; the first failure throws. */
async function mapLimited(items, limit, fn) {
    const results = new Array(items.length);
    const indexed = items.map((item, i) => ({ item, i }));
    await eachLimited(indexed, limit, async ({ item, i }) => {
        results[i] = await fn(item);
    });
    return results;
}

;// CONCATENATED MODULE: ./src/registry/copy-plan.ts

/** Plans a copy of `graph`; throws when it holds no manifests. */
function planCopy(graph) {
    const root = graph.manifests.at(-1);
    if (root === undefined)
        throw new Error('nothing to copy: the source graph holds no manifests');
    const blobs = new Map();
    const steps = [];
    const add = (node, referrer) => {
        for (const blob of blobsOf(node.parsed))
            if (!blobs.has(blob.digest))
                blobs.set(blob.digest, blob);
        if (!steps.some((s) => s.node.digest === node.digest))
            steps.push({ node, referrer });
    };
    for (const node of graph.manifests)
        add(node, false);
    for (const group of graph.referrers) {
        group.forEach((node, i) => add(node, i === group.length - 1));
    }
    return { root, blobs: [...blobs.values()], steps };
}
/** The blobs an image manifest names: config, then layers; foreign layers (kept elsewhere) are left out. */
function blobsOf(parsed) {
    if (parsed.kind === 'index')
        return [];
    const { config, layers } = parsed.manifest;
    return [config, ...layers].filter((d) => d.mediaType !== media_types/* DOCKER_FOREIGN_LAYER */.Wk && !d.urls?.length);
}
/** The manifests an index names (for an image: none). */
function childrenOf(parsed) {
    return parsed.kind === 'index' ? [...parsed.manifest.manifests] : [];
}
/**
 * The platforms of an image: `os/architecture[/variant]` of each index entry, in index order, or of
 * the image's configuration for a single image (`config` is its JSON; undefined when unknown).
 */
function platformsOf(parsed, config) {
    if (parsed.kind === 'index') {
        return parsed.manifest.manifests.map((m) => m.platform ? platformName(m.platform) : 'unknown/unknown');
    }
    if (config === undefined)
        return [];
    try {
        const { os, architecture, variant } = JSON.parse(config.toString('utf8'));
        if (typeof os !== 'string' || typeof architecture !== 'string')
            return [];
        return [platformName({ os, architecture, ...(typeof variant === 'string' && { variant }) })];
    }
    catch {
        // Not an image configuration (an artifact's config): it is for no platform.
        return [];
    }
}
function platformName(p) {
    return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
/** The digests a destination lacks, from `present` (the referrers listed there). */
function missingReferrers(source, present) {
    return source.filter((d) => !present.includes(d));
}

;// CONCATENATED MODULE: ./src/registry/copy-verify.ts


/**
 * Checks the destination: each tag's digest, the platforms (from the config `configDigest`, for
 * an image), and the referrers of each subject, all at once; the first failing check, in that
 * order, is the error.
 */
async function verifyCopy(client, image, tags, platforms, subjects, configDigest) {
    const fail = (what) => new errors/* RegistryError */.gl({
        server: image.registry,
        operation: 'verify copy',
        code: 'VERIFY_FAILED',
        message: `registry ${image.registry}: after the copy, ${what}`
    });
    const repo = { registry: image.registry, repository: image.repository };
    const checks = [
        ...tags.map(async (tag) => {
            const found = await client.resolveDigest({ ...repo, tag });
            if (found !== image.digest)
                throw fail(`tag ${tag} points at ${found}, not ${image.digest}`);
        }),
        (async () => {
            // The manifest read is checked against the digest, so it names the source's config: the
            // config is read at the same time.
            const early = configDigest && client.fetchBlob(image, configDigest);
            // Awaited below, or unwanted when the manifest read fails.
            early?.catch(() => undefined);
            const copied = await client.getManifest(image);
            const named = copied.kind === 'image' ? copied.manifest.config.digest : undefined;
            const config = named === undefined
                ? undefined
                : await (named === configDigest && early ? early : client.fetchBlob(image, named));
            const there = platformsOf(copied, config);
            if (there.join(',') !== platforms.join(',')) {
                throw fail(`the platforms are ${there.join(', ') || 'none'}, not ${platforms.join(', ')}`);
            }
        })(),
        ...[...subjects].map(async ([subject, wanted]) => {
            const listed = await client.listReferrers({ ...image, digest: subject });
            const missing = missingReferrers(wanted, listed.map((d) => d.digest));
            if (missing.length > 0)
                throw fail(`${subject} lacks the referrers ${missing.join(', ')}`);
        })
    ];
    const failed = (await Promise.allSettled(checks)).find((c) => c.status === 'rejected');
    if (failed)
        throw failed.reason;
}

;// CONCATENATED MODULE: ./src/registry/copy.ts







/** Manifests read from the source at once. */
const READ_CONCURRENCY = 8;
/** A copy asked for that cannot be done: the destination is the source. */
class InvalidCopyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InvalidCopyError';
    }
}
/** Copies `source` (a digest, or a tag resolved once) to the repository of `destination`. */
async function copyImage(client, source, destination, options = {}) {
    const log = options.log ?? (() => undefined);
    const dest = { registry: destination.registry, repository: destination.repository };
    if ((0,reference/* repositoryName */.aR)(source) === (0,reference/* repositoryName */.aR)(dest)) {
        throw new InvalidCopyError(`destination ${(0,reference/* repositoryName */.aR)(dest)} is the source repository; copy to another repository or registry`);
    }
    const src = (work) => sided(work, 'source', source.registry);
    const dst = (work) => sided(work, 'destination', dest.registry);
    const digest = source.digest ?? (await src(client.resolveDigest(source)));
    const from = { registry: source.registry, repository: source.repository, digest };
    if (source.digest === undefined)
        log(`source ${source.repository}:${source.tag} is ${digest}`);
    const graph = await src(readSource(client, from, options.referrers ?? true));
    const plan = planCopy(graph);
    const root = plan.root;
    const dryRun = options.dryRun ?? false;
    // Asked while the blobs move: which manifests the destination has, and the source's platforms.
    const present = new Map(plan.steps
        .filter((step) => !step.referrer)
        .map((step) => [
        step.node.digest,
        later(dst(manifestExists(client, { ...dest, digest: step.node.digest })))
    ]));
    const config = later(src(configOf(client, from, root)));
    const blobs = await copyBlobs({
        client,
        source: from,
        destination: dest,
        concurrency: options.concurrency ?? 4,
        dryRun,
        log,
        ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }),
        ...(options.progressIntervalMs !== undefined && {
            progressIntervalMs: options.progressIntervalMs
        })
    }, plan.blobs);
    const platforms = platformsOf(root.parsed, await config);
    const manifests = await dst(putSteps(client, dest, plan.steps, present, dryRun));
    const tags = [...(options.tags ?? [])];
    // one at a time, each put back when a later one fails (tag-write.ts)
    if (!dryRun) {
        await dst(writeTags(client, dest, tags, { digest, bytes: root.bytes, mediaType: root.parsed.mediaType }));
        options.onTagged?.(tags);
    }
    for (const tag of tags)
        log(`tag ${(0,reference/* repositoryName */.aR)(dest)}:${tag} ${dryRun ? 'would point' : 'points'} at ${digest}`);
    const referrers = plan.steps.filter((s) => s.referrer).map((s) => s.node.digest);
    const configDigest = root.parsed.kind === 'image' ? root.parsed.manifest.config.digest : undefined;
    if (!dryRun) {
        await dst(verifyCopy(client, { ...dest, digest }, tags, platforms, graph.subjects, configDigest));
    }
    return {
        digest,
        mediaType: root.parsed.mediaType,
        pinned: (0,reference/* pinnedReference */.ct)(dest, digest),
        platforms,
        tags,
        copied: { ...blobs, manifests },
        referrers
    };
}
/** The source's manifests (children first) and referrers, with each subject's referrer digests. */
async function readSource(client, image, withReferrers) {
    const list = (digest) => client.listReferrers({ ...image, digest });
    // The image's referrers are listed while its manifest is read.
    const ofRoot = withReferrers ? later(list(image.digest)) : undefined;
    const manifests = await readTree(client, image);
    const referrers = [];
    const subjects = new Map();
    if (ofRoot !== undefined) {
        const listed = await mapLimited(manifests, READ_CONCURRENCY, (m) => m.digest === image.digest ? ofRoot : list(m.digest));
        manifests.forEach((m, i) => subjects.set(m.digest, listed[i].map((d) => d.digest)));
        const all = listed.flat();
        referrers.push(...(await mapLimited(all, READ_CONCURRENCY, (r) => readTree(client, { ...image, digest: r.digest }))));
    }
    return { manifests, referrers, subjects };
}
/** A manifest and everything it names, each after those it names. */
async function readTree(client, ref) {
    const fetched = await client.getManifest(ref);
    const node = { digest: fetched.digest, bytes: fetched.bytes, parsed: fetched };
    const below = await mapLimited(childrenOf(fetched), READ_CONCURRENCY, (child) => readTree(client, { ...ref, digest: child.digest }));
    return [...below.flat(), node];
}
/** The image configuration of a single image, for its platform; undefined for an index. */
async function configOf(client, image, root) {
    if (root.parsed.kind !== 'image')
        return undefined;
    return client.fetchBlob(image, root.parsed.manifest.config.digest);
}
/**
 * Puts the manifests, each once all it names (and, for a referrer, its subject) is put; manifests
 * that do not wait on each other go at once, but one subject's referrers go one at a time, as each
 * may rewrite the subject's tag-schema index. Returns how many were put.
 */
async function putSteps(client, dest, steps, present, dryRun) {
    const done = new Map();
    const lastReferrer = new Map();
    for (const step of steps) {
        const subject = step.referrer ? step.node.parsed.manifest.subject?.digest : undefined;
        const before = [
            ...childrenOf(step.node.parsed).map((child) => done.get(child.digest)),
            ...(subject === undefined ? [] : [done.get(subject), lastReferrer.get(subject)])
        ];
        const put = later(Promise.all(before).then(() => putStep(client, dest, step, dryRun, present.get(step.node.digest))));
        done.set(step.node.digest, put);
        if (subject !== undefined)
            lastReferrer.set(subject, put);
    }
    return (await Promise.all(done.values())).filter(Boolean).length;
}
/** Puts one manifest unless the destination has it (a referrer: unless it is listed); true when put. */
async function putStep(client, dest, step, dryRun, present) {
    const { node } = step;
    const subject = node.parsed.manifest.subject;
    if (step.referrer && subject !== undefined) {
        const listed = await client.listReferrers({ ...dest, digest: subject.digest });
        if (listed.some((d) => d.digest === node.digest))
            return false;
        if (!dryRun)
            await client.pushReferrer(dest, node.bytes, node.parsed.mediaType);
        return true;
    }
    if (await (present ?? manifestExists(client, { ...dest, digest: node.digest })))
        return false;
    if (!dryRun)
        await client.putManifest({ ...dest, digest: node.digest }, node.bytes, node.parsed.mediaType);
    return true;
}
async function manifestExists(client, ref) {
    try {
        await client.headManifest(ref);
        return true;
    }
    catch (error) {
        if (error instanceof errors/* RegistryError */.gl && error.status === 404)
            return false;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/registry/index.ts
/**
 * The OCI distribution client: references, credentials and authentication, manifests and blobs,
 * copies by digest (every platform, every referrer), tag writes that put back what they moved,
 * tag policies that pick the newest image, and the referrers API with its tag fallback.
 */
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

/** A remote failure naming server, operation, status, distribution error code and copy side. */

/** Names the side of a copy (source or destination) in a RegistryError's message. */

/** Parses every challenge of a `WWW-Authenticate` header. */

/** What a bearer token grants, and its `repository:<name>:<actions>` form. */

/** Whether a failed registry call is worth another attempt. */

/** Finds credentials: explicit, containers auth.json, docker config (helpers, auths). */

/** GCR / Artifact Registry credentials from an OAuth2 access token. */

/** A docker-credential helper failed for a reason other than "not found". */

/** The registry client and its options and results. */

/** Parses the `policy` input: semver:<range>, newest-build, digest:<tag>, alphabetical, numerical. */

/** Parses the `tag-filter` input (a JavaScript regex; empty is none). */

/** A tag policy as it is written in the input. */

/** The tag a name-only policy (semver, alphabetical, numerical) picks from a list. Pure. */

/** Selects the tag (and, when fetched, its digest) a policy chooses in a repository now. */

/** A policy that selected no tag: names repository, policy, filter, tags considered, examples. */

/** When the image behind each tag was built (annotation or config `created`), for newest-build. */

/** A failed tag write, with where every tag points now (`states`). */

/** Copies an image by digest (all platforms, referrers) between repositories or registries, tags last. */

/** A copy that cannot be done, such as to the source repository itself. */

/** The pure plan of a copy: blobs once each, manifests children first, referrers after subjects. */

/** Referrers tag schema: the `sha256-<hex>` tag, the listing descriptor, adding to the index. */



/***/ }),

/***/ 506:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ng: () => (/* binding */ parseManifest),
/* harmony export */   ol: () => (/* binding */ digestOf),
/* harmony export */   t4: () => (/* binding */ InvalidManifestError)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9867);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9310);
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
    return `${algorithm}:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** Parses manifest bytes served with `contentType`; validates the shape and schemaVersion 2. */
function parseManifest(bytes, contentType) {
    const headerType = contentType?.split(';')[0].trim().toLowerCase() ?? '';
    if (headerType === _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .DOCKER_SCHEMA1 */ .kj || headerType === _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .DOCKER_SCHEMA1_SIGNED */ .n$)
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
    if (_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .INDEX_TYPES */ .V.includes(mediaType)) {
        return { kind: 'index', mediaType, manifest: indexOf(body) };
    }
    return { kind: 'image', mediaType, manifest: imageOf(body, mediaType) };
}
function schema1() {
    return new InvalidManifestError('manifest is Docker schema 1, which is deprecated and not supported; push the image again with a current builder');
}
/** The media type: the body's, else the Content-Type's, else guessed from the fields present. */
function mediaTypeOf(body, headerType) {
    const known = [..._media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .IMAGE_MANIFEST_TYPES */ .ML, ..._media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .INDEX_TYPES */ .V];
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
        return _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .OCI_INDEX */ .$p;
    if (isObject(body.config))
        return _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .OCI_MANIFEST */ .EG;
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
        digest = (0,_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .parseDigest */ .m)(stringField(value.digest, `${where}.digest`));
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


/***/ }),

/***/ 9867:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $p: () => (/* binding */ OCI_INDEX),
/* harmony export */   BQ: () => (/* binding */ OCI_LAYER_GZIP),
/* harmony export */   EG: () => (/* binding */ OCI_MANIFEST),
/* harmony export */   ML: () => (/* binding */ IMAGE_MANIFEST_TYPES),
/* harmony export */   QP: () => (/* binding */ OCI_LAYER),
/* harmony export */   TF: () => (/* binding */ OCI_CONFIG),
/* harmony export */   V: () => (/* binding */ INDEX_TYPES),
/* harmony export */   Vv: () => (/* binding */ DOCKER_MANIFEST),
/* harmony export */   Wk: () => (/* binding */ DOCKER_FOREIGN_LAYER),
/* harmony export */   aH: () => (/* binding */ OCI_LAYER_ZSTD),
/* harmony export */   dY: () => (/* binding */ MANIFEST_ACCEPT),
/* harmony export */   e6: () => (/* binding */ DOCKER_CONFIG),
/* harmony export */   g1: () => (/* binding */ OCI_EMPTY),
/* harmony export */   kj: () => (/* binding */ DOCKER_SCHEMA1),
/* harmony export */   m6: () => (/* binding */ DOCKER_MANIFEST_LIST),
/* harmony export */   n$: () => (/* binding */ DOCKER_SCHEMA1_SIGNED),
/* harmony export */   n2: () => (/* binding */ DOCKER_LAYER)
/* harmony export */ });
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


/***/ })

};

//# sourceMappingURL=550.index.js.map