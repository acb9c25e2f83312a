export const id = 65;
export const ids = [65,340];
export const modules = {

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

/***/ 7065:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BuildahBuilder: () => (/* reexport */ BuildahBuilder),
  BuilderUnavailableError: () => (/* reexport */ BuilderUnavailableError),
  DockerBuilder: () => (/* reexport */ DockerBuilder),
  InputError: () => (/* reexport */ errors/* InputError */.d),
  RULE_TYPES: () => (/* reexport */ tag_rules/* RULE_TYPES */.Bs),
  TAG_GRAMMAR: () => (/* reexport */ tags/* TAG_GRAMMAR */.z1),
  ToolError: () => (/* reexport */ ToolError),
  baseImages: () => (/* reexport */ image_build_dockerfile.baseImages),
  buildahBudArgs: () => (/* reexport */ buildah_args/* buildahBudArgs */.mI),
  buildahPushArgs: () => (/* reexport */ buildah_args/* buildahPushArgs */.Jv),
  cacheSpec: () => (/* reexport */ buildah_args/* cacheSpec */.Ye),
  checkImage: () => (/* reexport */ tags/* checkImage */.cd),
  computeMetadata: () => (/* reexport */ computeMetadata),
  defaultTagNames: () => (/* reexport */ tags/* defaultTagNames */.ep),
  dockerBuildArgs: () => (/* reexport */ dockerBuildArgs),
  dockerLoginArgs: () => (/* reexport */ dockerLoginArgs),
  hasTagRules: () => (/* reexport */ tag_rules/* hasTagRules */.sZ),
  insecureHosts: () => (/* reexport */ buildah_args/* insecureHosts */.up),
  isTag: () => (/* reexport */ tags/* isTag */.dz),
  missingPlatforms: () => (/* reexport */ buildah_args/* missingPlatforms */.z3),
  ociLabels: () => (/* reexport */ ociLabels),
  parseBuildxMetadata: () => (/* reexport */ parseBuildxMetadata),
  parseFlavor: () => (/* reexport */ tag_rules/* parseFlavor */.wp),
  parseTagRules: () => (/* reexport */ tag_rules/* parseTagRules */.hh),
  registriesConf: () => (/* reexport */ registries_conf/* registriesConf */.e),
  registryHost: () => (/* reexport */ registries_conf/* registryHost */.U),
  resolveTags: () => (/* reexport */ tags/* resolveTags */.yN),
  sanitizeTag: () => (/* reexport */ tags/* sanitizeTag */.iP),
  selectBuilder: () => (/* reexport */ selectBuilder),
  systemProbe: () => (/* reexport */ systemProbe),
  tagNamesFromRules: () => (/* reexport */ tag_rules/* tagNamesFromRules */.I$)
});

// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
// EXTERNAL MODULE: ./src/image-build/tag-rules.ts
var tag_rules = __webpack_require__(682);
// EXTERNAL MODULE: ./src/image-build/tags.ts
var tags = __webpack_require__(8231);
;// CONCATENATED MODULE: ./src/image-build/metadata.ts
/**
 * Image metadata from the git context: tags, and OCI labels and annotations in the manner of
 * docker/metadata-action. https://github.com/opencontainers/image-spec/blob/main/annotations.md
 */



const OCI = 'org.opencontainers.image';
/** Computes tags, labels and annotations; throws a InputError when no tag results. */
function computeMetadata(options) {
    const { context, image } = options;
    const explicit = options.tags ?? [];
    const names = options.rules
        ? (0,tag_rules/* tagNamesFromRules */.I$)(options.rules.rules, options.rules.flavor, context, options.now)
        : explicit.length > 0
            ? explicit
            : (0,tags/* defaultTagNames */.ep)(context);
    const refs = (0,tags/* resolveTags */.yN)(image, names);
    if (refs.length === 0) {
        throw new errors/* InputError */.d('tags', '', `tags matching ${tags/* TAG_GRAMMAR */.z1}: the ${context.eventName} event on '${context.ref}' yields none`);
    }
    const tagNames = [...new Set(refs.map((ref) => ref.tag))];
    const version = options.version ?? tagNames[0];
    const labels = { ...ociLabels(context, version, options.now) };
    for (const [key, value] of options.labels ?? []) {
        if (key.trim() === '')
            throw new errors/* InputError */.d('labels', `=${value}`, 'lines of the form KEY=value');
        labels[key.trim()] = value;
    }
    return {
        tags: refs.map((ref) => `${ref.repository}:${ref.tag}`),
        tagNames,
        version,
        labels,
        annotations: { ...labels }
    };
}
/** The OCI labels metadata-action writes, leaving out the ones the context has no value for. */
function ociLabels(context, version, now) {
    const entries = [
        ['title', context.repository.split('/').pop()],
        ['description', context.description],
        ['url', context.repositoryUrl],
        ['source', context.repositoryUrl],
        ['version', version],
        ['created', now.toISOString()],
        ['revision', context.sha],
        ['licenses', context.license]
    ];
    const labels = {};
    for (const [key, value] of entries) {
        if (value)
            labels[`${OCI}.${key}`] = value;
    }
    return labels;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(9044);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/image-build/auth-files.ts
/**
 * Credential files for one build, so that no password is ever on a command line: a containers
 * auth.json for buildah (`--authfile`) and a private DOCKER_CONFIG for docker. Earlier logins are
 * carried over, so registries the build pulls from keep working.
 * https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md
 */



/** The auth files buildah reads without `--authfile`, highest priority first. */
function containersAuthFiles(env, uid = process.getuid?.() ?? 0) {
    if (env.REGISTRY_AUTH_FILE)
        return [env.REGISTRY_AUTH_FILE];
    const home = env.HOME || (0,external_node_os_.homedir)();
    return [
        (0,external_node_path_.join)(env.XDG_RUNTIME_DIR || `/run/containers/${uid}`, 'containers', 'auth.json'),
        (0,external_node_path_.join)(env.XDG_CONFIG_HOME || (0,external_node_path_.join)(home, '.config'), 'containers', 'auth.json'),
        (0,external_node_path_.join)(dockerConfigDir(env), 'config.json')
    ];
}
/** The user's Docker configuration directory: DOCKER_CONFIG or `~/.docker`. */
function dockerConfigDir(env) {
    return env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker');
}
/**
 * An auth.json: the `auths` and `credHelpers` of the existing files (texts, highest priority first;
 * undefined for a missing file) merged, then `auth` for its registry.
 */
function containersAuthJson(existing, auth) {
    const auths = {};
    const credHelpers = {};
    for (const text of [...existing].reverse()) {
        const config = parseConfig(text);
        Object.assign(auths, config.auths);
        Object.assign(credHelpers, config.credHelpers);
    }
    delete credHelpers[auth.registry];
    auths[auth.registry] = { auth: basicAuth(auth) };
    const result = { auths };
    if (Object.keys(credHelpers).length > 0)
        result.credHelpers = credHelpers;
    return `${JSON.stringify(result, null, 2)}\n`;
}
/**
 * A config.json for a private DOCKER_CONFIG: the user's, without a global `credsStore` or a helper
 * for `registry` (either would send the login to a store that outlives the build).
 */
function dockerConfigJson(existing, registry) {
    const config = parseConfig(existing);
    delete config.credsStore;
    if (config.credHelpers)
        delete config.credHelpers[registry];
    if (config.auths)
        delete config.auths[registry];
    return `${JSON.stringify(config, null, 2)}\n`;
}
/** Subfolders of a Docker config directory that a private copy links to: builders, contexts, plugins. */
const DOCKER_CONFIG_LINKS = ['buildx', 'contexts', 'cli-plugins'];
/** The DOCKER_CONFIG_LINKS present in `dir`. */
function dockerConfigLinks(dir) {
    return DOCKER_CONFIG_LINKS.filter((name) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, name)));
}
function basicAuth(auth) {
    return Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
}
function parseConfig(text) {
    if (!text)
        return {};
    try {
        const value = JSON.parse(text);
        return typeof value === 'object' && value !== null ? value : {};
    }
    catch {
        // A corrupt config file is not this build's to repair; the tools report it if they need it.
        return {};
    }
}

// EXTERNAL MODULE: ./src/image-build/buildah-args.ts
var buildah_args = __webpack_require__(5219);
// EXTERNAL MODULE: ./src/image-build/dockerfile.ts
var image_build_dockerfile = __webpack_require__(9340);
;// CONCATENATED MODULE: ./src/image-build/errors.ts
/**
 * Errors thrown by src/image-build. Bad input is src/action's InputError (the ground floor), so that every
 * action reports it in the same words.
 */

/** An external tool that exited non-zero: the command, its exit code and the end of its stderr. */
class ToolError extends Error {
    command;
    exitCode;
    stderrTail;
    constructor(command, exitCode, stderrTail) {
        super(`${command} failed (exit ${exitCode})${stderrTail ? `: ${stderrTail}` : ''}`);
        this.command = command;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
        this.name = 'ToolError';
    }
}
/** No usable builder on this machine, or the one asked for is missing. */
class BuilderUnavailableError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BuilderUnavailableError';
    }
}

// EXTERNAL MODULE: ./src/image-build/registries-conf.ts
var registries_conf = __webpack_require__(3832);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(7187);
;// CONCATENATED MODULE: ./src/image-build/tool.ts
/** Running the build tools: failures decided by exit code, reported with the end of stderr. */





/** Runs `command args`; throws a ToolError named `label` (e.g. `buildah bud`) on a non-zero exit. */
async function runTool(label, command, args, options = {}) {
    const result = await exec/* getExecOutput */.H(command, [...args], {
        ignoreReturnCode: true,
        silent: options.silent ?? false,
        env: toolEnv(options.env),
        input: options.input === undefined ? undefined : Buffer.from(options.input)
    });
    if (result.exitCode !== 0) {
        throw new ToolError(label, result.exitCode, lastLines(result.stderr || result.stdout));
    }
    return { stdout: result.stdout, stderr: result.stderr };
}
/**
 * The end of a tool's output: from its last `Error:` line (buildah, docker and buildx start the
 * final error so, after any retry chatter), else the last lines; `count` non-blank lines at most.
 */
function lastLines(text, count = 8) {
    const lines = text
        .split(/\r?\n/)
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== '');
    const error = lines.findLastIndex((line) => /^error\b/i.test(line));
    return lines
        .slice(error >= 0 ? error : 0)
        .slice(-count)
        .join('\n');
}
function toolEnv(extra = {}) {
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined)
            env[key] = value;
    }
    return { ...env, ...extra };
}
/** Runs `fn` with a private (0700) temporary directory in RUNNER_TEMP or the OS's, removed after. */
async function withTempDir(fn) {
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'rollout-kit-build-'));
    try {
        return await fn(dir);
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
/**
 * The build's secrets as files, by id: a value is written to a 0600 file in `dir` (the build's own
 * temporary folder, removed after it), a file is used where it is.
 */
async function secretFiles(dir, secrets = []) {
    const files = [];
    for (const [index, secret] of secrets.entries()) {
        if ('file' in secret) {
            files.push([secret.id, secret.file]);
            continue;
        }
        const path = (0,external_node_path_.join)(dir, `secret-${index}`);
        await (0,promises_.writeFile)(path, secret.value, { mode: 0o600 });
        files.push([secret.id, path]);
    }
    return files;
}
/** A file's text, or undefined when it cannot be read. */
async function readOptional(path) {
    try {
        return await (0,promises_.readFile)(path, 'utf8');
    }
    catch {
        // Absent is a normal state for the files read here (system configs, earlier logins, reports).
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/image-build/buildah.ts
/**
 * Building and pushing with buildah (daemonless). Credentials go in a temporary auth.json, and
 * plain-HTTP registries in a temporary registries.conf, both removed after the build.
 */









const SYSTEM_REGISTRIES_CONF = '/etc/containers/registries.conf';
/** Builds with `buildah bud`, pushes with `buildah push` / `buildah manifest push --all`. */
class BuildahBuilder {
    name = 'buildah';
    command;
    constructor(options = {}) {
        this.command = options.command ?? 'buildah';
    }
    async build(spec) {
        if (spec.tags.length === 0)
            throw new Error('buildah: a build needs at least one tag');
        return withTempDir(async (dir) => {
            const dockerfile = await readOptional(spec.file);
            const insecure = (0,buildah_args/* insecureHosts */.up)(spec, dockerfile);
            const env = { ...spec.env, ...(await writeRegistriesConf(dir, spec, insecure)) };
            const authFile = spec.auth ? await writeAuthFile(dir, spec) : undefined;
            const multi = (0,buildah_args/* isMultiPlatform */.hg)(spec);
            const list = spec.tags[0];
            if (multi)
                await this.removeStaleList(list, env);
            const iidFile = (0,external_node_path_.join)(dir, 'iid');
            const secrets = await secretFiles(dir, spec.secrets);
            const unusable = [...(0,buildah_args/* unusableByBuildah */.Ke)(spec.cacheFrom), ...(0,buildah_args/* unusableByBuildah */.Ke)(spec.cacheTo)];
            if (unusable.length > 0) {
                core/* warning */.$e(`buildah has no such layer cache (${unusable.join('; ')}): left out`);
            }
            const built = await labelledDockerfile(dir, spec, dockerfile);
            const bud = (s) => this.run('bud', (0,buildah_args/* buildahBudArgs */.mI)(s, { authFile, outputFile: iidFile, secretFiles: secrets }), env);
            const cacheWarnings = [];
            let output;
            try {
                output = await bud(built);
            }
            catch (error) {
                // a cache that cannot be written never fails the build: build again without writing it,
                // from the layers this attempt left in the local storage
                if (!(error instanceof ToolError) || !/failed pushing cache/.test(error.message))
                    throw error;
                const warning = `The layer cache could not be written to ${(0,buildah_args/* buildahCaches */.Bm)(spec.cacheTo).join(', ')} (${lastLines(error.message, 1)}); the image is built without writing it`;
                core/* warning */.$e(warning);
                cacheWarnings.push(warning);
                output = await bud({ ...built, cacheTo: [] });
            }
            // buildah --layers turns each --label into a LABEL step of its own at the end: not the Dockerfile's
            const ours = Object.keys(spec.labels).map((key) => `LABEL "${key}"=`);
            const steps = multi
                ? undefined
                : (0,buildah_args/* buildahSteps */.X7)(`${output.stdout}\n${output.stderr}`).filter((s) => !ours.some((label) => s.instruction.startsWith(label)));
            if (multi)
                await this.checkList(list, spec.platforms, env);
            const imageId = multi ? undefined : await readTrimmed(iidFile);
            const reported = {
                ...(steps && { steps }),
                ...(cacheWarnings.length > 0 && { cacheWarnings })
            };
            if (!spec.push)
                return { imageId, platforms: spec.platforms, ...reported };
            let digest;
            for (const [index, tag] of spec.tags.entries()) {
                const outputFile = (0,external_node_path_.join)(dir, `digest-${index}`);
                const to = { multiPlatform: multi, insecure: insecure.includes((0,registries_conf/* registryHost */.U)(tag) ?? '') };
                const sub = multi ? 'manifest push' : 'push';
                const output = await this.run(sub, (0,buildah_args/* buildahPushArgs */.Jv)(list, tag, { ...to, authFile, outputFile }), env);
                const pushed = await readTrimmed(outputFile);
                // buildah 1.28's manifest push can fail and still exit 0; no digest means nothing was pushed
                if (!pushed) {
                    const tail = lastLines(output.stderr || output.stdout, 4);
                    throw new ToolError(`buildah ${sub}`, 0, `no digest for ${tag}, so it was not pushed; ${tail}`);
                }
                digest ??= pushed;
                core/* info */.pq(`Pushed ${tag} (${pushed})`);
            }
            return { digest, imageId, platforms: spec.platforms, ...reported };
        });
    }
    async run(sub, args, env) {
        core/* debug */.Yz(`${this.command} ${args.join(' ')}`);
        return runTool(`buildah ${sub}`, this.command, args, { env });
    }
    /** A manifest list left by an earlier build would gain this build's images beside its old ones. */
    async removeStaleList(list, env) {
        try {
            await runTool('buildah manifest rm', this.command, ['manifest', 'rm', list], {
                env,
                silent: true
            });
        }
        catch {
            // Nothing to remove is the usual case; a real problem shows in the build that follows.
        }
    }
    async checkList(list, platforms, env) {
        const args = ['manifest', 'inspect', list];
        const { stdout } = await runTool('buildah manifest inspect', this.command, args, {
            env,
            silent: true
        });
        const missing = (0,buildah_args/* missingPlatforms */.z3)(stdout, platforms);
        if (missing.length > 0) {
            throw new Error(`buildah bud built no image for ${missing.join(', ')} into the list ${list}`);
        }
    }
}
/**
 * With layers (or a layer cache), the spec with its labels set by one LABEL instruction appended to
 * a copy of the Dockerfile: buildah commits each `--label` as a step of its own, and on a copying
 * storage driver (vfs) every commit copies the root file system. The spec as it is otherwise.
 */
async function labelledDockerfile(dir, spec, dockerfile) {
    if (!(0,buildah_args/* buildsInLayers */.Zm)(spec) || Object.keys(spec.labels).length === 0)
        return spec;
    const labelled = dockerfile === undefined ? undefined : (0,image_build_dockerfile/* withLabels */.I)(dockerfile, spec.labels, spec.target);
    if (labelled === undefined)
        return spec;
    const file = (0,external_node_path_.join)(dir, 'Dockerfile.labelled');
    await (0,promises_.writeFile)(file, labelled);
    return { ...spec, file, labels: {} };
}
async function writeRegistriesConf(dir, spec, hosts) {
    if (hosts.length === 0)
        return {};
    const systemPath = spec.env?.CONTAINERS_REGISTRIES_CONF ??
        process.env.CONTAINERS_REGISTRIES_CONF ??
        SYSTEM_REGISTRIES_CONF;
    const path = (0,external_node_path_.join)(dir, 'registries.conf');
    await (0,promises_.writeFile)(path, (0,registries_conf/* registriesConf */.e)(await readOptional(systemPath), hosts), { mode: 0o600 });
    core/* debug */.Yz(`Insecure registries for this build: ${hosts.join(', ')}`);
    return { CONTAINERS_REGISTRIES_CONF: path };
}
async function writeAuthFile(dir, spec) {
    if (!spec.auth)
        return undefined;
    const env = { ...process.env, ...spec.env };
    const existing = await Promise.all(containersAuthFiles(env).map(readOptional));
    const path = (0,external_node_path_.join)(dir, 'auth.json');
    // mode applies on creation only; the directory is fresh, so the file is new and 0600
    await (0,promises_.writeFile)(path, containersAuthJson(existing, spec.auth), { mode: 0o600 });
    return path;
}
async function readTrimmed(path) {
    return (await readOptional(path))?.trim() || undefined;
}

// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/image-build/docker.ts
/**
 * Building and pushing with `docker buildx build`, where a Docker daemon runs. Credentials go through
 * `docker login --password-stdin` into a private DOCKER_CONFIG, removed after the build.
 * https://docs.docker.com/reference/cli/docker/buildx/build/
 */







/**
 * `docker buildx build` arguments. Without push a single-platform image is loaded into the daemon;
 * a multi-platform one stays in the build cache (the daemon's classic store cannot hold a list).
 * Annotations belong to manifests in a registry, so they are passed only when pushing.
 */
function dockerBuildArgs(spec, metadataFile, secrets = []) {
    const args = ['buildx', 'build', '--file', spec.file];
    if (metadataFile)
        args.push('--metadata-file', metadataFile);
    if (spec.noCache)
        args.push('--no-cache');
    if (spec.pull)
        args.push('--pull');
    for (const entry of spec.cacheFrom ?? [])
        args.push('--cache-from', (0,buildah_args/* buildxCache */.vT)(entry, false));
    for (const entry of spec.cacheTo ?? [])
        args.push('--cache-to', (0,buildah_args/* buildxCache */.vT)(entry, true));
    args.push(...(0,buildah_args/* buildExtras */.qI)(spec, secrets));
    for (const tag of spec.tags)
        args.push('--tag', tag);
    if (spec.platforms.length > 0)
        args.push('--platform', spec.platforms.join(','));
    if (spec.target)
        args.push('--target', spec.target);
    for (const [key, value] of spec.buildArgs)
        args.push('--build-arg', `${key}=${value}`);
    for (const [key, value] of Object.entries(spec.labels))
        args.push('--label', `${key}=${value}`);
    if (spec.push) {
        for (const [key, value] of Object.entries(spec.annotations ?? {})) {
            args.push('--annotation', `${key}=${value}`);
        }
        args.push('--push');
    }
    else if (spec.platforms.length <= 1) {
        args.push('--load');
    }
    args.push(spec.context);
    return args;
}
/** `docker login` arguments; the password goes to stdin. */
function dockerLoginArgs(auth) {
    return ['login', '--username', auth.username, '--password-stdin', auth.registry];
}
/** The digest and config id from buildx's `--metadata-file` JSON. */
function parseBuildxMetadata(text) {
    if (!text)
        return {};
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        // buildx wrote something unreadable; the build itself succeeded, so report no digest.
        return {};
    }
    const record = typeof value === 'object' && value !== null ? value : {};
    const digest = record['containerimage.digest'];
    const imageId = record['containerimage.config.digest'];
    return {
        digest: typeof digest === 'string' && digest ? digest : undefined,
        imageId: typeof imageId === 'string' && imageId ? imageId : undefined
    };
}
/** Builds and pushes with `docker buildx build`. */
class DockerBuilder {
    name = 'docker';
    command;
    constructor(options = {}) {
        this.command = options.command ?? 'docker';
    }
    async build(spec) {
        const remote = spec.insecureRegistries.filter((host) => !(0,reference/* isLoopbackRegistry */.jW)(host));
        if (remote.length > 0) {
            core/* info */.pq(`docker reaches ${remote.join(', ')} over plain HTTP only if the daemon's ` +
                'insecure-registries (or the buildx builder config) lists them');
        }
        return withTempDir(async (dir) => {
            const env = { ...spec.env, ...(spec.auth ? await this.login(dir, spec) : {}) };
            const metadataFile = (0,external_node_path_.join)(dir, 'metadata.json');
            const args = dockerBuildArgs(spec, metadataFile, await secretFiles(dir, spec.secrets));
            core/* debug */.Yz(`${this.command} ${args.join(' ')}`);
            await runTool('docker buildx build', this.command, args, { env });
            const { digest, imageId } = parseBuildxMetadata(await readOptional(metadataFile));
            return { digest: spec.push ? digest : undefined, imageId, platforms: spec.platforms };
        });
    }
    /** Logs in to a private copy of the user's Docker config; returns the env that selects it. */
    async login(dir, spec) {
        const auth = spec.auth;
        const source = dockerConfigDir({ ...process.env, ...spec.env });
        const config = (0,external_node_path_.join)(dir, 'docker-config');
        await (0,promises_.mkdir)(config, { mode: 0o700 });
        const existing = await readOptional((0,external_node_path_.join)(source, 'config.json'));
        await (0,promises_.writeFile)((0,external_node_path_.join)(config, 'config.json'), dockerConfigJson(existing, auth.registry), {
            mode: 0o600
        });
        for (const name of dockerConfigLinks(source)) {
            await (0,promises_.symlink)((0,external_node_path_.join)(source, name), (0,external_node_path_.join)(config, name));
        }
        const env = { ...spec.env, DOCKER_CONFIG: config };
        await runTool('docker login', this.command, dockerLoginArgs(auth), {
            env,
            input: auth.password
        });
        return { DOCKER_CONFIG: config };
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
;// CONCATENATED MODULE: ./src/image-build/select.ts
/**
 * Choosing the builder: docker buildx where a Docker daemon answers, buildah otherwise.
 */





const PROBE_TIMEOUT_MS = 5000;
/** Probes the real machine. */
const systemProbe = {
    onPath: async (command) => (await io/* which */.K7(command, false)) !== '',
    dockerDaemon: () => succeeds('docker', ['version', '--format', '{{.Server.Version}}']),
    dockerBuildx: () => succeeds('docker', ['buildx', 'version'])
};
/**
 * The builder for `choice`. `auto`: docker when its daemon answers and buildx works, else buildah
 * when it is on PATH, else a BuilderUnavailableError naming both.
 */
async function selectBuilder(choice, probe = systemProbe) {
    if (choice !== 'auto') {
        if (!(await probe.onPath(choice))) {
            throw new BuilderUnavailableError(`The builder '${choice}' was asked for, but ${choice} is not on PATH`);
        }
        return choice === 'docker' ? new DockerBuilder() : new BuildahBuilder();
    }
    const docker = await dockerReason(probe);
    if (docker === undefined)
        return new DockerBuilder();
    if (await probe.onPath('buildah'))
        return new BuildahBuilder();
    throw new BuilderUnavailableError(`No builder available: docker cannot build here (${docker}) and buildah is not on PATH; ` +
        'install buildah or use a runner with a Docker daemon and buildx');
}
/** Why docker cannot build here, or undefined when it can. */
async function dockerReason(probe) {
    if (!(await probe.onPath('docker')))
        return 'docker is not on PATH';
    if (!(await probe.dockerDaemon()))
        return 'no Docker daemon answers';
    if (!(await probe.dockerBuildx()))
        return 'docker buildx is not installed';
    return undefined;
}
function succeeds(command, args) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)(command, args, { timeout: PROBE_TIMEOUT_MS }, (error, stdout) => {
            resolve(error === null && stdout.trim() !== '');
        });
    });
}

;// CONCATENATED MODULE: ./src/image-build/index.ts
/** Tags, version, OCI labels and annotations computed from the git context or given explicitly. */

/** Tag helpers: default tag names, sanitising, validation and resolution of explicit tags. */

/** Tag rules and flavor in docker/metadata-action's syntax. */

/** The buildah builder. */

/** Pure parts of the buildah builder: command lines, insecure registries, manifest list check. */

/** The docker buildx builder, its pure argument builders and its metadata-file parser. */

/** Picks docker or buildah for `auto`, or checks the one asked for. */

/** The external images a Dockerfile pulls, after ARG substitution. */

/** Registry hosts of image references and the per-build registries.conf text. */

/** Errors: bad input (src/action's InputError), a failed tool command, no usable builder. */



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


/***/ })

};

//# sourceMappingURL=65.index.js.map