//! Time and futexes.

use crate::{
    decode::{Arg, Ctx, Syscall, model::Flag, values::timespec},
    tables::xlat::FUTEX_OPS,
};

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

/// FUTEX_WAKE_OP's encoded operation:
/// `FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1`.
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
    let mut text = String::new();
    if (val3 >> 28) & 8 != 0 {
        text.push_str("FUTEX_OP_OPARG_SHIFT<<28|");
    }
    match OPS.get(((val3 >> 28) & 7) as usize) {
        Some(op) => text.push_str(op),
        None => text.push_str(&format!("{} /* FUTEX_OP_??? */", (val3 >> 28) & 7)),
    }
    text.push_str(&format!("<<28|{}<<12|", hex((val3 >> 12) & 0xfff)));
    match CMPS.get(((val3 >> 24) & 0xf) as usize) {
        Some(c) => text.push_str(c),
        None => text.push_str(&format!("{} /* FUTEX_OP_CMP_??? */", (val3 >> 24) & 0xf)),
    }
    text.push_str(&format!("<<24|{}", hex(val3 & 0xfff)));
    Arg::sym(text)
}

/// C's `%#x`.
fn hex(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wake_op_reads_like_strace() {
        // glibc's FUTEX_OP_CLEAR_WAKE_IF_GT_ONE.
        let op = (4 << 24) | 1;
        assert_eq!(
            wake_op(op),
            Arg::sym("FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1")
        );
    }
}
