#!/bin/sh
# The module needs no toolchain (wasm-containers wat2wasm main.wat {{name}}.wasm); the native twin needs gcc.
set -eu
cd "$(dirname "$0")"
gcc -static -O2 main.c -o {{name}}
echo "built {{name}}"
