//! Host-side stub. tracer-user depends on this crate only so that cargo rebuilds the eBPF
//! object when its sources change; the programs themselves are the `tracer-ebpf` binary,
//! built for the bpf target by tracer-user's build script.
#![no_std]
