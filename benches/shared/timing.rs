//! Printing a set of timings, for the benches that include this file (`#[path]`): it lives in a
//! folder of its own so that Cargo does not take it for a bench.

use std::time::Duration;

/// Prints the median and p99 of `times` under `what`.
pub fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let p99 = times[times.len() * 99 / 100];
    println!(
        "{what}: median {median:.2?}, p99 {p99:.2?} over {} runs",
        times.len()
    );
}
