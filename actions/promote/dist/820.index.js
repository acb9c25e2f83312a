export const id = 820;
export const ids = [820];
export const modules = {

/***/ 2820:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  credentialMap: () => (/* binding */ credentialMap),
  describeCopy: () => (/* binding */ describeCopy),
  fullTags: () => (/* binding */ fullTags),
  pinned: () => (/* binding */ pinned),
  previousImage: () => (/* binding */ previousImage),
  resolveSource: () => (/* binding */ resolveSource),
  writeReleaseSummary: () => (/* binding */ writeReleaseSummary)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var core = __webpack_require__(3218);
;// CONCATENATED MODULE: ./src/action/summary.ts

/** Writes a job summary section: a heading, a two-column table, and optional notes below. */
async function writeSummary(heading, rows, notes = []) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = core/* summary */.z.addHeading(heading, 3).addTable([
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

// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
// EXTERNAL MODULE: ./src/registry/errors.ts
var errors = __webpack_require__(6764);
;// CONCATENATED MODULE: ./src/actions/promote/release.ts



/** Credentials per registry; on one registry the destination's win, as they must also mount. */
function credentialMap(inputs) {
    const map = {};
    if (inputs.sourceCredentials)
        map[inputs.source.registry] = inputs.sourceCredentials;
    if (inputs.destinationCredentials)
        map[inputs.destination.registry] = inputs.destinationCredentials;
    return map;
}
/** `registry/repository@digest`. */
function pinned(ref) {
    return (0,reference/* pinnedReference */.ct)(ref, ref.digest);
}
/** The source by digest: a tag is resolved once, and that digest is what moves on. */
async function resolveSource(client, source) {
    try {
        const digest = source.digest ?? (await client.resolveDigest(source));
        const resolved = { registry: source.registry, repository: source.repository, digest };
        if (source.digest === undefined)
            core/* info */.pq(`${(0,reference/* repositoryName */.aR)(source)}:${source.tag} is ${digest}`);
        else
            await client.headManifest(resolved); // the digest must exist before anything else happens
        return resolved;
    }
    catch (error) {
        throw (0,errors/* onSide */.DE)(error, 'source', source.registry);
    }
}
/** One line on what the copy did, saying so when there was nothing to do. */
function describeCopy(result, dryRun) {
    const c = result.copied;
    if (c.blobs === 0 && c.mounted === 0 && c.manifests === 0) {
        return `Nothing to copy: ${result.pinned} already holds every blob and manifest (${c.skipped} blobs checked)`;
    }
    const verb = dryRun ? 'Would copy' : 'Copied';
    return `${verb} ${c.blobs} blobs (${bytes(c.bytes)}), mounted ${c.mounted}, skipped ${c.skipped}, ${c.manifests} manifests, ${result.referrers.length} referrers`;
}
/** The destination tags as full references, as build-image outputs them. */
function fullTags(inputs, result) {
    return result.tags.map((tag) => `${(0,reference/* repositoryName */.aR)(inputs.destination)}:${tag}`);
}
/** What the first destination tag points to now, or undefined when it does not exist. */
async function previousImage(client, inputs) {
    if (inputs.tags.length === 0)
        return undefined;
    try {
        const head = await client.headManifest({ ...inputs.destination, tag: inputs.tags[0] });
        return (0,reference/* pinnedReference */.ct)(inputs.destination, head.digest);
    }
    catch (error) {
        if (error instanceof errors/* RegistryError */.gl && error.status === 404)
            return undefined;
        throw error;
    }
}
/** The job summary of a release. */
async function writeReleaseSummary(inputs, result, previous) {
    const c = result.copied;
    await writeSummary(inputs.dryRun ? 'Release planned (dry run)' : 'Released', [
        ['source', code((0,reference/* pinnedReference */.ct)(inputs.source, result.digest))],
        ['destination', code(result.pinned)],
        ['tags', fullTags(inputs, result).map(code).join('<br>') || '—'],
        ['platforms', result.platforms.join(', ') || 'one'],
        ['evidence required', inputs.requireEvidence.join(', ') || 'none'],
        ['previous', previous ? code(previous) : '—'],
        [
            'blobs',
            `${c.blobs} copied (${bytes(c.bytes)}), ${c.mounted} mounted, ${c.skipped} already there`
        ],
        ['referrers', String(result.referrers.length)]
    ], [describeCopy(result, inputs.dryRun)]);
}


/***/ }),

/***/ 6764:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $C: () => (/* binding */ statusError),
/* harmony export */   CA: () => (/* binding */ errorCode),
/* harmony export */   DE: () => (/* binding */ onSide),
/* harmony export */   DZ: () => (/* binding */ unreachableError),
/* harmony export */   bD: () => (/* binding */ messageOf),
/* harmony export */   gl: () => (/* binding */ RegistryError)
/* harmony export */ });
/* unused harmony export distributionError */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);

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


/***/ })

};

//# sourceMappingURL=820.index.js.map