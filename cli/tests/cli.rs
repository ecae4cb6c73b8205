//! Multi-process tests of the `deko` binary: real processes, separate data
//! directories, real QUIC on loopback.

mod cli {
    mod bad_input;
    pub mod common;
    mod csv_import;
    mod faults;
    mod follow_up;
    mod json_shapes;
    mod membership;
    mod names;
    mod relay;
    mod scenarios;
}
