export const id = 835;
export const ids = [835];
export const modules = {

/***/ 4835:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkCaches: () => (/* binding */ checkCaches),
/* harmony export */   checkPushAccess: () => (/* binding */ checkPushAccess),
/* harmony export */   readBack: () => (/* binding */ readBack)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9044);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8055);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9310);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6764);



/**
 * Says before the build when a layer cache to read is not there yet or cannot be read: the build
 * then runs cold (the builders carry on without it), and the log should say why it was slow.
 * Only registry caches are asked; buildx's other kinds (`type=gha`, …) are its own business.
 */
async function checkCaches(client, entries, cacheSpec) {
    const warnings = [];
    for (const entry of entries) {
        const spec = cacheSpec(entry);
        if (spec.type !== 'registry' || !spec.ref)
            continue;
        let warning;
        try {
            const tags = await client.listTags((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(spec.ref));
            if (tags.length === 0)
                warning = `The layer cache ${spec.ref} is empty: this build runs cold`;
        }
        catch (error) {
            warning =
                error instanceof _registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .RegistryError */ .gl && error.status === 404
                    ? `No layer cache at ${spec.ref} yet: this build runs cold`
                    : `The layer cache ${spec.ref} cannot be read (${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .messageOf */ .b)(error)}): this build runs cold`;
        }
        if (warning) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(warning);
            warnings.push(warning);
        }
    }
    return warnings;
}
/** Fails before the build when any tag's repository refuses a push (or the registry is down). */
async function checkPushAccess(client, tags) {
    const repositories = new Map(tags.map((tag) => {
        const ref = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(tag);
        return [`${ref.registry}/${ref.repository}`, ref];
    }));
    for (const [name, ref] of repositories) {
        await client.checkPushAccess(ref);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${name}: reachable, push allowed`);
    }
}
/**
 * Resolves every pushed tag at its registry and requires one digest for all of them, equal to the
 * builder's own report when it gave one: the output names what the registry serves, never a local id.
 */
async function readBack(client, tags, reported) {
    const refs = tags.map((tag) => (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseReference */ .F2)(tag));
    const heads = await Promise.all(refs.map((ref) => client.headManifest(ref)));
    const digests = new Set(heads.map((head) => head.digest));
    if (digests.size !== 1) {
        const listing = refs.map((ref, i) => `${ref.tag} → ${heads[i].digest}`).join(', ');
        throw new Error(`The pushed tags resolve to different digests (${listing}); another push raced this one`);
    }
    const digest = heads[0].digest;
    if (reported !== undefined && reported !== digest) {
        throw new Error(`The builder reported ${reported} but ${tags[0]} serves ${digest}; another push raced this one`);
    }
    const fetched = await client.getManifest({ ...refs[0], tag: undefined, digest: heads[0].digest });
    let size = 0;
    const platforms = [];
    if (fetched.kind === 'index') {
        for (const entry of fetched.manifest.manifests) {
            const child = await client.getManifest({ ...refs[0], tag: undefined, digest: entry.digest });
            if (child.kind === 'image')
                size += imageSize(child.manifest);
            const p = entry.platform;
            if (p)
                platforms.push([p.os, p.architecture, p.variant].filter(Boolean).join('/'));
        }
    }
    else {
        size = imageSize(fetched.manifest);
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${tags.length} tag(s) serve ${digest}`);
    return {
        digest,
        pinned: (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_1__/* .pinnedReference */ .ct)(refs[0], digest),
        mediaType: fetched.mediaType,
        size,
        platforms
    };
}
function imageSize(manifest) {
    return manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
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


/***/ })

};

//# sourceMappingURL=835.index.js.map