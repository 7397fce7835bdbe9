#!/bin/sh
# The module needs no toolchain: the extension compiles main.wat (Compile WAT to Wasm, or the build
# task; wasm-containers wat2wasm main.wat {{name}}.wasm on the command line). The native twin needs gcc.
set -eu
cd "$(dirname "$0")"
gcc -static -O2 main.c -o {{name}}
echo "built {{name}}"
