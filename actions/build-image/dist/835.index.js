export const id = 835;
export const ids = [835,340];
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
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8055);
/* harmony import */ var _image_build_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5219);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9310);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6764);




/**
 * Says before the build when a layer cache to read is not there yet or cannot be read: the build
 * then runs cold (the builders carry on without it), and the log should say why it was slow.
 * Only registry caches are asked; buildx's other kinds (`type=gha`, …) are its own business.
 */
async function checkCaches(client, entries) {
    const warnings = [];
    for (const entry of entries) {
        const spec = (0,_image_build_index_js__WEBPACK_IMPORTED_MODULE_1__/* .cacheSpec */ .Ye)(entry);
        if (spec.type !== 'registry' || !spec.ref)
            continue;
        let warning;
        try {
            const tags = await client.listTags((0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(spec.ref));
            if (tags.length === 0)
                warning = `The layer cache ${spec.ref} is empty: this build runs cold`;
        }
        catch (error) {
            warning =
                error instanceof _registry_index_js__WEBPACK_IMPORTED_MODULE_3__/* .RegistryError */ .gl && error.status === 404
                    ? `No layer cache at ${spec.ref} yet: this build runs cold`
                    : `The layer cache ${spec.ref} cannot be read (${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .b)(error)}): this build runs cold`;
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
        const ref = (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(tag);
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
    const refs = tags.map((tag) => (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseReference */ .F2)(tag));
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
        pinned: (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .pinnedReference */ .ct)(refs[0], digest),
        mediaType: fetched.mediaType,
        size,
        platforms
    };
}
function imageSize(manifest) {
    return manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}


/***/ }),

/***/ 5219:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bm: () => (/* binding */ buildahCaches),
/* harmony export */   Jv: () => (/* binding */ buildahPushArgs),
/* harmony export */   Ke: () => (/* binding */ unusableByBuildah),
/* harmony export */   X7: () => (/* binding */ buildahSteps),
/* harmony export */   Ye: () => (/* binding */ cacheSpec),
/* harmony export */   Zm: () => (/* binding */ buildsInLayers),
/* harmony export */   hg: () => (/* binding */ isMultiPlatform),
/* harmony export */   mI: () => (/* binding */ buildahBudArgs),
/* harmony export */   qI: () => (/* binding */ buildExtras),
/* harmony export */   up: () => (/* binding */ insecureHosts),
/* harmony export */   vT: () => (/* binding */ buildxCache),
/* harmony export */   z3: () => (/* binding */ missingPlatforms)
/* harmony export */ });
/* harmony import */ var _dockerfile_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9340);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9310);
/* harmony import */ var _registries_conf_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3832);



/** True when `spec` builds a manifest list (more than one platform). */
function isMultiPlatform(spec) {
    return spec.platforms.length > 1;
}
/**
 * `buildah bud` arguments. `layers` commits and caches each instruction (buildah's default does
 * not: one commit at the end). Several platforms build into a manifest list named by the first tag,
 * without `--layers` (buildah 1.28 reuses one platform's cached image for the next, leaving a list
 * with a single platform) and without `--iidfile` (it holds one image id only).
 */
function buildahBudArgs(spec, files = {}) {
    const multi = isMultiPlatform(spec);
    // --force-rm: a failed build must not leave its working container on a self-hosted runner
    // (buildah 1.28 accepts it only together with --layers or --no-cache, and without either it
    // removes the container itself)
    const args = ['bud'];
    if (multi)
        args.push('--no-cache', '--force-rm');
    else if (buildsInLayers(spec))
        args.push('--layers', '--force-rm');
    if (!multi) {
        for (const repository of buildahCaches(spec.cacheFrom))
            args.push('--cache-from', repository);
        for (const repository of buildahCaches(spec.cacheTo))
            args.push('--cache-to', repository);
    }
    if (spec.noCache && !multi)
        args.push('--no-cache');
    if (spec.pull)
        args.push('--pull=always');
    args.push(...buildExtras(spec, files.secretFiles));
    args.push('--format', 'oci', '--file', spec.file);
    if (files.outputFile && !multi)
        args.push('--iidfile', files.outputFile);
    if (files.authFile)
        args.push('--authfile', files.authFile);
    if (multi) {
        args.push('--manifest', spec.tags[0], '--platform', spec.platforms.join(','));
    }
    else {
        for (const tag of spec.tags)
            args.push('--tag', tag);
        if (spec.platforms.length === 1)
            args.push('--platform', spec.platforms[0]);
    }
    if (spec.target)
        args.push('--target', spec.target);
    for (const [key, value] of spec.buildArgs)
        args.push('--build-arg', `${key}=${value}`);
    for (const [key, value] of Object.entries(spec.labels))
        args.push('--label', `${key}=${value}`);
    for (const [key, value] of Object.entries(spec.annotations ?? {})) {
        args.push('--annotation', `${key}=${value}`);
    }
    args.push(spec.context);
    return args;
}
/**
 * The arguments buildah bud and docker buildx build spell alike: `--secret id=…,src=…`, `--ssh …`
 * and `--build-context name=value`.
 */
function buildExtras(spec, secretFiles = []) {
    const args = [];
    for (const [id, file] of secretFiles)
        args.push('--secret', `id=${id},src=${file}`);
    for (const ssh of spec.ssh ?? [])
        args.push('--ssh', ssh);
    for (const [name, value] of spec.buildContexts ?? []) {
        args.push('--build-context', `${name}=${value}`);
    }
    return args;
}
/**
 * Whether buildah builds `spec` with `--layers`: asked for, or needed by a layer cache it can use;
 * never for several platforms (see buildahBudArgs).
 */
function buildsInLayers(spec) {
    if (isMultiPlatform(spec))
        return false;
    return ((spec.layers ?? false) ||
        buildahCaches(spec.cacheFrom).length > 0 ||
        buildahCaches(spec.cacheTo).length > 0);
}
/**
 * The repositories of cache entries buildah can use: a plain repository, or buildx's
 * `type=registry,ref=<repository>`; other buildx types (`gha`, `local`, …) have no buildah form.
 */
function buildahCaches(entries = []) {
    return entries.flatMap((entry) => {
        const spec = cacheSpec(entry);
        return spec.type === 'registry' && spec.ref ? [spec.ref] : [];
    });
}
/** The cache entries buildah cannot use, to say so. */
function unusableByBuildah(entries = []) {
    return entries.filter((entry) => buildahCaches([entry]).length === 0);
}
/** A cache entry as buildx reads it: `type=…,key=value…`; a plain repository is `type=registry`. */
function cacheSpec(entry) {
    if (!entry.includes('='))
        return { type: 'registry', ref: entry };
    const spec = {};
    for (const part of entry.split(',')) {
        const eq = part.indexOf('=');
        if (eq > 0)
            spec[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    return spec;
}
/** buildx's `--cache-from`/`--cache-to` value of an entry: a plain repository as `type=registry`. */
function buildxCache(entry, to) {
    if (entry.includes('='))
        return entry;
    return to ? `type=registry,ref=${entry},mode=max` : `type=registry,ref=${entry}`;
}
/**
 * Which steps of a `buildah bud` log reused a layer: `STEP n/m: <instruction>`, then
 * `--> Using cache <id>` (a local layer) after `--> Cache pulled from remote <ref>` (a cache
 * repository's), or neither (the step ran).
 */
function buildahSteps(log) {
    const steps = [];
    for (const line of log.split(/\r?\n/)) {
        const step = /^STEP (\d+\/\d+): (.*)$/.exec(line);
        if (step) {
            steps.push({ step: step[1], instruction: step[2], layer: 'built' });
            continue;
        }
        const last = steps[steps.length - 1];
        if (!last)
            continue;
        if (line.startsWith('--> Cache pulled from remote'))
            last.layer = 'remote';
        else if (line.startsWith('--> Using cache') && last.layer === 'built')
            last.layer = 'cache';
    }
    // the first step (FROM) has no layer of its own
    return steps.filter((s) => !/^FROM\b/i.test(s.instruction));
}
/**
 * `buildah push` (one image) or `buildah manifest push --all` (a list) of `source` to `tag`.
 * buildah 1.28's manifest push ignores registries.conf's `insecure`, so for an insecure destination
 * that one command gets `--tls-verify=false`; it reaches no other registry.
 */
function buildahPushArgs(source, tag, push) {
    const args = push.multiPlatform ? ['manifest', 'push', '--all'] : ['push'];
    if (push.multiPlatform && push.insecure)
        args.push('--tls-verify=false');
    if (push.outputFile)
        args.push('--digestfile', push.outputFile);
    if (push.authFile)
        args.push('--authfile', push.authFile);
    args.push(source, `docker://${tag}`);
    return args;
}
/**
 * The registries to reach over plain HTTP or unverified TLS: those named, and the loopback ones the
 * tags and the Dockerfile's base images live on (as Docker treats loopback).
 */
function insecureHosts(spec, dockerfileText) {
    const images = [
        ...spec.tags,
        ...buildahCaches(spec.cacheFrom),
        ...buildahCaches(spec.cacheTo),
        ...(dockerfileText ? (0,_dockerfile_js__WEBPACK_IMPORTED_MODULE_0__.baseImages)(dockerfileText, spec.buildArgs) : [])
    ];
    const loopback = images
        .map(_registries_conf_js__WEBPACK_IMPORTED_MODULE_1__/* .registryHost */ .U)
        .filter((host) => host !== undefined && (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopbackRegistry */ .jW)(host));
    return [...new Set([...spec.insecureRegistries, ...loopback])];
}
/** The requested platforms (`os/arch[/variant]`) that `buildah manifest inspect` output lacks. */
function missingPlatforms(manifestJson, platforms) {
    let manifests;
    try {
        manifests = JSON.parse(manifestJson).manifests;
    }
    catch {
        // unreadable output proves nothing was built: every platform counts as missing
        return [...platforms];
    }
    const built = new Set((Array.isArray(manifests) ? manifests : []).map((entry) => [entry.platform?.os, entry.platform?.architecture].join('/')));
    return platforms.filter((platform) => !built.has(platform.split('/').slice(0, 2).join('/')));
}


/***/ }),

/***/ 9340:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ withLabels),
/* harmony export */   baseImages: () => (/* binding */ baseImages)
/* harmony export */ });
/* unused harmony export expand */
/**
 * The images a Dockerfile pulls: FROM lines and `COPY --from=<image>`, after the ARGs declared
 * before the first FROM are substituted, leaving out `scratch` and references to earlier stages.
 * https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
 */
/** The external images `dockerfileText` builds on, in order of first use, each once. */
function baseImages(dockerfileText, buildArgs = []) {
    const given = new Map(buildArgs.map(([key, value]) => [key, value]));
    const metaArgs = new Map();
    const stages = new Set();
    const images = [];
    let seenFrom = false;
    const use = (image) => {
        if (image === '' || image.toLowerCase() === 'scratch' || stages.has(image.toLowerCase()))
            return;
        if (/^\d+$/.test(image) || images.includes(image))
            return;
        images.push(image);
    };
    for (const [instruction, rest] of instructions(dockerfileText)) {
        if (instruction === 'ARG' && !seenFrom) {
            for (const [name, fallback] of argDeclarations(rest)) {
                const value = given.get(name) ?? (fallback === undefined ? undefined : expand(fallback, metaArgs));
                if (value !== undefined)
                    metaArgs.set(name, value);
            }
        }
        else if (instruction === 'FROM') {
            seenFrom = true;
            const words = rest.split(/\s+/).filter((word) => !word.startsWith('--'));
            use(expand(words[0] ?? '', metaArgs));
            if (words[1]?.toLowerCase() === 'as' && words[2])
                stages.add(words[2].toLowerCase());
        }
        else if (instruction === 'COPY' || instruction === 'ADD') {
            const from = /(?:^|\s)--from=(\S+)/.exec(rest);
            if (from)
                use(expand(unquote(from[1]), metaArgs));
        }
    }
    return images;
}
/** Substitutes `$VAR`, `${VAR}`, `${VAR:-word}` and `${VAR:+word}`; unset variables are empty. */
function expand(text, vars) {
    return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_match, braced, op, word, bare) => {
        const value = vars.get(braced ?? bare);
        if (op === '-')
            return value ? value : word;
        if (op === '+')
            return value ? word : '';
        return value ?? '';
    });
}
/** Logical instructions: continuation lines joined, comments and blank lines dropped. */
function instructions(text) {
    const lines = text.split(/\r?\n/);
    let escape = '\\';
    let start = 0;
    for (; start < lines.length; start++) {
        const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(lines[start]);
        if (!directive)
            break;
        if (directive[1].toLowerCase() === 'escape')
            escape = directive[2];
    }
    const result = [];
    let pending = '';
    for (const raw of lines.slice(start)) {
        const line = raw.trim();
        if (line.startsWith('#') || line === '')
            continue;
        if (line.endsWith(escape)) {
            pending += `${line.slice(0, -escape.length)} `;
            continue;
        }
        const whole = (pending + line).trim();
        pending = '';
        const match = /^(\S+)\s*(.*)$/.exec(whole);
        if (match)
            result.push([match[1].toUpperCase(), match[2].trim()]);
    }
    return result;
}
/** `ARG A=1 B C="x"` → [['A', '1'], ['B', undefined], ['C', 'x']]. */
function argDeclarations(rest) {
    const words = rest.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
    return words.map((word) => {
        const at = word.indexOf('=');
        return at < 0 ? [word, undefined] : [word.slice(0, at), unquote(word.slice(at + 1))];
    });
}
function unquote(text) {
    return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}
/**
 * `dockerfileText` with `labels` set by one LABEL instruction at its end, for a build of its last
 * stage (`target` undefined or that stage's name); undefined when that cannot be done (another
 * target, or an escape character other than `\`). With `--layers`, buildah commits each `--label`
 * as a step of its own; one instruction is one commit.
 */
function withLabels(dockerfileText, labels, target) {
    if (/^#\s*escape\s*=\s*(?!\\)/im.test(dockerfileText.split(/\r?\n/, 5).join('\n')))
        return undefined;
    if (target) {
        const froms = instructions(dockerfileText).filter(([instruction]) => instruction === 'FROM');
        const last = froms
            .at(-1)?.[1]
            .split(/\s+/)
            .filter((word) => !word.startsWith('--'));
        if (last?.[1]?.toLowerCase() !== 'as' || last[2]?.toLowerCase() !== target.toLowerCase()) {
            return undefined;
        }
    }
    const pairs = Object.entries(labels).map(([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`);
    if (pairs.length === 0)
        return dockerfileText;
    const text = dockerfileText.endsWith('\n') ? dockerfileText : `${dockerfileText}\n`;
    return `${text}LABEL ${pairs.join(' ')}\n`;
}


/***/ }),

/***/ 3832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ registryHost),
/* harmony export */   e: () => (/* binding */ registriesConf)
/* harmony export */ });
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9310);
/**
 * A registries.conf (v2) for one build that reaches the given registries over plain HTTP or
 * unverified TLS, per registry instead of a blanket `--tls-verify=false`.
 * https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md
 */

/** The registry host (with port) of an image reference; undefined when it does not parse. */
function registryHost(image) {
    try {
        return (0,_registry_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseReference */ .F2)(image).registry;
    }
    catch {
        // a base image that still holds an unresolved ${ARG} is no registry's: nothing to mark insecure
        return undefined;
    }
}
/**
 * The file text: the system file's `unqualified-search-registries` and `short-name-mode` kept (a v1
 * `[registries.search]` list is carried over too), then one insecure `[[registry]]` per host.
 * Drop-ins in registries.conf.d still apply, since only the main file is replaced.
 */
function registriesConf(systemText, insecureHosts) {
    const lines = ['# Written by rollout-kit for one build; removed afterwards.'];
    const text = (systemText ?? '')
        .split(/\r?\n/)
        .filter((line) => !line.trim().startsWith('#'))
        .join('\n');
    const topLevel = text.split(/^\s*\[/m)[0];
    const search = /^\s*unqualified-search-registries\s*=\s*(\[[^\]]*\])/m.exec(topLevel)?.[1] ??
        /\[registries\.search\][^[]*?registries\s*=\s*(\[[^\]]*\])/.exec(text)?.[1];
    if (search)
        lines.push(`unqualified-search-registries = ${search.replace(/\s+/g, ' ')}`);
    const mode = /^\s*short-name-mode\s*=\s*("[^"]*")/m.exec(topLevel)?.[1];
    if (mode)
        lines.push(`short-name-mode = ${mode}`);
    for (const host of new Set(insecureHosts)) {
        lines.push('', '[[registry]]', `location = ${JSON.stringify(host)}`, 'insecure = true');
    }
    return `${lines.join('\n')}\n`;
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