#!/bin/sh
# TinyGo ≥ 0.30 (https://tinygo.org) and Go
set -eu
cd "$(dirname "$0")"
tinygo build -target=wasip1 -o {{name}}.wasm .
CGO_ENABLED=0 go build -o {{name}} .
echo "built {{name}}.wasm and {{name}}"
