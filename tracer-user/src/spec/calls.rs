//! The captures of the calls that need their own: a socket's kind and endpoints, bpf's attr
//! and the strings it points to, ioctl's argument by request, perf_event_open's attr,
//! seccomp's filter program.

use tracer_common::{
    ArgCapture, CAP_BUF_ARG, CAP_BUF_RET, CAP_FIXED, CAP_MMSGHDR, CAP_MSGHDR, CAP_NONE,
    CAP_PTR_FIELD, CAP_SIZED, CAP_SOCK, CAP_SOCK_PROTO, CAPF_FIELD_BYTES, CAPF_FIELD_COUNTED,
    CAPF_IF_ARG, CAPF_IF_PEER_PENDING, CAPF_NETLINK_WHOLE, CAPF_ON_SUCCESS, MAX_ARGS, PATH_CAP,
    PHASE_ENTER, PHASE_EXIT, SyscallSpec,
};

use super::{CaptureOptions, NEW_SOCKET_STATE_SLOT, cap};
use crate::tables::{
    SyscallDef,
    args::{ArgKind, StructKind},
    row::FdEffect,
};

/// A call sending or receiving through a socket (`SyscallDef::socket_data`): the socket's
/// kind is read when its input is (`phase`: as the call ends, or at its start when that is
/// shown; `CAP_SOCK_PROTO`, into a free slot: past the arguments of
/// sendmsg and recvmsg, else one whose argument is a plain value, which no decoder reads a
/// blob for), and a netlink socket's messages are captured whole.
pub(super) fn socket_kind(spec: &mut SyscallSpec, phase: u8) {
    for a in spec.args.iter_mut() {
        if matches!(a.kind, CAP_BUF_ARG | CAP_BUF_RET | CAP_MSGHDR | CAP_MMSGHDR) {
            a.flags |= CAPF_NETLINK_WHOLE;
        }
    }
    let free = (3..MAX_ARGS)
        .rev()
        .chain([0, 2])
        .find(|&i| spec.args[i].kind == CAP_NONE);
    if let Some(slot) = free {
        spec.args[slot] = cap(CAP_SOCK_PROTO, phase, size_of::<tracer_common::SockProto>());
    }
}

/// Most bytes of bpf's attr captured (`union bpf_attr` is 144 bytes in the 6.1 headers).
const BPF_ATTR_CAP: usize = 256;

/// bpf(2) (`decode::bpf`): `size` bytes of its attr (at most `BPF_ATTR_CAP`) when the call
/// starts, as strace reads it, and as it ends (the kernel writes `next_id`, `info_len`,
/// `prog_cnt` back); what its pointer fields point to, into the slots of its plain values and
/// past its arguments: the BTF bytes and the path or tracepoint name (word 0), the license
/// (word 2), read with the other input (`phase`: the kernel has touched their pages by the
/// end), and the log buffer (word 4), which the kernel writes, when the call starts.
pub(super) fn bpf_captures(spec: &mut SyscallSpec, phase: u8, opts: &CaptureOptions) {
    use crate::decode::bpf::{BTF_SLOT, LICENSE_SLOT, LOG_SLOT, WORD0_SLOT};
    spec.args[1] = ArgCapture {
        size_arg: 2,
        ..cap(CAP_BUF_ARG, PHASE_ENTER | PHASE_EXIT, BPF_ATTR_CAP)
    };
    let path_max = usize::from(PATH_CAP);
    let str_max = (opts.strsize + 2).min(path_max);
    let field = |word: u8, phase: u8, max: usize, flags: u16| ArgCapture {
        size_arg: 1,
        scale: word,
        flags,
        ..cap(CAP_PTR_FIELD, phase, max)
    };
    let btf_max = opts.strsize.min(path_max);
    spec.args[BTF_SLOT] = field(0, phase, btf_max, CAPF_FIELD_BYTES);
    spec.args[WORD0_SLOT] = field(0, phase, path_max, 0);
    spec.args[LICENSE_SLOT] = field(2, phase, str_max, 0);
    spec.args[LOG_SLOT] = field(4, PHASE_ENTER, str_max, 0);
}

/// Most bytes of an ioctl's argument captured: gpio's `struct gpiohandle_request`, the
/// largest struct decoded (`tracer_common::ioctl_arg_size`; kvm's `struct kvm_sregs` and
/// `struct dm_ioctl` take 312).
pub const IOCTL_ARG_MAX: usize = 364;

/// ioctl(2)'s argument (its row's `CustomIn`, `common`): as many bytes as the request's
/// struct takes (`CAPF_IOCTL_SIZE`), so only the requests with a larger struct make larger
/// records.
pub(super) fn ioctl_capture(common: ArgCapture) -> ArgCapture {
    ArgCapture {
        size_arg: 1,
        flags: common.flags | tracer_common::CAPF_IOCTL_SIZE,
        max: IOCTL_ARG_MAX as u16,
        ..common
    }
}

/// perf_event_open(2)'s attr (`decode::perf`): the bytes its size field states (64 for 0), as
/// strace 6.1 reads them when the call starts (at most its struct's 128, or the 48 up to the
/// bit fields when abbreviated), and again as it ends, for the size the kernel writes back
/// when it refuses a bigger attr.
pub(super) fn perf_capture(unabbreviated: bool) -> ArgCapture {
    use crate::decode::perf::{ABBREV_LEN, ATTR_MAX, SIZE_FIELD, SIZE_VER0};
    let max = if unabbreviated { ATTR_MAX } else { ABBREV_LEN };
    ArgCapture {
        size_arg: SIZE_FIELD,
        scale: (SIZE_VER0 / 8) as u8,
        ..cap(CAP_SIZED, PHASE_ENTER | PHASE_EXIT, max)
    }
}

/// Most bytes of a seccomp filter program captured: `BPF_MAXINSNS` instructions (the eBPF
/// backend keeps what one record holds).
const FILTER_CAP: usize = 4096 * 8;

/// seccomp(2) and prctl(PR_SET_SECCOMP) (`decode::seccomp`): the third argument's first
/// bytes as the call ends (a `struct sock_fprog`, the action asked about, the sizes written),
/// and unabbreviated (`-v`) the program's instructions, as many as its `len` counts.
pub(super) fn seccomp_captures(spec: &mut SyscallSpec, unabbreviated: bool) {
    use crate::decode::seccomp::{FILTER_SLOT, FPROG_SIZE};
    spec.args[2] = cap(CAP_FIXED, PHASE_EXIT, FPROG_SIZE);
    if unabbreviated {
        spec.args[FILTER_SLOT] = ArgCapture {
            size_arg: 2,
            scale: 1,
            flags: CAPF_FIELD_BYTES | CAPF_FIELD_COUNTED,
            ..cap(CAP_PTR_FIELD, PHASE_EXIT, FILTER_CAP)
        };
    }
}

/// The argument slot clone and clone3 read the pidfd `CLONE_PIDFD` stored into (clone's
/// `parent_tid`; past clone3's two arguments).
pub const CLONE_PIDFD_SLOT: usize = 2;

/// clone(2) and clone3(2) with `CLONE_PIDFD` (`decode::process`): the int the kernel stored
/// the new pidfd in, as the call ends. clone's third argument points to it; clone3's
/// `clone_args.pidfd` (its second word) does. strace prints it named (`parent_tid=[3<...>]`,
/// `=> {pidfd=[3<...>]}`), and the table learns the fd from it.
pub(super) fn clone_pidfd_capture(clone3: bool) -> ArgCapture {
    match clone3 {
        false => ArgCapture {
            flags: CAPF_ON_SUCCESS,
            ..cap(CAP_FIXED, PHASE_EXIT, 4)
        },
        true => ArgCapture {
            size_arg: 0,
            scale: 1,
            flags: CAPF_ON_SUCCESS | CAPF_FIELD_BYTES,
            ..cap(CAP_PTR_FIELD, PHASE_EXIT, 4)
        },
    }
}

/// Most bytes of io_uring_register's argument captured: `IORING_REGISTER_PROBE`'s 256 ops.
const URING_ARG_CAP: usize = 16 + 8 * 256;
/// Most bytes of an array an io_uring_register struct points to: more entries than `-s`'s
/// default shows (64 iovecs, 256 fds, 128 tags).
const URING_ARRAY_CAP: usize = 1024;

/// io_uring_register(2) (`decode::io_uring_register`): its argument, as many bytes as the
/// opcode and `nr_args` say, when the call starts (strace prints it then) and as it ends
/// (the probe and the max-workers counts the kernel writes back); and the data and tags
/// arrays its files-update and rsrc structs point to, into the free slots.
pub(super) fn uring_captures(spec: &mut SyscallSpec, phase: u8) {
    use crate::decode::io_uring_register::{DATA_SLOT, TAGS_SLOT};
    spec.args[2] = ArgCapture {
        flags: tracer_common::CAPF_URING,
        ..cap(CAP_FIXED, PHASE_ENTER | PHASE_EXIT, URING_ARG_CAP)
    };
    for (slot, which) in [(DATA_SLOT, 0), (TAGS_SLOT, 1)] {
        spec.args[slot] = ArgCapture {
            size_arg: 2,
            scale: which,
            flags: CAPF_FIELD_BYTES | tracer_common::CAPF_URING,
            ..cap(CAP_PTR_FIELD, phase, URING_ARRAY_CAP)
        };
    }
}

/// Whether `def` returns a new socket (socket, accept).
pub(super) fn returns_socket(def: &SyscallDef) -> bool {
    matches!(def.fd, FdEffect::Socket | FdEffect::Accept)
}

/// `-yy`: where and how a socket's endpoints are read after the call (`CAP_SOCK`).
pub(super) struct SocketState {
    /// The argument slot read into.
    pub slot: usize,
    /// How it is read.
    pub capture: ArgCapture,
}

/// The `CAP_SOCK` capture of `def`, if it creates a socket or changes its endpoints.
pub(super) fn socket_state(def: &SyscallDef) -> Option<SocketState> {
    let sock = |scale: u8, flags: u16, size_arg: u8| ArgCapture {
        scale,
        flags,
        size_arg,
        ..cap(CAP_SOCK, PHASE_EXIT, size_of::<tracer_common::SockInfo>())
    };
    if returns_socket(def) {
        // From the fd returned; a socket() or accept() that failed has no socket to read.
        return Some(SocketState {
            slot: NEW_SOCKET_STATE_SLOT,
            capture: sock(0, CAPF_ON_SUCCESS, 0),
        });
    }
    // From the fd in argument 0; sendto only when given an address; any call on a unix
    // client whose peer was not accepted yet, to see when it is (`CAPF_IF_PEER_PENDING`).
    let addr = def.args.and_then(|args| {
        args.iter()
            .position(|k| matches!(k, ArgKind::In(StructKind::Sockaddr(_))))
    });
    let capture = if matches!(def.fd, FdEffect::Bind | FdEffect::Connect) {
        sock(1, 0, 0)
    } else if let (FdEffect::Send, Some(addr)) = (def.fd, addr) {
        // Only sendto names its address in an argument of its own.
        sock(1, CAPF_IF_ARG | CAPF_IF_PEER_PENDING, addr as u8)
    } else if def.arg(0) == Some(ArgKind::Fd) {
        sock(1, CAPF_IF_PEER_PENDING, 0)
    } else {
        return None;
    };
    Some(SocketState { slot: 0, capture })
}
