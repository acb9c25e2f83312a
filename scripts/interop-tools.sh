#!/usr/bin/env bash
# cosign and oras, the verifiers we did not write that the interop tests run against what the
# actions attach: Debian trixie's packages (static Go binaries that need only libc6 >= 2.34, which
# bookworm has), fetched with apt under a private configuration, so that the machine's sources stay
# as they are, and unpacked with dpkg-deb -x into ${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}/interop-tools.
# A no-op once both are there. Run as root (setup.sh uses sudo).
set -euo pipefail

cache=${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}
tools=$cache/interop-tools
if [ -x "$tools/bin/cosign" ] && [ -x "$tools/bin/oras" ]; then
  exit 0
fi
apt_dir=$cache/apt-trixie
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
  "$tools/bin" "$tools/root"
cat >"$apt_dir/sources.list.d/trixie.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt_options=(
  -o Dir::Etc::SourceList=/dev/null
  -o Dir::Etc::SourceParts="$apt_dir/sources.list.d"
  -o Dir::State::Lists="$apt_dir/state/lists"
  -o Dir::Cache="$apt_dir/cache"
  -o APT::Sandbox::User=root
)
echo "setup: fetching cosign and oras from Debian trixie into $tools"
apt-get "${apt_options[@]}" update -qq
(cd "$apt_dir/cache/archives" && apt-get "${apt_options[@]}" download cosign oras >/dev/null)
for package in cosign oras; do
  deb=$(ls -t "$apt_dir/cache/archives/${package}"_*.deb | head -n 1)
  dpkg-deb -x "$deb" "$tools/root"
  ln -sf "$tools/root/usr/bin/$package" "$tools/bin/$package"
done
"$tools/bin/cosign" version >/dev/null
"$tools/bin/oras" version >/dev/null
