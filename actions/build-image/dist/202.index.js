export const id = 202;
export const ids = [202];
export const modules = {

/***/ 1202:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   signStatement: () => (/* binding */ signStatement)
/* harmony export */ });
/* unused harmony export SigningError */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9044);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _keys_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4833);
/* harmony import */ var _statement_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3240);
/**
 * Signs an in-toto statement into a Sigstore bundle v0.3 (a DSSE envelope with the key or Fulcio
 * certificate and the witnesses' timestamps) with @sigstore/sign, loaded on first use.
 */




/** Signing failed: names the service and what it said. */
class SigningError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SigningError';
    }
}
/** The Sigstore bundle (JSON) of `statement` signed as `config` says. */
async function signStatement(statement, config) {
    const { DSSEBundleBuilder, FulcioSigner, CIContextProvider, TSAWitness, RekorWitness } = await Promise.all(/* import() */[__webpack_require__.e(654), __webpack_require__.e(463), __webpack_require__.e(335), __webpack_require__.e(179)]).then(__webpack_require__.bind(__webpack_require__, 5179));
    const { bundleToJSON } = await Promise.all(/* import() */[__webpack_require__.e(654), __webpack_require__.e(40)]).then(__webpack_require__.bind(__webpack_require__, 1040));
    const data = Buffer.from(JSON.stringify(statement));
    if (config.kind === 'key') {
        const key = (0,_keys_js__WEBPACK_IMPORTED_MODULE_2__/* .checkPrivateKey */ .fH)(config.privateKey);
        const publicKey = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createPublicKey)(key).export({ type: 'spki', format: 'pem' }).toString();
        const signer = {
            // The DSSE keyid stays empty: with one, cosign's --key verification finds no signature.
            sign: async (bytes) => ({
                signature: (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.sign)('sha256', bytes, key),
                key: { $case: 'publicKey', publicKey, hint: '' }
            })
        };
        const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
            data,
            type: _statement_js__WEBPACK_IMPORTED_MODULE_3__/* .IN_TOTO_PAYLOAD_TYPE */ .T4
        });
        return bundleToJSON(bundle);
    }
    const ci = new CIContextProvider('sigstore');
    const identityProvider = {
        getToken: async () => {
            const token = await ci.getToken().catch((error) => {
                throw new SigningError(`no OIDC token for keyless signing: ${String(error)}`);
            });
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
            return token;
        }
    };
    const witnesses = [
        ...(config.tsaUrl ? [new TSAWitness({ tsaBaseURL: config.tsaUrl, retry: 2 })] : []),
        ...(config.rekorUrl ? [new RekorWitness({ rekorBaseURL: config.rekorUrl, retry: 2 })] : [])
    ];
    const signer = new FulcioSigner({
        identityProvider,
        fulcioBaseURL: config.fulcioUrl,
        retry: 2
    });
    try {
        const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
            data,
            type: _statement_js__WEBPACK_IMPORTED_MODULE_3__/* .IN_TOTO_PAYLOAD_TYPE */ .T4
        });
        return bundleToJSON(bundle);
    }
    catch (error) {
        if (error instanceof SigningError)
            throw error;
        const where = [
            `Fulcio ${config.fulcioUrl}`,
            ...(config.tsaUrl ? [`TSA ${config.tsaUrl}`] : []),
            ...(config.rekorUrl ? [`Rekor ${config.rekorUrl}`] : [])
        ].join(', ');
        const cause = error.cause;
        throw new SigningError(`keyless signing failed (${where}): ${error.message}${cause ? `: ${String(cause.message ?? cause)}` : ''}`);
    }
}


/***/ })

};

//# sourceMappingURL=202.index.js.map