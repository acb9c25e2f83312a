export const id = 835;
export const ids = [835];
export const modules = {

/***/ 4835:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkPushAccess: () => (/* binding */ checkPushAccess),
/* harmony export */   readBack: () => (/* binding */ readBack)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9044);
/* harmony import */ var _registry_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9310);


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


/***/ })

};

//# sourceMappingURL=835.index.js.map