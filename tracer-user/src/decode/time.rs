//! Time and futexes.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::{i32_at, i64_at, u32_at, u64_at},
        model::Flag,
        values::timespec,
    },
    tables::{
        proc_tail_gen::FUTEX_WAITER_FLAGS,
        timex_gen::{ADJ_MODES, STA_FLAGS, TIME_STATES},
        xlat::FUTEX_OPS,
    },
};

/// adjtimex, clock_adjtime: the clock state they return by name (`= 5 (TIME_ERROR)`, in
/// every -X style, as strace's auxstr); a state it has no name for stays a bare number.
pub fn adjtimex(_ctx: &Ctx<'_>, sc: &mut Syscall) {
    if let Ret::Value(v) = sc.ret
        && let Some(name) = TIME_STATES.name(v as u64)
    {
        sc.ret_extra = Some(Arg::Raw(name.to_string()));
    }
}

/// `struct timex` (x86_64's `__kernel_timex`, 208 bytes) as strace 6.1's print_timex:
/// `{modes=ADJ_OFFSET_SS_READ, offset=0, ..., status=STA_UNSYNC, ..., time={tv_sec=...,
/// tv_usec=...}, ..., tai=0}`. Its fields are C longs but for the ints modes, status, shift
/// and tai.
pub fn timex(d: &[u8]) -> Option<Arg> {
    let long = |at: usize| i64_at(d, at).map(Arg::Int);
    let int = |at: usize| i32_at(d, at).map(|v| Arg::Int(i64::from(v)));
    let flags = |table, at: usize| u32_at(d, at).map(|v| super::flags::flags(table, u64::from(v)));
    let time = Arg::Struct {
        fields: vec![
            ("tv_sec", long(72)?),
            // strace's PRINT_FIELD_U.
            ("tv_usec", Arg::UInt(i64_at(d, 80)? as u64)),
        ],
        more: false,
    };
    Some(Arg::Struct {
        fields: vec![
            ("modes", flags(ADJ_MODES, 0)?),
            ("offset", long(8)?),
            ("freq", long(16)?),
            ("maxerror", long(24)?),
            ("esterror", long(32)?),
            ("status", flags(STA_FLAGS, 40)?),
            ("constant", long(48)?),
            ("precision", long(56)?),
            ("tolerance", long(64)?),
            ("time", time),
            ("tick", long(88)?),
            ("ppsfreq", long(96)?),
            ("jitter", long(104)?),
            ("shift", int(112)?),
            ("stabil", long(120)?),
            ("jitcnt", long(128)?),
            ("calcnt", long(136)?),
            ("errcnt", long(144)?),
            ("stbcnt", long(152)?),
            ("tai", int(160)?),
        ],
        more: false,
    })
}

const FUTEX_PRIVATE_FLAG: u64 = 128;
const FUTEX_CLOCK_REALTIME: u64 = 256;

/// futex: the operation and the arguments it takes.
pub fn futex(ctx: &Ctx<'_>, sc: &mut Syscall) {
    sc.args = futex_args(ctx);
}

/// `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`.
/// An operation strace 6.1's futexops table lacks (an unknown command, other bits, the
/// realtime clock with a command that takes no timeout) is `0xe /* FUTEX_??? */`.
fn futex_op(op: u64) -> (Arg, u64) {
    let op = u64::from(op as u32);
    let cmd = op & 127;
    let known = FUTEX_OPS.name(cmd).filter(|_| {
        op & !(127 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) == 0
            // FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI
            && (op & FUTEX_CLOCK_REALTIME == 0 || matches!(cmd, 0 | 9 | 11))
    });
    let Some(name) = known else {
        return (super::enum_value(FUTEX_OPS, op), cmd);
    };
    let mut text = name.to_string();
    if op & FUTEX_PRIVATE_FLAG != 0 {
        // strace's table spells this one out.
        text.push_str(if cmd == 2 {
            "|FUTEX_PRIVATE_FLAG"
        } else {
            "_PRIVATE"
        });
    }
    let mut parts = vec![Flag::name(text)];
    if op & FUTEX_CLOCK_REALTIME != 0 {
        parts.push(Flag::name("FUTEX_CLOCK_REALTIME"));
    }
    (Arg::constant(Arg::Hex(op), Arg::Flags(parts)), cmd)
}

/// The timeout argument: a timespec pointer, or NULL.
fn timeout(ctx: &Ctx<'_>) -> Arg {
    match ctx.data(3).and_then(|d| timespec(d, 0)) {
        Some(t) if ctx.arg(3) != 0 => t,
        _ => Arg::Ptr(ctx.arg(3)),
    }
}

fn futex_args(ctx: &Ctx<'_>) -> Vec<Arg> {
    let (op_arg, cmd) = futex_op(ctx.arg(1));
    let mut args = vec![Arg::Ptr(ctx.arg(0)), op_arg];
    // strace prints the values unsigned.
    let val = Arg::UInt(u64::from(ctx.arg(2) as u32));
    let val2 = Arg::UInt(u64::from(ctx.arg(3) as u32));
    let uaddr2 = Arg::Ptr(ctx.arg(4));
    let val3 = ctx.arg(5) as u32;
    let bitset = if val3 == u32::MAX {
        super::flags::constant(Arg::Hex(u64::from(val3)), "FUTEX_BITSET_MATCH_ANY")
    } else {
        Arg::Hex(u64::from(val3))
    };
    let rest = match cmd {
        // FUTEX_WAIT
        0 => vec![val, timeout(ctx)],
        // FUTEX_WAKE, FUTEX_FD
        1 | 2 => vec![val],
        // FUTEX_REQUEUE
        3 => vec![val, val2, uaddr2],
        // FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE_PI
        4 | 12 => vec![val, val2, uaddr2, Arg::UInt(u64::from(val3))],
        // FUTEX_WAKE_OP
        5 => vec![val, val2, uaddr2, wake_op(val3)],
        // FUTEX_LOCK_PI, FUTEX_LOCK_PI2
        6 | 13 => vec![timeout(ctx)],
        // FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI
        7 | 8 => vec![],
        // FUTEX_WAIT_BITSET
        9 => vec![val, timeout(ctx), bitset],
        // FUTEX_WAKE_BITSET
        10 => vec![val, bitset],
        // FUTEX_WAIT_REQUEUE_PI
        11 => vec![val, timeout(ctx), uaddr2],
        _ => vec![val, Arg::Ptr(ctx.arg(3)), uaddr2, Arg::Hex(u64::from(val3))],
    };
    args.extend(rest);
    args
}

/// FUTEX_WAKE_OP's encoded operation: `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`.
/// strace prints an unknown operation or comparison as `0x7<<28 /* FUTEX_OP_??? */`
/// whatever `-X` says, and a known one with `-X raw` the same way (`0x1<<28 /* FUTEX_OP_???
/// */`); `-X verbose` comments the names (`0x1 /* FUTEX_OP_ADD */<<28`).
fn wake_op(val3: u32) -> Arg {
    const OPS: [&str; 5] = [
        "FUTEX_OP_SET",
        "FUTEX_OP_ADD",
        "FUTEX_OP_OR",
        "FUTEX_OP_ANDN",
        "FUTEX_OP_XOR",
    ];
    const CMPS: [&str; 6] = [
        "FUTEX_OP_CMP_EQ",
        "FUTEX_OP_CMP_NE",
        "FUTEX_OP_CMP_LT",
        "FUTEX_OP_CMP_LE",
        "FUTEX_OP_CMP_GT",
        "FUTEX_OP_CMP_GE",
    ];
    // One field shifted into place: its name, or its number and the marker.
    let field =
        |names: &[&'static str], v: u32, shift: &'static str, marker: &'static str| match names
            .get(v as usize)
        {
            Some(&name) => Arg::Shift(
                Box::new(Arg::constant(Arg::Raw(hex(v)), Arg::sym(name))),
                Box::new(Arg::Labeled(shift, Box::new(Arg::RawOnly(marker)))),
            ),
            None => Arg::Raw(format!("{}<<{shift}{marker}", hex(v))),
        };
    let mut parts = Vec::new();
    if (val3 >> 28) & 8 != 0 {
        parts.push(Arg::Shift(
            Box::new(Arg::constant(
                Arg::Raw(hex(8)),
                Arg::sym("FUTEX_OP_OPARG_SHIFT"),
            )),
            Box::new(Arg::sym("28")),
        ));
    }
    parts.push(field(&OPS, (val3 >> 28) & 7, "28", " /* FUTEX_OP_??? */"));
    parts.push(Arg::Raw(format!("{}<<12", hex((val3 >> 12) & 0xfff))));
    parts.push(field(
        &CMPS,
        (val3 >> 24) & 0xf,
        "24",
        " /* FUTEX_OP_CMP_??? */",
    ));
    parts.push(Arg::Raw(hex(val3 & 0xfff)));
    Arg::Or(parts)
}

/// C's `%#x`.
fn hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// futex_waitv's `struct futex_waitv` array as strace prints it: `[{val=0x1,
/// uaddr=0x7ff..., flags=FUTEX_32}, ...]`, `__reserved` when set; `-s` entries, then `...`
/// when `count` says there are more.
pub fn waiters(ctx: &Ctx<'_>, data: &[u8], count: u64) -> Arg {
    let items: Vec<Arg> = data
        .as_chunks::<24>()
        .0
        .iter()
        .take(ctx.array_limit())
        .map(|e| {
            let mut fields = vec![
                ("val", Arg::Hex(u64_at(e, 0).unwrap_or(0))),
                ("uaddr", Arg::Ptr(u64_at(e, 8).unwrap_or(0))),
                (
                    "flags",
                    super::flags::flags(FUTEX_WAITER_FLAGS, u64::from(u32_at(e, 16).unwrap_or(0))),
                ),
            ];
            match u32_at(e, 20).unwrap_or(0) {
                0 => {}
                r => fields.push(("__reserved", Arg::Hex(u64::from(r)))),
            }
            Arg::Struct {
                fields,
                more: false,
            }
        })
        .collect();
    let more = (items.len() as u64) < count;
    Arg::Array { items, more }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wake_op_reads_like_strace() {
        use crate::format::value::ConstStyle;
        let styled = |op: u32, consts| {
            let opts = crate::format::text_options::TextOptions {
                consts,
                ..Default::default()
            };
            crate::format::strace::arg_text(&wake_op(op), &opts, None, 0)
        };
        // glibc's FUTEX_OP_CLEAR_WAKE_IF_GT_ONE.
        let op = (4 << 24) | 1;
        assert_eq!(
            styled(op, ConstStyle::Abbrev),
            "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1"
        );
        // strace 6.1's lines (tests/root_decoders_t14.rs runs them).
        let op = (1 << 28) | (4 << 24);
        assert_eq!(
            styled(op, ConstStyle::Raw),
            "0x1<<28 /* FUTEX_OP_??? */|0<<12|0x4<<24 /* FUTEX_OP_CMP_??? */|0"
        );
        assert_eq!(
            styled(op, ConstStyle::Verbose),
            "0x1 /* FUTEX_OP_ADD */<<28|0<<12|0x4 /* FUTEX_OP_CMP_GT */<<24|0"
        );
        let op = (0xf << 28) | (5 << 24) | 0xfff;
        assert_eq!(
            styled(op, ConstStyle::Abbrev),
            "FUTEX_OP_OPARG_SHIFT<<28|0x7<<28 /* FUTEX_OP_??? */|0<<12|FUTEX_OP_CMP_GE<<24|0xfff"
        );
        assert_eq!(
            styled(op, ConstStyle::Raw),
            "0x8<<28|0x7<<28 /* FUTEX_OP_??? */|0<<12|0x5<<24 /* FUTEX_OP_CMP_??? */|0xfff"
        );
        assert_eq!(
            styled(op, ConstStyle::Verbose),
            "0x8 /* FUTEX_OP_OPARG_SHIFT */<<28|0x7<<28 /* FUTEX_OP_??? */|0<<12|0x5 /* \
             FUTEX_OP_CMP_GE */<<24|0xfff"
        );
    }

    /// A `struct timex` as the kernel wrote it back: modes, status and the values.
    fn timex_bytes() -> Vec<u8> {
        let mut d = vec![0u8; 208];
        let mut put = |at: usize, v: &[u8]| d[at..at + v.len()].copy_from_slice(v);
        put(0, &0xa001u32.to_le_bytes());
        put(24, &16_000_000i64.to_le_bytes());
        put(40, &0x41u32.to_le_bytes());
        put(72, &1_700_000_000i64.to_le_bytes());
        put(80, &123_456i64.to_le_bytes());
        put(88, &10_000i64.to_le_bytes());
        put(112, &(-1i32).to_le_bytes());
        put(160, &37i32.to_le_bytes());
        d
    }

    #[test]
    fn timex_and_the_clock_state_as_strace() {
        use crate::{decode::tests::line, event::Blob};
        let blob = |arg| Blob {
            arg,
            kind: tracer_common::CAP_FIXED,
            truncated: false,
            faulted: false,
            at_enter: false,
            data: timex_bytes(),
        };
        let fields = "{modes=ADJ_OFFSET_SS_READ, offset=0, freq=0, maxerror=16000000, esterror=0, \
                      status=STA_PLL|STA_UNSYNC, constant=0, precision=0, tolerance=0, \
                      time={tv_sec=1700000000, tv_usec=123456}, tick=10000, ppsfreq=0, jitter=0, \
                      shift=-1, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=37}";
        assert_eq!(
            line(159, [0x7ffd_0000, 0, 0, 0, 0, 0], 5, vec![blob(0)]),
            format!("adjtimex({fields}) = 5 (TIME_ERROR)")
        );
        assert_eq!(
            line(305, [0, 0x7ffd_0000, 0, 0, 0, 0], 0, vec![blob(1)]),
            format!("clock_adjtime(CLOCK_REALTIME, {fields}) = 0 (TIME_OK)")
        );
        // A failed call: the address, no state; a state without a name: the number alone.
        assert_eq!(
            line(159, [0x7ffd_0000, 0, 0, 0, 0, 0], -22, vec![]),
            "adjtimex(0x7ffd0000) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(159, [0x7ffd_0000, 0, 0, 0, 0, 0], 9, vec![blob(0)]),
            format!("adjtimex({fields}) = 9")
        );
    }
}
