//! An article body: HTML -> Document -> lines at a width; every line fits, no control.
//! The invariants are checked in `akhbar::fuzzing::html_layout`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| akhbar::fuzzing::html_layout(data));
