#!/usr/bin/env bash
# Installs what the tests and the local pipeline need on a fresh Debian machine, and nothing twice:
# the Debian packages of the real servers and tools, then the npm dependencies (which bring Node 24).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(docker-registry buildah skopeo busybox-static apache2-utils openssl ca-certificates git prometheus openssh-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lockfile changed since the last install (or nothing is installed).
stamp=node_modules/.rollout-kit-lock
if [ ! -x node_modules/.bin/node ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# --- Kubernetes control plane for the cluster tests ---------------------------------------------
# kube-apiserver and kube-controller-manager 1.20 built from Debian's source package, with etcd,
# cached in ${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit} (about 15 minutes once; a no-op after).
kube_build=(bash scripts/kube/build-control-plane.sh)
[ "$(id -u)" -eq 0 ] || kube_build=(sudo --preserve-env=ROLLOUT_KIT_CACHE "${kube_build[@]}")
"${kube_build[@]}"

# --- cosign and oras for the interop tests (Debian trixie's, unpacked into the cache) ------------
interop=(bash scripts/interop-tools.sh)
[ "$(id -u)" -eq 0 ] || interop=(sudo --preserve-env=ROLLOUT_KIT_CACHE "${interop[@]}")
"${interop[@]}"
