//! The library's one multi-threaded Tokio runtime. Every async export runs
//! its work here ([`run`], [`run_blocking`]) and the foreign side only
//! awaits the task's handle, so the work never depends on which thread or
//! executor polls the future (Kotlin coroutines, Swift tasks).

use std::future::Future;
use std::sync::LazyLock;

use crate::error::{DekoError, Result};

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("deko")
        .build()
        .expect("the Tokio runtime could not start (no threads?)")
});

/// The library's runtime.
pub fn handle() -> &'static tokio::runtime::Handle {
    RUNTIME.handle()
}

/// Runs `fut` on the library's runtime and waits for it from any executor.
pub async fn run<T, F>(fut: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    RUNTIME.spawn(fut).await.map_err(joined)?
}

/// Runs blocking (SQLite-heavy) work on the runtime's blocking pool.
pub async fn run_blocking<T, F>(f: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    RUNTIME.spawn_blocking(f).await.map_err(joined)?
}

fn joined(e: tokio::task::JoinError) -> DekoError {
    if e.is_panic() {
        log::error!("a task of the Deko library panicked: {e}");
    }
    DekoError::state(format!("the operation did not complete: {e}"))
}
