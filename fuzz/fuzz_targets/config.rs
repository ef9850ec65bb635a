//! A config file: TOML parse and validation, never a panic.
//! The invariants are checked in `akhbar::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::config(data));
