//! The rules the kernel programs and the ptrace backend both follow, so that the two backends
//! capture and filter the same calls the same way: which argument is fetched in which phase,
//! which fd a capture describes, what a failed call is, and which outcomes `-z`/`-Z` keep.

use crate::{
    ArgCapture, CAP_EXEC_AREA, CAP_FD_INODE, CAP_NONE, CAP_PTR_FIELD, CAP_SOCK, CAP_SOCK_PROTO,
    CAPF_BY_RET, CAPF_FIELD_COUNTED, CAPF_IF_ARG, CAPF_IF_PEER_PENDING, CAPF_IOCTL_SIZE,
    CAPF_ON_SUCCESS, MAX_ARGS, PHASE_ENTER, SOCK_PEER_EMBRYO, SPEC_KEEP, STATUS_DROP_FAILED,
    STATUS_DROP_SUCCESSFUL,
};

/// Largest value a syscall returns as `-errno` (the kernel's `MAX_ERRNO`).
pub const MAX_ERRNO: u64 = 4095;

/// Whether a syscall's return value is `-errno`: in `[-MAX_ERRNO, -1]` (anything else is a
/// result, even a negative one such as an address).
#[inline(always)]
pub const fn is_error_return(ret: i64) -> bool {
    ret < 0 && ret >= -(MAX_ERRNO as i64)
}

/// Whether a call that returned `ret` is recorded under the status filter `drop`
/// (`STATUS_DROP_*` bits: `-z`, `-Z`, `-e status=`). Calls of a `SPEC_KEEP` row are always
/// recorded: userspace follows file descriptors through them.
#[inline(always)]
pub const fn outcome_wanted(drop: u8, spec_flags: u32, ret: i64) -> bool {
    if drop == 0 || spec_flags & SPEC_KEEP != 0 {
        return true;
    }
    let bit = if is_error_return(ret) {
        STATUS_DROP_FAILED
    } else {
        STATUS_DROP_SUCCESSFUL
    };
    drop & bit == 0
}

/// Page size of the user memory the captures read.
pub const CAPTURE_PAGE: u64 = 4096;

/// Of `len` bytes at `ptr` that could not be read whole, how many before the first page
/// boundary to read instead: all that was readable when the range ends in the next page (the
/// one that faulted). 0 when the range lies in one page (nothing of it was readable) or
/// spans more than two (the fault may be further on). The kernel programs read these
/// again; the ptrace backend keeps as many of what it read, so both give the same prefix.
#[inline(always)]
pub const fn readable_prefix(ptr: u64, len: usize) -> usize {
    let head = (CAPTURE_PAGE - ptr % CAPTURE_PAGE) as usize;
    if head < len && len - head <= CAPTURE_PAGE as usize {
        head
    } else {
        0
    }
}

/// Whether `cap` is skipped for a call in `phase` whose argument is `value`, whose argument
/// `size_arg` is `cond` and whose return value is `ret`: the one rule the kernel programs and
/// the ptrace backend both follow.
#[inline(always)]
pub fn capture_skipped(cap: &ArgCapture, phase: u8, value: u64, cond: u64, ret: i64) -> bool {
    // An fd returned by the call and an exec's new image need no argument; a socket's fd may
    // be 0; a pointer field is found through another argument.
    let needs_no_value = (cap.kind == CAP_FD_INODE && cap.scale == 0)
        || cap.kind == CAP_PTR_FIELD
        || cap.kind == CAP_SOCK
        || cap.kind == CAP_SOCK_PROTO
        || cap.kind == CAP_EXEC_AREA;
    cap.kind == CAP_NONE
        || cap.phase & phase == 0
        || (value == 0 && !needs_no_value)
        || (cap.flags & CAPF_ON_SUCCESS != 0 && phase != PHASE_ENTER && ret < 0)
        || (cap.flags & CAPF_IF_ARG != 0 && cap.flags & CAPF_IF_PEER_PENDING == 0 && cond == 0)
}

/// Whether a `CAP_SOCK` capture that `capture_skipped` let through reads its socket: always,
/// unless it is `CAPF_IF_PEER_PENDING`; then when argument `size_arg` names an address
/// (`CAPF_IF_ARG`, `cond` not 0) or `pending()` says the fd awaits its peer's accept.
#[inline(always)]
pub fn sock_capture_wanted(cap: &ArgCapture, cond: u64, pending: impl FnOnce() -> bool) -> bool {
    if cap.flags & CAPF_IF_PEER_PENDING == 0 || (cap.flags & CAPF_IF_ARG != 0 && cond != 0) {
        return true;
    }
    pending()
}

/// Whether a socket read as a `SockInfo` with `flags`, `family` (`AF_*`) and local port `lport`
/// may change its endpoints at its next call, so that call reads it again: a unix client whose
/// peer is not accepted yet (`SOCK_PEER_EMBRYO`), or an inet socket not bound yet (the kernel
/// binds it to a port of its choice at the first send, even one that fails with
/// `EDESTADDRREQ`: `inet_send_prepare` autobinds before the protocol looks at the address;
/// strace's `-yy` then shows that port).
#[inline(always)]
pub const fn sock_rereads(flags: u16, family: u16, lport: u16) -> bool {
    const AF_INET: u16 = 2;
    const AF_INET6: u16 = 10;
    flags & SOCK_PEER_EMBRYO != 0 || ((family == AF_INET || family == AF_INET6) && lport == 0)
}

/// After a `CAP_SOCK` read of an fd under `cap`, where `rereads` is `sock_rereads` of what
/// was read: `Some(true)` when the fd is to be read again at its next call (its peer not
/// accepted yet, or not bound yet), `Some(false)` when a pending fd no longer is (accepted,
/// bound, closed, another file), `None` when nothing changes.
#[inline(always)]
pub const fn peer_pending_after(cap: &ArgCapture, rereads: bool) -> Option<bool> {
    if rereads {
        Some(true)
    } else if cap.flags & CAPF_IF_PEER_PENDING != 0 {
        Some(false)
    } else {
        None
    }
}

/// Whether argument `i` of a call with `args` that returned `ret` is captured in `phase`
/// under `cap` (`capture_skipped` with the argument values looked up).
#[inline(always)]
pub fn capture_wanted(
    cap: &ArgCapture,
    phase: u8,
    args: &[u64; MAX_ARGS],
    i: usize,
    ret: i64,
) -> bool {
    let Some(&value) = args.get(i) else {
        return false;
    };
    let cond = args.get(usize::from(cap.size_arg)).copied().unwrap_or(0);
    !capture_skipped(cap, phase, value, cond, ret)
}

/// Bytes of an ioctl argument captured for every request: the largest struct of the common
/// requests (termios2, 44 bytes).
pub const IOCTL_ARG_COMMON: usize = 44;

/// Requests numbered without `_IOC` whose argument is a struct larger than
/// `IOCTL_ARG_COMMON`, and its size (x86_64): `LOOP_SET_STATUS`/`LOOP_GET_STATUS`
/// (`struct loop_info`), `LOOP_SET_STATUS64`/`LOOP_GET_STATUS64` (`struct loop_info64`),
/// `LOOP_CONFIGURE` (`struct loop_config`); kd's screen maps (`GIO_SCRNMAP`/`PIO_SCRNMAP`,
/// E_TABSZ bytes) and colour maps (`GIO_CMAP`/`PIO_CMAP`, 48 bytes); and `FIDEDUPERANGE`,
/// whose `_IOC` size leaves out the destinations that follow its struct (strace
/// shows two of them, then `...` when there is a third; 32 bytes each); and
/// `PERF_EVENT_IOC_MODIFY_ATTRIBUTES`, numbered with a pointer's size, whose argument is a
/// `struct perf_event_attr` (128 bytes).
const IOCTL_LARGE_ARGS: [(u32, usize); 11] = [
    (0x4c02, 168),
    (0x4c03, 168),
    (0x4c04, 232),
    (0x4c05, 232),
    (0x4c0a, 304),
    (0x4b40, 256),
    (0x4b41, 256),
    (0x4b70, 48),
    (0x4b71, 48),
    (0xc018_9436, 24 + 3 * 32),
    (0x4008_240b, 128),
];

/// Bytes of the argument of ioctl request `req`: the size its `_IOC` number states, or
/// `IOCTL_LARGE_ARGS`' for a plain number, at least `IOCTL_ARG_COMMON`.
#[inline(always)]
pub const fn ioctl_arg_size(req: u32) -> usize {
    let mut size = ((req >> 16) & 0x3fff) as usize;
    let mut i = 0;
    while i < IOCTL_LARGE_ARGS.len() {
        if IOCTL_LARGE_ARGS[i].0 == req {
            size = IOCTL_LARGE_ARGS[i].1;
        }
        i += 1;
    }
    if size < IOCTL_ARG_COMMON {
        IOCTL_ARG_COMMON
    } else {
        size
    }
}

impl ArgCapture {
    /// For `CAP_FIXED`: the bytes to read, `max`, or with `CAPF_IOCTL_SIZE` the size of
    /// the argument of the ioctl request in argument `size_arg`, with `CAPF_URING` the size
    /// of io_uring_register's argument (before `max` caps it).
    #[inline(always)]
    pub fn fixed_size(&self, args: &[u64; MAX_ARGS]) -> usize {
        if self.is_uring() {
            return crate::uring_arg_size(args[1] as u32, args[3] as u32);
        }
        if self.flags & CAPF_IOCTL_SIZE == 0 {
            return self.max as usize;
        }
        let req = match args.get(self.size_arg as usize) {
            Some(&v) => v as u32,
            None => 0,
        };
        ioctl_arg_size(req)
    }

    /// For `CAP_PTR_FIELD`: the address of the pointer field (argument `size_arg`'s value
    /// plus `scale` words).
    #[inline(always)]
    pub fn field_at(&self, args: &[u64; MAX_ARGS]) -> u64 {
        let base = match args.get(usize::from(self.size_arg)) {
            Some(&v) => v,
            None => 0,
        };
        base.wrapping_add(u64::from(self.scale) * 8)
    }

    /// For `CAP_SIZED`: the bytes to read of a struct whose size field (the u32 at byte
    /// `size_arg`) holds `stated`, or `None` when it could not be read: then `max`, so that the
    /// read faults as the size's did.
    #[inline(always)]
    pub const fn stated_size(&self, stated: Option<u32>) -> usize {
        match stated {
            Some(0) => self.scale as usize * 8,
            Some(n) => n as usize,
            None => self.max as usize,
        }
    }

    /// For `CAP_PTR_FIELD` bytes: `max`, or with `CAPF_FIELD_COUNTED` the entries the u32 at
    /// the struct's start counts in its low 16 bits (`head`; none when it could not be read).
    #[inline(always)]
    pub const fn counted_bytes(&self, head: Option<u32>) -> usize {
        if self.flags & CAPF_FIELD_COUNTED == 0 {
            return self.max as usize;
        }
        match head {
            Some(n) => (n & 0xffff) as usize * 8,
            None => 0,
        }
    }

    /// Bytes per counted element (`scale`, where 0 means 1).
    #[inline(always)]
    pub const fn unit(&self) -> usize {
        if self.scale == 0 {
            1
        } else {
            self.scale as usize
        }
    }

    /// For `CAP_IOVEC` and `CAP_MSGHDR` data the kernel wrote (`CAPF_BY_RET`): how many bytes
    /// are valid, the return value (none when the call failed); else `unlimited`.
    #[inline(always)]
    pub const fn by_ret_limit(&self, ret: i64, unlimited: usize) -> usize {
        if self.flags & CAPF_BY_RET == 0 {
            unlimited
        } else if ret < 0 {
            0
        } else {
            ret as usize
        }
    }

    /// The fd a `CAP_SOCK` capture describes: the return value's when `scale` is 0, else
    /// argument 0's.
    #[inline(always)]
    pub const fn sock_fd(&self, args: &[u64; MAX_ARGS], ret: i64) -> i32 {
        if self.scale == 0 {
            ret as i32
        } else {
            args[0] as i32
        }
    }
}

/// The two fds of a `CAP_FD_INODE` capture with `scale` 2 (pipe's and socketpair's `int[2]`),
/// from the 8 bytes the argument points to.
#[inline(always)]
pub const fn fd_pair(ints: u64) -> (i32, i32) {
    (ints as u32 as i32, (ints >> 32) as u32 as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SOCK_IS_SOCKET;

    #[test]
    fn a_pending_unix_client_is_read_at_each_call_until_accepted() {
        let sock = |flags| ArgCapture {
            kind: CAP_SOCK,
            scale: 1,
            flags,
            size_arg: 4,
            phase: crate::PHASE_EXIT,
            ..ArgCapture::default()
        };
        // connect's own capture: always; it starts the pending state on an embryo peer.
        assert!(sock_capture_wanted(&sock(0), 0, || false));
        let embryo = sock_rereads(SOCK_PEER_EMBRYO, 1, 0);
        assert_eq!(peer_pending_after(&sock(0), embryo), Some(true));
        assert_eq!(peer_pending_after(&sock(0), false), None);
        // Any other call on the fd: only while pending; a read without an embryo ends it.
        let pending = sock(CAPF_IF_PEER_PENDING);
        assert!(!sock_capture_wanted(&pending, 7, || false));
        assert!(sock_capture_wanted(&pending, 0, || true));
        assert_eq!(peer_pending_after(&pending, false), Some(false));
        assert_eq!(peer_pending_after(&pending, embryo), Some(true));
        // sendto: when it names an address, or while pending.
        let sendto = sock(CAPF_IF_ARG | CAPF_IF_PEER_PENDING);
        assert!(sock_capture_wanted(&sendto, 0x1000, || false));
        assert!(!sock_capture_wanted(&sendto, 0, || false));
        assert!(!capture_skipped(&sendto, crate::PHASE_EXIT, 3, 0, 1));
    }

    #[test]
    fn an_unbound_inet_socket_is_read_again_until_bound() {
        // socket(AF_INET{,6}, ...): no port yet; a send binds it, even a failed one.
        assert!(sock_rereads(SOCK_IS_SOCKET, 2, 0));
        assert!(sock_rereads(SOCK_IS_SOCKET, 10, 0));
        assert!(!sock_rereads(SOCK_IS_SOCKET, 2, 49705));
        // A unix or netlink socket has no port: only an embryo peer makes it pending.
        assert!(!sock_rereads(SOCK_IS_SOCKET, 1, 0));
        assert!(!sock_rereads(SOCK_IS_SOCKET, 16, 0));
    }

    #[test]
    fn the_readable_prefix_ends_at_the_first_page_boundary() {
        // 24 bytes from 16 before a page's end: the 16 are what could be read.
        assert_eq!(readable_prefix(0x1ff0, 24), 16);
        // All in one page (nothing of it was readable), or past the next page (the fault
        // may be further on): none.
        assert_eq!(readable_prefix(0x1000, 24), 0);
        assert_eq!(readable_prefix(0x1ff0, 16), 0);
        assert_eq!(readable_prefix(0x1ff0, 16 + 4097), 0);
        assert_eq!(readable_prefix(0x1ff0, 16 + 4096), 16);
    }

    #[test]
    fn errors_are_the_last_4095_values() {
        assert!(is_error_return(-1) && is_error_return(-4095));
        assert!(!is_error_return(-4096) && !is_error_return(0) && !is_error_return(i64::MIN));
    }

    #[test]
    fn the_status_filter_keeps_fd_bookkeeping_calls() {
        assert!(outcome_wanted(0, 0, -2));
        assert!(!outcome_wanted(STATUS_DROP_FAILED, 0, -2));
        assert!(outcome_wanted(STATUS_DROP_FAILED, SPEC_KEEP, -2));
        assert!(outcome_wanted(STATUS_DROP_FAILED, 0, -4096));
        assert!(!outcome_wanted(STATUS_DROP_SUCCESSFUL, 0, 3));
    }
}
