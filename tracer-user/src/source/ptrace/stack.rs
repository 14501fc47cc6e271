//! `-k` with ptrace: the registers and the top of the stack of a task stopped at a call's
//! entry, as the kernel program copies them (the same size, so both backends unwind alike).

use tracer_common::{SPEC_NO_REBUILD, SPEC_NO_RETURN, STACK_COPY, SyscallSpec};

use super::{fetch::Memory, sys::Os};
use crate::event::Stack;

const PAGE: u64 = 4096;

/// Whether a call's stack is taken at its entry stop rather than its exit stop: as the
/// kernel program decides (see tracer-ebpf's `stack::wanted`), for calls that do not return or
/// replace the image.
pub fn at_enter(spec: &SyscallSpec) -> bool {
    spec.flags & (SPEC_NO_RETURN | SPEC_NO_REBUILD) != 0
}

/// The stack of stopped task `tid` of process `tgid`; None if its registers cannot be read.
pub fn sample(os: &dyn Os, mem: &dyn Memory, tgid: u32, tid: u32) -> Option<Stack> {
    let [ip, sp, bp] = os.user_regs(tid)?;
    Some(Stack {
        tgid,
        tid,
        ip,
        sp,
        bp,
        ts: crate::event::monotonic_now(),
        data: copy(mem, sp),
    })
}

/// Up to `STACK_COPY` bytes from `sp`, read a page at a time up to the first that faults
/// (the end of the stack mapping).
fn copy(mem: &dyn Memory, sp: u64) -> Vec<u8> {
    let mut data = vec![0u8; STACK_COPY];
    let mut done = 0;
    while done < STACK_COPY {
        let at = sp.wrapping_add(done as u64);
        let want = ((PAGE - (at & (PAGE - 1))) as usize).min(STACK_COPY - done);
        let got = mem.read(at, &mut data[done..done + want]);
        done += got;
        if got < want {
            break;
        }
    }
    data.truncate(done);
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Memory that ends (faults) at `end`, holding each address's low byte.
    struct Ending {
        end: u64,
    }

    impl Memory for Ending {
        fn read(&self, addr: u64, buf: &mut [u8]) -> usize {
            let n = self.end.saturating_sub(addr).min(buf.len() as u64) as usize;
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = (addr + i as u64) as u8;
            }
            n
        }
        fn fd_inode(&self, _fd: i32) -> u64 {
            0
        }
        fn sock_info(&self, _fd: i32) -> tracer_common::SockInfo {
            tracer_common::SockInfo::default()
        }
    }

    #[test]
    fn the_copy_stops_where_the_stack_ends() {
        let sp = 0x7ffd_0000_0f00;
        let data = copy(&Ending { end: sp + 0x1100 }, sp);
        assert_eq!(data.len(), 0x1100);
        assert_eq!(data[0x10ff], (sp + 0x10ff) as u8);
        assert_eq!(copy(&Ending { end: u64::MAX }, sp).len(), STACK_COPY);
        assert!(copy(&Ending { end: 0 }, sp).is_empty());
    }
}
