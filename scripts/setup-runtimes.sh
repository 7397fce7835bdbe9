#!/usr/bin/env bash
# Builds the standalone Wasm runtime CLIs from their registries (crates.io, the Go module proxy) into a
# cache outside the clone, and links them into /usr/local/bin. Idempotent: a tool already built at the
# pinned version is not rebuilt, so a second run takes seconds. Each step prints its time.
#   WASM_CONTAINERS_CACHE   the cache (default /var/cache/wasm-containers): bin/, cargo-target/, gomod/
#   RUNTIMES="wasmtime wazero wasmer"   a subset
# A tool that fails to build is reported with its error and skipped (exit 0): the tests that need it
# skip with the reason; REQUIRE_RUNTIMES=1 makes a failure fatal. BUILD=0 builds nothing.
set -uo pipefail
CACHE="${WASM_CONTAINERS_CACHE:-/var/cache/wasm-containers}"
RUNTIMES="${RUNTIMES:-wasmtime wazero wasmer}"
BIN="$CACHE/bin"
mkdir -p "$BIN" "$CACHE/logs"
export CARGO_TARGET_DIR="$CACHE/cargo-target" GOMODCACHE="$CACHE/gomod" GOCACHE="$CACHE/gocache" GOFLAGS=-buildvcs=false
export PATH="$HOME/.cargo/bin:/usr/local/go/bin:$PATH"
failed=()
SETUP_NAME=setup-runtimes LOGS="$CACHE/logs"
source "$(dirname "${BASH_SOURCE[0]}")/step.sh"

link() { for b in "$@"; do [ -x "$BIN/$b" ] && ln -sfn "$BIN/$b" "/usr/local/bin/$b"; done; return 0; }

WASMTIME_VERSION=48.0.8
WAZERO_VERSION=v1.12.0
WASMER_VERSION=7.4.2

for rt in $RUNTIMES; do
  case $rt in
    wasmtime)
      # only what runs and compiles WASI modules and components (and the proposals a stock build
      # validates, so that runtime verdicts match the real thing); no wasi-http/nn/tls, winch, pulley
      # a build from crates.io prints "wasmtime 48.0.8" (no commit after the version)
      step wasmtime "'$BIN/wasmtime' --version | grep -Eq ' $WASMTIME_VERSION( |\$)' && '$BIN/wasmtime' --version" \
        cargo install --locked --force --root "$CACHE" --version "$WASMTIME_VERSION" wasmtime-cli --no-default-features \
        --features run,compile,cranelift,cache,component-model,component-model-async,wat,parallel-compilation,gc,gc-drc,gc-null,threads,pooling-allocator
      link wasmtime ;;
    wazero)
      step wazero "'$BIN/wazero' version | grep -q '${WAZERO_VERSION#v}' && '$BIN/wazero' version" \
        env GOBIN="$BIN" go install "github.com/tetratelabs/wazero/cmd/wazero@$WAZERO_VERSION"
      link wazero ;;
    wasmer)
      # Cranelift only (no LLVM, no singlepass, no V8): the engine wasmer uses by default; artifact-create for `wasmer compile`
      step wasmer "'$BIN/wasmer' --version | grep -Eq ' $WASMER_VERSION( |\$)' && '$BIN/wasmer' --version" \
        cargo install --locked --force --root "$CACHE" --version "$WASMER_VERSION" wasmer-cli --no-default-features --features sys,cranelift,wat,wasmer-artifact-create
      link wasmer ;;
    *) say "unknown runtime $rt"; failed+=("$rt") ;;
  esac
done

if [ ${#failed[@]} -gt 0 ]; then
  say "not built: ${failed[*]}"
  [ "${REQUIRE_RUNTIMES:-}" = 1 ] && exit 1
fi
exit 0
