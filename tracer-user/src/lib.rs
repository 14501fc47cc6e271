//! tracer: a low-overhead, strace-compatible syscall tracer built on eBPF.
//!
//! Data flows one way: source → pair → decode → format → sink. Only `source` needs
//! privileges; everything after it is ordinary code, tested without root.

pub mod app;
pub mod cli;
pub mod decode;
pub mod error;
pub mod event;
pub mod exec_area;
pub mod fdtable;
pub mod filter;
pub mod format;
pub mod logging;
pub mod outfile;
pub mod pair;
pub mod pipeline;
pub mod procfs;
pub mod redact;
pub mod sink;
pub mod sockdiag;
pub mod source;
pub mod spec;
pub mod stack;
pub mod summary;
pub mod tables;
pub mod tamper;
pub mod target;
