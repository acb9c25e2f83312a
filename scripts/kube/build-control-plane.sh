#!/usr/bin/env bash
# Builds the Kubernetes control plane the integration tests run (kube-apiserver and
# kube-controller-manager 1.20 from Debian bookworm's `kubernetes` source package, with bookworm's Go
# 1.19) and puts it with bookworm's etcd 3.4 into
#   ${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}/kubernetes-<version>/bin/
# A no-op when that is already there. Takes about 15 minutes on 2 cores the first time.
#
# Everything comes from Debian's mirror through a private apt configuration under the cache (its
# own sources, lists and archives), so the host's apt sources are not changed and the same script
# works on a Debian 13 host, whose own `kubernetes` source is 1.32 without vendor/. The build itself
# is offline (vendor/, -mod=vendor, GOPROXY=off). Safe to re-run after an interruption: a missing
# binary means the build runs again from a clean _output. The source tree and Go are removed after
# a successful build unless ROLLOUT_KIT_KEEP_BUILD is set.
set -euo pipefail

CACHE=${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}
SUITE=bookworm
SERIES=1.20          # the kubernetes minor version the harness is written for
GO_PACKAGE=golang-1.19

log() { echo "build-control-plane: $*"; }
die() {
  echo "build-control-plane: error: $*" >&2
  exit 1
}

# The build-complete check, also used before anything is locked or downloaded.
complete() { # dir
  [ -f "$1/VERSION" ] && [ -x "$1/bin/kube-apiserver" ] &&
    [ -x "$1/bin/kube-controller-manager" ] && [ -x "$1/bin/etcd" ] &&
    grep -q '^reflect2 ' "$1/VERSION" # built with the fixed reflect2 (see below); older builds crash
}

cached_dir() {
  local dir
  for dir in "$CACHE"/kubernetes-"$SERIES".*; do
    if complete "$dir"; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if dir=$(cached_dir); then
  log "control plane cached at $dir/bin ($(head -n1 "$dir/VERSION"))"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root (it installs rsync and writes $CACHE)"
mkdir -p "$CACHE"
# one build at a time (setup.sh and a person may both start it)
exec 9>"$CACHE/.build-control-plane.lock"
if ! flock -n 9; then
  log "another build holds $CACHE/.build-control-plane.lock; waiting for it"
  flock 9
fi
if dir=$(cached_dir); then
  log "control plane cached at $dir/bin ($(head -n1 "$dir/VERSION"))"
  exit 0
fi

# --- host tools ---------------------------------------------------------------------------------
needed=()
for p in rsync make dpkg-dev xz-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || needed+=("$p")
done
if [ ${#needed[@]} -gt 0 ]; then
  log "installing ${needed[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi

# --- a private apt for bookworm's sources and packages ------------------------------------------
system_sources=/etc/apt/sources.list.d/debian.sources
uri=http://deb.debian.org/debian
signed_by=/usr/share/keyrings/debian-archive-keyring.gpg
if [ -f "$system_sources" ]; then
  # the first stanza with the main archive: same mirror and key as the host uses
  read -r found_uri found_key < <(awk '
    /^$/ { if (u != "" && u !~ /security/) { print u, k; exit } u = ""; k = "" }
    /^URIs:/ { u = $2 } /^Signed-By:/ { k = $2 }
    END { if (u != "" && u !~ /security/) print u, k }' "$system_sources" | head -n1) || true
  [ -n "${found_uri:-}" ] && uri=$found_uri
  [ -n "${found_key:-}" ] && signed_by=$found_key
fi
APT_DIR=$CACHE/apt
mkdir -p "$APT_DIR/sources.list.d" "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial"
cat >"$APT_DIR/sources.list.d/$SUITE.sources" <<EOF
Types: deb deb-src
URIs: $uri
Suites: $SUITE
Components: main
Signed-By: $signed_by
EOF
apt_private=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
  -o "Dir::State=$APT_DIR/state"
  -o "Dir::Cache=$APT_DIR/cache"
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
)
log "reading $SUITE's package lists from $uri"
apt-get "${apt_private[@]}" update -qq
candidate() { apt-cache "${apt_private[@]}" policy "$1" | awk '/Candidate:/ { print $2 }'; }
kube_version=$(apt-cache "${apt_private[@]}" showsrc kubernetes |
  awk '/^Version:/ { print $2 }' | sort -V | tail -n1)
[ -n "$kube_version" ] || die "no kubernetes source package in $SUITE at $uri"
# Debian's version looks like 1.20.5+really1.20.2-1.1: the tree is the version after "really"
upstream=${kube_version%-*}
upstream=${upstream##*really}
case $upstream in
  "$SERIES".*) ;;
  *) die "$SUITE's kubernetes source is $kube_version, not $SERIES.x" ;;
esac
go_version=$(candidate "$GO_PACKAGE-go")
etcd_version=$(candidate etcd-server)
[ -n "$go_version" ] && [ "$go_version" != "(none)" ] || die "no $GO_PACKAGE-go in $SUITE"
[ -n "$etcd_version" ] && [ "$etcd_version" != "(none)" ] || die "no etcd-server in $SUITE"

DEST=$CACHE/kubernetes-$upstream
WORK=$CACHE/work-kubernetes-$upstream
mkdir -p "$DEST/bin" "$WORK"
log "kubernetes $kube_version, $GO_PACKAGE $go_version, etcd-server $etcd_version → $DEST"

# --- Go and etcd: Debian's binary packages, unpacked, not installed -----------------------------
download() { # package version → the .deb's path
  local deb_dir=$WORK/debs
  mkdir -p "$deb_dir"
  (cd "$deb_dir" && apt-get "${apt_private[@]}" download -qq "$1=$2" >/dev/null)
  ls "$deb_dir/$1_${2//:/%3a}_"*.deb
}
GO_ROOT_DIR=$CACHE/go${GO_PACKAGE#golang-}
GOROOT=$GO_ROOT_DIR/usr/lib/go-${GO_PACKAGE#golang-}
if [ ! -f "$GO_ROOT_DIR/.complete" ] || [ "$(cat "$GO_ROOT_DIR/.complete")" != "$go_version" ]; then
  log "unpacking $GO_PACKAGE-go and $GO_PACKAGE-src $go_version into $GO_ROOT_DIR"
  rm -rf "$GO_ROOT_DIR" "$GO_ROOT_DIR.tmp"
  for p in "$GO_PACKAGE-go" "$GO_PACKAGE-src"; do
    dpkg -x "$(download "$p" "$go_version")" "$GO_ROOT_DIR.tmp"
  done
  # the packages may link /usr/lib/go-X/… to /usr/share/go-X absolutely: keep such links inside
  while IFS= read -r link; do
    target=$(readlink "$link")
    case $target in /*) ln -sfn "$GO_ROOT_DIR$target" "$link" ;; esac
  done < <(find "$GO_ROOT_DIR.tmp" -type l)
  # (the links above already name the final path)
  mv "$GO_ROOT_DIR.tmp" "$GO_ROOT_DIR"
  "$GOROOT/bin/go" version >/dev/null || die "the unpacked Go at $GOROOT does not run"
  echo "$go_version" >"$GO_ROOT_DIR/.complete"
fi
log "$("$GOROOT/bin/go" version) at $GOROOT"

if [ ! -x "$DEST/bin/etcd" ]; then
  log "unpacking etcd-server $etcd_version"
  rm -rf "$WORK/etcd.tmp"
  dpkg -x "$(download etcd-server "$etcd_version")" "$WORK/etcd.tmp"
  install -m 0755 "$WORK/etcd.tmp/usr/bin/etcd" "$DEST/bin/etcd.tmp"
  mv "$DEST/bin/etcd.tmp" "$DEST/bin/etcd"
  rm -rf "$WORK/etcd.tmp"
fi

# --- the kubernetes source tree ------------------------------------------------------------------
SRC_PARENT=$WORK/src
if [ ! -f "$SRC_PARENT/.complete" ] || [ "$(cat "$SRC_PARENT/.complete")" != "$kube_version" ]; then
  log "fetching and unpacking the kubernetes $kube_version source package"
  rm -rf "$SRC_PARENT"
  mkdir -p "$SRC_PARENT"
  # a version pin, not /bookworm: this apt knows only bookworm
  (cd "$SRC_PARENT" && apt-get "${apt_private[@]}" source -qq "kubernetes=$kube_version" >/dev/null)
  echo "$kube_version" >"$SRC_PARENT/.complete"
fi
tree=$(find "$SRC_PARENT" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)
[ -n "$tree" ] && [ -d "$tree/vendor" ] || die "no kubernetes tree with vendor/ in $SRC_PARENT"

# 1.20 vendors modern-go/reflect2 1.0.1, which faults under Go >= 1.18: kube-apiserver then crashes
# (SIGSEGV in json-iterator) on the first request for a custom resource. Debian's reflect2 1.0.2,
# the upstream fix with the same API, replaces it in vendor/ (the build is -mod=vendor, offline).
reflect2_version=$(candidate golang-github-modern-go-reflect2-dev)
[ -n "$reflect2_version" ] && [ "$reflect2_version" != "(none)" ] ||
  die "no golang-github-modern-go-reflect2-dev in $SUITE"
reflect2_deb=$(download golang-github-modern-go-reflect2-dev "$reflect2_version")
rm -rf "$WORK/reflect2"
dpkg-deb -x "$reflect2_deb" "$WORK/reflect2"
reflect2_src=$WORK/reflect2/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$reflect2_src/reflect2.go" ] || die "no reflect2 sources in $reflect2_deb"
rm -f "$tree/vendor/github.com/modern-go/reflect2/"*.go "$tree/vendor/github.com/modern-go/reflect2/"*.s
find "$reflect2_src" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' \
  -exec cp {} "$tree/vendor/github.com/modern-go/reflect2/" \;

# the build scripts expect $GOPATH/src/k8s.io/kubernetes
GOPATH_DIR=$WORK/.go
mkdir -p "$GOPATH_DIR/src/k8s.io"
ln -sfn "$tree" "$GOPATH_DIR/src/k8s.io/kubernetes"
KROOT=$GOPATH_DIR/src/k8s.io/kubernetes

# --- build ---------------------------------------------------------------------------------------
targets="cmd/kube-apiserver cmd/kube-controller-manager"
build_log=$WORK/build.log
log "building $targets (about 15 minutes on 2 cores); log: $build_log"
# a half-finished earlier run leaves empty generator binaries behind: always start clean
rm -rf "$tree/_output"
start=$(date +%s)
(
  cd "$KROOT"
  export PATH="$GOROOT/bin:$PATH" GOROOT GOPATH="$GOPATH_DIR" CGO_ENABLED=0 \
    GOFLAGS=-mod=vendor GO111MODULE=on GOCACHE="$WORK/.gocache" GOPROXY=off \
    GOTOOLCHAIN=local KUBE_GIT_VERSION="v$upstream" KUBE_GIT_TREE_STATE=clean
  exec make WHAT="$targets"
) >"$build_log" 2>&1 &
build_pid=$!
trap 'kill "$build_pid" 2>/dev/null || true' INT TERM
while kill -0 "$build_pid" 2>/dev/null; do
  for _ in $(seq 30); do
    kill -0 "$build_pid" 2>/dev/null || break
    sleep 1
  done
  kill -0 "$build_pid" 2>/dev/null || break
  elapsed=$(($(date +%s) - start))
  # the build script prints the packages it compiles: show the latest
  stage=$(grep -v '^[[:space:]]*$' "$build_log" | tail -n1 | sed 's/^[[:space:]]*//' | cut -c1-70 || true)
  printf 'build-control-plane: building kube-apiserver and kube-controller-manager … %d min %02d s elapsed%s\n' \
    $((elapsed / 60)) $((elapsed % 60)) "${stage:+ ($stage)}"
done
status=0
wait "$build_pid" || status=$?
trap - INT TERM
elapsed=$(($(date +%s) - start))
bin_dir=$tree/_output/local/go/bin
if [ "$status" -ne 0 ] || [ ! -s "$bin_dir/kube-apiserver" ] || [ ! -s "$bin_dir/kube-controller-manager" ]; then
  echo "build-control-plane: the build failed (exit $status) after $elapsed s; last 50 lines of $build_log:" >&2
  tail -n 50 "$build_log" >&2
  exit 1
fi
for b in kube-apiserver kube-controller-manager; do
  install -m 0755 "$bin_dir/$b" "$DEST/bin/$b.tmp"
  mv "$DEST/bin/$b.tmp" "$DEST/bin/$b"
done
{
  echo "kubernetes $upstream (Debian source $kube_version, $SUITE)"
  echo "go $go_version ($GO_PACKAGE)"
  echo "etcd $etcd_version (etcd-server)"
  echo "reflect2 $reflect2_version (golang-github-modern-go-reflect2-dev, in place of vendor's 1.0.1)"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in ${elapsed}s"
} >"$DEST/VERSION.tmp"
mv "$DEST/VERSION.tmp" "$DEST/VERSION"
# the source tree, Go's build cache and the toolchain take ~2.8 GB and are not needed to run
if [ -z "${ROLLOUT_KIT_KEEP_BUILD:-}" ]; then
  rm -rf "$WORK" "$GO_ROOT_DIR"
else
  log "kept the build tree in $WORK and Go in $GO_ROOT_DIR (ROLLOUT_KIT_KEEP_BUILD)"
fi
log "built in $((elapsed / 60)) min $((elapsed % 60)) s; control plane cached at $DEST/bin"
log "$("$DEST/bin/kube-apiserver" --version), etcd $("$DEST/bin/etcd" --version | head -n1)"
