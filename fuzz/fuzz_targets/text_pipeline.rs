//! One paragraph through sanitize, bidi, shaping and wrap; fits, clean, a permutation.
//! The invariants are checked in `akhbar::fuzzing::text_pipeline`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::text_pipeline(data));
