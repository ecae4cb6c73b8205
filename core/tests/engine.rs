//! Integration tests of the engine: one test binary, one module per concern
//! (`node_*`: nodes over real QUIC on loopback between real SQLite files).

mod engine {
    mod bulk;
    pub mod common;
    mod convergence;
    mod convergence_team;
    mod crm;
    mod crm_io;
    mod crm_search;
    mod deferred;
    mod log;
    mod node_auto;
    mod node_catch_up;
    mod node_refusals;
    mod node_relay;
    mod node_sync;
    pub mod nodes;
    mod phone_countries;
    mod query_plans;
    mod refusals;
    mod schema;
    mod schema_fixtures;
    mod store;
    mod sync;
    mod team;
    mod team_rules;
}
