//! OPML and newsboat urls import: nothing accepted runs a command.
//! The invariants are checked in `akhbar::fuzzing::import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::import(data));
