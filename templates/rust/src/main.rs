// {{name}}: built for wasm32-wasip1 (the Wasm image) and for x86_64-unknown-linux-musl (its static
// native twin), from the same source.
fn main() {
    println!("Hello from {{name}}!");
}
