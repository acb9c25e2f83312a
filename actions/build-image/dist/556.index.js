export const id = 556;
export const ids = [556];
export const modules = {

/***/ 9556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseGitHubContext: () => (/* binding */ parseGitHubContext),
/* harmony export */   readGitHubContext: () => (/* binding */ readGitHubContext),
/* harmony export */   runContext: () => (/* binding */ runContext)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
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
            text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
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


/***/ })

};

//# sourceMappingURL=556.index.js.map