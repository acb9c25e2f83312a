export const id = 142;
export const ids = [142];
export const modules = {

/***/ 4142:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RejectedEvidence: () => (/* binding */ RejectedEvidence),
/* harmony export */   verifyBundle: () => (/* binding */ verifyBundle)
/* harmony export */ });
/* unused harmony export trustedRootOf */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8055);
/* harmony import */ var _keys_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4833);
/* harmony import */ var _record_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9784);
/* harmony import */ var _statement_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3240);
/**
 * Verifies a Sigstore bundle with @sigstore/verify (loaded on first use): the signature over the
 * DSSE envelope, the signer (a trusted key, or a Fulcio certificate for a trusted identity, checked
 * at the time a timestamp authority or Rekor witnessed), and returns the statement it carries with
 * that witnessed time.
 */






/** A bundle that did not verify: the reason, and the detail behind it. */
class RejectedEvidence extends Error {
    reason;
    detail;
    constructor(reason, detail) {
        super(`${reason}: ${detail}`);
        this.reason = reason;
        this.detail = detail;
        this.name = 'RejectedEvidence';
    }
}
const EMPTY_ROOT = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: []
};
const SOURCE_REPOSITORY_OID = '1.3.6.1.4.1.57264.1.12';
const roots = new WeakMap();
/**
 * The trusted root `source` names, read once per run: the JSON given, or the target
 * `trusted_root.json` of a TUF repository, which @sigstore/tuf fetches and checks against the
 * repository's signed metadata (a chain from the root it starts from), caching it under RUNNER_TEMP.
 * A repository that cannot be reached fails the run with the server and what to do instead: it is
 * not a verdict on any record.
 */
function trustedRootOf(source) {
    let root = roots.get(source);
    if (root === undefined) {
        root = loadTrustedRoot(source);
        roots.set(source, root);
    }
    return root;
}
async function loadTrustedRoot(source) {
    const { TrustedRoot } = await __webpack_require__.e(/* import() */ 654).then(__webpack_require__.t.bind(__webpack_require__, 9654, 23));
    if (source.kind === 'json')
        return TrustedRoot.fromJSON(source.root);
    const { getTrustedRoot } = await Promise.all(/* import() */[__webpack_require__.e(654), __webpack_require__.e(335), __webpack_require__.e(694)]).then(__webpack_require__.bind(__webpack_require__, 4423));
    try {
        return await getTrustedRoot({
            mirrorURL: source.mirrorUrl,
            ...(source.rootPath ? { rootPath: source.rootPath } : {}),
            cachePath: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_0__.tmpdir)(), 'rollout-kit-tuf'),
            retry: { retries: 2 },
            timeout: 10_000
        });
    }
    catch (error) {
        // tuf-js wraps the reason (fetch failed ← connect ECONNREFUSED …): say all of it
        const reasons = [];
        for (let e = error; e instanceof Error && reasons.length < 5; e = e.cause) {
            if (!reasons.includes(e.message))
                reasons.push(e.message);
        }
        const detail = reasons.join(': ') || (0,_action_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .b)(error);
        throw new Error(`TUF repository ${source.mirrorUrl}: fetching the Sigstore trusted root failed (${detail}); give \`trusted-root\` (a trusted root JSON file, e.g. from \`gh attestation trusted-root\`) to verify without it`, { cause: error });
    }
}
/** Verifies `json` (a bundle) under `policy`; throws RejectedEvidence saying why it is not accepted. */
async function verifyBundle(json, policy) {
    const { bundleFromJSON } = await Promise.all(/* import() */[__webpack_require__.e(654), __webpack_require__.e(40)]).then(__webpack_require__.bind(__webpack_require__, 1040));
    const { Verifier, toSignedEntity, toTrustMaterial, VerificationError, PolicyError } = await Promise.all(/* import() */[__webpack_require__.e(654), __webpack_require__.e(463), __webpack_require__.e(187)]).then(__webpack_require__.bind(__webpack_require__, 4187));
    const { TrustedRoot } = await __webpack_require__.e(/* import() */ 654).then(__webpack_require__.t.bind(__webpack_require__, 9654, 23));
    let bundle;
    try {
        bundle = bundleFromJSON(json);
    }
    catch (error) {
        throw new RejectedEvidence('unsigned', `not a Sigstore bundle (${error.message})`);
    }
    if (bundle.content.$case !== 'dsseEnvelope') {
        throw new RejectedEvidence('unsigned', 'the bundle holds no DSSE envelope');
    }
    const envelope = bundle.content.dsseEnvelope;
    if (envelope.signatures.length === 0 || envelope.signatures[0].sig.length === 0) {
        throw new RejectedEvidence('unsigned', 'the DSSE envelope has no signature');
    }
    if (envelope.payloadType !== _statement_js__WEBPACK_IMPORTED_MODULE_3__/* .IN_TOTO_PAYLOAD_TYPE */ .T4) {
        throw new RejectedEvidence('not a record', `payloadType ${envelope.payloadType}`);
    }
    const entity = toSignedEntity(bundle);
    let verifier;
    let identity;
    if (policy.kind === 'key') {
        const spki = (0,_keys_js__WEBPACK_IMPORTED_MODULE_4__/* .checkPublicKey */ .$z)(policy.publicKey).export({ type: 'spki', format: 'der' });
        const material = toTrustMaterial(TrustedRoot.fromJSON(EMPTY_ROOT), {
            '': { rawBytes: spki, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }
        });
        verifier = new Verifier(material, {
            tlogThreshold: 0,
            ctlogThreshold: 0,
            timestampThreshold: 0
        });
        if (entity.key.$case !== 'public-key') {
            throw new RejectedEvidence('wrong identity', 'signed with a certificate, and evidence-key is a key');
        }
    }
    else {
        const tlogs = bundle.verificationMaterial.tlogEntries.length;
        verifier = new Verifier(toTrustMaterial(await trustedRootOf(policy.trustedRoot)), {
            tlogThreshold: tlogs > 0 ? 1 : 0,
            ctlogThreshold: 0,
            timestampThreshold: 1
        });
        identity = { subjectAlternativeName: policy.identity, extensions: { issuer: policy.issuer } };
        if (entity.key.$case !== 'certificate') {
            throw new RejectedEvidence('wrong identity', 'signed with a key, and keyless identity is required');
        }
    }
    let signer;
    try {
        signer = verifier.verify(entity, identity);
    }
    catch (error) {
        throw rejection(error, VerificationError, PolicyError);
    }
    if (policy.kind === 'keyless' && policy.repository !== undefined) {
        const found = signer.identity?.oids?.find((o) => o.oid?.id.join('.') === SOURCE_REPOSITORY_OID);
        const repository = found ? derString(found.value) : undefined;
        if (repository !== policy.repository) {
            throw new RejectedEvidence('wrong identity', `source repository ${repository ?? '(none)'}, not ${policy.repository}`);
        }
    }
    let statement;
    try {
        statement = (0,_statement_js__WEBPACK_IMPORTED_MODULE_3__/* .parseStatement */ .By)(envelope.payload);
    }
    catch (error) {
        if (error instanceof _record_js__WEBPACK_IMPORTED_MODULE_5__/* .InvalidEvidenceError */ .nX)
            throw new RejectedEvidence('not a record', error.message);
        throw error;
    }
    return { statement, witnessedAt: witnessed(entity.timestamps) };
}
function rejection(error, verificationError, policyError) {
    const message = error.message;
    if (error instanceof policyError)
        return new RejectedEvidence('wrong identity', message);
    if (!(error instanceof verificationError))
        return new RejectedEvidence('signature invalid', message);
    const code = error.code;
    if (code === 'PUBLIC_KEY_ERROR')
        return new RejectedEvidence('wrong identity', message);
    if (code === 'TIMESTAMP_ERROR')
        return new RejectedEvidence('expired without a witness', message);
    if (code === 'CERTIFICATE_ERROR') {
        const cause = error.cause?.message;
        return new RejectedEvidence('wrong identity', cause ? `${message}: ${cause}` : message);
    }
    return new RejectedEvidence('signature invalid', message);
}
/** The earliest witnessed time among verified timestamps (TSA or Rekor), if any. */
function witnessed(timestamps) {
    const times = timestamps.map((t) => t.$case === 'timestamp-authority'
        ? t.timestamp.signingTime
        : new Date(Number(t.tlogEntry.integratedTime) * 1000));
    return times.length === 0 ? undefined : new Date(Math.min(...times.map((d) => d.getTime())));
}
/** The text of a DER UTF8String (Fulcio's extensions from .1.8 on are encoded so). */
function derString(value) {
    if (value[0] !== 0x0c)
        return value.toString('utf8');
    const first = value[1];
    if (first < 0x80)
        return value.subarray(2, 2 + first).toString('utf8');
    const n = first & 0x7f;
    const length = value.subarray(2, 2 + n).reduce((sum, byte) => sum * 256 + byte, 0);
    return value.subarray(2 + n, 2 + n + length).toString('utf8');
}


/***/ })

};

//# sourceMappingURL=142.index.js.map