export const id = 628;
export const ids = [628];
export const modules = {

/***/ 5628:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  attachStatement: () => (/* reexport */ attachStatement),
  provenanceStatement: () => (/* reexport */ provenanceStatement)
});

// UNUSED EXPORTS: BUILD_TYPE, BUNDLE_ANNOTATIONS, BUNDLE_MEDIA_TYPE, EMPTY_CONFIG, EVIDENCE_ANNOTATIONS, GITHUB_ISSUER, IN_TOTO_PAYLOAD_TYPE, InvalidEvidenceError, KeyError, NO_SIGNING, PUBLIC_GOOD, SLSA_PROVENANCE_V1, STATEMENT_TYPE, UNSIGNED_EVIDENCE_TYPE, bundleManifest, checkPrivateKey, checkPublicKey, checkRecord, describeVerdict, evidenceStatement, inspectEvidence, isEvidenceKind, judgeEvidence, kindOfPredicateType, parseRecord, parseStatement, predicateTypeOf, readSigning, readTrust, recordOfStatement, statementAbout, subjectOf, verifyEvidence, writeEvidence

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var lib_core = __webpack_require__(9044);
// EXTERNAL MODULE: ./src/registry/media-types.ts
var media_types = __webpack_require__(9867);
// EXTERNAL MODULE: ./src/registry/manifest.ts
var registry_manifest = __webpack_require__(506);
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
        mediaType: media_types/* OCI_MANIFEST */.EG,
        artifactType: manifest_BUNDLE_MEDIA_TYPE,
        config: { mediaType: media_types/* OCI_EMPTY */.g1, digest: (0,registry_manifest/* digestOf */.ol)(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
        layers: [{ mediaType: manifest_BUNDLE_MEDIA_TYPE, digest: (0,registry_manifest/* digestOf */.ol)(bundle), size: bundle.length }],
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
var record = __webpack_require__(9784);
;// CONCATENATED MODULE: ./src/evidence/store.ts
/**
 * Evidence in the registry: a gate's record signed as an in-toto statement in a Sigstore bundle,
 * written as a referrer of the image digest; read back through the referrers API or its tag
 * fallback, each record verified, and the verified ones judged for a promotion.
 */





/** The image and digest a statement is about; throws when `image` names no digest. */
function subjectOf(image) {
    if (image.digest === undefined) {
        throw new record/* InvalidEvidenceError */.nX(`evidence is about a digest, and '${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}' names none`);
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
    return client.pushReferrer(subject, manifest, media_types/* OCI_MANIFEST */.EG);
}
/** Signs `input` as evidence on `image` (which must name a digest); returns what was stored. */
async function writeEvidence(client, image, input, signing, now = new Date()) {
    const subject = subjectOf(image);
    const record = checkRecord({
        ...input,
        image: pinnedReference(subject, subject.digest),
        digest: subject.digest,
        createdAt: input.createdAt ?? now.toISOString()
    });
    const digest = await attachStatement(client, subject, evidenceStatement(record), signing, {
        [EVIDENCE_ANNOTATIONS.kind]: record.kind,
        [EVIDENCE_ANNOTATIONS.decision]: record.decision,
        [EVIDENCE_ANNOTATIONS.created]: record.createdAt
    });
    core.info(`evidence ${record.kind}=${record.decision} signed (${signing.kind}) and written on ${record.image} as ${digest}`);
    return { digest, record };
}
/**
 * Every evidence record on `image`, each verified under `policy`; rejected ones are kept with their
 * reason. Bundles about other things (provenance, other tools' attestations) are left out.
 */
async function inspectEvidence(client, image, policy) {
    const subject = subjectOf(image);
    const descriptors = (await client.listReferrers(subject)).filter((d) => d.artifactType === BUNDLE_MEDIA_TYPE || d.artifactType === UNSIGNED_EVIDENCE_TYPE);
    const { verifyBundle, RejectedEvidence } = await __webpack_require__.e(/* import() */ 142).then(__webpack_require__.bind(__webpack_require__, 4142));
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

// EXTERNAL MODULE: ./src/evidence/statement.ts
var statement = __webpack_require__(3240);
;// CONCATENATED MODULE: ./src/evidence/provenance.ts

/** The predicateType of SLSA provenance v1. */
const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
/** Our buildType: what externalParameters mean. */
const BUILD_TYPE = 'https://rollout-kit.dev/build-image/v1';
/** The in-toto statement with the SLSA provenance v1 predicate of a build. */
function provenanceStatement(facts) {
    const source = facts.repositoryUrl
        ? [
            {
                uri: `git+${facts.repositoryUrl}@${facts.ref}`,
                digest: { gitCommit: facts.commit }
            }
        ]
        : [];
    const bases = facts.baseImages.map((b) => ({
        uri: `pkg:docker/${b.ref}`,
        ...(b.digest ? { digest: { sha256: b.digest.replace(/^sha256:/, '') } } : {})
    }));
    return (0,statement/* statementAbout */.pT)(facts.name, facts.digest, SLSA_PROVENANCE_V1, {
        buildDefinition: {
            buildType: BUILD_TYPE,
            externalParameters: {
                dockerfile: facts.dockerfile,
                context: facts.context,
                ...(facts.target ? { target: facts.target } : {}),
                platforms: [...facts.platforms],
                buildArgs: Object.fromEntries(facts.buildArgs)
            },
            internalParameters: { builder: facts.builder },
            resolvedDependencies: [...source, ...bases]
        },
        runDetails: {
            builder: { id: facts.runUrl || 'local' },
            metadata: {
                invocationId: facts.runUrl || 'local',
                startedOn: facts.startedOn.toISOString(),
                finishedOn: facts.finishedOn.toISOString()
            }
        }
    });
}

;// CONCATENATED MODULE: ./src/evidence/index.ts
/** Gate records stored on an image digest in the registry: signed, written, listed, verified. */
/** The record, its decision words, its annotation keys, and its checks. */

/** The in-toto statement a record travels in. */

/** Signing and trust as data, and key checks that need node:crypto only. */

/** The referrer manifest that carries a bundle. */

/** Writing, listing, verifying and judging the evidence on an image digest. */

/** The signing and trust inputs the actions share. */

/** SLSA provenance v1 of a build. */



/***/ }),

/***/ 9784:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   nX: () => (/* binding */ InvalidEvidenceError)
/* harmony export */ });
/* unused harmony exports UNSIGNED_EVIDENCE_TYPE, EVIDENCE_ANNOTATIONS, isEvidenceKind, checkRecord, parseRecord */
/**
 * The evidence record: what a gate decided about one image digest, as a small JSON document that
 * travels with the image in the registry (an OCI artifact whose `subject` is the image).
 */
/**
 * The artifactType of the unsigned records written before evidence was signed: still listed, so
 * that a refusal can say it saw one and why it does not count.
 */
const UNSIGNED_EVIDENCE_TYPE = 'application/vnd.rollout-kit.evidence.v1+json';
/** Our annotation keys on the evidence manifest, for people and listings (never trusted). */
const EVIDENCE_ANNOTATIONS = {
    kind: 'dev.rollout-kit.evidence.kind',
    decision: 'dev.rollout-kit.evidence.decision',
    created: 'org.opencontainers.image.created'
};
const KIND = /^[a-z][a-z0-9-]{0,62}$/;
const DECISIONS = (/* unused pure expression or super */ null && (['pass', 'fail', 'inconclusive']));
/** Whether `text` can name an evidence kind: lowercase letters, digits and `-`, a letter first. */
function isEvidenceKind(text) {
    return KIND.test(text);
}
/** Evidence that does not parse or does not follow the record's rules. */
class InvalidEvidenceError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InvalidEvidenceError';
    }
}
/** Checks a record's fields; throws InvalidEvidenceError naming the first bad one. */
function checkRecord(record) {
    if (!KIND.test(record.kind)) {
        throw new InvalidEvidenceError(`evidence kind '${record.kind}' must match ${KIND.source}`);
    }
    if (!DECISIONS.includes(record.decision)) {
        throw new InvalidEvidenceError(`evidence decision '${record.decision}' must be one of ${DECISIONS.join(', ')}`);
    }
    if (!/^sha256:[0-9a-f]{64}$/.test(record.digest) || !record.image.endsWith(`@${record.digest}`)) {
        throw new InvalidEvidenceError(`evidence must name the image by digest: image '${record.image}', digest '${record.digest}'`);
    }
    if (Number.isNaN(Date.parse(record.createdAt))) {
        throw new InvalidEvidenceError(`evidence createdAt '${record.createdAt}' is not a date`);
    }
    return record;
}
/** Parses a record's JSON body; throws InvalidEvidenceError when it is not one. */
function parseRecord(bytes) {
    let value;
    try {
        value = JSON.parse(bytes.toString());
    }
    catch {
        throw new InvalidEvidenceError('evidence body is not JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidEvidenceError('evidence body is not a JSON object');
    }
    const r = value;
    for (const field of ['kind', 'decision', 'image', 'digest', 'createdAt']) {
        if (typeof r[field] !== 'string') {
            throw new InvalidEvidenceError(`evidence body lacks the string field '${field}'`);
        }
    }
    return checkRecord(value);
}


/***/ }),

/***/ 3240:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   By: () => (/* binding */ parseStatement),
/* harmony export */   T4: () => (/* binding */ IN_TOTO_PAYLOAD_TYPE),
/* harmony export */   pT: () => (/* binding */ statementAbout)
/* harmony export */ });
/* unused harmony exports STATEMENT_TYPE, predicateTypeOf, kindOfPredicateType, evidenceStatement, statementNames, recordOfStatement */
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

//# sourceMappingURL=628.index.js.map