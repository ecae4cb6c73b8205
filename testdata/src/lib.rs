//! `deko-testdata`: realistic CRM data for tests, benchmarks and demos,
//! kept out of `deko-core` so the apps' library carries none of it.
//!
//! [`generate`] makes a [`Dataset`] (companies, people, activities, tasks,
//! deals) that is a pure function of a seed and the [`Sizes`]; [`demo`]
//! writes one into a [`Crm`](deko_core::model::Crm) through the model's
//! public API. Used by deko-core's integration tests and benchmarks and by
//! `deko demo`; never by the core's own unit tests (it depends on the core).

pub mod demo;
pub mod generate;

pub use demo::{Loaded, load};
pub use generate::{Dataset, Generator, Sizes};
