//! `containerd-shim-wasmtime-v1`: containerd maps `--runtime io.containerd.wasmtime.v1` to this binary.
//! runwasi's library (containerd-shim-wasm) does the container work through youki's libcontainer
//! (rootfs, namespaces, cgroup, stdio); this file only runs the module: WASI preview1 in wasmtime,
//! with the spec's args and env, the container's root preopened as `/`, the module's exit code returned.
use anyhow::{Result, bail};
use containerd_shim_wasm::sandbox::Sandbox;
use containerd_shim_wasm::sandbox::context::{RuntimeContext, WasmBinaryType};
use containerd_shim_wasm::shim::{Cli, Shim, Version, version};
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

struct WasmtimeShim;

#[derive(Default)]
struct WasmtimeSandbox;

impl Shim for WasmtimeShim {
    type Sandbox = WasmtimeSandbox;

    fn name() -> &'static str {
        "wasmtime"
    }

    fn version() -> Version {
        version!()
    }
}

fn split_env(entry: &str) -> (&str, &str) {
    entry.split_once('=').unwrap_or((entry, ""))
}

/// wasmtime 48 has an error type of its own, not a std::error::Error: anyhow gets its text.
fn wt<T>(result: wasmtime::Result<T>, what: &str) -> Result<T> {
    result.map_err(|err| anyhow::anyhow!("{what}: {err:?}"))
}

fn wasi_context(ctx: &impl RuntimeContext) -> Result<WasiP1Ctx> {
    let mut builder = WasiCtxBuilder::new();
    builder.inherit_stdio();
    for arg in ctx.args() {
        builder.arg(arg);
    }
    for entry in ctx.envs() {
        let (key, value) = split_env(entry);
        builder.env(key, value);
    }
    wt(
        builder.preopened_dir("/", "/", FsPerms::ReadWrite),
        "preopening the container's root",
    )?;
    Ok(builder.build_p1())
}

fn exit_code(result: wasmtime::Result<()>) -> Result<i32> {
    match result {
        Ok(()) => Ok(0),
        Err(err) => match err.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => Err(anyhow::anyhow!("running the module: {err:?}")),
        },
    }
}

fn run_module(ctx: &impl RuntimeContext) -> Result<i32> {
    let entrypoint = ctx.entrypoint();
    let bytes = entrypoint.source.as_bytes()?;
    if let Some(WasmBinaryType::Component) = WasmBinaryType::from_bytes(&bytes) {
        bail!("this shim runs WASI preview1 modules; the image holds a component");
    }
    let engine = wt(Engine::new(&Config::new()), "starting wasmtime")?;
    let module = wt(Module::new(&engine, &bytes), "compiling the module")?;
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    wt(p1::add_to_linker_sync(&mut linker, |cx| cx), "linking WASI preview1")?;
    let mut store = Store::new(&engine, wasi_context(ctx)?);
    let instance = wt(linker.instantiate(&mut store, &module), "instantiating the module")?;
    let func = wt(
        instance.get_typed_func::<(), ()>(&mut store, &entrypoint.func),
        &format!("the module exports no function {}", entrypoint.func),
    )?;
    exit_code(func.call(&mut store, ()))
}

impl Sandbox for WasmtimeSandbox {
    async fn run_wasi(&self, ctx: &impl RuntimeContext) -> Result<i32> {
        // wasmtime-wasi's synchronous preview1 drives its own Tokio runtime: run it on a plain thread,
        // outside the shim's runtime.
        std::thread::scope(|scope| scope.spawn(|| run_module(ctx)).join())
            .map_err(|_| anyhow::anyhow!("the module's thread panicked"))?
    }
}

fn main() {
    WasmtimeShim::run(None);
}
