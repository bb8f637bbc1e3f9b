//! Build information for `--version`; the same script as the `edge` binary's.

include!("../edge/build.rs");
