#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use. Idempotent; needs root (or sudo).
#   docker.io crun runsc   the Docker engine and the OCI runtimes tested against
#   podman                 the second engine, through its Docker-compatible socket
#   docker-registry        a real local registry (distribution 2.8) the push tests run against
#   clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32   WASI toolchain (examples/*/build.sh)
#   wabt                   wasm-objdump / wasm2wat cross-checks
#   hyperfine time         reference measurements for the fidelity benchmarks
#   skopeo umoci containerd   other tools reading the images the builder writes (skopeo inspect/copy,
#                          umoci unpack, ctr images import); stress-ng for the noisy-neighbour benchmarks
#   chromium libkrb5-dev build-essential pkg-config python3   VS Code host tests (code-server + browser)
set -euo pipefail
PACKAGES=(docker.io crun runsc podman docker-registry clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt hyperfine time
  skopeo umoci containerd stress-ng
  chromium libkrb5-dev build-essential pkg-config python3 iproute2 procps curl)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
echo "setup-system: done"
