#!/bin/sh
# Builds {{name}}.wasm (WASI preview1) and its static native twin {{name}}.
# Debian: apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 gcc
set -eu
cd "$(dirname "$0")"
clang-14 --target=wasm32-wasi -O2 main.c -o {{name}}.wasm
gcc -static -O2 main.c -o {{name}}
echo "built {{name}}.wasm and {{name}}"
