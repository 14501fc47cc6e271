//! The record being built, kept in the per-CPU scratch map between the programs that build it
//! (sys_enter / sys_exit, then the capture programs they tail-call).
//!
//! Keeping the state in map memory rather than on the stack is deliberate: values the verifier
//! reads back from a map are unknown to it, so the states it reaches along different paths look
//! alike and get pruned, instead of multiplying with every branch.

use tracer_common::{MAX_RECORD, SCRATCH_SIZE, SockProto};

use crate::maps::SCRATCH;

/// One syscall as the programs saw it.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Call {
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub tgid: u32,
    pub tid: u32,
    pub ret: i64,
    pub args: [u64; 6],
    /// What a `CAP_U32_INOUT` argument pointed to at enter.
    pub saved: u64,
    pub nr: u32,
    pub flags: u16,
    /// What the fd in argument 0 is, once a capture has looked (`SOCK_KNOWN`,
    /// `SOCK_NETLINK`): read at most once per record, and carried from a call's enter record
    /// to its exit (in `Inflight::flags`, above bit 16).
    pub sock: u16,
    /// Time the thread spent off CPU during the call.
    pub off_cpu: u64,
    /// The user instruction pointer at sys_enter (`-i`, else 0).
    pub ip: u64,
}

/// Everything the capture programs need, in the scratch map after the record area.
#[repr(C)]
pub struct State {
    pub call: Call,
    /// Record size so far (header included).
    pub off: u64,
    /// Loop state of the iovec capture (bytes the kernel wrote not yet attributed).
    pub left: u64,
    pub nblobs: u16,
    /// `BLOB_AT_ENTER` for blobs captured at sys_enter, else 0.
    pub tag: u16,
    /// The record's `KIND_*`.
    pub kind: u16,
    /// The `PHASE_*` being captured (0: none).
    pub phase: u8,
    /// The next argument to look at (the capture programs resume there).
    pub next_arg: u8,
    /// The next entry of a sendmmsg/recvmmsg vector to capture (`capture_mmsghdr` takes one
    /// per run, re-entering itself).
    pub entry: u8,
    /// 1 once `proto` holds the fd in argument 0 as this record's capture read it.
    pub proto_read: u8,
    /// The socket behind argument 0 (`fds::record_proto`), for every capture of the record
    /// that asks.
    pub proto: SockProto,
}

/// `Call::sock`: the fd in argument 0 has been looked at ...
pub const SOCK_KNOWN: u16 = 1;
/// ... and it is a netlink socket (whose messages are captured whole).
pub const SOCK_NETLINK: u16 = 2;
/// Where `Call::sock` sits in `Inflight::flags`.
pub const SOCK_INFLIGHT_SHIFT: u32 = 16;

/// Where the state sits in the scratch value: its last 256 bytes, past the temporary area.
const STATE_AT: usize = SCRATCH_SIZE - 256;

const _: () = assert!(size_of::<State>() <= 256 && MAX_RECORD + 512 <= STATE_AT);

/// The scratch value of this CPU: the record under construction and its state.
///
/// The struct holds only the base pointer on purpose: LLVM may pass a small struct's fields as
/// separate arguments, and a BPF call takes at most five.
pub struct Cursor {
    pub base: *mut u8,
}

impl Cursor {
    /// This CPU's scratch value.
    #[inline(always)]
    pub fn get() -> Option<Self> {
        SCRATCH.get_ptr_mut(0).map(|p| Self { base: p.cast() })
    }

    /// The state. Programs do not nest on a CPU, so only one reference is alive at a time.
    #[inline(always)]
    #[allow(
        clippy::mut_from_ref,
        reason = "per-CPU scratch: programs do not nest on a CPU, so one reference at a time"
    )]
    pub fn state(&self) -> &mut State {
        // SAFETY: STATE_AT + size_of::<State>() <= SCRATCH_SIZE: inside this CPU's value.
        unsafe { &mut *self.base.add(STATE_AT).cast::<State>() }
    }

    /// Record size so far; a multiple of 8, at most 2 * MAX_RECORD (callers check the room).
    #[inline(always)]
    pub fn off(&self) -> usize {
        (self.state().off as usize) & (2 * MAX_RECORD - 1) & !7
    }

    #[inline(always)]
    pub fn tag(&self) -> u16 {
        self.state().tag
    }

    #[inline(always)]
    pub fn phase(&self) -> u8 {
        self.state().phase
    }

    /// The record now ends at `next` (blobs counted separately).
    #[inline(always)]
    pub fn set_off(&self, next: usize) {
        self.state().off = next as u64;
    }

    /// `n` more blobs.
    #[inline(always)]
    pub fn add_blobs(&self, n: usize) {
        let st = self.state();
        st.nblobs = st.nblobs.wrapping_add(n as u16);
    }

    /// One more blob, ending at `next`.
    #[inline(always)]
    pub fn advance(&self, next: usize) {
        self.set_off(next);
        self.add_blobs(1);
    }
}
