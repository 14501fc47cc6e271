//! `--tls`: uprobes on OpenSSL's `SSL_read`, `SSL_write`, `SSL_read_ex` and `SSL_write_ex`.
//!
//! Userspace attaches `ssl_enter` and `ssl_exit` to the four functions of the libssl each
//! traced process maps, with that process as the probe's only target and the function's
//! `TLS_SSL_*` number as the attach cookie. `ssl_enter` keeps the arguments per thread; a
//! read/write syscall the thread makes before the call returns names the socket (`note_fd`,
//! called from sys_enter); `ssl_exit` copies the plaintext the call moved (cut at `-s`) and
//! writes one `KIND_TLS` record.

use aya_ebpf::{
    EbpfContext, Global,
    helpers::{
        bpf_ktime_get_ns,
        generated::{bpf_get_attach_cookie, bpf_probe_read_user},
    },
    macros::{map, uprobe, uretprobe},
    maps::{LruHashMap, PerCpuArray},
    programs::{ProbeContext, RetProbeContext},
};
use tracer_common::{
    KIND_TLS, MAX_RECORD, TLS_DATA_MAX, TLS_FAULTED, TLS_FD_SEEN, TLS_TRUNCATED, TlsRecord,
    blob_padded, tls_is_ex,
};

use crate::{emit, filter};

/// A call between its entry and its return.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TlsCall {
    pub ts_enter: u64,
    pub ssl: u64,
    pub buf: u64,
    pub num: u64,
    /// The `_ex` calls' `size_t *` for the byte count.
    pub out: u64,
    pub func: u32,
    /// The fd of the first read/write syscall made inside the call, or -1.
    pub fd: i32,
}

/// Calls in progress, by thread. LRU: a thread that dies inside a call leaves no leak.
#[map]
pub static TLS_CALLS: LruHashMap<u32, TlsCall> = LruHashMap::with_max_entries(16384, 0);

/// Where a TLS record is assembled (the syscall programs' scratch may hold a record in the
/// making on this CPU).
#[map]
pub static TLS_SCRATCH: PerCpuArray<[u8; MAX_RECORD]> = PerCpuArray::with_max_entries(1, 0);

/// `--tls` is on: sys_enter looks for calls in progress. Set by userspace at load.
#[unsafe(no_mangle)]
pub static TLS_ON: Global<u8> = Global::new(0);

/// Plaintext bytes kept per call (`-s`, at most `TLS_DATA_MAX`). Set by userspace at load.
#[unsafe(no_mangle)]
pub static TLS_CAP: Global<u32> = Global::new(32);

#[uprobe]
pub fn ssl_enter(ctx: ProbeContext) -> u32 {
    let Some((tgid, tid)) = crate::ids::current() else {
        return 0;
    };
    if filter::traced(tgid).is_none() {
        return 0;
    }
    // SAFETY: the context pointer is the program's own.
    let func = unsafe { bpf_get_attach_cookie(ctx.as_ptr()) } as u32;
    let call = TlsCall {
        // SAFETY: no preconditions.
        ts_enter: unsafe { bpf_ktime_get_ns() },
        ssl: ctx.arg(0).unwrap_or(0),
        buf: ctx.arg(1).unwrap_or(0),
        num: ctx.arg(2).unwrap_or(0),
        out: ctx.arg(3).unwrap_or(0),
        func,
        fd: -1,
    };
    if TLS_CALLS.insert(&tid, &call, 0).is_err() {
        emit::count_loss();
    }
    0
}

/// sys_enter of a traced thread: a read/write syscall inside an SSL call names its socket.
#[inline(always)]
pub fn note_fd(tid: u32, nr: i64, regs: *const u64) {
    // x86_64's read, write, readv, writev, sendto, recvfrom, sendmsg, recvmsg: what a socket
    // BIO moves bytes with.
    if TLS_ON.load() == 0 || !matches!(nr, 0 | 1 | 19 | 20 | 44..=47) {
        return;
    }
    let Some(call) = TLS_CALLS.get_ptr_mut(&tid) else {
        return;
    };
    // SAFETY: the entry is this thread's; only this thread writes it.
    unsafe {
        if (*call).fd < 0
            && let Ok(args) = crate::regs::syscall_args(regs)
        {
            (*call).fd = args[0] as i32;
        }
    }
}

#[uretprobe]
pub fn ssl_exit(ctx: RetProbeContext) -> u32 {
    let Some((tgid, tid)) = crate::ids::current() else {
        return 0;
    };
    // SAFETY: copied out at once, then removed; only this thread touches its key.
    let Some(call) = (unsafe { TLS_CALLS.get(&tid) }).copied() else {
        return 0;
    };
    let _ = TLS_CALLS.remove(&tid);
    let ret = i64::from(ctx.ret::<i32>());
    let mut flags = 0;
    let done = if tls_is_ex(call.func) {
        if ret == 1 {
            read_u64(call.out, &mut flags)
        } else {
            0
        }
    } else {
        ret.max(0) as u64
    };
    write(&call, (tgid, tid), ret, done, flags);
    0
}

fn read_u64(ptr: u64, flags: &mut u32) -> u64 {
    let mut v = 0u64;
    // SAFETY: the helper checks the read; the destination is a local.
    let rc = unsafe { bpf_probe_read_user(core::ptr::from_mut(&mut v).cast(), 8, ptr as *const _) };
    if rc != 0 {
        *flags |= TLS_FAULTED;
    }
    v
}

/// Builds the record with up to `TLS_CAP` bytes of the plaintext and writes it.
#[inline(always)]
fn write(call: &TlsCall, (tgid, tid): (u32, u32), ret: i64, done: u64, mut flags: u32) {
    let Some(base) = TLS_SCRATCH.get_ptr_mut(0) else {
        return;
    };
    let base = base.cast::<u8>();
    let cap = u64::from(TLS_CAP.load()).min(TLS_DATA_MAX as u64);
    let mut len = done.min(cap) as usize;
    if done > cap {
        flags |= TLS_TRUNCATED;
    }
    len &= 2 * TLS_DATA_MAX - 1;
    if len > TLS_DATA_MAX {
        return;
    }
    let body = size_of::<TlsRecord>();
    if len > 0 {
        // SAFETY: body + len <= body + TLS_DATA_MAX <= MAX_RECORD, inside the scratch value.
        let rc =
            unsafe { bpf_probe_read_user(base.add(body).cast(), len as u32, call.buf as *const _) };
        if rc != 0 {
            flags |= TLS_FAULTED;
            len = 0;
        }
    }
    if call.fd >= 0 {
        flags |= TLS_FD_SEEN;
    }
    let size = body + blob_padded(len);
    let pending = emit::claim_losses();
    let record = TlsRecord {
        hdr: emit::header(KIND_TLS, 0, size, pending),
        ts_enter: call.ts_enter,
        // SAFETY: no preconditions.
        ts_exit: unsafe { bpf_ktime_get_ns() },
        tgid,
        tid,
        func: call.func,
        fd: call.fd,
        ssl: call.ssl,
        buf: call.buf,
        num: call.num,
        ret,
        done,
        len: len as u32,
        flags,
    };
    // SAFETY: the scratch value is larger than a TlsRecord.
    unsafe { base.cast::<TlsRecord>().write_unaligned(record) };
    emit::output(base, size, pending);
}
