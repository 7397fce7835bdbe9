#!/usr/bin/env bash
# Rebuilds the example's two artifacts from hello.c:
#   hello.wasm  wasm32-wasi module (clang-14 + wasi-libc)
#   hello       static native twin (gcc -static)
# Both are committed so the main job runs on machines without these toolchains.
set -euo pipefail
cd "$(dirname "$0")"
need() { command -v "$1" >/dev/null || { echo "missing $1: apt-get install -y $2" >&2; exit 1; }; }
need clang-14 "clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32"
need gcc "gcc libc6-dev"
clang-14 --target=wasm32-wasi -O2 -s hello.c -o hello.wasm
chmod 644 hello.wasm   # a module is not a native executable; clang marks it +x
gcc -O2 -static -s hello.c -o hello
ls -l hello.wasm hello
