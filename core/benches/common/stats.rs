//! How every benchmark reports latencies: the median, p95, p99 and the
//! worst of its samples, on standard error beside criterion's own lines.
//! Included by path (`#[path]`) by the benches and `examples/team_db.rs`.

use std::time::Duration;

/// Prints `label`'s sample count, median, p95, p99 and maximum.
pub fn percentiles(label: &str, mut samples: Vec<Duration>) {
    if samples.is_empty() {
        return;
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    eprintln!(
        "{label}: n={} median={:?} p95={:?} p99={:?} max={:?}",
        samples.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        samples[samples.len() - 1]
    );
}
