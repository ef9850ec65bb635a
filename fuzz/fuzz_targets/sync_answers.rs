//! TT-RSS and Fever JSON answers, read leniently; every field clean.
//! The invariants are checked in `akhbar::fuzzing::sync_answers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::sync_answers(data));
