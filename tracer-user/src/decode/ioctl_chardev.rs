//! The requests of PTP clocks, TEE devices, seccomp notification fds, GPIO chips and counter
//! devices as strace 6.1's ptp.c, tee.c, seccomp_ioctl.c, gpio_ioctl.c and counter_ioctl.c
//! show their argument: `{index=2, flags=PTP_ENABLE_FEATURE|PTP_RISING_EDGE}`,
//! `{start={sec=1, nsec=0} /* 1970-01-01T00:00:01+0000 */, period=...}`,
//! `{size=0x1000, flags=TEE_IOCTL_SHM_MAPPED}`, `{id=0x1234, val=-3, error=-EPERM, flags=...}`,
//! `{lines=3, lineoffsets=[1, 2, 3], ...}`, `{component={type=COUNTER_COMPONENT_SIGNAL, ...}}`.
//! What the kernel reads is shown even when the call fails; what it writes back (an fd, an
//! id) after ` => ` once it succeeded.

use super::{ioctl::Shape, ioctl_blk::commented, ioctl_mtd::fields};
use crate::{
    decode::{
        Arg, Ctx,
        bytes::{i32_at, i64_at, u32_at, u64_at},
        enum_value,
        flags::{constant, flags},
        ioctl_sock::cstring,
        model::Flag,
        values::utc_date,
    },
    tables::{
        errno,
        flags::{OPEN_MODE_FLAGS, Xlat},
        ioctl_dev_gen::{
            BLKPG_OPS, COUNTER_COMPONENT_TYPES, COUNTER_EVENTS, COUNTER_SCOPES, GPIO_EVENT_FLAGS,
            GPIO_HANDLE_FLAGS, GPIOLINE_FLAGS, PTP_EXTTS_FLAGS, PTP_PEROUT_FLAGS,
            SECCOMP_ADDFD_FLAGS, SECCOMP_NOTIF_RESP_FLAGS,
        },
    },
};

/// strace 6.1's tee_ioctl_shm_flags: the UAPI header of this machine does not define them
/// (they came with dma-buf sharing), so these are strace's names and values.
const TEE_SHM_FLAGS: Xlat = Xlat::new(
    "TEE_IOCTL_SHM_",
    &[
        ("TEE_IOCTL_SHM_MAPPED", 0x1),
        ("TEE_IOCTL_SHM_DMA_BUF", 0x2),
    ],
);

/// linux/tee.h's TEE_MAX_ARG_SIZE: a larger buffer is not read.
const TEE_MAX_ARG_SIZE: u64 = 1024;

/// Entries of a gpiohandle request's line arrays (GPIOHANDLES_MAX).
const GPIOHANDLES_MAX: usize = 64;

/// The requests whose argument is decoded, by name.
pub(super) const SHAPES: &[(&str, Shape)] = &[
    ("PTP_EXTTS_REQUEST", Shape::With(extts)),
    ("PTP_EXTTS_REQUEST2", Shape::With(extts2)),
    ("PTP_PEROUT_REQUEST", Shape::With(perout)),
    ("PTP_PEROUT_REQUEST2", Shape::With(perout2)),
    ("PTP_SYS_OFFSET", Shape::With(sys_offset)),
    ("PTP_SYS_OFFSET2", Shape::With(sys_offset)),
    ("TEE_IOC_SHM_ALLOC", Shape::With(shm_alloc)),
    ("TEE_IOC_CANCEL", Shape::With(tee_cancel)),
    ("TEE_IOC_CLOSE_SESSION", Shape::With(tee_close)),
    ("TEE_IOC_OPEN_SESSION", Shape::With(tee_open_session)),
    ("TEE_IOC_INVOKE", Shape::With(tee_invoke)),
    ("TEE_IOC_SUPPL_RECV", Shape::With(tee_supplicant)),
    ("TEE_IOC_SUPPL_SEND", Shape::With(tee_supplicant)),
    ("SECCOMP_IOCTL_NOTIF_SEND", Shape::With(notif_resp)),
    ("SECCOMP_IOCTL_NOTIF_ID_VALID", Shape::With(hex64)),
    ("SECCOMP_IOCTL_NOTIF_ADDFD", Shape::With(notif_addfd)),
    ("GPIO_GET_CHIPINFO_IOCTL", Shape::Out(chip_info)),
    ("GPIO_GET_LINEINFO_IOCTL", Shape::With(line_info)),
    ("GPIO_GET_LINEINFO_WATCH_IOCTL", Shape::With(line_info)),
    ("GPIO_GET_LINEINFO_UNWATCH_IOCTL", Shape::With(unwatch)),
    ("GPIO_GET_LINEHANDLE_IOCTL", Shape::With(handle_request)),
    ("GPIO_GET_LINEEVENT_IOCTL", Shape::With(event_request)),
    ("GPIOHANDLE_GET_LINE_VALUES_IOCTL", Shape::Out(handle_data)),
    ("GPIOHANDLE_SET_LINE_VALUES_IOCTL", Shape::With(handle_data)),
    ("COUNTER_ADD_WATCH_IOCTL", Shape::With(counter_watch)),
    ("COUNTER_ENABLE_EVENTS_IOCTL", Shape::None),
    ("COUNTER_DISABLE_EVENTS_IOCTL", Shape::None),
    ("BLKPG", Shape::With(blkpg)),
];

fn uint(d: &[u8], at: usize) -> Option<Arg> {
    u32_at(d, at).map(|v| Arg::UInt(u64::from(v)))
}

fn hex(d: &[u8], at: usize) -> Option<Arg> {
    u32_at(d, at).map(|v| Arg::Hex(u64::from(v)))
}

fn flags_at(table: Xlat, d: &[u8], at: usize) -> Option<Arg> {
    u32_at(d, at).map(|v| flags(table, u64::from(v)))
}

/// `count` u32 words from `at` in hex, when any is set (ptp.c's PRINT_RSV): `rsv=[0, 0x7]`.
fn reserved(d: &[u8], at: usize, count: usize) -> Option<Option<(&'static str, Arg)>> {
    let words = (0..count)
        .map(|i| u32_at(d, at + 4 * i))
        .collect::<Option<Vec<_>>>()?;
    Some(words.iter().any(|&w| w != 0).then(|| {
        let items = words.iter().map(|&w| Arg::Hex(u64::from(w))).collect();
        ("rsv", Arg::Array { items, more: false })
    }))
}

/// A struct whose trailing fields are shown only when set.
fn with_optional(
    head: Vec<(&'static str, Option<Arg>)>,
    tail: impl IntoIterator<Item = (&'static str, Arg)>,
) -> Option<Arg> {
    match fields(head)? {
        Arg::Struct { mut fields, more } => {
            fields.extend(tail);
            Some(Arg::Struct { fields, more })
        }
        other => Some(other),
    }
}

/// `struct ptp_extts_request`: `{index=2, flags=PTP_ENABLE_FEATURE}`; the second version's
/// reserved words when set.
fn extts_fields(d: &[u8], second: bool) -> Option<Arg> {
    let rsv = match second {
        true => reserved(d, 8, 2)?,
        false => None,
    };
    with_optional(
        vec![
            ("index", uint(d, 0)),
            ("flags", flags_at(PTP_EXTTS_FLAGS, d, 4)),
        ],
        rsv,
    )
}

fn extts(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    extts_fields(d, false)
}

fn extts2(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    extts_fields(d, true)
}

/// `struct ptp_clock_time`: `{sec=-1, nsec=500}` (`reserved` when set), with its date as a
/// comment (left out with `-X raw`) when `dated` and it is not zero.
fn clock_time(d: &[u8], at: usize, dated: bool) -> Option<Arg> {
    let (sec, nsec, rsv) = (i64_at(d, at)?, u32_at(d, at + 8)?, u32_at(d, at + 12)?);
    let mut fields = vec![("sec", Arg::Int(sec)), ("nsec", Arg::UInt(u64::from(nsec)))];
    if rsv != 0 {
        fields.push(("reserved", Arg::Hex(u64::from(rsv))));
    }
    let time = Arg::Struct {
        fields,
        more: false,
    };
    // strace's sprinttime_nsec gives no text for zero or for nanoseconds out of range.
    Some(
        match dated && (sec, nsec) != (0, 0) && nsec < 1_000_000_000 {
            true => commented(time, utc_date(sec, i64::from(nsec))),
            false => time,
        },
    )
}

/// `struct ptp_perout_request`: the start (or, with PTP_PEROUT_PHASE, the phase), period,
/// index and flags; the on time with PTP_PEROUT_DUTY_CYCLE, else the second version's
/// reserved words when set.
fn perout_fields(d: &[u8], second: bool) -> Option<Arg> {
    const PHASE: u32 = 1 << 2;
    const DUTY_CYCLE: u32 = 1 << 1;
    let flag_word = u32_at(d, 36)?;
    let first = match flag_word & PHASE != 0 {
        true => ("phase", clock_time(d, 0, false)),
        false => ("start", clock_time(d, 0, true)),
    };
    let tail = match (flag_word & DUTY_CYCLE != 0, second) {
        (true, _) => Some(("on", clock_time(d, 40, false)?)),
        (false, true) => reserved(d, 40, 4)?,
        (false, false) => None,
    };
    with_optional(
        vec![
            first,
            ("period", clock_time(d, 16, false)),
            ("index", uint(d, 32)),
            ("flags", flags_at(PTP_PEROUT_FLAGS, d, 36)),
        ],
        tail,
    )
}

fn perout(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    perout_fields(d, false)
}

fn perout2(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    perout_fields(d, true)
}

/// `struct ptp_sys_offset` as the call starts: `{n_samples=25}` (the reserved words when
/// set). The samples a successful call writes are not shown yet.
fn sys_offset(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    with_optional(vec![("n_samples", uint(d, 0))], reserved(d, 4, 3)?)
}

/// `struct tee_ioctl_shm_alloc_data`: `{size=0x1000, flags=...}`, then ` => {size, flags,
/// id}` once it succeeded.
fn shm_alloc(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let size = ("size", u64_at(d, 0).map(Arg::Hex));
    let shm_flags = ("flags", flags_at(TEE_SHM_FLAGS, d, 8));
    let read = fields(vec![size.clone(), shm_flags.clone()])?;
    if ctx.failed() {
        return Some(read);
    }
    let written = fields(vec![
        size,
        shm_flags,
        ("id", i32_at(d, 12).map(|v| Arg::Int(i64::from(v)))),
    ])?;
    Some(Arg::Changed(Box::new(read), Box::new(written)))
}

/// `struct tee_ioctl_cancel_arg`: the session in hex, as libteec prints it.
fn tee_cancel(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("cancel_id", uint(d, 0)), ("session", hex(d, 4))])
}

fn tee_close(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("session", hex(d, 0))])
}

/// `struct tee_ioctl_buf_data` when its length is out of the bounds of the argument struct
/// it carries (`arg_size` bytes, at most TEE_MAX_ARG_SIZE): `{buf_len=0, buf_ptr=NULL}`. A
/// buffer strace reads is not captured: its address is printed.
fn tee_buf(d: &[u8], arg_size: u64) -> Option<Arg> {
    let (ptr, len) = (u64_at(d, 0)?, u64_at(d, 8)?);
    (len > TEE_MAX_ARG_SIZE || len < arg_size).then(|| Arg::Struct {
        fields: vec![("buf_len", Arg::UInt(len)), ("buf_ptr", Arg::Ptr(ptr))],
        more: false,
    })
}

fn tee_open_session(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    tee_buf(d, 56)
}

fn tee_invoke(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    tee_buf(d, 24)
}

fn tee_supplicant(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    tee_buf(d, 8)
}

/// A u64 the kernel reads, in hex: `[0x1234]`.
fn hex64(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    Some(Arg::boxed(Arg::Hex(u64_at(d, 0)?)))
}

/// An error number as strace's PRINT_FIELD_ERR_D: `-EPERM` for a known negated errno.
fn err(v: i32) -> Arg {
    let name = (v < 0)
        .then(|| errno::lookup(v.unsigned_abs()))
        .flatten()
        .map(|(name, _)| name);
    match name {
        Some(name) => constant(Arg::Int(i64::from(v)), format!("-{name}")),
        None => Arg::Int(i64::from(v)),
    }
}

/// `struct seccomp_notif_resp`: `{id=0x1234, val=-3, error=-EPERM, flags=...}`.
fn notif_resp(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("id", u64_at(d, 0).map(Arg::Hex)),
        ("val", i64_at(d, 8).map(Arg::Int)),
        ("error", i32_at(d, 16).map(err)),
        ("flags", flags_at(SECCOMP_NOTIF_RESP_FLAGS, d, 20)),
    ])
}

/// `struct seccomp_notif_addfd`: the source fd as an fd (`-y` names it).
fn notif_addfd(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("id", u64_at(d, 0).map(Arg::Hex)),
        ("flags", flags_at(SECCOMP_ADDFD_FLAGS, d, 8)),
        ("srcfd", i32_at(d, 12).map(Arg::Fd)),
        ("newfd", i32_at(d, 16).map(|v| Arg::Int(i64::from(v)))),
        ("newfd_flags", flags_at(OPEN_MODE_FLAGS, d, 20)),
    ])
}

/// `struct gpiochip_info` once it succeeded.
fn chip_info(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![
        ("name", d.get(..32).map(cstring)),
        ("label", d.get(32..64).map(cstring)),
        ("lines", uint(d, 64)),
    ])
}

/// `struct gpioline_info`: the line asked about, then ` => {flags=..., name=...,
/// consumer=...}` once it succeeded.
fn line_info(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let read = fields(vec![("line_offset", uint(d, 0))])?;
    if ctx.failed() {
        return Some(read);
    }
    let written = fields(vec![
        ("flags", flags_at(GPIOLINE_FLAGS, d, 4)),
        ("name", d.get(8..40).map(cstring)),
        ("consumer", d.get(40..72).map(cstring)),
    ])?;
    Some(Arg::Changed(Box::new(read), Box::new(written)))
}

fn unwatch(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("offset", uint(d, 0))])
}

/// `count` entries of `width` bytes from `at`, unsigned, cut at `-s` with `...`.
fn uint_array(ctx: &Ctx<'_>, d: &[u8], at: usize, width: usize, count: usize) -> Option<Arg> {
    let shown = count.min(ctx.array_limit());
    let items = (0..shown)
        .map(|i| {
            let at = at + i * width;
            match width {
                1 => d.get(at).map(|&b| Arg::UInt(u64::from(b))),
                _ => uint(d, at),
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Arg::Array {
        items,
        more: shown < count,
    })
}

/// What a successful request wrote back: ` => {fd=5}`.
fn with_fd(ctx: &Ctx<'_>, read: Arg, d: &[u8], at: usize) -> Option<Arg> {
    if ctx.failed() {
        return Some(read);
    }
    let written = fields(vec![("fd", i32_at(d, at).map(Arg::Fd))])?;
    Some(Arg::Changed(Box::new(read), Box::new(written)))
}

/// `struct gpiohandle_request`: as many offsets and default values as `lines` says (at most
/// GPIOHANDLES_MAX).
fn handle_request(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let lines = u32_at(d, 356)?;
    let count = (lines as usize).min(GPIOHANDLES_MAX);
    let read = fields(vec![
        ("lines", Some(Arg::UInt(u64::from(lines)))),
        ("lineoffsets", uint_array(ctx, d, 0, 4, count)),
        ("flags", flags_at(GPIO_HANDLE_FLAGS, d, 256)),
        ("default_values", uint_array(ctx, d, 260, 1, count)),
        ("consumer_label", d.get(324..356).map(cstring)),
    ])?;
    with_fd(ctx, read, d, 360)
}

/// GPIOEVENT_REQUEST_* flags with BOTH_EDGES named before its two edges, as strace's table
/// orders them.
fn event_flags(d: &[u8], at: usize) -> Option<Arg> {
    let v = u64::from(u32_at(d, at)?);
    let both = GPIO_EVENT_FLAGS
        .entries
        .iter()
        .find(|(n, _)| n.ends_with("BOTH_EDGES"));
    Some(match both {
        // The table's other names are BOTH_EDGES' two bits: what is left has no name.
        Some(&(name, mask)) if v & mask == mask => {
            let mut parts = vec![Flag::name(name)];
            if v & !mask != 0 {
                parts.push(Flag::Bits(v & !mask));
            }
            Arg::constant(Arg::Hex(v), Arg::Flags(parts))
        }
        _ => flags(GPIO_EVENT_FLAGS, v),
    })
}

/// `struct gpioevent_request`.
fn event_request(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let read = fields(vec![
        ("lineoffset", uint(d, 0)),
        ("handleflags", flags_at(GPIO_HANDLE_FLAGS, d, 4)),
        ("eventflags", event_flags(d, 8)),
        ("consumer_label", d.get(12..44).map(cstring)),
    ])?;
    with_fd(ctx, read, d, 44)
}

/// `struct gpiohandle_data`: `{values=[0, 1, ...]}`.
fn handle_data(ctx: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    fields(vec![("values", uint_array(ctx, d, 0, 1, GPIOHANDLES_MAX))])
}

/// `struct counter_watch`: `{component={type=..., scope=..., parent=2, id=3}, event=...,
/// channel=1}`.
fn counter_watch(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    let byte = |at: usize| d.get(at).map(|&b| u64::from(b));
    let component = fields(vec![
        (
            "type",
            byte(0).map(|v| enum_value(COUNTER_COMPONENT_TYPES, v)),
        ),
        ("scope", byte(1).map(|v| enum_value(COUNTER_SCOPES, v))),
        ("parent", byte(2).map(Arg::UInt)),
        ("id", byte(3).map(Arg::UInt)),
    ]);
    fields(vec![
        ("component", component),
        ("event", byte(4).map(|v| enum_value(COUNTER_EVENTS, v))),
        ("channel", byte(5).map(Arg::UInt)),
    ])
}

/// `struct blkpg_ioctl_arg` whose partition pointer is NULL: `{op=BLKPG_ADD_PARTITION,
/// flags=0, datalen=152, data=NULL}`. The partition strace reads through a pointer is not
/// captured: with one, the argument's address is printed.
fn blkpg(_: &Ctx<'_>, d: &[u8]) -> Option<Arg> {
    if u64_at(d, 16)? != 0 {
        return None;
    }
    fields(vec![
        (
            "op",
            u32_at(d, 0).map(|v| enum_value(BLKPG_OPS, u64::from(v))),
        ),
        ("flags", i32_at(d, 4).map(|v| Arg::Int(i64::from(v)))),
        ("datalen", i32_at(d, 8).map(|v| Arg::Int(i64::from(v)))),
        ("data", Some(Arg::Ptr(0))),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::shown;

    #[test]
    fn ptp_times_are_dated_unless_zero() {
        let mut d = [0u8; 16];
        assert_eq!(
            shown(&clock_time(&d, 0, true).expect("time")),
            "{sec=0, nsec=0}"
        );
        d[..8].copy_from_slice(&(-1i64).to_ne_bytes());
        d[8..12].copy_from_slice(&500u32.to_ne_bytes());
        assert_eq!(
            shown(&clock_time(&d, 0, true).expect("time")),
            "{sec=-1, nsec=500} /* 1969-12-31T23:59:59.000000500+0000 */"
        );
        d[12] = 1;
        assert_eq!(
            shown(&clock_time(&d, 0, false).expect("time")),
            "{sec=-1, nsec=500, reserved=0x1}"
        );
    }

    #[test]
    fn gpio_both_edges_named_first() {
        let shown_flags = |v: u32| shown(&event_flags(&v.to_ne_bytes(), 0).expect("flags"));
        assert_eq!(shown_flags(3), "GPIOEVENT_REQUEST_BOTH_EDGES");
        assert_eq!(shown_flags(1), "GPIOEVENT_REQUEST_RISING_EDGE");
        assert_eq!(shown_flags(0x10), "0x10 /* GPIOEVENT_REQUEST_??? */");
        assert_eq!(shown_flags(0x13), "GPIOEVENT_REQUEST_BOTH_EDGES|0x10");
        assert_eq!(shown(&err(-1)), "-EPERM");
        assert_eq!(shown(&err(0)), "0");
    }
}
