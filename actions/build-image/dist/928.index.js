export const id = 928;
export const ids = [928];
export const modules = {

/***/ 8770:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Sy: () => (/* binding */ writeSummary),
/* harmony export */   aY: () => (/* binding */ code),
/* harmony export */   ee: () => (/* binding */ bytes)
/* harmony export */ });
/* unused harmony exports escapeHtml, preformatted */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9044);

/** Writes a job summary section: a heading, a two-column table, and optional notes below. */
async function writeSummary(heading, rows, notes = []) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addHeading(heading, 3).addTable([
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


/***/ }),

/***/ 7928:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   metadataOutput: () => (/* binding */ metadataOutput),
/* harmony export */   writeBuildSummary: () => (/* binding */ writeBuildSummary)
/* harmony export */ });
/* harmony import */ var _action_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8770);

/** Assembles the `metadata` output. */
function metadataOutput(parts) {
    const { inputs, meta, pushed } = parts;
    return {
        image: meta.tags[0].slice(0, meta.tags[0].lastIndexOf(':')),
        digest: pushed?.digest ?? null,
        pinned: pushed?.pinned ?? null,
        tags: meta.tags,
        version: meta.version,
        labels: meta.labels,
        platforms: pushed?.platforms.length ? pushed.platforms : inputs.platforms,
        mediaType: pushed?.mediaType ?? null,
        size: pushed?.size ?? null,
        builder: parts.builder,
        imageId: parts.built.imageId ?? null,
        buildSeconds: Math.round(parts.buildSeconds * 10) / 10
    };
}
/** The job summary: image, digest, tags, size, build time, which layers came from the cache. */
async function writeBuildSummary(m, built) {
    const steps = built?.steps ?? [];
    const reused = steps.filter((s) => s.layer !== 'built');
    const where = { built: 'built', cache: 'local cache', remote: 'cache repository' };
    const cacheRows = steps.length === 0
        ? []
        : [
            [
                'layers from the cache',
                `${reused.length} of ${steps.length} steps<br>${steps
                    .map((s) => `${s.step} ${(0,_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(s.instruction.slice(0, 80))}: ${where[s.layer]}`)
                    .join('<br>')}`
            ]
        ];
    await (0,_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .writeSummary */ .Sy)(m.digest ? 'Image built and pushed' : 'Image built (not pushed)', [
        ['image', (0,_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(m.pinned ?? m.image)],
        ['digest', m.digest ? (0,_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(m.digest) : 'not pushed'],
        ['tags', m.tags.map(_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY).join('<br>')],
        ['platforms', m.platforms.length ? m.platforms.join(', ') : 'the runner’s'],
        ['size (compressed)', m.size === null ? '—' : (0,_action_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .bytes */ .ee)(m.size)],
        ['builder', m.builder],
        ['build time', `${m.buildSeconds} s`],
        ...cacheRows
    ], [...(built?.cacheWarnings ?? [])]);
}


/***/ })

};

//# sourceMappingURL=928.index.js.map