export const id = 188;
export const ids = [188];
export const modules = {

/***/ 9188:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  metadataOutput: () => (/* binding */ metadataOutput),
  writeBuildSummary: () => (/* binding */ writeBuildSummary)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(9044);
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

;// CONCATENATED MODULE: ./src/actions/build-image/report.ts

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
/** The job summary: image, digest, tags, size, build time. */
async function writeBuildSummary(m) {
    await writeSummary(m.digest ? 'Image built and pushed' : 'Image built (not pushed)', [
        ['image', code(m.pinned ?? m.image)],
        ['digest', m.digest ? code(m.digest) : 'not pushed'],
        ['tags', m.tags.map(code).join('<br>')],
        ['platforms', m.platforms.length ? m.platforms.join(', ') : 'the runner’s'],
        ['size (compressed)', m.size === null ? '—' : bytes(m.size)],
        ['builder', m.builder],
        ['build time', `${m.buildSeconds} s`]
    ]);
}


/***/ })

};

//# sourceMappingURL=188.index.js.map