//! perf_event_open(2) as strace 6.1's perf.c prints it: `struct perf_event_attr` field by
//! field (config by the event type, the bit fields, the fields a size reaches with `-v`), the
//! size the kernel writes back on E2BIG as `before => after`, then pid, cpu, group fd and
//! `PERF_FLAG_*`. The attr is read as the call starts (its stated size, `spec::perf_captures`)
//! and its size again as it ends.

use super::{
    Arg, Ctx, Syscall, enum_value,
    flags::{flags, named},
};
use crate::tables::{
    perf_gen::{
        HW_BREAKPOINT_TYPES, PERF_ATTR_SIZES, PERF_BRANCH_SAMPLE_TYPES, PERF_FLAGS,
        PERF_HW_CACHE_IDS, PERF_HW_CACHE_OPS, PERF_HW_CACHE_RESULTS, PERF_HW_IDS,
        PERF_READ_FORMATS, PERF_SAMPLE_FORMATS, PERF_SW_IDS, PERF_TYPES,
    },
    xlat::CLOCK_IDS,
};

/// `PERF_ATTR_SIZE_VER0`: the kernel and strace refuse smaller attrs; a size of 0 means it.
pub const SIZE_VER0: usize = 64;
/// strace 6.1's `sizeof(struct perf_event_attr)` (`PERF_ATTR_SIZE_VER7`): most bytes it reads.
pub const ATTR_MAX: usize = 128;
/// Bytes strace 6.1 reads of an abbreviated attr: up to and including the bit fields.
pub const ABBREV_LEN: usize = 48;
/// Byte offset of the attr's size field.
pub const SIZE_FIELD: u8 = 4;

/// The error with which the kernel refuses an attr bigger than its own, writing its size.
const E2BIG: i64 = 7;

const TYPE_HARDWARE: u32 = 0;
const TYPE_SOFTWARE: u32 = 1;
const TYPE_TRACEPOINT: u32 = 2;
const TYPE_HW_CACHE: u32 = 3;
const TYPE_BREAKPOINT: u32 = 5;
const SAMPLE_BRANCH_STACK: u64 = 1 << 11;
const SAMPLE_STACK_USER: u64 = 1 << 13;
/// HW_BREAKPOINT_X | HW_BREAKPOINT_RW: types up to it strace calls invalid, above unknown.
const BREAKPOINT_INVALID_MAX: u64 = 7;

/// The single-bit fields of the flag word, in order from bit 0 (precise_ip, two bits, is
/// bit 15 and handled apart).
const BITS: [&str; 37] = [
    "disabled",
    "inherit",
    "pinned",
    "exclusive",
    "exclude_user",
    "exclude_kernel",
    "exclude_hv",
    "exclude_idle",
    "mmap",
    "comm",
    "freq",
    "inherit_stat",
    "enable_on_exec",
    "task",
    "watermark",
    "precise_ip",
    "",
    "mmap_data",
    "sample_id_all",
    "exclude_host",
    "exclude_guest",
    "exclude_callchain_kernel",
    "exclude_callchain_user",
    "mmap2",
    "comm_exec",
    "use_clockid",
    "context_switch",
    "write_backward",
    "namespaces",
    "ksymbol",
    "bpf_event",
    "aux_output",
    "cgroup",
    "text_poke",
    "build_id",
    "inherit_thread",
    "remove_on_exec",
];
/// The last bit field strace 6.1 knows (sigtrap, bit 37); the bits above are `__reserved_1`.
const SIGTRAP_BIT: u32 = 37;
const PRECISE_IP: [&str; 4] = [
    "arbitrary skid",
    "constant skid",
    "requested to have 0 skid",
    "must have 0 skid",
];

/// perf_event_open(attr, pid, cpu, group_fd, flags).
pub fn perf_event_open(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let attr = ctx.arg(0);
    let decoded = (attr != 0 && ctx.verbose())
        .then(|| ctx.blob_at_enter(0).or_else(|| ctx.blob(0)))
        .flatten()
        .filter(|b| !b.faulted)
        .and_then(|b| Attr::new(ctx, &b.data))
        .map(|a| a.print());
    sc.args = vec![
        decoded.unwrap_or(Arg::Ptr(attr)),
        Arg::Int(ctx.int(1)),
        Arg::Int(ctx.int(2)),
        Arg::Fd(ctx.int(3) as i32),
        flags(PERF_FLAGS, ctx.arg(4)),
    ];
}

/// PERF_EVENT_IOC_MODIFY_ATTRIBUTES's attr, as perf_event_open's (None: its address).
pub fn ioctl_attr(ctx: &Ctx<'_>, data: &[u8]) -> Option<Arg> {
    Attr::new(ctx, data).map(Attr::print)
}

/// The attr as the call read it.
struct Attr<'a> {
    ctx: &'a Ctx<'a>,
    /// The bytes strace reads (its size, at most `ATTR_MAX`), zero-filled to `ATTR_MAX`.
    d: [u8; ATTR_MAX],
    /// How many of them: the stated size (64 for 0) cut to `ATTR_MAX`, or `ABBREV_LEN`.
    len: usize,
    /// The size field as the caller gave it.
    stated: u32,
    fields: Vec<(&'static str, Arg)>,
}

impl<'a> Attr<'a> {
    /// None when strace prints the address: a size below `PERF_ATTR_SIZE_VER0`, or fewer
    /// bytes captured than it reads.
    fn new(ctx: &'a Ctx<'a>, data: &[u8]) -> Option<Self> {
        let stated = u32::from_le_bytes(data.get(4..8)?.try_into().ok()?);
        let mut len = match stated as usize {
            0 => SIZE_VER0,
            n => n.min(ATTR_MAX),
        };
        if len < SIZE_VER0 {
            return None;
        }
        if ctx.abbrev() {
            len = ABBREV_LEN;
        }
        let mut d = [0u8; ATTR_MAX];
        d[..len].copy_from_slice(data.get(..len)?);
        Some(Self {
            ctx,
            d,
            len,
            stated,
            fields: Vec::new(),
        })
    }

    fn u16(&self, at: usize) -> u64 {
        u64::from(u16::from_le_bytes([self.d[at], self.d[at + 1]]))
    }

    fn u32(&self, at: usize) -> u64 {
        u64::from(u32::from_le_bytes(
            self.d[at..at + 4].try_into().unwrap_or([0; 4]),
        ))
    }

    fn u64(&self, at: usize) -> u64 {
        u64::from_le_bytes(self.d[at..at + 8].try_into().unwrap_or([0; 8]))
    }

    fn push(&mut self, name: &'static str, value: Arg) {
        self.fields.push((name, value));
    }

    /// The whole struct.
    fn print(mut self) -> Arg {
        let kind = self.u32(0) as u32;
        self.push("type", enum_value(PERF_TYPES, u64::from(kind)));
        let size = enum_value(PERF_ATTR_SIZES, u64::from(self.stated));
        let size = match self.size_after() {
            Some(after) => Arg::Changed(
                Box::new(size),
                Box::new(enum_value(PERF_ATTR_SIZES, u64::from(after))),
            ),
            None => size,
        };
        self.push("size", size);
        let config = self.config(kind);
        self.push("config", config);
        let bits = self.u64(40);
        let (name, value) = match bits & (1 << 10) {
            0 => ("sample_period", self.u64(16)),
            _ => ("sample_freq", self.u64(16)),
        };
        self.push(name, Arg::UInt(value));
        let sample_type = self.u64(24);
        self.push("sample_type", flags(PERF_SAMPLE_FORMATS, sample_type));
        self.push("read_format", flags(PERF_READ_FORMATS, self.u64(32)));
        self.bits(bits);
        let abbrev = self.ctx.abbrev();
        if !abbrev {
            self.verbose_tail(kind, bits, sample_type);
        }
        let more = abbrev
            || (self.stated != 0 && self.stated as usize > self.len)
            || (self.stated == 0 && self.len < SIZE_VER0);
        Arg::Struct {
            fields: self.fields,
            more,
        }
    }

    /// The size the kernel wrote back when it refused a bigger attr (E2BIG).
    fn size_after(&self) -> Option<u32> {
        if self.ctx.raw.ret != -E2BIG {
            return None;
        }
        let after = self.ctx.blob(0).filter(|b| !b.at_enter && !b.faulted)?;
        Some(u32::from_le_bytes(after.data.get(4..8)?.try_into().ok()?))
    }

    /// config as the type reads it.
    fn config(&self, kind: u32) -> Arg {
        let config = self.u64(8);
        match kind {
            TYPE_HARDWARE => enum_value(PERF_HW_IDS, config),
            TYPE_SOFTWARE => enum_value(PERF_SW_IDS, config),
            TYPE_TRACEPOINT => Arg::UInt(config),
            TYPE_HW_CACHE => cache_config(config),
            _ => Arg::Hex(config),
        }
    }

    /// The bit fields: without `-v` only those set (and precise_ip always), as strace 6.1.
    fn bits(&mut self, word: u64) {
        let all = !self.ctx.abbrev();
        for (bit, name) in BITS.iter().enumerate().chain([(37, &"sigtrap")]) {
            let value = match bit {
                15 => {
                    let ip = (word >> 15) & 3;
                    let shown =
                        Arg::Commented(Box::new(Arg::UInt(ip)), PRECISE_IP[ip as usize].into());
                    self.push("precise_ip", shown);
                    continue;
                }
                16 => continue,
                _ => (word >> bit) & 1,
            };
            if all || value != 0 {
                self.push(name, Arg::UInt(value));
            }
        }
        let reserved = word >> (SIGTRAP_BIT + 1);
        if reserved != 0 {
            let comment = format!("Bits 63..{}", SIGTRAP_BIT + 1);
            self.push(
                "__reserved_1",
                Arg::Commented(Box::new(Arg::Hex(reserved)), comment),
            );
        }
    }

    /// Whether the caller's attr reaches `offset` (strace stops at the first field it does
    /// not).
    fn has(&self, offset: usize) -> bool {
        offset < self.len
    }

    /// What `-v` adds after the bit fields, as far as the size reaches.
    fn verbose_tail(&mut self, kind: u32, bits: u64, sample_type: u64) {
        let wakeup = self.u32(48);
        match bits & (1 << 14) {
            0 => self.push("wakeup_events", Arg::UInt(wakeup)),
            _ => self.push("wakeup_watermark", Arg::UInt(wakeup)),
        }
        let breakpoint = kind == TYPE_BREAKPOINT;
        if breakpoint {
            let bp_type = self.u32(52);
            let value = named(HW_BREAKPOINT_TYPES, bp_type).unwrap_or_else(|| {
                let marker = match bp_type <= BREAKPOINT_INVALID_MAX {
                    true => "HW_BREAKPOINT_INVALID",
                    false => "HW_BREAKPOINT_???",
                };
                let marked = Arg::Commented(Box::new(Arg::Hex(bp_type)), marker.into());
                Arg::constant(Arg::Hex(bp_type), marked)
            });
            self.push("bp_type", value);
            self.push("bp_addr", Arg::Hex(self.u64(56)));
        } else {
            self.push("config1", Arg::Hex(self.u64(56)));
        }
        if !self.has(64) {
            return;
        }
        match breakpoint {
            true => self.push("bp_len", Arg::UInt(self.u64(64))),
            false => self.push("config2", Arg::Hex(self.u64(64))),
        }
        if !self.has(72) {
            return;
        }
        if sample_type & SAMPLE_BRANCH_STACK != 0 {
            let v = self.u64(72);
            self.push("branch_sample_type", flags(PERF_BRANCH_SAMPLE_TYPES, v));
        }
        if !self.has(80) {
            return;
        }
        self.push("sample_regs_user", Arg::Hex(self.u64(80)));
        if !self.has(88) {
            return;
        }
        if sample_type & SAMPLE_STACK_USER != 0 {
            self.push("sample_stack_user", Arg::Hex(self.u32(88)));
        }
        if bits & (1 << 25) != 0 {
            if !self.has(92) {
                return;
            }
            self.push("clockid", enum_value(CLOCK_IDS, self.u32(92)));
        }
        if !self.has(96) {
            return;
        }
        self.push("sample_regs_intr", Arg::Hex(self.u64(96)));
        if !self.has(104) {
            return;
        }
        self.push("aux_watermark", Arg::UInt(self.u32(104)));
        if !self.has(108) {
            return;
        }
        let max_stack = Arg::UInt(self.u16(108));
        let reserved = self.u16(110);
        let max_stack = match self.has(110) && reserved != 0 {
            true => Arg::Commented(
                Box::new(max_stack),
                format!("bytes 110..111: {reserved:#x}"),
            ),
            false => max_stack,
        };
        self.push("sample_max_stack", max_stack);
        if !self.has(112) {
            return;
        }
        self.push("aux_sample_size", Arg::UInt(self.u32(112)));
        if !self.has(120) {
            return;
        }
        self.push("sig_data", Arg::Hex(self.u64(120)));
    }
}

/// A PERF_TYPE_HW_CACHE config: `result<<16|op<<8|cache`, the bits above as numbers.
fn cache_config(config: u64) -> Arg {
    let mut parts = Vec::new();
    let shifted = |value: Arg, by: &str| Arg::Shift(Box::new(value), Box::new(Arg::Raw(by.into())));
    if config >> 32 != 0 {
        parts.push(shifted(Arg::Hex(config >> 32), "32"));
    }
    if (config >> 24) & 0xff != 0 {
        parts.push(shifted(Arg::Hex((config >> 24) & 0xff), "24"));
    }
    parts.push(shifted(
        enum_value(PERF_HW_CACHE_RESULTS, (config >> 16) & 0xff),
        "16",
    ));
    parts.push(shifted(
        enum_value(PERF_HW_CACHE_OPS, (config >> 8) & 0xff),
        "8",
    ));
    parts.push(enum_value(PERF_HW_CACHE_IDS, config & 0xff));
    Arg::Or(parts)
}
