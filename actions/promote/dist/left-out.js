// Stands in for @actions/exec: nothing in this bundle uses them (scripts/bundle.js, LEFT_OUT).
export {}
