//! Integration tests of the engine: one test binary, one module per concern.

mod engine {
    pub mod common;
    mod convergence;
    mod log;
    mod refusals;
    mod schema;
    mod store;
    mod team;
}
