//! An article page for the full text: bytes -> charset -> Readability -> sanitize -> reader
//! document -> lines; no panic, every field clean, every line fits. The invariants are checked
//! in `akhbar::fuzzing::extract`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::extract(data));
