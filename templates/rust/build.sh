#!/bin/sh
# rustup target add wasm32-wasip1 x86_64-unknown-linux-musl
set -eu
cd "$(dirname "$0")"
cargo build --release --target wasm32-wasip1
cargo build --release --target x86_64-unknown-linux-musl
cp target/wasm32-wasip1/release/{{name}}.wasm {{name}}.wasm
cp target/x86_64-unknown-linux-musl/release/{{name}} {{name}}
echo "built {{name}}.wasm and {{name}}"
