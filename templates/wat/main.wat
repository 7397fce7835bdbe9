;; {{name}}: a WASI preview1 command written in WebAssembly text. No toolchain is needed: the
;; extension compiles it ("Wasm Containers: Compile WAT to Wasm", or wasm-containers wat2wasm).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; the iovec at 0: pointer 16, length {{greetingLength}}; the text at 16
  (data (i32.const 0) "\10\00\00\00\{{greetingLengthHex}}\00\00\00")
  (data (i32.const 16) "{{greeting}}\0a")
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
