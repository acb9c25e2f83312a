// Stands in for @actions/http-client, @actions/http-client/lib/auth, @actions/exec: nothing in this bundle uses them (scripts/bundle.js, LEFT_OUT).
export {}
