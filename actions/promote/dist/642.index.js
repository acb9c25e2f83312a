export const id = 642;
export const ids = [642];
export const modules = {

/***/ 6642:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EMPTY_CONFIG: () => (/* reexport */ EMPTY_CONFIG),
  EVIDENCE_ANNOTATIONS: () => (/* reexport */ evidence_record/* EVIDENCE_ANNOTATIONS */.VS),
  EVIDENCE_ARTIFACT_TYPE: () => (/* reexport */ evidence_record/* EVIDENCE_ARTIFACT_TYPE */.eQ),
  InvalidEvidenceError: () => (/* reexport */ evidence_record/* InvalidEvidenceError */.nX),
  checkRecord: () => (/* reexport */ evidence_record/* checkRecord */.EQ),
  describeVerdict: () => (/* reexport */ describeVerdict),
  evidenceManifest: () => (/* reexport */ evidenceManifest),
  isEvidenceKind: () => (/* reexport */ evidence_record/* isEvidenceKind */.eT),
  judgeEvidence: () => (/* reexport */ judgeEvidence),
  listEvidence: () => (/* reexport */ listEvidence),
  parseRecord: () => (/* reexport */ evidence_record/* parseRecord */.Hh),
  verifyEvidence: () => (/* reexport */ verifyEvidence),
  writeEvidence: () => (/* reexport */ writeEvidence)
});

// EXTERNAL MODULE: ./src/evidence/record.ts
var evidence_record = __webpack_require__(9784);
// EXTERNAL MODULE: ./src/registry/media-types.ts
var media_types = __webpack_require__(9867);
// EXTERNAL MODULE: ./src/registry/manifest.ts
var registry_manifest = __webpack_require__(506);
;// CONCATENATED MODULE: ./src/evidence/manifest.ts
/**
 * The OCI artifact that carries an evidence record: an image manifest with the empty config, the
 * record as its one layer, `artifactType` and `subject` set, as the OCI image spec 1.1 describes
 * artifacts (https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage).
 */


/** The empty JSON config every artifact without a config points to. */
const EMPTY_CONFIG = Buffer.from('{}');
/** The manifest bytes of an evidence artifact for `record`, about the image `subject`. */
function evidenceManifest(record, body, subject) {
    const manifest = {
        schemaVersion: 2,
        mediaType: media_types/* OCI_MANIFEST */.EG,
        artifactType: evidence_record/* EVIDENCE_ARTIFACT_TYPE */.eQ,
        config: { mediaType: media_types/* OCI_EMPTY */.g1, digest: (0,registry_manifest/* digestOf */.ol)(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
        layers: [{ mediaType: evidence_record/* EVIDENCE_ARTIFACT_TYPE */.eQ, digest: (0,registry_manifest/* digestOf */.ol)(body), size: body.length }],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations: {
            [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.kind]: record.kind,
            [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.decision]: record.decision,
            [evidence_record/* EVIDENCE_ANNOTATIONS */.VS.created]: record.createdAt
        }
    };
    return Buffer.from(JSON.stringify(manifest));
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 20 modules
var core = __webpack_require__(3218);
// EXTERNAL MODULE: ./src/registry/reference.ts
var reference = __webpack_require__(9310);
;// CONCATENATED MODULE: ./src/evidence/store.ts
/**
 * Evidence in the registry: written as a referrer of the image digest, listed through the referrers
 * API or its tag fallback, and judged for a promotion.
 */




function subjectOf(image) {
    if (image.digest === undefined) {
        throw new evidence_record/* InvalidEvidenceError */.nX(`evidence is about a digest, and '${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}' names none`);
    }
    return { registry: image.registry, repository: image.repository, digest: image.digest };
}
/** Writes `input` as evidence on `image` (which must name a digest); returns what was stored. */
async function writeEvidence(client, image, input, now = new Date()) {
    const subject = subjectOf(image);
    const head = await client.headManifest(subject);
    const record = (0,evidence_record/* checkRecord */.EQ)({
        ...input,
        image: (0,reference/* pinnedReference */.ct)(subject, subject.digest),
        digest: subject.digest,
        createdAt: input.createdAt ?? now.toISOString()
    });
    const body = Buffer.from(JSON.stringify(record));
    await client.pushBlob(subject, EMPTY_CONFIG);
    await client.pushBlob(subject, body);
    const manifest = evidenceManifest(record, body, { ...head, digest: subject.digest });
    const digest = await client.pushReferrer(subject, manifest, media_types/* OCI_MANIFEST */.EG);
    core/* info */.pq(`evidence ${record.kind}=${record.decision} written on ${record.image} as ${digest}`);
    return { digest, record };
}
/** Every evidence record on `image`, oldest first; records about another digest are left out. */
async function listEvidence(client, image) {
    const subject = subjectOf(image);
    const descriptors = await client.listReferrers(subject, evidence_record/* EVIDENCE_ARTIFACT_TYPE */.eQ);
    const stored = [];
    for (const descriptor of descriptors) {
        const fetched = await client.getManifest({ ...subject, digest: descriptor.digest });
        if (fetched.kind !== 'image' || fetched.manifest.layers.length !== 1)
            continue;
        const body = await client.fetchBlob(subject, fetched.manifest.layers[0].digest);
        const record = (0,evidence_record/* parseRecord */.Hh)(body);
        if (record.digest !== subject.digest) {
            core/* warning */.$e(`evidence ${descriptor.digest} refers to ${subject.digest} but is about ${record.digest}; ignored`);
            continue;
        }
        stored.push({ digest: descriptor.digest, record });
    }
    return stored.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
}
/** Judges records: for each required kind, the newest record decides. */
function judgeEvidence(records, required) {
    const newest = new Map();
    for (const record of records) {
        const seen = newest.get(record.kind);
        if (!seen || seen.createdAt <= record.createdAt)
            newest.set(record.kind, record);
    }
    const missing = required.filter((kind) => !newest.has(kind));
    const present = required.flatMap((kind) => newest.get(kind) ?? []);
    const failing = present.filter((record) => record.decision !== 'pass');
    const passing = present.filter((record) => record.decision === 'pass');
    return { ok: missing.length === 0 && failing.length === 0, missing, failing, passing };
}
/** One sentence naming what is missing or failing, for an error. */
function describeVerdict(image, verdict) {
    const parts = [
        ...verdict.missing.map((kind) => `${kind} (no record)`),
        ...verdict.failing.map((r) => `${r.kind} (newest is ${r.decision}, ${r.createdAt})`)
    ];
    return verdict.ok
        ? `${image} has passing evidence: ${verdict.passing.map((r) => r.kind).join(', ')}`
        : `${image} lacks passing evidence: ${parts.join('; ')}`;
}
/** Reads the evidence on `image` and judges it against the required kinds. */
async function verifyEvidence(client, image, required) {
    const stored = await listEvidence(client, image);
    return judgeEvidence(stored.map((s) => s.record), required);
}

;// CONCATENATED MODULE: ./src/evidence/index.ts
/** Gate records stored on an image digest in the registry: write, list, verify. */
/** The record, its decision words, its artifactType and annotation keys, and its checks. */

/** The artifact manifest that carries a record, and the empty config it points to. */

/** Writing, listing, judging and verifying the evidence on an image digest. */



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

//# sourceMappingURL=642.index.js.map