//! The filter language: parse, then evaluate against an article.
//! The invariants are checked in `akhbar::fuzzing::filter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::filter(data));
