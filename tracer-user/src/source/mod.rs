//! Event sources. Each turns kernel activity into `RawEvent`s; everything downstream is
//! ordinary code that needs no privileges.

pub mod btf;
pub mod ebpf;
pub mod programs;
pub mod ptrace;
pub mod record;
pub mod tls;
pub mod wire;
