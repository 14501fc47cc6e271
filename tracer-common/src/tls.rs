//! `--tls`: the records the uprobes on OpenSSL's `SSL_read`/`SSL_write` family write.

use crate::RecordHeader;

/// One `SSL_read`, `SSL_write`, `SSL_read_ex` or `SSL_write_ex` call of a traced process
/// (`TlsRecord`, then `len` bytes of plaintext).
pub const KIND_TLS: u16 = 7;

/// `TlsRecord::func` values; also the attach cookies of the probes (one per function).
pub const TLS_SSL_READ: u32 = 0;
pub const TLS_SSL_WRITE: u32 = 1;
pub const TLS_SSL_READ_EX: u32 = 2;
pub const TLS_SSL_WRITE_EX: u32 = 3;

/// The probed functions, in cookie order.
pub const TLS_FUNCTIONS: [&str; 4] = ["SSL_read", "SSL_write", "SSL_read_ex", "SSL_write_ex"];

/// Whether `func` reads (receives plaintext) rather than writes.
#[inline(always)]
pub const fn tls_is_read(func: u32) -> bool {
    func == TLS_SSL_READ || func == TLS_SSL_READ_EX
}

/// Whether `func` is an `_ex` call (returns 1/0; the byte count is behind its fourth argument).
#[inline(always)]
pub const fn tls_is_ex(func: u32) -> bool {
    func == TLS_SSL_READ_EX || func == TLS_SSL_WRITE_EX
}

/// `TlsRecord::flags`: the plaintext was cut at the capture limit (`-s`).
pub const TLS_TRUNCATED: u32 = 1 << 0;
/// `TlsRecord::flags`: reading the plaintext (or the `_ex` byte count) faulted.
pub const TLS_FAULTED: u32 = 1 << 1;
/// `TlsRecord::flags`: `fd` is the descriptor of a read/write syscall the thread made inside
/// the call (otherwise userspace uses what the same SSL object used before).
pub const TLS_FD_SEEN: u32 = 1 << 2;

/// Most plaintext bytes one record carries, whatever `-s` says.
pub const TLS_DATA_MAX: usize = 8192;

/// Body of `KIND_TLS` records.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TlsRecord {
    pub hdr: RecordHeader,
    /// CLOCK_MONOTONIC nanoseconds at the call and at its return.
    pub ts_enter: u64,
    pub ts_exit: u64,
    pub tgid: u32,
    pub tid: u32,
    /// One of the `TLS_SSL_*` values.
    pub func: u32,
    /// The socket fd (with `TLS_FD_SEEN`), else -1.
    pub fd: i32,
    /// The call's arguments: the `SSL *`, the buffer and its size.
    pub ssl: u64,
    pub buf: u64,
    pub num: u64,
    /// The return value.
    pub ret: i64,
    /// Bytes the call transferred (for the `_ex` calls, what the fourth argument got).
    pub done: u64,
    /// Bytes of plaintext following the record.
    pub len: u32,
    /// `TLS_*` bits.
    pub flags: u32,
}

const _: () = {
    assert!(size_of::<TlsRecord>() == 96);
    assert!(core::mem::offset_of!(TlsRecord, ssl) == 48);
    assert!(core::mem::offset_of!(TlsRecord, len) == 88);
    assert!(size_of::<TlsRecord>().is_multiple_of(crate::BLOB_ALIGN));
    assert!(TLS_DATA_MAX + size_of::<TlsRecord>() <= crate::MAX_RECORD);
};
