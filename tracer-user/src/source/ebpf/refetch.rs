//! A capture the kernel programs could not read, read again from the live process where that
//! is sound. bpf_probe_read_user cannot fault a page in: a failed call's buffer in a page the
//! process never touched (`write(-1, "h", 1)` with a string literal: the kernel refuses the
//! fd before it reads the buffer) comes out faulted and printed as its address, where strace's
//! process_vm_readv faults the page in and prints `"h"`. The bytes are read again only from
//! private, read-only, file-backed mappings (a program's .rodata and text, a library's), whose
//! contents cannot have changed since the call; anything else stays the address. Only faulted
//! captures pay for it (a read of /proc/PID/maps each).

use tracer_common::{PHASE_ENTER, PHASE_EXIT, SockInfo, SyscallSpec, spec_row};

use crate::{
    event::{Blob, RawEvent, RawSyscall},
    source::ptrace::fetch::{self, Call, Memory},
    stack::maps::frozen_ranges,
};

/// The capture table the kernel programs follow, to read a faulted capture again the way the
/// ptrace backend reads it.
pub(super) struct Refetch {
    /// The spec rows, by `spec_row`.
    specs: Vec<SyscallSpec>,
    /// `-s`.
    strsize: usize,
}

impl Refetch {
    /// For the rows `specs` (`(nr, spec)`, as the SPECS map was filled) and `-s` `strsize`.
    pub(super) fn new(specs: &[(u32, SyscallSpec)], strsize: usize) -> Self {
        let mut rows = vec![SyscallSpec::default(); tracer_common::SYSCALL_TABLE_LEN as usize];
        for &(nr, spec) in specs {
            if let Some(row) = rows.get_mut(nr as usize) {
                *row = spec;
            }
        }
        Self {
            specs: rows,
            strsize,
        }
    }

    /// Fills the captures of `event` that faulted without data from the live process, where
    /// their memory is in a mapping that cannot have changed since the call.
    pub(super) fn mend(&self, event: &mut RawEvent) {
        let RawEvent::Syscall(sc) = event else {
            return;
        };
        if sc.no_enter || !sc.blobs.iter().any(faulted_whole) {
            return;
        }
        let Some(mem) = Frozen::of(sc.tgid) else {
            return;
        };
        self.mend_call(sc, &mem);
    }

    /// As `mend`, reading through `mem`.
    fn mend_call(&self, sc: &mut RawSyscall, mem: &dyn Memory) {
        let spec = self
            .specs
            .get(spec_row(sc.nr) as usize)
            .copied()
            .unwrap_or_default();
        let call = Call {
            args: sc.args,
            ret: sc.ret,
            saved: None,
        };
        for phase in [PHASE_ENTER, PHASE_EXIT] {
            let at_enter = phase == PHASE_ENTER;
            if !sc
                .blobs
                .iter()
                .any(|b| b.at_enter == at_enter && faulted_whole(b))
            {
                continue;
            }
            let again = fetch::capture(&spec, &call, phase, mem, self.strsize);
            for blob in sc
                .blobs
                .iter_mut()
                .filter(|b| b.at_enter == at_enter && faulted_whole(b))
            {
                let read = again
                    .iter()
                    .find(|n| n.arg == blob.arg && n.kind == blob.kind && !n.faulted);
                if let Some(read) = read {
                    blob.data.clone_from(&read.data);
                    blob.truncated = read.truncated;
                    blob.faulted = false;
                }
            }
        }
    }
}

/// A capture that faulted with nothing kept (a prefix-kept array is left as it is).
fn faulted_whole(b: &Blob) -> bool {
    b.faulted && b.data.is_empty()
}

/// A live process's memory, readable only inside its private, read-only, file-backed
/// mappings (as /proc/PID/maps lists them when read).
struct Frozen {
    pid: u32,
    /// `[start, end)` of each such mapping, in address order.
    ranges: Vec<(u64, u64)>,
}

impl Frozen {
    /// Process `pid`'s, or None when it is gone.
    fn of(pid: u32) -> Option<Self> {
        let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).ok()?;
        Some(Self {
            pid,
            ranges: frozen_ranges(&maps),
        })
    }

    /// How many bytes from `addr` (at most `len`) lie in frozen mappings, contiguously.
    fn readable(&self, addr: u64, len: usize) -> usize {
        let mut at = addr;
        let end = addr.saturating_add(len as u64);
        for &(start, stop) in &self.ranges {
            if stop <= at {
                continue;
            }
            if start > at || at >= end {
                break;
            }
            at = stop.min(end);
        }
        (at - addr) as usize
    }
}

impl Memory for Frozen {
    fn read(&self, addr: u64, buf: &mut [u8]) -> usize {
        let n = self.readable(addr, buf.len());
        fetch::read_process(self.pid, addr, &mut buf[..n])
    }

    // A faulted capture is a memory read: nothing here asks for fds or sockets, and what
    // would is never a faulted blob.
    fn fd_inode(&self, _fd: i32) -> u64 {
        0
    }

    fn sock_info(&self, _fd: i32) -> SockInfo {
        SockInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_private_read_only_file_mappings_are_frozen() {
        let maps = "\
55d0a0000000-55d0a0001000 r--p 00000000 08:01 1234 /usr/bin/prog
55d0a0001000-55d0a0002000 r-xp 00001000 08:01 1234 /usr/bin/prog
55d0a0002000-55d0a0003000 rw-p 00002000 08:01 1234 /usr/bin/prog
7f0000000000-7f0000001000 r--p 00000000 00:00 0
7f0000001000-7f0000002000 r--s 00000000 08:01 99 /dev/shm/x
";
        assert_eq!(
            frozen_ranges(maps),
            [
                (0x55d0a0000000, 0x55d0a0001000),
                (0x55d0a0001000, 0x55d0a0002000)
            ]
        );
    }

    #[test]
    fn a_read_stops_where_the_frozen_mappings_do() {
        let mem = Frozen {
            pid: 0,
            ranges: vec![(0x1000, 0x2000), (0x2000, 0x3000), (0x5000, 0x6000)],
        };
        assert_eq!(mem.readable(0x1ff0, 0x20), 0x20);
        assert_eq!(mem.readable(0x2ff0, 0x20), 0x10);
        assert_eq!(mem.readable(0x4000, 0x20), 0);
        assert_eq!(mem.readable(0x5000, 0x2000), 0x1000);
    }
}
