//! Feed bytes as the poller receives them -> charset detection -> parse -> ingest.
//! The invariants are checked in `akhbar::fuzzing::feed`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::feed(data));
