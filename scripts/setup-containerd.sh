#!/usr/bin/env bash
# containerd 2 (containerd, ctr, containerd-shim-runc-v2 from the Go module proxy), youki (crates.io)
# and the runwasi wasmtime shim (tools/containerd-shim-wasmtime, built on runwasi's crates.io library),
# built once into a cache outside the clone and started on the project's own socket and state dirs,
# so that the Docker engine's containerd 1.6 is left alone. Idempotent: cached tools are not rebuilt and
# a containerd already answering on the socket is kept. Each step prints its time. Needs root.
#   WASM_CONTAINERS_CACHE   the cache (default /var/cache/wasm-containers): containerd/bin, logs, targets
#   WITH_SHIM=1             build the wasmtime shim when it is not cached yet (it compiles wasmtime as a
#                           library: ~100 min on 2 busy cores, so a fresh CI machine skips it by default
#                           and the tests that need it skip, naming this command)
#   WITH_YOUKI=1            build youki when it is not cached yet (~15 min on 2 quiet cores); the youki
#                           tests skip without it unless REQUIRE_YOUKI=1
#   BUILD=0                 build nothing: start what is cached (while a build runs elsewhere)
#   REQUIRE_CONTAINERD=1    a failed step is fatal (exit 1)
# The engine finds everything here: containerd.sock under /run/wasm-containers/containerd, ctr and the
# shims in $CACHE/containerd/bin (src/core/engines/containerd/locate.ts reads the same places).
set -uo pipefail
cd "$(dirname "$0")/.."
CACHE="${WASM_CONTAINERS_CACHE:-/var/cache/wasm-containers}"
PREFIX="$CACHE/containerd"
BIN="$PREFIX/bin"
LOGS="$CACHE/logs"
STATE=/run/wasm-containers/containerd
ROOT=/var/lib/wasm-containers/containerd
SOCK="$STATE/containerd.sock"
CONTAINERD_VERSION=v2.4.2
YOUKI_VERSION=0.7.0
mkdir -p "$BIN" "$LOGS" "$STATE" "$ROOT"
export GOMODCACHE="${GOMODCACHE:-$CACHE/gomod}" GOCACHE="${GOCACHE:-$CACHE/gocache}" GOFLAGS=-buildvcs=false
export PATH="$HOME/.cargo/bin:/usr/local/go/bin:$PATH"
failed=()
SETUP_NAME=setup-containerd
source scripts/step.sh

packages() {
  local missing=()
  for p in pkg-config libseccomp-dev libsystemd-dev libdbus-glib-1-dev libclang-dev protobuf-compiler; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

build_containerd() {
  GOBIN="$BIN" nice -n 10 go install -tags no_btrfs \
    "github.com/containerd/containerd/v2/cmd/containerd@$CONTAINERD_VERSION" \
    "github.com/containerd/containerd/v2/cmd/ctr@$CONTAINERD_VERSION" \
    "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION"
}

build_youki() {
  CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" CARGO_TARGET_DIR="$CACHE/youki-target" nice -n 10 \
    cargo install --locked --root "$PREFIX" youki --version "$YOUKI_VERSION" \
    --no-default-features --features v1,v2,seccomp
}

build_shim() {
  (cd tools/containerd-shim-wasmtime &&
    CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" CARGO_TARGET_DIR="$CACHE/shim-target" nice -n 10 \
      cargo build --release --locked) &&
    install -m 0755 "$CACHE/shim-target/release/containerd-shim-wasmtime-v1" "$BIN/"
}

t=$SECONDS; packages >"$LOGS/containerd-packages.log" 2>&1 || failed+=(packages)
say "build packages: $((SECONDS - t)) s"
step containerd "'$BIN/containerd' --version | grep -E \" v?${CONTAINERD_VERSION#v}[+ ]\"" build_containerd
# youki is a long cargo build (~15 min on 2 quiet cores): built on request, used whenever cached
youki_check="'$BIN/youki' --version | grep -E 'version:? $YOUKI_VERSION\b'"
if [ "${WITH_YOUKI:-0}" = 1 ] || bash -c "$youki_check" >/dev/null 2>&1; then
  step youki "$youki_check" build_youki
else
  say "youki: not cached and WITH_YOUKI is not 1: skipped (build it with: WITH_YOUKI=1 bash scripts/setup-containerd.sh)"
fi
shim_check="test -x '$BIN/containerd-shim-wasmtime-v1' && '$BIN/containerd-shim-wasmtime-v1' -v"
if [ "${WITH_SHIM:-0}" = 1 ] || bash -c "$shim_check" >/dev/null 2>&1 ||
  [ -x "$CACHE/shim-target/release/containerd-shim-wasmtime-v1" ]; then
  step containerd-shim-wasmtime "$shim_check" build_shim
else
  say "containerd-shim-wasmtime: not cached and WITH_SHIM is not 1: skipped (build it with: WITH_SHIM=1 bash scripts/setup-containerd.sh)"
fi

# the daemon: its own config, root, state and socket; no CRI (ctr drives it), runc as the runtime
t=$SECONDS
cat >"$PREFIX/config.toml" <<EOF
version = 3
root = "$ROOT"
state = "$STATE"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = "$STATE/debug.sock"
EOF
# containerd 2 once built; until then (a first build under load) the distribution's containerd
# (Debian 12: 1.6, with docker.io), said so, so that the engine and its tests still run
DAEMON="$BIN/containerd"; CTR="$BIN/ctr"
if [ ! -x "$DAEMON" ] && command -v containerd >/dev/null && command -v ctr >/dev/null; then
  DAEMON=$(command -v containerd); CTR=$(command -v ctr)
  say "containerd $CONTAINERD_VERSION is not built: using $DAEMON ($("$DAEMON" --version | awk '{print $3}')) meanwhile"
  sed -i 's/^version = 3$/version = 2/; s/"io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime", //; s/, "io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs"//' "$PREFIX/config.toml"
fi
want=$("$DAEMON" --version | awk '{print $3}')
have=$("$CTR" --address "$SOCK" version 2>/dev/null | awk '/^Server:/{s=1} s && /Version:/{print $2; exit}')
if [ -n "$have" ] && [ "$have" != "$want" ] && [ -f "$STATE/containerd.pid" ]; then
  say "containerd $have answers on $SOCK: replacing it with $want"
  kill "$(cat "$STATE/containerd.pid")" 2>/dev/null
  for _ in $(seq 1 40); do "$CTR" --address "$SOCK" version >/dev/null 2>&1 || break; sleep 0.25; done
  have=""
fi
if [ -n "$have" ]; then
  say "containerd $have already answers on $SOCK"
elif [ -x "$DAEMON" ]; then
  # the shims (runc-v2, wasmtime-v1) and youki are found on containerd's PATH: the cache first
  (PATH="$BIN:$PATH" setsid "$DAEMON" --config "$PREFIX/config.toml" >"$LOGS/containerd-daemon.log" 2>&1 &
    echo $! >"$STATE/containerd.pid")
  for _ in $(seq 1 80); do "$CTR" --address "$SOCK" version >/dev/null 2>&1 && break; sleep 0.25; done
  if "$CTR" --address "$SOCK" version >/dev/null 2>&1; then
    say "containerd $want: started on $SOCK in $((SECONDS - t)) s (log: $LOGS/containerd-daemon.log)"
  else
    say "containerd: did not come up; its log:"; tail -20 "$LOGS/containerd-daemon.log" | sed 's/^/    /'
    failed+=(containerd-daemon)
  fi
else
  say "containerd: no daemon to start"; failed+=(containerd-daemon)
fi

if [ ${#failed[@]} -gt 0 ]; then
  say "failed: ${failed[*]}"
  [ "${REQUIRE_CONTAINERD:-0}" = 1 ] && exit 1
fi
exit 0
