export const id = 832;
export const ids = [832];
export const modules = {

/***/ 85832:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runGate: () => (/* binding */ runGate)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(19044);
// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(78055);
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

// EXTERNAL MODULE: ./src/evidence/inputs.ts
var evidence_inputs = __webpack_require__(47112);
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

// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(79310);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
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

;// CONCATENATED MODULE: ./src/evidence/manifest.ts
/**
 * The OCI artifact that carries a signed statement: an image manifest with the empty config, the
 * Sigstore bundle as its one layer, `artifactType` the bundle's media type and `subject` the image,
 * annotated as cosign's bundle spec and actions/attest do
 * (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md), so that cosign and oras read it.
 */

/** The media type of a Sigstore bundle v0.3: the artifactType and layer type of our referrers. */
const manifest_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** Annotation keys of a bundle referrer. */
const manifest_BUNDLE_ANNOTATIONS = {
    content: 'dev.sigstore.bundle.content',
    predicateType: 'dev.sigstore.bundle.predicateType'
};
/** The empty JSON config every artifact without a config points to. */
const EMPTY_CONFIG = Buffer.from('{}');
/** The manifest bytes of the referrer carrying `bundle` about `subject`. */
function bundleManifest(bundle, predicateType, subject, annotations = {}) {
    const manifest = {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: manifest_BUNDLE_MEDIA_TYPE,
        config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
        layers: [{ mediaType: manifest_BUNDLE_MEDIA_TYPE, digest: digestOf(bundle), size: bundle.length }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations: {
            [manifest_BUNDLE_ANNOTATIONS.content]: 'dsse-envelope',
            [manifest_BUNDLE_ANNOTATIONS.predicateType]: predicateType,
            ...annotations
        }
    };
    return Buffer.from(JSON.stringify(manifest));
}

// EXTERNAL MODULE: ./src/evidence/record.ts
var evidence_record = __webpack_require__(9784);
// EXTERNAL MODULE: ./src/evidence/statement.ts
var statement = __webpack_require__(63240);
;// CONCATENATED MODULE: ./src/evidence/store.ts
/**
 * Evidence in the registry: a gate's record signed as an in-toto statement in a Sigstore bundle,
 * written as a referrer of the image digest; read back through the referrers API or its tag
 * fallback, each record verified, and the verified ones judged for a promotion.
 */





/** The image and digest a statement is about; throws when `image` names no digest. */
function subjectOf(image) {
    if (image.digest === undefined) {
        throw new evidence_record/* InvalidEvidenceError */.nX(`evidence is about a digest, and '${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}' names none`);
    }
    return { registry: image.registry, repository: image.repository, digest: image.digest };
}
/**
 * Signs `statement` and attaches the bundle to `image` as a referrer; returns the referrer's
 * digest. The Sigstore libraries load here, at the first signature.
 */
async function attachStatement(client, image, statement, signing, annotations = {}) {
    const subject = subjectOf(image);
    const head = await client.headManifest(subject);
    const { signStatement } = await __webpack_require__.e(/* import() */ 202).then(__webpack_require__.bind(__webpack_require__, 1202));
    const bundle = Buffer.from(JSON.stringify(await signStatement(statement, signing)));
    await client.pushBlob(subject, EMPTY_CONFIG);
    await client.pushBlob(subject, bundle);
    const manifest = bundleManifest(bundle, statement.predicateType, { ...head, digest: subject.digest }, annotations);
    return client.pushReferrer(subject, manifest, OCI_MANIFEST);
}
/** Signs `input` as evidence on `image` (which must name a digest); returns what was stored. */
async function writeEvidence(client, image, input, signing, now = new Date()) {
    const subject = subjectOf(image);
    const record = (0,evidence_record/* checkRecord */.EQ)({
        ...input,
        image: (0,reference/* pinnedReference */.ct)(subject, subject.digest),
        digest: subject.digest,
        createdAt: input.createdAt ?? now.toISOString()
    });
    const digest = await attachStatement(client, subject, (0,statement/* evidenceStatement */.Z4)(record), signing, {
        [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.kind]: record.kind,
        [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.decision]: record.decision,
        [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.created]: record.createdAt
    });
    core/* info */.pq(`evidence ${record.kind}=${record.decision} signed (${signing.kind}) and written on ${record.image} as ${digest}`);
    return { digest, record };
}
/**
 * Every evidence record on `image`, each verified under `policy`; rejected ones are kept with their
 * reason. Bundles about other things (provenance, other tools' attestations) are left out.
 */
async function inspectEvidence(client, image, policy) {
    const subject = subjectOf(image);
    const descriptors = (await client.listReferrers(subject)).filter((d) => d.artifactType === BUNDLE_MEDIA_TYPE || d.artifactType === UNSIGNED_EVIDENCE_TYPE);
    const { verifyBundle, RejectedEvidence } = await __webpack_require__.e(/* import() */ 142).then(__webpack_require__.bind(__webpack_require__, 74142));
    const seen = [];
    for (const descriptor of descriptors) {
        const annotations = descriptor.annotations ?? {};
        const claimedType = annotations[BUNDLE_ANNOTATIONS.predicateType];
        // provenance and other tools' attestations say so: not evidence, not worth verifying
        if (claimedType !== undefined && kindOfPredicateType(claimedType) === undefined)
            continue;
        const claimed = {
            digest: descriptor.digest,
            kind: annotations[EVIDENCE_ANNOTATIONS.kind] ?? kindOfPredicateType(claimedType ?? ''),
            claimedDecision: annotations[EVIDENCE_ANNOTATIONS.decision]
        };
        if (descriptor.artifactType === UNSIGNED_EVIDENCE_TYPE) {
            seen.push({
                ...claimed,
                rejected: { reason: 'unsigned', detail: 'a record in the old unsigned format' }
            });
            continue;
        }
        const fetched = await client.getManifest({ ...subject, digest: descriptor.digest });
        if (fetched.kind !== 'image' || fetched.manifest.layers.length !== 1) {
            seen.push({ ...claimed, rejected: { reason: 'unsigned', detail: 'no bundle layer' } });
            continue;
        }
        const body = await client.fetchBlob(subject, fetched.manifest.layers[0].digest);
        try {
            let json;
            try {
                json = JSON.parse(body.toString());
            }
            catch {
                throw new RejectedEvidence('unsigned', 'the layer is not JSON');
            }
            const verified = await verifyBundle(json, policy);
            const kind = kindOfPredicateType(verified.statement.predicateType);
            if (kind === undefined)
                continue; // provenance or another tool's attestation
            let record;
            try {
                record = recordOfStatement(verified.statement, subject.digest);
            }
            catch (error) {
                if (!(error instanceof InvalidEvidenceError))
                    throw error;
                const reason = error.message.startsWith('wrong subject') ? 'wrong subject' : 'not a record';
                throw new RejectedEvidence(reason, error.message);
            }
            const time = policy.kind === 'keyless' ? verified.witnessedAt?.toISOString() : record.createdAt;
            if (time === undefined)
                throw new RejectedEvidence('expired without a witness', 'no time');
            seen.push({ digest: descriptor.digest, kind, record, time });
        }
        catch (error) {
            if (!(error instanceof RejectedEvidence))
                throw error;
            seen.push({ ...claimed, rejected: { reason: error.reason, detail: error.detail } });
        }
    }
    return seen;
}
/** Accepted records of one kind, oldest first by the time they are ordered by. */
function accepted(seen, kind) {
    return seen
        .filter((s) => s.record !== undefined && s.kind === kind)
        .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
}
/** For each required kind, the newest accepted record (by verified time) decides. */
function judgeEvidence(seen, required) {
    const newest = required.flatMap((kind) => accepted(seen, kind).slice(-1));
    const missing = required.filter((kind) => !newest.some((s) => s.kind === kind));
    const ok = missing.length === 0 && newest.every((s) => s.record?.decision === 'pass');
    return { ok, missing, newest, seen };
}
function store_short(digest) {
    return digest.slice(0, 'sha256:'.length + 12);
}
function describeSeen(s, newest) {
    const name = `${store_short(s.digest)} (${s.kind ?? 'unknown kind'}${s.record ? ` ${s.record.decision} at ${s.time}` : s.claimedDecision ? `, claims ${s.claimedDecision}` : ''})`;
    if (s.rejected)
        return `${name}: ${s.rejected.reason} (${s.rejected.detail})`;
    if (!newest.includes(s))
        return `${name}: accepted, not the newest`;
    return s.record?.decision === 'pass'
        ? `${name}: accepted, passes`
        : `${name}: not a passing decision`;
}
/** What the verdict says, for the log or for a refusal: each kind, then each record seen and why. */
function describeVerdict(image, verdict) {
    const kinds = [
        ...verdict.missing.map((kind) => `${kind}: no accepted record`),
        ...verdict.newest.map((s) => `${s.kind}: newest accepted is ${s.record?.decision} at ${s.time}${s.record?.runUrl ? ` by ${s.record.runUrl}` : ''}`)
    ];
    const lines = [
        verdict.ok ? `${image} has passing evidence` : `${image} lacks passing evidence`,
        ...kinds.map((k) => `  ${k}`),
        `records seen (${verdict.seen.length}):`,
        ...verdict.seen.map((s) => `  ${describeSeen(s, verdict.newest)}`)
    ];
    return lines.join('\n');
}
/** Reads, verifies and judges the evidence on `image` against the required kinds. */
async function verifyEvidence(client, image, required, policy) {
    return judgeEvidence(await inspectEvidence(client, image, policy), required);
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/github/context.ts
/**
 * The GitHub Actions context, read from the GITHUB_* variables and the event payload at
 * GITHUB_EVENT_PATH.
 *
 * Written here instead of using @actions/github's `context`: that package pulls in octokit and its
 * dependencies, which makes every bundle that imports it slower to load than the 0.3 s cold start the
 * actions aim for, and the few fields the build needs are plain environment variables and JSON.
 */

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
/** Reads the context from `env` and the event file it names. */
function readGitHubContext(env = process.env) {
    const path = env.GITHUB_EVENT_PATH;
    let payload = {};
    if (path) {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(path, 'utf8');
        }
        catch (error) {
            throw new Error(`Cannot read the event payload GITHUB_EVENT_PATH=${path}: ${String(error)}`);
        }
        try {
            payload = JSON.parse(text);
        }
        catch (error) {
            throw new Error(`The event payload at ${path} is not JSON: ${String(error)}`);
        }
    }
    return parseGitHubContext(env, payload);
}
/** Builds the context from environment variables and an already parsed event payload. */
function parseGitHubContext(env, payload) {
    const event = asRecord(payload);
    const eventName = need(env, 'GITHUB_EVENT_NAME');
    const repository = need(env, 'GITHUB_REPOSITORY');
    const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const runId = env.GITHUB_RUN_ID ?? '';
    const repo = asRecord(event.repository);
    const pr = asRecord(event.pull_request);
    const isPullRequest = PULL_REQUEST_EVENTS.includes(eventName);
    const prNumber = isPullRequest ? numberOf(pr.number ?? event.number) : undefined;
    // pull_request_target runs on the base branch; like docker/metadata-action, treat its ref as the
    // pull request's so that it is tagged pr-<n> and never as the base branch.
    let ref = env.GITHUB_REF ?? '';
    if (eventName === 'pull_request_target' && prNumber !== undefined) {
        ref = `refs/pull/${prNumber}/merge`;
    }
    // GITHUB_SHA is GitHub's throwaway merge commit on pull request events; tag and label the head
    // commit the author pushed instead (metadata-action's DOCKER_METADATA_PR_HEAD_SHA=true).
    const headSha = isPullRequest ? stringOf(asRecord(pr.head).sha) : undefined;
    const sha = (headSha ?? need(env, 'GITHUB_SHA')).toLowerCase();
    if (!/^[0-9a-f]{40}$/.test(sha)) {
        throw new Error(`The commit '${sha}' is not a 40-digit hexadecimal git sha`);
    }
    const license = stringOf(asRecord(repo.license).spdx_id);
    return {
        eventName,
        sha,
        ref,
        refName: refNameOf(ref, env.GITHUB_REF_NAME, eventName),
        refType: refTypeOf(ref),
        headRef: env.GITHUB_HEAD_REF || undefined,
        baseRef: env.GITHUB_BASE_REF || undefined,
        prNumber,
        repository,
        serverUrl,
        runId,
        runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
        defaultBranch: stringOf(repo.default_branch),
        repositoryUrl: stringOf(repo.html_url) ?? `${serverUrl}/${repository}`,
        description: stringOf(repo.description),
        license: license === 'NOASSERTION' ? undefined : license,
        actor: env.GITHUB_ACTOR ?? '',
        payload: event
    };
}
function refTypeOf(ref) {
    if (ref.startsWith('refs/heads/'))
        return 'branch';
    if (ref.startsWith('refs/tags/'))
        return 'tag';
    if (ref.startsWith('refs/pull/'))
        return 'pull';
    return 'other';
}
function refNameOf(ref, given, eventName) {
    const short = ref.replace(/^refs\/(heads|tags|pull)\//, '');
    if (eventName === 'pull_request_target' || !given)
        return short || undefined;
    return given;
}
function need(env, name) {
    const value = env[name];
    if (!value)
        throw new Error(`${name} is not set; the GitHub context needs the Actions environment`);
    return value;
}
function asRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? value
        : {};
}
function stringOf(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
function numberOf(value) {
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}
/**
 * The run an action reports to, with one rule for "not in a run": without GITHUB_REPOSITORY,
 * GITHUB_SHA or GITHUB_EVENT_NAME (a local run, a test) every field is blank, and callers record
 * nothing and link nothing. Inside a run it is read as {@link readGitHubContext} reads it, and a
 * broken event payload fails as it does there.
 */
function runContext(env = process.env) {
    if (!env.GITHUB_REPOSITORY || !env.GITHUB_SHA || !env.GITHUB_EVENT_NAME) {
        return { sha: '', repository: '', runId: '', runUrl: '', apiUrl: '' };
    }
    const { sha, repository, runId, runUrl, apiUrl } = readGitHubContext(env);
    return { sha, repository, runId, runUrl, apiUrl };
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

;// CONCATENATED MODULE: ./src/github/errors.ts
/**
 * Failures of GitHub API calls: the GitHubError naming server, operation and status, how one is made
 * from what octokit throws (read structurally, so octokit stays out of the static imports), and which
 * are worth another attempt.
 */

/** A failed GitHub API call: names the server, the operation and, when it answered, the status. */
class GitHubError extends Error {
    server;
    operation;
    status;
    retryAfterMs;
    code;
    constructor(server, operation, status, detail, retryAfterMs, code) {
        super(`GitHub API ${server}: ${operation} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`);
        this.server = server;
        this.operation = operation;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.code = code;
        this.name = 'GitHubError';
    }
}
const TRANSIENT_CODES = [
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT'
];
/** The GitHubError for what a call threw: the answer's status and message, or the network error. */
function gitHubError(error, call) {
    const { server, operation } = call;
    const thrown = (typeof error === 'object' && error !== null ? error : {});
    const hide = (text) => text.split(call.token).join('***');
    if (!thrown.response || typeof thrown.status !== 'number') {
        const { code, message } = rootCause(thrown, String(error));
        const detail = code && !message.includes(code) ? `${message} (${code})` : message;
        return new GitHubError(server, operation, undefined, hide(detail), undefined, code);
    }
    const status = thrown.status;
    const data = thrown.response.data;
    let detail = typeof data?.message === 'string'
        ? data.message
        : typeof data === 'string' && data
            ? data
            : 'no message';
    if (status === 403 || status === 404) {
        detail += `; the token needs the '${call.permission}' permission on ${call.repository}`;
    }
    const retryAfter = parseRetryAfter(thrown.response.headers?.['retry-after']);
    return new GitHubError(server, operation, status, hide(detail), retryAfter);
}
/**
 * The deepest message and the first errno of a network failure: octokit wraps fetch's `fetch failed`,
 * which wraps the socket's error (ECONNREFUSED, ECONNRESET…).
 */
function rootCause(thrown, fallback) {
    let code;
    let message = fallback;
    for (let e = thrown, depth = 0; e && depth < 5; e = e.cause, depth++) {
        if (typeof e.code === 'string')
            code ??= e.code;
        if (typeof e.message === 'string' && e.message !== '')
            message = e.message;
    }
    return { code, message };
}
/**
 * Transient answers: 429, 5xx but 501, a 403 that carries Retry-After (GitHub's secondary rate
 * limit, https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api), and
 * connection resets and timeouts.
 */
function classifyGitHub(error) {
    if (!(error instanceof GitHubError))
        return { retry: false };
    const { status, retryAfterMs } = error;
    if (status === undefined) {
        return TRANSIENT_CODES.includes(error.code ?? '')
            ? { retry: true, reason: error.code ?? 'connection error' }
            : { retry: false };
    }
    if (status === 429 ||
        (status >= 500 && status !== 501) ||
        (status === 403 && retryAfterMs !== undefined)) {
        return { retry: true, afterMs: retryAfterMs, reason: `HTTP ${status}` };
    }
    return { retry: false };
}

;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * An octokit for one repository, opened the same way for every GitHub call the actions make: the
 * token masked first, the repository and API URL checked before any request, octokit loaded on first
 * use.
 *
 * Octokit is built from @octokit/core and its REST endpoint plugin, as @actions/github builds it,
 * rather than taken from @actions/github: that package imports @actions/http-client (with undici)
 * for its proxy agent, and so would every action's bundle at start-up through @actions/core, which
 * imports it too (for OIDC tokens no action here asks for); leaving it out takes about 0.1 s off
 * each action's start (scripts/bundle.js, LEFT_OUT). The runner's proxy settings (`https_proxy`,
 * `http_proxy`, `no_proxy`, upper case too) are honoured as @actions/github honours them, through
 * undici's EnvHttpProxyAgent, loaded only when one is set.
 */



const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
/** Checks the target and opens octokit on it; `purpose` names what the token is for in errors. */
async function openGitHub(target, purpose, env = process.env) {
    if (!target.token)
        throw new Error(`A GitHub token is needed to ${purpose}`);
    core/* setSecret */.Pq(target.token);
    const [owner, repo, ...rest] = target.repository.split('/');
    if (!owner || !repo || rest.length > 0) {
        throw new Error(`The repository '${target.repository}' is not of the form owner/name`);
    }
    let server;
    try {
        server = new URL(target.apiUrl).host;
    }
    catch {
        throw new Error(`The GitHub API URL '${target.apiUrl}' is not a URL`);
    }
    const [{ Octokit }, { restEndpointMethods }] = await Promise.all([
        __webpack_require__.e(/* import() */ 194).then(__webpack_require__.bind(__webpack_require__, 35194)),
        __webpack_require__.e(/* import() */ 210).then(__webpack_require__.bind(__webpack_require__, 49210))
    ]);
    const GitHub = Octokit.plugin(restEndpointMethods);
    const fetch = await proxyFetch(env);
    const octokit = new GitHub({
        auth: target.token,
        baseUrl: target.apiUrl.replace(/\/+$/, ''),
        userAgent: 'rollout-kit',
        log: { debug: core/* debug */.Yz, info: core/* debug */.Yz, warn: core/* warning */.$e, error: core/* error */.z3 },
        ...(fetch ? { request: { fetch } } : {})
    });
    return { octokit, owner, repo, server };
}
/** A fetch through the proxy the environment names, or undefined (global fetch) when none is set. */
async function proxyFetch(env) {
    const proxy = PROXY_VARIABLES.map((name) => env[name]).find(Boolean);
    if (!proxy)
        return undefined;
    const undici = await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 24371, 19));
    const dispatcher = new undici.EnvHttpProxyAgent({
        httpProxy: env.http_proxy || env.HTTP_PROXY,
        httpsProxy: env.https_proxy || env.HTTPS_PROXY,
        noProxy: env.no_proxy || env.NO_PROXY
    });
    return ((url, init) => undici.fetch(url, { ...init, dispatcher }));
}
/**
 * One API call: retried while transient (each retry said in the log), any failure turned into a
 * GitHubError naming the server, the operation and the permission the token may lack.
 */
async function callGitHub(call, request) {
    return withRetry(call.retry ?? DEFAULT_RETRY, async () => {
        try {
            return (await request()).data;
        }
        catch (error) {
            throw gitHubError(error, call);
        }
    }, classifyGitHub, (reason, delay, n) => core/* info */.pq(`${call.operation} on ${call.server}: ${reason}; retry ${n} in ${delay} ms`));
}
/** GitHub's limit for descriptions of deployment and commit statuses. */
const MAX_DESCRIPTION = 140;
/** Cuts a description to GitHub's 140 characters (code points, not UTF-16 units), ending in `…`. */
function truncate(text) {
    if (text === undefined)
        return undefined;
    const chars = [...text];
    return chars.length <= MAX_DESCRIPTION ? text : chars.slice(0, MAX_DESCRIPTION - 1).join('') + '…';
}

;// CONCATENATED MODULE: ./src/github/statuses.ts
/**
 * Commit statuses (https://docs.github.com/rest/commits/statuses): a gate's verdict on a commit, shown
 * beside it and usable as a required check. Octokit opened by client.ts on first use, and
 * transient answers retried by callGitHub, as in deployments.ts.
 */


/** Sets a commit status; a GitHubError naming server, operation and status when GitHub refuses. */
async function setCommitStatus(options) {
    const { octokit, owner, repo, server } = await openGitHub(options, 'set a commit status');
    const operation = `POST statuses/${options.sha} ${options.repository}`;
    const { repository, token, retry } = options;
    const call = { server, operation, repository, token, permission: 'statuses: write', retry };
    await callGitHub(call, () => octokit.rest.repos.createCommitStatus({
        owner,
        repo,
        sha: options.sha,
        state: options.state,
        context: options.context,
        ...(options.description ? { description: truncate(options.description) } : {}),
        ...(options.targetUrl ? { target_url: options.targetUrl } : {})
    }));
    core/* info */.pq(`Commit status ${options.context} of ${options.sha}: ${options.state}`);
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

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
;// CONCATENATED MODULE: ./src/registry/errors.ts


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
    const reason = (0,errors/* messageOf */.b)(cause);
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

;// CONCATENATED MODULE: ./src/registry/mask.ts

const masked = new Set();
/** Masks a secret in the runner's log once: a Basic header rebuilt per request is announced once. */
function mask_mask(secret) {
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
    mask_mask(encoded);
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
    mask_mask(token);
    // The spec's default lifetime is 60 s; stop using a token 10 % early so it never expires in flight.
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { token, expiresAt: now + seconds * 900 };
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

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
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
        return statusError(access.registry, access.operation, response.status, response.body);
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
    return new RegistryError({
        server: access.registry,
        operation: access.operation,
        code: 'DIGEST_INVALID',
        message: `registry ${access.registry}: ${access.operation} ${what}`
    });
}

;// CONCATENATED MODULE: ./src/registry/transient.ts

/** Connection faults that a new connection may not meet again. */
const transient_TRANSIENT_CODES = new Set([
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
    if (transient_TRANSIENT_CODES.has(code) || (code === 'ECONNREFUSED' && answeredBefore)) {
        return { retry: true, reason: code };
    }
    return { retry: false };
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
    response.body.on('error', (error) => verifier.destroy(unreachableError(access.registry, access.operation, error)));
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
        done(error && this.side ? onSide(error, this.side, this.access.registry) : error);
    }
}
function tooLarge(access, limit) {
    return new RegistryError({
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
    const blob = { digest: digestOf(data), size: data.length };
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
        log(`registry ${access.registry}: ${operation} failed (${(0,errors/* messageOf */.b)(error)}); the session expires on its own`);
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
        throw blob_upload_invalid(post, 'answered 202 without a Location for the upload');
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
        failure: () => (failed instanceof RegistryError ? failed : undefined)
    };
}
function blob_upload_invalid(access, what) {
    return new RegistryError({
        server: access.registry,
        operation: access.operation,
        code: 'BLOB_UPLOAD_INVALID',
        message: `registry ${access.registry}: ${access.operation} ${what}`
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
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
                reject(new CredentialHelperError(helper, (0,errors/* messageOf */.b)(parseError)));
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
    mask_mask(secret);
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
        throw new Error(`cannot read registry credentials from ${file}: ${(0,errors/* messageOf */.b)(error)}`);
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
        mask_mask(entry.identitytoken);
        return { identityToken: entry.identitytoken };
    }
    if (entry.auth) {
        mask_mask(entry.auth);
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
        mask_mask(secret);
    return credentials;
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
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
            throw unreachableError(server, operation, error);
        }
        finally {
            this.flying.delete(flight);
        }
        this.answered.add(server);
        this.counts[counted]++;
        if (isTransientStatus(response.status)) {
            const after = parseRetryAfter(response.headers['retry-after']);
            const body = Buffer.isBuffer(response.body) ? response.body : await bodyOf(response.body);
            throw statusError(server, operation, response.status, body, after);
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
    const cause = error instanceof RegistryError ? error.cause : error;
    const code = errorCode(cause) ?? '';
    const message = (0,errors/* messageOf */.b)(cause);
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
    const digest = digestOf(bytes, algorithm);
    const access = {
        ...session.access(ref, ['pull', 'push'], `PUT manifest ${selector(ref)}`),
        ...(options.signal && { signal: options.signal })
    };
    if (ref.digest !== undefined && ref.digest !== digest) {
        throw new RegistryError({
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
            mediaType: OCI_INDEX,
            manifests: [...manifests, referrer]
        },
        changed: true
    };
}
/** An index with no manifests. */
function emptyIndex() {
    return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
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
            headers: { accept: OCI_INDEX }
        });
        if (response.status === 404 && page === 0)
            return undefined;
        if (response.status !== 200)
            throw session.unexpected(access, response);
        found.push(...referrers_indexOf(access, response.body, contentType(response)).manifests);
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
    const parsed = parseManifest(manifest, mediaType);
    const subject = parsed.manifest.subject;
    const digest = digestOf(manifest);
    const operation = `PUT referrer ${repo.repository}@${digest}`;
    if (subject === undefined) {
        throw new RegistryError({
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
        await putManifest(session, tag, Buffer.from(JSON.stringify(index)), OCI_INDEX);
        const after = await readTagIndex(session, target, subject.digest);
        if (after?.manifests.some((m) => m.digest === digest))
            return digest;
    }
    throw new RegistryError({
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
        headers: { accept: OCI_INDEX }
    });
    if (response.status === 404)
        return undefined;
    if (response.status !== 200)
        throw session.unexpected(access, response);
    return referrers_indexOf(access, response.body, contentType(response));
}
function referrers_indexOf(access, body, type) {
    try {
        const parsed = parseManifest(body, type || OCI_INDEX);
        if (parsed.kind === 'index')
            return parsed.manifest;
        throw new InvalidManifestError(`expected an image index, got ${parsed.mediaType}`);
    }
    catch (error) {
        if (!(error instanceof InvalidManifestError))
            throw error;
        throw new RegistryError({
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
    throw new RegistryError({
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
    const error = statusError(access.registry, access.operation, 404, body);
    if (error.code !== undefined && error.code !== 'NAME_UNKNOWN')
        return error;
    return new RegistryError({
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
    return new RegistryError({
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
            path: `/v2/${ref.repository}/manifests/${request_parts_reference(ref)}`,
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

;// CONCATENATED MODULE: ./src/gate/analysis/mann-whitney.ts
/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of canary against baseline samples, with the
 * Hodges-Lehmann estimate of the shift and its distribution-free confidence interval, as the judge of
 * canary analysis needs them (Kayenta's MannWhitneyClassifier does the same with R's wilcox.test
 * ported to Apache Commons Math).
 *
 * Hand-written: the arithmetic is some 150 lines, while the maintained statistics packages on npm
 * either lack the Hodges-Lehmann interval or bring a whole numerics library into every bundle. The
 * normal distribution is hand-written for the same reason: erfc after Numerical Recipes' Chebyshev
 * fit (fractional error < 1.2e-7 everywhere) and Acklam's inverse normal (relative error < 1.2e-9).
 *
 * The p-value is R's `wilcox.test(canary, baseline, exact = FALSE, correct = TRUE)`: the normal
 * approximation with the tie correction and a continuity correction. The interval takes the ordered
 * pairwise differences D(1) ≤ … ≤ D(N), N = n·m, and the critical rank k = round(N/2 − z·σ)
 * (Hollander & Wolfe, §4.3); it is [D(k), D(N+1−k)], which is where R's root search lands too. σ
 * for the interval carries the tie correction of the ties within each group: those are the ties that
 * persist whatever the shift, while ties across the groups come and go with it.
 */
/** Tests canary against baseline; both need at least one finite value, confidence is in (0, 1). */
function mannWhitney(canary, baseline, confidence = 0.95) {
    if (canary.length === 0 || baseline.length === 0) {
        throw new RangeError('Mann-Whitney needs at least one canary and one baseline value');
    }
    if (![...canary, ...baseline].every(Number.isFinite)) {
        throw new RangeError('Mann-Whitney needs finite values');
    }
    if (!(confidence > 0 && confidence < 1)) {
        throw new RangeError(`Confidence must lie between 0 and 1, not ${confidence}`);
    }
    const n = canary.length;
    const m = baseline.length;
    const ranks = rank([...canary, ...baseline]);
    const rankSum = ranks.slice(0, n).reduce((sum, r) => sum + r, 0);
    const u = rankSum - (n * (n + 1)) / 2;
    const shift = u - (n * m) / 2;
    const sigma = sigmaOf(n, m, tieTerm([...canary, ...baseline]));
    const z = sigma === 0 ? 0 : (shift - Math.sign(shift) * 0.5) / sigma;
    const pValue = Math.min(1, 2 * Math.min(normalCdf(z), normalCdf(-z)));
    const differences = canary.flatMap((c) => baseline.map((b) => c - b)).sort((a, b) => a - b);
    const total = differences.length;
    const ciSigma = sigmaOf(n, m, tieTerm(canary) + tieTerm(baseline));
    const zq = normalQuantile(1 - (1 - confidence) / 2);
    const k = Math.max(1, Math.floor(total / 2 + 0.5 - zq * ciSigma));
    return {
        u,
        z,
        pValue,
        estimate: median(differences),
        lower: differences[k - 1],
        upper: differences[total - k]
    };
}
/** The values inside the fences Q1 − factor·IQR and Q3 + factor·IQR (quartiles as R's type 7). */
function removeOutliers(values, factor = 3) {
    if (values.length === 0)
        return [];
    const sorted = [...values].sort((a, b) => a - b);
    const q1 = quantile(sorted, 0.25);
    const q3 = quantile(sorted, 0.75);
    const low = q1 - factor * (q3 - q1);
    const high = q3 + factor * (q3 - q1);
    return values.filter((v) => v >= low && v <= high);
}
/** The median of values (the mean of the middle two for an even count); NaN when empty. */
function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length === 0 ? NaN : quantile(sorted, 0.5);
}
/** The standard normal distribution function Φ(x). */
function normalCdf(x) {
    return 0.5 * erfc(-x / Math.SQRT2);
}
/** The standard normal quantile Φ⁻¹(p) for p in (0, 1); ±Infinity at 0 and 1. */
function normalQuantile(p) {
    if (p <= 0)
        return -Infinity;
    if (p >= 1)
        return Infinity;
    const low = 0.02425;
    if (p < low) {
        const q = Math.sqrt(-2 * Math.log(p));
        return tail(q);
    }
    if (p > 1 - low) {
        const q = Math.sqrt(-2 * Math.log(1 - p));
        return -tail(q);
    }
    const q = p - 0.5;
    const r = q * q;
    const [a1, a2, a3, a4, a5, a6] = ACKLAM_A;
    const [b1, b2, b3, b4, b5] = ACKLAM_B;
    return (((((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q) /
        (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1));
}
const ACKLAM_A = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239
];
const ACKLAM_B = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1
];
const ACKLAM_C = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
/** Acklam's rational approximation in the lower tail, q = √(−2 ln p). */
function tail(q) {
    const [c1, c2, c3, c4, c5, c6] = ACKLAM_C;
    const [d1, d2, d3, d4] = ACKLAM_D;
    return ((((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
        ((((d1 * q + d2) * q + d3) * q + d4) * q + 1));
}
/** The complementary error function (Numerical Recipes' erfcc). */
function erfc(x) {
    const z = Math.abs(x);
    const t = 1 / (1 + 0.5 * z);
    const poly = -z * z -
        1.26551223 +
        t *
            (1.00002368 +
                t *
                    (0.37409196 +
                        t *
                            (0.09678418 +
                                t *
                                    (-0.18628806 +
                                        t *
                                            (0.27886807 +
                                                t *
                                                    (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    const r = t * Math.exp(poly);
    return x >= 0 ? r : 2 - r;
}
/** Ranks 1…n of values, ties given the mean of the ranks they span. */
function rank(values) {
    const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    const ranks = new Array(values.length);
    for (let start = 0; start < order.length;) {
        let end = start;
        while (end + 1 < order.length && order[end + 1][0] === order[start][0])
            end++;
        for (let i = start; i <= end; i++)
            ranks[order[i][1]] = (start + end) / 2 + 1;
        start = end + 1;
    }
    return ranks;
}
/** Σ(t³ − t) over the groups of t equal values. */
function tieTerm(values) {
    const counts = new Map();
    for (const v of values)
        counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.values()].reduce((sum, t) => sum + t ** 3 - t, 0);
}
/** The standard deviation of U under no shift, with the tie correction. */
function sigmaOf(n, m, ties) {
    const total = n + m;
    const variance = ((n * m) / 12) * (total + 1 - (total > 1 ? ties / (total * (total - 1)) : 0));
    return Math.sqrt(Math.max(0, variance));
}
/** The p-quantile of sorted values, linear between order statistics (R's type 7). */
function quantile(sorted, p) {
    const at = (sorted.length - 1) * p;
    const below = Math.floor(at);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
}

;// CONCATENATED MODULE: ./src/gate/analysis/judge.ts

/** Fewer samples than this in either group and a comparison says nothing. */
const MIN_SAMPLES = 3;
/** Classifies one metric from its canary and baseline samples (baseline unused by a threshold). */
function classify(metric, canary, baseline) {
    const prepare = (values) => {
        const finite = values.filter(Number.isFinite);
        return metric.removeOutliers ? removeOutliers(finite) : finite;
    };
    const c = prepare(canary);
    const b = prepare(baseline);
    return metric.kind === 'compare' ? compare(metric, c, b) : threshold(metric, c, b);
}
/** Scores the verdicts and decides: a failed critical metric fails whatever the score. */
function score(verdicts, thresholds) {
    const counted = verdicts.filter((v) => v.classification !== 'nodata' || v.failed);
    const failed = counted.filter((v) => v.failed);
    const total = sum(counted.map((v) => v.weight));
    const good = sum(counted.filter((v) => !v.failed).map((v) => v.weight));
    const value = total > 0 ? (good / total) * 100 : 0;
    const shown = `${round(value)}`;
    const failing = failed.length ? `; failed: ${failed.map(describeFailure).join(', ')}` : '';
    const critical = failed.filter((v) => v.critical);
    if (critical.length > 0) {
        const names = critical.map((v) => v.metric).join(', ');
        const reason = `Critical metric ${names} failed (score ${shown}${failing}).`;
        return { score: value, decision: 'fail', reason, verdicts };
    }
    if (counted.length === 0) {
        const reason = 'No metric had data to judge, so there is no score.';
        return { score: value, decision: 'inconclusive', reason, verdicts };
    }
    const { marginal, pass } = thresholds;
    if (value < marginal) {
        const reason = `Score ${shown} is below the marginal threshold ${marginal}${failing}.`;
        return { score: value, decision: 'fail', reason, verdicts };
    }
    if (value >= pass) {
        const reason = `Score ${shown} reaches the pass threshold ${pass}${failing}.`;
        return { score: value, decision: 'pass', reason, verdicts };
    }
    const reason = `Score ${shown} lies between the marginal ${marginal} and pass ${pass} thresholds${failing}.`;
    return { score: value, decision: 'inconclusive', reason, verdicts };
}
function compare(metric, canary, baseline) {
    if (canary.length < MIN_SAMPLES || baseline.length < MIN_SAMPLES) {
        const reason = `fewer than ${MIN_SAMPLES} samples (canary ${canary.length}, baseline ${baseline.length})`;
        return noData(metric, canary, baseline, reason);
    }
    const result = mannWhitney(canary, baseline, metric.confidence);
    const baselineMedian = median(baseline);
    const band = metric.tolerance * Math.abs(baselineMedian);
    const classification = result.lower > band ? 'high' : result.upper < -band ? 'low' : 'pass';
    const { direction } = metric;
    const failed = (classification === 'high' && direction !== 'decrease') ||
        (classification === 'low' && direction !== 'increase');
    const level = `${round(metric.confidence * 100)} %`;
    const shift = `[${round(result.lower)}, ${round(result.upper)}]`;
    const within = `±${round(band)}`;
    const reason = classification === 'pass'
        ? `the shift's ${level} interval ${shift} is not beyond the tolerance ${within}`
        : `the shift's ${level} interval ${shift} lies ${classification === 'high' ? 'above' : 'below'} the tolerance ${within}${failed ? '' : `, allowed by direction ${direction}`}`;
    return {
        ...base(metric, canary, baseline),
        classification,
        failed,
        reason,
        estimate: result.estimate,
        interval: [result.lower, result.upper],
        pValue: result.pValue
    };
}
function threshold(metric, canary, baseline) {
    if (canary.length === 0)
        return noData(metric, canary, baseline, 'no canary samples');
    const value = median(canary);
    const classification = metric.max !== undefined && value > metric.max
        ? 'high'
        : metric.min !== undefined && value < metric.min
            ? 'low'
            : 'pass';
    const bounds = [
        metric.min !== undefined ? `min ${metric.min}` : '',
        metric.max !== undefined ? `max ${metric.max}` : ''
    ].filter(Boolean);
    const verb = classification === 'pass' ? 'is within' : 'is outside';
    return {
        ...base(metric, canary, baseline),
        classification,
        failed: classification !== 'pass',
        reason: `the canary's median ${round(value)} ${verb} ${bounds.join(' and ')}`
    };
}
function noData(metric, canary, baseline, why) {
    const failed = metric.nodata === 'fail';
    const reason = `${why}: ${failed ? 'fails (nodata: fail)' : 'left out of the score'}`;
    return { ...base(metric, canary, baseline), classification: 'nodata', failed, reason };
}
function base(metric, canary, baseline) {
    const group = (values) => values.length > 0 ? { count: values.length, median: median(values) } : { count: 0 };
    return {
        metric: metric.name,
        critical: metric.critical,
        weight: metric.weight,
        canary: group(canary),
        baseline: group(baseline)
    };
}
function describeFailure(verdict) {
    return `${verdict.metric} (${verdict.classification})`;
}
function sum(values) {
    return values.reduce((total, v) => total + v, 0);
}
/** Up to four significant digits for messages; the verdicts keep the exact numbers. */
function round(value) {
    return String(Number(value.toPrecision(4)));
}

;// CONCATENATED MODULE: ./src/gate/analysis/prometheus.ts
/**
 * Instant queries against Prometheus's HTTP API (GET /api/v1/query), read into plain numbers for
 * the canary analysis: https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 *
 * Hand-written on Node's fetch: the API is one GET with a JSON answer, and the maintained JS clients
 * (prometheus-query) are not dependencies and would hide the status we must report. Transient faults
 * (unreachable, 429, 5xx) are retried with src/retry; a rejected query (400, 422) is not.
 *
 * Credentials (a bearer token, basic auth, a tenant header) go in `headers`, and never leave the
 * Prometheus host: redirects are followed only within the same origin, and one to another host is
 * refused (fetch would follow it with the headers, and the gate would judge that host's data).
 *
 * A private CA (an in-cluster Prometheus behind an internal TLS ingress) is trusted besides the
 * system roots through undici's Agent (`connect.ca`), with undici's own fetch: Node's global fetch is
 * a bundled undici of another version, to which an Agent of the package is not guaranteed to fit.
 * undici is loaded only when a CA is given. A certificate that is not trusted is not retried.
 */



/** A failed query: names the server, the query and Prometheus's status and error. */
class PrometheusError extends Error {
    server;
    query;
    status;
    retryAfterMs;
    permanent;
    constructor(server, query, problem, status, 
    /** Milliseconds the server asked to wait (Retry-After), for retries. */
    retryAfterMs, 
    /** Not worth retrying although no status came (an untrusted TLS certificate). */
    permanent = false) {
        super(`Prometheus ${server}: query '${query}' failed: ${problem}`);
        this.server = server;
        this.query = query;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
        this.permanent = permanent;
        this.name = 'PrometheusError';
    }
}
/** Redirects followed within the Prometheus host before giving up. */
const MAX_REDIRECTS = 5;
/** The timeout of one attempt when none is given. */
const DEFAULT_QUERY_TIMEOUT_MS = 10_000;
/**
 * Evaluates `query` at `time` (default: now): a vector gives one value per series (NaN kept), a
 * scalar gives `[v]`, no series gives `[]`. Throws PrometheusError when the query is rejected, the
 * answer is another type, or the server cannot be reached after the retries.
 */
async function instantQuery(url, query, time, options = {}) {
    const server = displayServer(url);
    const endpoint = queryUrl(url, server, query, time);
    return withRetry(options.retry ?? DEFAULT_RETRY, () => attempt(endpoint, server, query, options), (error) => prometheus_classify(error, options.signal));
}
/** `url` without credentials or query, for messages. */
function displayServer(url) {
    try {
        const parsed = new URL(url);
        parsed.username = '';
        parsed.password = '';
        parsed.search = '';
        parsed.hash = '';
        return parsed.href.replace(/\/+$/, '');
    }
    catch {
        // not a URL: shown as given, and queryUrl reports it
        return url;
    }
}
function queryUrl(url, server, query, time) {
    let endpoint;
    try {
        endpoint = new URL(`${url.replace(/\/+$/, '')}/api/v1/query`);
    }
    catch {
        throw new PrometheusError(server, query, 'the server is not a valid URL (expected http(s)://…)');
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
        throw new PrometheusError(server, query, `unsupported protocol ${endpoint.protocol}`);
    }
    endpoint.searchParams.set('query', query);
    if (time)
        endpoint.searchParams.set('time', (time.getTime() / 1000).toFixed(3));
    return endpoint;
}
async function attempt(endpoint, server, query, options) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response;
    let body;
    const headers = { ...options.headers, Accept: 'application/json' };
    try {
        const send = options.ca === undefined ? fetch : await fetchTrusting(options.ca);
        let url = endpoint;
        for (let hops = 0;; hops++) {
            response = await send(url, { headers, signal, redirect: 'manual' });
            const location = response.headers.get('location');
            if (response.status < 300 || response.status >= 400 || location === null)
                break;
            await response.body?.cancel();
            const next = new URL(location, url);
            if (next.origin !== endpoint.origin) {
                throw new PrometheusError(server, query, `${response.status} redirect to ${next.origin} refused: the query and its credentials go to ${endpoint.origin} only`, response.status);
            }
            if (hops >= MAX_REDIRECTS) {
                throw new PrometheusError(server, query, `more than ${MAX_REDIRECTS} redirects`, response.status);
            }
            url = next;
        }
        body = await response.text();
    }
    catch (error) {
        if (error instanceof PrometheusError)
            throw error;
        const tls = tlsProblem(error);
        if (tls)
            throw new PrometheusError(server, query, tls, undefined, undefined, true);
        throw new PrometheusError(server, query, `unreachable: ${networkProblem(error, timeoutMs)}`);
    }
    const envelope = parseEnvelope(body);
    if (!response.ok || envelope?.status !== 'success') {
        const said = envelope?.error
            ? `${envelope.errorType ?? 'error'}: ${envelope.error}`
            : body.slice(0, 200) || response.statusText;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        throw new PrometheusError(server, query, `${response.status} ${said}`, response.status, retryAfter);
    }
    return valuesOf(envelope.data, server, query);
}
function parseEnvelope(body) {
    try {
        const parsed = JSON.parse(body);
        return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    }
    catch {
        // not JSON (a proxy's error page): the caller reports the body's start
        return undefined;
    }
}
/** The numbers of a vector or scalar result. */
function valuesOf(data, server, query) {
    const result = data?.result;
    if (data?.resultType === 'scalar' && Array.isArray(result))
        return [sampleValue(result[1])];
    if (data?.resultType === 'vector' && Array.isArray(result)) {
        return result.map((series) => sampleValue(series.value?.[1]));
    }
    const type = data?.resultType ?? 'no result';
    throw new PrometheusError(server, query, `answered ${type}; expected a vector or a scalar`, 200);
}
/** Prometheus writes sample values as strings: numbers, "NaN", "+Inf", "-Inf". */
function sampleValue(value) {
    if (value === '+Inf')
        return Infinity;
    if (value === '-Inf')
        return -Infinity;
    return typeof value === 'string' ? Number(value) : NaN;
}
/** One fetch per CA for the process, so that its connections are kept alive across queries. */
const trusting = new Map();
/** undici's fetch through an Agent that trusts `ca` as well as the system roots. */
function fetchTrusting(ca) {
    let made = trusting.get(ca);
    if (!made) {
        made = __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 24371, 19)).then((undici) => {
            // connect.ca replaces the roots rather than adding to them, as tls.connect's `ca` does
            const dispatcher = new undici.Agent({ connect: { ca: [...external_node_tls_.rootCertificates, ca] } });
            return ((url, init) => undici.fetch(url, { ...init, dispatcher }));
        });
        trusting.set(ca, made);
    }
    return made;
}
/** Codes of OpenSSL's verification and Node's host check: the server's certificate is not trusted. */
const UNTRUSTED_CERTIFICATE = new Set([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'CERT_SIGNATURE_FAILURE',
    'ERR_TLS_CERT_ALTNAME_INVALID'
]);
/** "TLS: …" when the connection failed because the server's certificate is not trusted. */
function tlsProblem(error) {
    const cause = error?.cause;
    if (typeof cause?.code !== 'string' || !UNTRUSTED_CERTIFICATE.has(cause.code))
        return undefined;
    // Node 24 appends advice about --use-system-ca, which an action's user cannot follow
    const said = (0,errors/* messageOf */.b)(cause).split(';')[0];
    return `TLS: the server's certificate is not trusted: ${said} (${cause.code}); for a private CA, give its certificates in prometheus-ca`;
}
function networkProblem(error, timeoutMs) {
    // duck-typed: fetch's errors come from another realm under jest's vm and fail `instanceof Error`
    const thrown = error;
    if (thrown?.name === 'TimeoutError')
        return `no answer within ${timeoutMs} ms`;
    if (thrown?.name === 'AbortError')
        return 'aborted';
    // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in its cause
    const cause = thrown?.cause;
    return typeof cause?.code === 'string' ? (0,errors/* messageOf */.b)(cause) : (0,errors/* messageOf */.b)(error);
}
function prometheus_classify(error, signal) {
    if (!(error instanceof PrometheusError) || signal?.aborted || error.permanent) {
        return { retry: false };
    }
    const { status } = error;
    if (status === undefined || status === 429 || status >= 500) {
        return { retry: true, reason: error.message, afterMs: error.retryAfterMs };
    }
    return { retry: false };
}

;// CONCATENATED MODULE: ./src/gate/analysis/sampling.ts
/**
 * The sampling loop of `mode: analysis`: every interval, one instant query per metric and group
 * (canary, and baseline when the metric has one), values appended per metric. Judging the values
 * is the caller's (judge.ts, beside it).
 *
 * Like Kayenta, a round samples at the *end* of its interval: round k is taken at start + k·interval,
 * evaluated at that time, so `rounds = floor(duration / interval)` and the first values describe a
 * canary that has run for one interval. Rounds are scheduled against the start time, so slow queries
 * do not make the loop drift; a round that is late runs at once. Nothing is retried here beyond the
 * retries of instantQuery: a query that still fails ends sampling with its error recorded, and the
 * caller decides (inconclusive).
 */


/** Samples every interval for the duration; never throws for a failed query (see `errors`). */
async function sample(options) {
    const rounds = checkOptions(options);
    const values = new Map(options.queries.map((q) => [q.name, { canary: [], baseline: [] }]));
    const byRound = new Map(options.queries.map((q) => [q.name, []]));
    const start = Date.now();
    let queries = 0;
    for (let round = 1; round <= rounds; round++) {
        const at = new Date(start + round * options.intervalMs);
        if (!(await sleepUntil(at.getTime(), options.signal))) {
            return { rounds: round - 1, queries, values, byRound, stoppedEarly: true, errors: [] };
        }
        const outcome = await sampleRound(options, at);
        queries += outcome.queries;
        if (options.signal?.aborted) {
            return { rounds: round - 1, queries, values, byRound, stoppedEarly: true, errors: [] };
        }
        if ('error' in outcome) {
            return {
                rounds: round - 1,
                queries,
                values,
                byRound,
                stoppedEarly: false,
                errors: [outcome.error]
            };
        }
        for (const [name, s] of outcome.samples) {
            const kept = values.get(name);
            kept?.canary.push(...s.canary);
            kept?.baseline.push(...s.baseline);
            byRound.get(name)?.push(s);
        }
        if (options.onRound?.(round, values) === 'stop' && round < rounds) {
            return { rounds: round, queries, values, byRound, stoppedEarly: true, errors: [] };
        }
    }
    return { rounds, queries, values, byRound, stoppedEarly: false, errors: [] };
}
/** floor(duration / interval) after checking both; throws RangeError naming the field. */
function checkOptions(options) {
    const { intervalMs, durationMs, queries } = options;
    if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
        throw new RangeError(`sampling intervalMs is ${intervalMs}; expected a number > 0`);
    }
    if (!(Number.isFinite(durationMs) && durationMs >= intervalMs)) {
        throw new RangeError(`sampling durationMs is ${durationMs}; expected at least the interval (${intervalMs} ms)`);
    }
    if (queries.length === 0)
        throw new RangeError('sampling queries is empty; expected a metric');
    const names = queries.map((q) => q.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) {
        throw new RangeError(`sampling query name '${twice}' is used twice; expected unique names`);
    }
    return Math.floor(durationMs / intervalMs);
}
/** One round: every metric's canary and baseline queries at `at`, concurrently. */
async function sampleRound(options, at) {
    const queryOptions = {
        signal: options.signal,
        timeoutMs: options.queryTimeoutMs,
        retry: options.retry,
        headers: options.headers,
        ca: options.ca
    };
    const run = (query) => query === undefined
        ? Promise.resolve([])
        : instantQuery(options.prometheusUrl, query, at, queryOptions);
    const count = options.queries.reduce((n, q) => n + (q.baseline === undefined ? 1 : 2), 0);
    const settled = await Promise.allSettled(options.queries.map(async (q) => {
        const [canary, baseline] = await Promise.all([run(q.canary), run(q.baseline)]);
        return [q.name, { at, canary, baseline }];
    }));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed)
        return { queries: count, error: (0,errors/* messageOf */.b)(failed.reason) };
    const samples = new Map(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    return { queries: count, samples };
}
/** Waits until `time`; false when the signal aborted first. The timer never outlives the wait. */
function sleepUntil(time, signal) {
    if (signal?.aborted)
        return Promise.resolve(false);
    return new Promise((resolve) => {
        const done = (ok) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(ok);
        };
        const onAbort = () => done(false);
        const timer = setTimeout(() => done(true), Math.max(0, time - Date.now()));
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

// EXTERNAL MODULE: ./src/gate/analysis/metrics-input.ts
var metrics_input = __webpack_require__(5338);
;// CONCATENATED MODULE: ./src/gate/analysis/round-chart.ts
/**
 * The job summary's picture of one metric over an analysis: a Mermaid `xychart-beta` of the canary
 * (and the baseline) per round, which GitHub renders in job summaries, followed by the per-round
 * table of values and the metric's classification after each round. Pure: Markdown from numbers.
 *
 * Mermaid's xychart grammar takes only plain decimals in `line [..]` (no exponent, no NaN or
 * Infinity: https://github.com/mermaid-js/mermaid/blob/develop/packages/mermaid/src/diagrams/xychart/parser/xychart.jison),
 * and a line has no gaps. So a round's point is the mean of the finite values its query returned (one
 * per series), a round without one for every line is left out of the chart (and said so below it),
 * and with fewer than two points there is no chart, only a note. Past `maxPoints` rounds, consecutive
 * rounds are averaged into at most that many points, in the chart and the table alike, so that a
 * long analysis stays readable. A threshold metric's bounds are flat lines. xychart has no legend:
 * the colours are set, and named under the chart.
 */
/** The most points a chart (and rows the table) shows; more rounds are averaged into this many. */
const MAX_POINTS = 60;
/** Canary orange, baseline blue, bounds grey: readable on GitHub's light and dark themes. */
const COLOURS = {
    canary: ['orange', '#e8590c'],
    baseline: ['blue', '#1c7ed6'],
    bound: ['grey', '#868e96']
};
/** Markdown for one metric: its chart (or why there is none), then the per-round table. */
function metricRoundsMarkdown(metric, maxPoints = MAX_POINTS) {
    const heading = `**${escapeMarkdown(metric.name)}**`;
    if (metric.rounds.length === 0)
        return `${heading}\n\nNo round completed.`;
    const max = Math.max(2, Math.floor(maxPoints));
    const points = pointsOf(metric.rounds, max);
    const averaged = points.length < metric.rounds.length;
    const unit = averaged ? 'points' : 'rounds';
    const drawn = points.filter((p) => p.canary !== undefined && (!metric.compare || p.baseline !== undefined));
    if (drawn.length < 2) {
        const groups = metric.compare ? 'both canary and baseline' : 'the canary';
        const note = `No chart: ${drawn.length} of ${points.length} ${unit} had a value for ${groups}, and a line needs two.`;
        return [heading, note, table(metric.compare, points)].join('\n\n');
    }
    const series = seriesOf(metric, drawn);
    const legend = series.map((l) => `${l.colour[0]}: ${l.name}`).join(', ');
    const notes = [`${capitalised(legend)}; per round, the mean of the series a query returned.`];
    if (averaged) {
        notes.push(`${metric.rounds.length} rounds, averaged ${Math.ceil(metric.rounds.length / max)} to a point.`);
    }
    const missing = points.filter((p) => !drawn.includes(p)).map((p) => p.label);
    if (missing.length > 0)
        notes.push(`Left out for want of a value: ${unit} ${missing.join(', ')}.`);
    if (metric.compare && drawn.every((p) => decimal(p.canary) === decimal(p.baseline))) {
        // the baseline is drawn over the canary, which would seem to be missing
        notes.push('The lines coincide: the canary drew the same values as the baseline.');
    }
    return [
        heading,
        chart(metric.name, drawn, series),
        notes.join(' '),
        table(metric.compare, points)
    ].join('\n\n');
}
/** The lines: the canary, then the baseline or the finite bounds. */
function seriesOf(metric, points) {
    const flat = (value) => points.map(() => value);
    const series = [
        { name: 'canary', colour: COLOURS.canary, values: points.map((p) => p.canary) }
    ];
    if (metric.compare) {
        const values = points.map((p) => p.baseline);
        series.push({ name: 'baseline', colour: COLOURS.baseline, values });
    }
    for (const side of ['min', 'max']) {
        const bound = metric.compare ? undefined : metric.bounds?.[side];
        if (bound !== undefined && Number.isFinite(bound)) {
            series.push({ name: `${side} ${decimal(bound)}`, colour: COLOURS.bound, values: flat(bound) });
        }
    }
    return series;
}
/** The Mermaid block. */
function chart(name, points, series) {
    const palette = series.map((l) => l.colour[1]).join(', ');
    return [
        '```mermaid',
        `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
        'xychart-beta',
        `  title "${quoted(name)}"`,
        `  x-axis "round" [${points.map((p) => `"${p.label}"`).join(', ')}]`,
        `  y-axis "value"${yRange(series.flatMap((l) => l.values))}`,
        ...series.map((l) => `  line "${l.name}" [${l.values.map(decimal).join(', ')}]`),
        '```'
    ].join('\n');
}
function capitalised(word) {
    return `${word[0].toUpperCase()}${word.slice(1)}`;
}
/**
 * An explicit range when every value is the same (an error rate of 0 throughout), where Mermaid's
 * automatic range would be empty; Mermaid picks the range otherwise.
 */
function yRange(values) {
    const low = Math.min(...values);
    const high = Math.max(...values);
    if (low !== high)
        return '';
    const pad = Math.abs(low) || 1;
    return ` ${decimal(low - pad)} --> ${decimal(high + pad)}`;
}
/** The per-round table: the values drawn, `—` where there were none. */
function table(compare, points) {
    const value = (v) => (v === undefined ? '—' : decimal(v));
    const header = compare
        ? ['| round | canary | baseline | after the round |', '| --- | --- | --- | --- |']
        : ['| round | canary | after the round |', '| --- | --- | --- |'];
    const rows = points.map((p) => compare
        ? `| ${p.label} | ${value(p.canary)} | ${value(p.baseline)} | ${p.classification} |`
        : `| ${p.label} | ${value(p.canary)} | ${p.classification} |`);
    return [...header, ...rows].join('\n');
}
/** Rounds as points: one each, or consecutive rounds averaged so that there are at most `max`. */
function pointsOf(rounds, max) {
    const size = Math.max(1, Math.ceil(rounds.length / max));
    const points = [];
    for (let i = 0; i < rounds.length; i += size) {
        const group = rounds.slice(i, i + size);
        const first = group[0].round;
        const last = group[group.length - 1].round;
        points.push({
            label: first === last ? `${first}` : `${first}-${last}`,
            canary: mean(group.map((r) => mean(r.canary))),
            baseline: mean(group.map((r) => mean(r.baseline))),
            classification: group[group.length - 1].classification
        });
    }
    return points;
}
/** The mean of the finite values; undefined when there are none. */
function mean(values) {
    const finite = values.filter((v) => v !== undefined && Number.isFinite(v));
    if (finite.length === 0)
        return undefined;
    return finite.reduce((sum, v) => sum + v, 0) / finite.length;
}
/**
 * A finite number as Mermaid's grammar reads it, `[+-]?\d+(\.\d+)?`, to four significant digits:
 * no exponent (0.00001234, not 1.234e-5), no `-0`. Tiny values round to 0.
 */
function decimal(value) {
    if (!Number.isFinite(value))
        throw new RangeError(`${value} cannot be drawn`);
    if (value === 0)
        return '0';
    if (Math.abs(value) >= 1e21)
        return BigInt(Math.round(value)).toString();
    const digits = Math.min(20, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value)))));
    const text = value
        .toFixed(digits)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '');
    return text === '-0' ? '0' : text;
}
/**
 * Text for a quoted Mermaid string, which ends at the next `"` and at a line's end, and in which
 * Mermaid reads `#…;` as an entity (`#x;` became `ﬂ°x¶ßy` in a title).
 */
function quoted(text) {
    return text
        .replace(/[\r\n]+/g, ' ')
        .replace(/"/g, "'")
        .replace(/[#;]/g, ' ');
}
/** A metric's name as Markdown text on one line: no HTML, no emphasis or code from its characters. */
function escapeMarkdown(text) {
    return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>&|]/g, (c) => `\\${c}`);
}

;// CONCATENATED MODULE: ./src/actions/canary-gate/analysis.ts


/**
 * mode analysis: every metric's canary (and baseline) query sampled each interval for the duration;
 * after each round every metric is classified and the whole scored, and sampling stops early once a
 * critical metric fails or the score falls below marginal. A Prometheus that cannot be queried makes
 * the decision inconclusive, never pass.
 */
async function analysisOutcome(inputs) {
    const thresholds = { marginal: inputs.marginal, pass: inputs.pass };
    const judgeAll = (values) => score(inputs.metrics.map((metric) => {
        const got = values.get(metric.name);
        return classify(metric, got?.canary ?? [], got?.baseline ?? []);
    }), thresholds);
    // each metric's classification after each round, for the summary's per-round table
    const judged = new Map(inputs.metrics.map((metric) => [metric.name, []]));
    const result = await sample({
        prometheusUrl: inputs.prometheusUrl,
        queries: inputs.metrics.map((metric) => ({
            name: metric.name,
            canary: (0,metrics_input/* queryFor */.qR)(metric, inputs.canarySelector),
            ...(metric.kind === 'compare' ? { baseline: (0,metrics_input/* queryFor */.qR)(metric, inputs.baselineSelector) } : {})
        })),
        intervalMs: inputs.intervalMs,
        durationMs: inputs.durationMs,
        headers: inputs.prometheusHeaders,
        ca: inputs.prometheusCa,
        onRound: (round, values) => {
            const now = judgeAll(values);
            for (const v of now.verdicts) {
                judged.get(v.metric)?.push(`${v.classification}${v.failed ? ' ✗' : ''}`);
            }
            core/* info */.pq(`round ${round}: score ${now.score}, ${now.decision}: ${now.reason}`);
            const enough = [...values.values()].every((v) => v.canary.length >= MIN_SAMPLES);
            return enough && now.decision === 'fail' ? 'stop' : undefined;
        }
    });
    const final = judgeAll(result.values);
    const failedQueries = result.errors.length > 0;
    const decision = failedQueries ? 'inconclusive' : final.decision;
    const reason = failedQueries
        ? `Prometheus could not be queried, so nothing is decided: ${result.errors[0]}`
        : `${final.reason}${result.stoppedEarly ? ` (stopped after round ${result.rounds} of ${Math.floor(inputs.durationMs / inputs.intervalMs)})` : ''}`;
    return {
        decision,
        score: Math.round(final.score),
        reason,
        report: {
            mode: 'analysis',
            decision,
            reason,
            score: final.score,
            rounds: result.rounds,
            queries: result.queries,
            stoppedEarly: result.stoppedEarly,
            errors: result.errors,
            metrics: final.verdicts.map(verdictReport)
        },
        details: {
            score: final.score,
            rounds: result.rounds,
            metrics: Object.fromEntries(final.verdicts.map((v) => [v.metric, v.classification]))
        },
        rows: [
            ['score', `${Math.round(final.score)} (marginal ${inputs.marginal}, pass ${inputs.pass})`],
            [
                'rounds',
                `${result.rounds}, ${result.queries} queries${result.stoppedEarly ? ', stopped early' : ''}`
            ],
            ...final.verdicts.map((v) => [
                `${v.metric}${v.critical ? ' (critical)' : ''}`,
                `${v.classification}${v.failed ? ' ✗' : ''}: ${v.reason}`
            ])
        ],
        notes: result.rounds === 0 ? [] : roundNotes(inputs, result.byRound, judged)
    };
}
/** Per metric, a chart of canary and baseline over the rounds and the per-round table. */
function roundNotes(inputs, byRound, judged) {
    return inputs.metrics.map((metric) => metricRoundsMarkdown({
        name: metric.name,
        compare: metric.kind === 'compare',
        bounds: { min: metric.min, max: metric.max },
        rounds: (byRound.get(metric.name) ?? []).map((s, i) => ({
            round: i + 1,
            canary: s.canary,
            baseline: s.baseline,
            classification: judged.get(metric.name)?.[i] ?? ''
        }))
    }));
}
function verdictReport(verdict) {
    return {
        metric: verdict.metric,
        classification: verdict.classification,
        failed: verdict.failed,
        critical: verdict.critical,
        weight: verdict.weight,
        reason: verdict.reason,
        canary: verdict.canary,
        baseline: verdict.baseline,
        estimate: verdict.estimate ?? null,
        interval: verdict.interval ?? null,
        pValue: verdict.pValue ?? null
    };
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(80481);
;// CONCATENATED MODULE: ./src/gate/tests/command.ts
/**
 * Runs a test command the way a workflow's `run:` step does (`bash --noprofile --norc -eo pipefail`),
 * in its own process group so that a timeout ends it with everything it started.
 *
 * Hand-written on node:child_process rather than @actions/exec: exec cannot start the child
 * detached (a process group of its own) nor kill a group, and its timeout-free promise would wait
 * for grandchildren that keep the output pipes open.
 */


/** Grace between SIGTERM and SIGKILL for a timed-out process group. */
const KILL_GRACE_MS = 3000;
/** How long to wait for the output pipes after the shell exits (a daemon may hold them open). */
const DRAIN_MS = 2000;
/** Runs `command` with /bin/bash; kills its process group at timeout and after it exits. */
async function runCommand(command, options) {
    const child = (0,external_node_child_process_.spawn)('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe']
    });
    const tail = new Tail(options.tailLines ?? 40);
    const closed = Promise.all([child.stdout, child.stderr].map((stream) => new Promise((done) => {
        const lines = (0,external_node_readline_.createInterface)({ input: stream, crlfDelay: Infinity });
        lines.on('line', (line) => {
            tail.push(line);
            options.onOutput?.(line);
        });
        lines.on('close', done);
    })));
    let timedOut = false;
    let killTimer;
    const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    try {
        const [code, signal] = await new Promise((done, fail) => {
            child.once('error', fail);
            child.once('exit', (exitCode, exitSignal) => done([exitCode, exitSignal]));
        });
        // whatever the shell left running in its group (servers started with `&`) ends with it
        killGroup(child.pid, 'SIGKILL');
        await Promise.race([closed, new Promise((done) => setTimeout(done, DRAIN_MS).unref())]);
        return {
            ...(code !== null ? { exitCode: code } : {}),
            ...(signal !== null ? { signal } : {}),
            timedOut,
            outputTail: tail.text()
        };
    }
    finally {
        clearTimeout(timer);
        clearTimeout(killTimer);
        child.stdout.destroy();
        child.stderr.destroy();
    }
}
function killGroup(pid, signal) {
    if (pid === undefined)
        return;
    try {
        process.kill(-pid, signal);
    }
    catch {
        // ESRCH: the group has already gone, which is what killing it is for
    }
}
/** The last `size` lines seen. */
class Tail {
    size;
    lines = [];
    constructor(size) {
        this.size = size;
    }
    push(line) {
        this.lines.push(line);
        if (this.lines.length > this.size)
            this.lines.shift();
    }
    text() {
        return this.lines.join('\n');
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(42377);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/xmlparser/XMLParser.js + 26 modules
var XMLParser = __webpack_require__(69658);
// EXTERNAL MODULE: ./node_modules/fast-xml-parser/src/fxp.js
var fxp = __webpack_require__(75824);
;// CONCATENATED MODULE: ./src/action/limits.ts
/**
 * How much input the actions read, and the check that says so before reading it: without them a
 * 131 MB kubeconfig or a JUnit report with a 200 MB failure message ran Node out of heap with no
 * `::error` and no outputs. The limits are far above what real inputs hold (a kubeconfig with
 * embedded certificates is tens of KB, a Kubernetes object at most ~1.5 MB in etcd).
 */


const MiB = 1024 * 1024;
const LIMITS = {
    /** A kubeconfig, as the input's text or as a file. */
    kubeconfig: 4 * MiB,
    /** One manifest file. */
    manifestFile: 16 * MiB,
    /** One JUnit report file. */
    junitFile: 64 * MiB,
    /** A failure message or details kept per test (the rest is cut, and says how much). */
    testText: 64 * 1024
};
/** `bytes` as people read it: `512 KiB`, `131.0 MiB`. */
function size(bytes) {
    if (bytes < MiB)
        return `${Math.ceil(bytes / 1024)} KiB`;
    return `${(bytes / MiB).toFixed(1)} MiB`;
}
/**
 * Throws an InputError naming `input`, the file and both sizes when `file` is larger than `limit`;
 * a file that cannot be stat'ed is left to the reader, which reports it its own way.
 */
function checkFileSize(input, file, limit, what, shown = file) {
    let bytes;
    try {
        bytes = (0,external_node_fs_.statSync)(file).size;
    }
    catch {
        return;
    }
    if (bytes > limit) {
        throw new errors/* InputError */.d(input, shown, `${what} of at most ${size(limit)}; it is ${size(bytes)}`);
    }
}
/** Throws an InputError when the text of `input` is larger than `limit` (its text not repeated). */
function checkTextSize(input, text, limit, what) {
    const bytes = Buffer.byteLength(text);
    if (bytes > limit) {
        throw new InputError(input, `(${size(bytes)} of text)`, `${what} of at most ${size(limit)}`);
    }
}
/** `text` cut to `limit` characters, saying how many were left out. */
function truncated(text, limit = LIMITS.testText) {
    if (text.length <= limit)
        return text;
    return `${text.slice(0, limit)}… (${text.length - limit} more characters not kept)`;
}

;// CONCATENATED MODULE: ./src/gate/tests/junit-location.ts
/**
 * Where a failed test failed, from what each JUnit dialect gives. Hand-written: the test-report
 * libraries on npm parse the XML but leave file and line to each CI integration.
 *
 * - jest-junit (addFileAttribute) and pytest (xunit1): a `file` attribute; the line is that file's
 *   first `name:line` in the failure text (a stack frame or pytest's `file.py:10: Error`), else the
 *   `line` attribute.
 * - Maven Surefire: no file; the first stack frame of the test class, `at pkg.Class.method(File.java:42)`,
 *   gives `pkg/File.java` (relative to a source root such as src/test/java) and 42.
 * - go-junit-report: classname is the package; `file_test.go:NN:` in the text gives
 *   `<package import path>/file_test.go` (strip the module path to get a repository path) and NN.
 * - pytest xunit2: no file; the traceback's `path/test_x.py:NN: Error` line whose module is the
 *   classname (or its prefix) gives both.
 */

/** The file and 1-based line to annotate for a test case, as far as its report tells. */
function locate(hints) {
    const { classname, file, line, details } = hints;
    if (file) {
        const failedAt = details ? lineIn(details, (0,external_node_path_.basename)(file)) : undefined;
        return defined({ file, line: failedAt ?? line });
    }
    if (details && classname) {
        const found = javaFrame(details, classname) ??
            goFailure(details, classname) ??
            pythonFrame(details, classname);
        if (found)
            return found;
    }
    return defined({ line });
}
function lineIn(details, name) {
    const match = new RegExp(`(?:^|[\\s/\\\\(])${junit_location_escape(name)}:(\\d+)`, 'm').exec(details);
    return match ? Number(match[1]) : undefined;
}
function javaFrame(details, classname) {
    const frame = new RegExp(`^\\s*at ${junit_location_escape(classname)}(?:\\$[\\w$]+)?\\.[^(\\n]*\\(([^:()\\s]+\\.\\w+):(\\d+)\\)`, 'm').exec(details);
    if (!frame)
        return undefined;
    const dot = classname.lastIndexOf('.');
    const folder = dot > 0 ? `${classname.slice(0, dot).replaceAll('.', '/')}/` : '';
    return { file: `${folder}${frame[1]}`, line: Number(frame[2]) };
}
function goFailure(details, classname) {
    const match = /^\s*([\w.-]+_test\.go):(\d+):/m.exec(details);
    return match ? { file: `${classname}/${match[1]}`, line: Number(match[2]) } : undefined;
}
function pythonFrame(details, classname) {
    for (const match of details.matchAll(/^([^\s:]+\.py):(\d+): /gm)) {
        const module = match[1].replace(/\.py$/, '').replaceAll('/', '.');
        if (classname === module || classname.startsWith(`${module}.`)) {
            return { file: match[1], line: Number(match[2]) };
        }
    }
    return undefined;
}
function defined(location) {
    return {
        ...(location.file !== undefined ? { file: location.file } : {}),
        ...(location.line !== undefined ? { line: location.line } : {})
    };
}
function junit_location_escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

;// CONCATENATED MODULE: ./src/gate/tests/junit.ts
/**
 * JUnit XML test reports: parsing with fast-xml-parser (its validator gives the line and column of
 * malformed XML) into one flat list of test cases per report file.
 *
 * There is no JUnit XML standard, only dialects; what is read (fixtures in test/gate/fixtures/junit):
 * a `testsuites` or a single `testsuite` root, testsuite elements nested to any depth, testcase
 * with a `failure`, `error` or `skipped` child (message attribute and/or text), `time` in seconds.
 * Where a test failed, its file and line come from junit-location.ts.
 */







/** A report that cannot be read as JUnit XML: `file:line:column: reason`. */
class ReportError extends Error {
    file;
    line;
    column;
    constructor(file, reason, line, column) {
        const position = [line, column].filter((n) => n !== undefined).join(':');
        super(`${file}${position ? `:${position}` : ''}: ${reason}`);
        this.file = file;
        this.line = line;
        this.column = column;
        this.name = 'ReportError';
    }
}
const RESULTS = ['failure', 'error', 'skipped'];
const STATUS = { failure: 'failed', error: 'error', skipped: 'skipped' };
const parser = new XMLParser/* default */.A({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    alwaysCreateTextNode: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => ['testsuite', 'testcase', ...RESULTS].includes(name)
});
/** Parses one report; malformed XML or another document → ReportError with the position. */
function parseJUnit(xml, file) {
    const valid = fxp/* XMLValidator */.iI.validate(xml);
    if (valid !== true) {
        throw new ReportError(file, `malformed XML: ${valid.err.msg}`, valid.err.line, valid.err.col);
    }
    let document;
    try {
        document = parser.parse(xml);
    }
    catch (error) {
        // fast-xml-parser refuses external entities (XXE) and entity expansion past its limits
        throw new ReportError(file, `unsafe or unreadable XML: ${(0,errors/* messageOf */.b)(error)}`);
    }
    const root = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'));
    if (root !== 'testsuites' && root !== 'testsuite') {
        const { line, column } = positionOf(xml, root);
        const found = root === undefined ? 'no root element' : `root element <${root}>`;
        throw new ReportError(file, `not a JUnit report: ${found}; expected <testsuites> or <testsuite>`, line, column);
    }
    const top = root === 'testsuites' ? asNode(document.testsuites) : { testsuite: document.testsuite };
    const dialect = pytestRoot(top) ? 'pytest' : 'other';
    return { file, cases: suiteCases(top, '', dialect) };
}
/**
 * Reads every file that `patterns` (globs, `!` to exclude, relative to `cwd`) match, in path
 * order; no match at all → ReportError naming the patterns (a path a user must fix).
 */
async function readReports(patterns, cwd) {
    const absolute = patterns.map((pattern) => pattern.startsWith('!') ? `!${(0,external_node_path_.resolve)(cwd, pattern.slice(1))}` : (0,external_node_path_.resolve)(cwd, pattern));
    const globber = await glob/* create */.v(absolute.join('\n'), { matchDirectories: false });
    const files = [...new Set(await globber.glob())].sort();
    if (files.length === 0) {
        const listed = patterns.map((pattern) => `'${pattern}'`).join(', ');
        throw new ReportError(listed, `no report file matches in ${cwd}`);
    }
    const reports = [];
    for (const path of files) {
        const name = (0,external_node_path_.isAbsolute)(path) ? (0,external_node_path_.relative)(cwd, path) : path;
        checkFileSize('reports', path, LIMITS.junitFile, 'JUnit report files', name);
        reports.push(parseJUnit(await (0,promises_.readFile)(path, 'utf8'), name));
    }
    return reports;
}
/**
 * The name a quarantine entry matches: `classname.name`, or `name` alone when there is no
 * classname or it equals the name (jest-junit's default templates). Quarantine also matches the
 * plain `name`.
 */
function testId(test) {
    return test.classname && test.classname !== test.name
        ? `${test.classname}.${test.name}`
        : test.name;
}
function suiteCases(suite, parentName, dialect) {
    const name = junit_text(suite['@_name']) ?? parentName;
    const own = nodes(suite.testcase).map((node) => testCase(node, name, dialect));
    const nested = nodes(suite.testsuite).flatMap((child) => suiteCases(child, name, dialect));
    return [...own, ...nested];
}
/** A test's text kept to LIMITS.testText characters. */
function cut(value) {
    return value === undefined ? undefined : truncated(value);
}
function testCase(node, suite, dialect) {
    const result = RESULTS.find((kind) => nodes(node[kind]).length > 0);
    const outcome = result ? nodes(node[result])[0] : undefined;
    const body = cut(outcome ? junit_text(outcome['#text'])?.trim() : undefined);
    const output = cut(junit_text(firstText(node['system-err']) ?? firstText(node['system-out']))?.trim());
    const message = cut(junit_text(outcome?.['@_message'])?.trim() || firstLine(body));
    const classname = junit_text(node['@_classname']);
    const status = result ? STATUS[result] : 'passed';
    const details = body || output || undefined;
    const where = locate({
        classname,
        file: junit_text(node['@_file']),
        // pytest's xunit1 `line` is 0-based (its item.location); other dialects count from 1
        line: lineNumber(node['@_line'], dialect === 'pytest' ? 1 : 0),
        details: status === 'failed' || status === 'error' ? details : undefined
    });
    return {
        suite,
        classname,
        name: junit_text(node['@_name']) ?? '',
        ...where,
        seconds: junit_seconds(node['@_time']),
        status,
        ...(message ? { message } : {}),
        ...(details ? { details } : {})
    };
}
/** pytest names its root `pytest tests` and its suite `pytest` unless junit_suite_name is set. */
function pytestRoot(top) {
    const suites = nodes(top.testsuite);
    return junit_text(top['@_name']) === 'pytest tests' || junit_text(suites[0]?.['@_name']) === 'pytest';
}
function positionOf(xml, element) {
    if (element === undefined)
        return {};
    const offset = xml.indexOf(`<${element}`);
    if (offset < 0)
        return {};
    const before = xml.slice(0, offset).split(/\r?\n/);
    return { line: before.length, column: before[before.length - 1].length + 1 };
}
function nodes(value) {
    return Array.isArray(value) ? value.map(asNode) : value === undefined ? [] : [asNode(value)];
}
function asNode(value) {
    return typeof value === 'object' && value !== null ? value : {};
}
function firstText(value) {
    const node = Array.isArray(value) ? value[0] : value;
    return typeof node === 'string' ? node : junit_text(asNode(node)['#text']);
}
function junit_text(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
function firstLine(body) {
    return body
        ?.split(/\r?\n/)
        .find((line) => line.trim() !== '')
        ?.trim();
}
function junit_seconds(value) {
    // some dialects write thousands separators ("1,234.5")
    const parsed = Number.parseFloat((junit_text(value) ?? '').replaceAll(',', ''));
    return Number.isFinite(parsed) && parsed >= 0 ? parsed : 0;
}
function lineNumber(value, offset) {
    const parsed = Number.parseInt(junit_text(value) ?? '', 10);
    return Number.isInteger(parsed) && parsed + offset >= 1 ? parsed + offset : undefined;
}

;// CONCATENATED MODULE: ./src/gate/tests/run.ts
/**
 * canary-gate `mode: tests`: runs the integration test command, reads its JUnit reports and
 * decides with the declared tolerance. The test runner's exit code is not the decision (runners
 * exit 1 on any failure); the reports and `allowed-failures` are.
 */





const SLOWEST = 5;
/**
 * Runs the gate. Throws InputError for bad options and ReportError for reports a user must fix
 * (no match when the command succeeded or there was none; malformed XML); every other outcome,
 * including a failing, missing, crashed or timed-out command, is a decision.
 */
async function runTestsGate(options) {
    const cwd = await workingDirectory(options);
    if (!Number.isInteger(options.allowedFailures) || options.allowedFailures < 0) {
        const value = String(options.allowedFailures);
        throw new errors/* InputError */.d('allowed-failures', value, 'a whole number, 0 or more');
    }
    const run = options.command ? await runCommand(options.command, { ...options, cwd }) : undefined;
    const early = run && commandFailure(options.command ?? '', run, options.timeoutMs);
    if (early)
        return judged(early, run, []);
    let reports;
    try {
        reports = await readReports(options.reports, cwd);
    }
    catch (error) {
        // a runner that died before writing (or while writing) its report: a failed gate, not bad input
        if (!(error instanceof ReportError) || !run || run.exitCode === 0)
            throw error;
        const why = error.message.includes('no report file matches')
            ? `wrote no report matching ${options.reports.join(', ')}`
            : `left an unreadable report (${error.message})`;
        return judged(`The command exited ${run.exitCode ?? run.signal} and ${why}.`, run, []);
    }
    return judged(undefined, run, reports, options);
}
async function workingDirectory(options) {
    const cwd = (0,external_node_path_.resolve)(options.workingDirectory);
    const info = await (0,promises_.stat)(cwd).catch(() => undefined);
    if (!info?.isDirectory()) {
        throw new errors/* InputError */.d('working-directory', options.workingDirectory, 'an existing directory');
    }
    return cwd;
}
/** The reason a command run alone fails the gate, before any report is read. */
function commandFailure(command, run, timeoutMs) {
    if (run.timedOut) {
        return `The command timed out after ${formatSeconds(timeoutMs)}; its process group was killed.`;
    }
    if (run.exitCode === 127) {
        const missing = /: ([^\s:]+): command not found/.exec(run.outputTail)?.[1];
        const name = missing ?? command.trim().split(/\s+/)[0];
        return `The command exited 127: '${name}' was not found.`;
    }
    return undefined;
}
function judged(failure, run, reports, options) {
    const cases = reports.flatMap((report) => report.cases);
    const quarantine = new Set(options?.quarantine ?? []);
    const broken = cases.filter((test) => test.status === 'failed' || test.status === 'error');
    const isQuarantined = (test) => quarantine.has(testId(test)) || quarantine.has(test.name);
    const failing = broken.filter((test) => !isQuarantined(test));
    const quarantined = broken.filter(isQuarantined);
    const count = (status) => cases.filter((t) => t.status === status).length;
    const { decision, reason } = failure
        ? { decision: 'fail', reason: failure }
        : decide(cases.length, failing.length, quarantined.length, run, options?.allowedFailures);
    return {
        decision,
        reason,
        ...(run?.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
        timedOut: run?.timedOut ?? false,
        outputTail: run?.outputTail ?? '',
        counts: {
            tests: cases.length,
            passed: count('passed'),
            failed: count('failed'),
            errors: count('error'),
            skipped: count('skipped'),
            quarantined: quarantined.length
        },
        failing,
        quarantined,
        slowest: [...cases].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST),
        reportFiles: reports.map((report) => report.file)
    };
}
/** The decision from the reports, with its reason. */
function decide(tests, failing, quarantined, run, allowed = 0) {
    const fail = (reason) => ({ decision: 'fail', reason });
    if (tests === 0)
        return fail('No tests ran: the reports hold no test cases.');
    const counted = `${failing} failing test${failing === 1 ? '' : 's'}`;
    const known = quarantined > 0 ? ` (${quarantined} quarantined not counted)` : '';
    if (failing > allowed) {
        return fail(`${counted}${known} exceed allowed-failures ${allowed}.`);
    }
    const exit = run && run.exitCode !== 0
        ? `; the command exited ${run.exitCode ?? run.signal}, but the reports decide`
        : '';
    const reason = `${counted}${known} of ${tests}, within allowed-failures ${allowed}${exit}.`;
    return { decision: 'pass', reason: reason[0].toUpperCase() + reason.slice(1) };
}
function formatSeconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

;// CONCATENATED MODULE: ./src/gate/http/run.ts
/**
 * The canary gate's `mode: http` smoke checks: each check is requested until it passes, its
 * retries are spent or the deadline for all checks comes, with a timeout per attempt, and judged on
 * status, body pattern and latency (measured to the complete response). Checks run concurrently.
 *
 * Requests use Node's built-in fetch (undici): it is maintained with Node, follows redirects, handles
 * http and https alike and takes an AbortSignal for the timeout, so nothing needs adding; node:http
 * would need redirects and decompression written by hand. Backoff between attempts comes from
 * src/retry.
 */



/** The timeout of one attempt when none is given. */
const DEFAULT_TIMEOUT_MS = 10_000;
/** Delays between attempts when none are given: 1 s doubling to at most 10 s. */
const DEFAULT_DELAYS = { attempts: 1, baseDelayMs: 1000, maxDelayMs: 10_000 };
/** A failed attempt, thrown so that withRetry waits and tries again. */
class AttemptFailed extends Error {
    attempt;
    constructor(attempt) {
        super(attempt.message);
        this.attempt = attempt;
    }
}
/** Runs every check concurrently, each with its retries; never throws for a failing check. */
async function runHttpChecks(checks, options = {}) {
    const deadline = options.deadlineMs === undefined ? undefined : performance.now() + options.deadlineMs;
    return Promise.all(checks.map((check) => runCheck(check, options, deadline)));
}
async function runCheck(check, options, deadline) {
    const policy = {
        ...(options.retry ?? DEFAULT_DELAYS),
        attempts: check.retries + 1,
        ...(deadline !== undefined && { deadline })
    };
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let attempts = 0;
    try {
        const passed = await withRetry(policy, async (n) => {
            attempts = n;
            const left = deadline === undefined ? timeoutMs : Math.ceil(deadline - performance.now());
            const outcome = await run_attempt(check, Math.max(1, Math.min(timeoutMs, left)));
            options.onAttempt?.(`${check.name}: attempt ${n}: ${outcome.message}`);
            if (!outcome.ok)
                throw new AttemptFailed(outcome);
            return outcome;
        }, 
        // A canary that is still warming up answers 404, 502 or nothing: every failure is worth retrying.
        (error) => ({ retry: true, reason: (0,errors/* messageOf */.b)(error) }));
        return { check, attempts, ...passed };
    }
    catch (error) {
        if (!(error instanceof AttemptFailed))
            throw error;
        const last = error.attempt;
        const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
        // retries left, or the last attempt cut short: the deadline stopped the check
        const stopped = deadline !== undefined && (attempts < policy.attempts || performance.now() + 1 >= deadline);
        const stop = stopped ? stoppedBy(options.deadlineMs) : '';
        return { check, attempts, ...last, message: `${last.message}${tries}${stop}` };
    }
}
function stoppedBy(deadlineMs = 0) {
    return `, stopped by the ${deadlineMs / 1000} s timeout for all checks`;
}
/** One request, judged: status, then body, then latency. */
async function run_attempt(check, timeoutMs) {
    const what = `${check.method} ${check.url}`;
    const started = performance.now();
    let status;
    let body;
    try {
        const response = await fetch(check.url, {
            method: check.method,
            headers: check.headers,
            signal: AbortSignal.timeout(timeoutMs)
        });
        status = response.status;
        body = check.method === 'HEAD' ? '' : await response.text();
    }
    catch (error) {
        return { ok: false, message: `${what}: ${run_networkProblem(error, timeoutMs)}` };
    }
    const latencyMs = Math.round(performance.now() - started);
    const seen = { status, latencyMs };
    if (!acceptedStatus(check, status)) {
        const expected = check.statuses ? check.statuses.join(' or ') : '2xx';
        return { ok: false, ...seen, message: `${what} → ${status} (expected ${expected})` };
    }
    if (check.body && !check.body.test(body)) {
        const message = `${what} matched status ${status} but body did not match ${String(check.body)}`;
        return { ok: false, ...seen, message };
    }
    if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
        const message = `${what} → ${status} took ${latencyMs} ms > ${check.maxLatencyMs} ms`;
        return { ok: false, ...seen, message };
    }
    return { ok: true, ...seen, message: `${what} → ${status} in ${latencyMs} ms` };
}
function acceptedStatus(check, status) {
    return check.statuses ? check.statuses.includes(status) : status >= 200 && status < 300;
}
const NETWORK_CODES = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found (DNS lookup failed)',
    UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
    UND_ERR_SOCKET: 'connection closed'
};
/**
 * A fetch failure in words: fetch throws `fetch failed` and keeps the socket's error as the cause.
 * Read structurally: under jest's vm, errors from Node's own fetch fail `instanceof Error`.
 */
function run_networkProblem(error, timeoutMs) {
    const thrown = error;
    if (thrown?.name === 'TimeoutError')
        return `no complete response within ${timeoutMs} ms`;
    let message = (0,errors/* messageOf */.b)(error);
    for (let e = thrown, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause, depth++) {
        if (typeof e.code === 'string')
            return NETWORK_CODES[e.code] ?? `${String(e.message)} (${e.code})`;
        if (typeof e.message === 'string' && e.message)
            message = e.message;
    }
    return message;
}

;// CONCATENATED MODULE: ./src/actions/canary-gate/outcome.ts





/** mode tests: runs the command, reads the reports, annotates failures on their files. */
async function testsOutcome(inputs) {
    const digest = inputs.image?.digest;
    const env = {
        ...(inputs.environmentUrl ? { ENVIRONMENT_URL: inputs.environmentUrl } : {}),
        ...(inputs.image ? { IMAGE: imageText(inputs) } : {}),
        ...(digest ? { DIGEST: digest } : {})
    };
    const outcome = await runTestsGate({
        command: inputs.command,
        workingDirectory: inputs.workingDirectory,
        reports: inputs.reports,
        allowedFailures: inputs.allowedFailures,
        quarantine: inputs.quarantine,
        timeoutMs: inputs.timeoutMs,
        env,
        onOutput: (line) => core/* info */.pq(line)
    });
    for (const test of outcome.failing)
        annotate(test, 'error', inputs.workingDirectory);
    for (const test of outcome.quarantined)
        annotate(test, 'warning', inputs.workingDirectory);
    const { counts } = outcome;
    const counted = counts.tests - counts.skipped;
    const score = counted === 0 ? 0 : Math.round(((counted - outcome.failing.length) / counted) * 100);
    return {
        decision: outcome.decision,
        score,
        reason: outcome.reason,
        report: {
            mode: 'tests',
            decision: outcome.decision,
            reason: outcome.reason,
            counts,
            exitCode: outcome.exitCode ?? null,
            timedOut: outcome.timedOut,
            failing: outcome.failing.map(brief),
            quarantined: outcome.quarantined.map(brief),
            slowest: outcome.slowest.map((t) => ({ test: testId(t), seconds: t.seconds })),
            reports: outcome.reportFiles
        },
        details: { ...counts },
        rows: [
            [
                'tests',
                `${counts.tests} (${counts.passed} passed, ${counts.failed} failed, ${counts.errors} errors, ${counts.skipped} skipped)`
            ],
            ['quarantined failures', String(counts.quarantined)],
            ['allowed failures', String(inputs.allowedFailures)]
        ],
        notes: testNotes(outcome)
    };
}
/** mode http: every check, concurrently, with its retries. */
async function httpOutcome(inputs) {
    const results = await runHttpChecks(inputs.checks, {
        deadlineMs: inputs.timeoutMs,
        onAttempt: (line) => core/* info */.pq(line)
    });
    const failed = results.filter((r) => !r.ok);
    const decision = failed.length === 0 ? 'pass' : 'fail';
    const reason = failed.length === 0
        ? `all ${results.length} checks passed`
        : `${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.message).join('; ')}`;
    return {
        decision,
        score: Math.round(((results.length - failed.length) / results.length) * 100),
        reason,
        report: { mode: 'http', decision, reason, checks: results.map(checkReport) },
        details: { checks: results.length, failed: failed.length },
        rows: results.map((r) => [escapeHtml(r.check.name), `${r.ok ? 'pass' : 'fail'}: ${escapeHtml(r.message)}`]),
        notes: []
    };
}
function imageText(inputs) {
    const image = inputs.image;
    if (!image)
        return '';
    return image.digest
        ? (0,reference/* pinnedReference */.ct)(image, image.digest)
        : `${image.registry}/${image.repository}:${image.tag ?? 'latest'}`;
}
/** An annotation on the test's file: reports name files from where the runner ran. */
function annotate(test, level, workingDirectory) {
    const title = `${level === 'warning' ? 'quarantined: ' : ''}${testId(test)}`;
    const message = test.message ?? `${test.status}`;
    const file = test.file && !(0,external_node_path_.isAbsolute)(test.file) ? (0,external_node_path_.join)(workingDirectory, test.file) : test.file;
    const where = file ? { file, startLine: test.line } : {};
    if (level === 'error')
        core/* error */.z3(message, { title, ...where });
    else
        core/* warning */.$e(message, { title, ...where });
}
function brief(test) {
    return {
        test: testId(test),
        status: test.status,
        message: test.message ?? null,
        file: test.file ?? null,
        line: test.line ?? null
    };
}
function checkReport(result) {
    return {
        name: result.check.name,
        url: result.check.url,
        ok: result.ok,
        attempts: result.attempts,
        status: result.status ?? null,
        latencyMs: result.latencyMs ?? null,
        message: result.message
    };
}
function testNotes(outcome) {
    const notes = [];
    const list = (title, tests) => {
        if (tests.length === 0)
            return;
        const lines = tests
            .slice(0, 20)
            .map((t) => `- \`${testId(t)}\`: ${escapeHtml((t.message ?? t.status).split('\n')[0])}`);
        notes.push(`**${title}**\n\n${lines.join('\n')}`);
    };
    list('Failing tests', outcome.failing);
    list('Quarantined failures (not counted)', outcome.quarantined);
    if (outcome.slowest.length > 0) {
        notes.push(`**Slowest tests**\n\n${outcome.slowest.map((t) => `- \`${testId(t)}\` ${t.seconds.toFixed(2)} s`).join('\n')}`);
    }
    if (outcome.decision === 'fail' && outcome.outputTail) {
        notes.push(`**Output (last lines)**\n\n${preformatted(outcome.outputTail)}`);
    }
    return notes;
}

;// CONCATENATED MODULE: ./src/actions/canary-gate/gate.ts








/**
 * Runs the gate, then makes its decision travel: outputs first (so that `if:` conditions see them
 * even when the step fails), evidence on the image digest, a commit status, the job summary; a
 * decision other than pass fails the step.
 */
async function runGate(inputs) {
    const outcome = await outcomeOf(inputs);
    core/* setOutput */.uH('decision', outcome.decision);
    core/* setOutput */.uH('score', String(outcome.score));
    core/* setOutput */.uH('report', JSON.stringify(outcome.report));
    core/* info */.pq(`${inputs.evidenceKind}: ${outcome.decision} (score ${outcome.score}): ${outcome.reason}`);
    const github = runContext();
    const evidence = await recordEvidence(inputs, outcome, github);
    core/* setOutput */.uH('evidence', evidence ?? '');
    await reportStatus(inputs, outcome, github);
    await summarise(inputs, outcome, evidence);
    if (outcome.decision !== 'pass')
        core/* setFailed */.C1(`Gate ${inputs.evidenceKind} failed: ${outcome.reason}`);
}
/** Runs the mode's gate, in a log group of its own. */
function outcomeOf(inputs) {
    switch (inputs.mode) {
        case 'tests':
            return core/* group */.Os('Run the integration tests', () => testsOutcome(inputs));
        case 'http':
            return core/* group */.Os('HTTP checks', () => httpOutcome(inputs));
        case 'analysis':
            return core/* group */.Os('Canary analysis', () => analysisOutcome(inputs));
    }
}
/** Writes the decision on the image digest; without a digest there is nothing to write it on. */
async function recordEvidence(inputs, outcome, github) {
    const image = inputs.image;
    if (!image?.digest) {
        core/* info */.pq(image
            ? `No evidence written: ${image.registry}/${image.repository} has no digest (give repository@sha256:…)`
            : 'No evidence written: no `image` given');
        return undefined;
    }
    const signing = inputs.signing;
    if (!signing) {
        core/* info */.pq(`No evidence written: ${evidence_inputs/* NO_SIGNING */.WB}`);
        return undefined;
    }
    const client = registryClient([[image.registry, inputs.registryCredentials]], inputs.insecureRegistries);
    try {
        const stored = await core/* group */.Os('Write the evidence', () => writeEvidence(client, image, {
            kind: inputs.evidenceKind,
            decision: outcome.decision,
            score: outcome.score,
            summary: outcome.reason.slice(0, 500),
            ...(github.runUrl ? { runUrl: github.runUrl } : {}),
            ...(github.sha ? { commit: github.sha } : {}),
            details: outcome.details
        }, signing));
        return stored.digest;
    }
    finally {
        await client.close();
    }
}
/** A commit status with the decision, when a token is given; its failure is only a warning. */
async function reportStatus(inputs, outcome, github) {
    if (!inputs.githubToken)
        return;
    if (!github.sha || !github.repository) {
        core/* warning */.$e('No commit status set: GITHUB_SHA or GITHUB_REPOSITORY is not set');
        return;
    }
    try {
        await setCommitStatus({
            token: inputs.githubToken,
            apiUrl: github.apiUrl,
            repository: github.repository,
            sha: github.sha,
            state: { pass: 'success', fail: 'failure', inconclusive: 'error' }[outcome.decision],
            context: inputs.statusContext,
            description: `${outcome.decision}: ${outcome.reason}`,
            targetUrl: github.runUrl
        });
    }
    catch (error) {
        core/* warning */.$e(`Could not set the commit status ${inputs.statusContext}: ${(0,errors/* messageOf */.b)(error)}`);
    }
}
async function summarise(inputs, outcome, evidence) {
    const image = inputs.image;
    const imageText = image?.digest ? (0,reference/* pinnedReference */.ct)(image, image.digest) : undefined;
    await writeSummary(`canary-gate ${inputs.evidenceKind}: ${outcome.decision}`, [
        ['decision', `<strong>${outcome.decision}</strong> (score ${outcome.score})`],
        ['why', escapeHtml(outcome.reason)],
        ...(imageText ? [['image', code(imageText)]] : []),
        ...(inputs.environmentUrl ? [['environment', code(inputs.environmentUrl)]] : []),
        ...outcome.rows,
        ['evidence', evidence ? code(evidence) : '—']
    ], outcome.notes);
}


/***/ }),

/***/ 63240:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   By: () => (/* binding */ parseStatement),
/* harmony export */   T4: () => (/* binding */ IN_TOTO_PAYLOAD_TYPE),
/* harmony export */   Z4: () => (/* binding */ evidenceStatement)
/* harmony export */ });
/* unused harmony exports STATEMENT_TYPE, predicateTypeOf, kindOfPredicateType, statementAbout, statementNames, recordOfStatement */
/* harmony import */ var _record_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9784);

/** The statement's `_type`. */
const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payloadType of an in-toto statement. */
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const PREDICATE_PREFIX = 'https://rollout-kit.dev/evidence/';
/** The predicateType of an evidence kind: `https://rollout-kit.dev/evidence/<kind>/v1`. */
function predicateTypeOf(kind) {
    return `${PREDICATE_PREFIX}${kind}/v1`;
}
/** The evidence kind a predicateType names, or undefined when it is not one of ours. */
function kindOfPredicateType(predicateType) {
    const match = /^https:\/\/rollout-kit\.dev\/evidence\/([a-z][a-z0-9-]{0,62})\/v1$/.exec(predicateType);
    return match?.[1];
}
/** A statement about `name@digest` (the name is `registry/repository`). */
function statementAbout(name, digest, predicateType, predicate) {
    return {
        _type: STATEMENT_TYPE,
        subject: [{ name, digest: { sha256: digest.slice('sha256:'.length) } }],
        predicateType,
        predicate
    };
}
/** The statement carrying `record`. */
function evidenceStatement(record) {
    const name = record.image.slice(0, record.image.length - record.digest.length - 1);
    return statementAbout(name, record.digest, predicateTypeOf(record.kind), {
        ...record
    });
}
/** Parses a DSSE payload as a statement; throws InvalidEvidenceError when it is not one. */
function parseStatement(payload) {
    let value;
    try {
        value = JSON.parse(payload.toString());
    }
    catch {
        throw new _record_js__WEBPACK_IMPORTED_MODULE_0__/* .InvalidEvidenceError */ .nX('the signed payload is not JSON');
    }
    const s = value;
    if (typeof s !== 'object' ||
        s === null ||
        s._type !== STATEMENT_TYPE ||
        !Array.isArray(s.subject) ||
        typeof s.predicateType !== 'string' ||
        typeof s.predicate !== 'object' ||
        s.predicate === null) {
        throw new _record_js__WEBPACK_IMPORTED_MODULE_0__/* .InvalidEvidenceError */ .nX(`the signed payload is not an in-toto ${STATEMENT_TYPE}`);
    }
    return s;
}
/** Whether the statement names `digest` among its subjects. */
function statementNames(statement, digest) {
    const hex = digest.slice('sha256:'.length);
    return statement.subject.some((s) => s.digest?.sha256 === hex);
}
/**
 * The record in a statement about `digest`; throws InvalidEvidenceError when the statement is about
 * another digest, is not of an evidence kind, or its predicate is not a record of that kind.
 */
function recordOfStatement(statement, digest) {
    if (!statementNames(statement, digest)) {
        const named = statement.subject.map((s) => `sha256:${s.digest?.sha256 ?? '?'}`).join(', ');
        throw new InvalidEvidenceError(`wrong subject: the statement is about ${named}`);
    }
    const kind = kindOfPredicateType(statement.predicateType);
    if (kind === undefined) {
        throw new InvalidEvidenceError(`predicateType ${statement.predicateType} is not a rollout-kit evidence kind`);
    }
    const record = parseRecord(JSON.stringify(statement.predicate));
    if (record.kind !== kind || record.digest !== digest) {
        throw new InvalidEvidenceError(`the predicate (${record.kind} about ${record.digest}) disagrees with the statement (${kind} about ${digest})`);
    }
    return record;
}


/***/ })

};

//# sourceMappingURL=832.index.js.map