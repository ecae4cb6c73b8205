//! Integration tests of the engine: one test binary, one module per concern.

mod engine {
    pub mod common;
    mod convergence;
    mod convergence_team;
    mod crm;
    mod crm_io;
    mod crm_search;
    mod deferred;
    mod log;
    mod refusals;
    mod schema;
    mod store;
    mod sync;
    mod team;
    mod team_rules;
}
