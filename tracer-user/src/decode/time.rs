//! Time and futexes.

use crate::{
    decode::{Arg, Ctx, Syscall, structs::timespec},
    tables::xlat::FUTEX_OPS,
};

const FUTEX_PRIVATE_FLAG: u64 = 128;
const FUTEX_CLOCK_REALTIME: u64 = 256;

pub fn finish(name: &str, ctx: &Ctx<'_>, sc: &mut Syscall) {
    if name == "futex" {
        sc.args = futex(ctx);
    }
}

/// `FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME`.
fn futex_op(op: u64) -> (Arg, u64) {
    let cmd = op & 127;
    let mut text = match FUTEX_OPS.name(cmd) {
        Some(n) => n.to_string(),
        None => format!("{cmd:#x}"),
    };
    if op & FUTEX_PRIVATE_FLAG != 0 {
        text.push_str("_PRIVATE");
    }
    if op & FUTEX_CLOCK_REALTIME != 0 {
        text.push_str("|FUTEX_CLOCK_REALTIME");
    }
    (Arg::sym(text), cmd)
}

/// The timeout argument: a timespec pointer, or NULL.
fn timeout(ctx: &Ctx<'_>) -> Arg {
    match ctx.data(3).and_then(|d| timespec(d, 0)) {
        Some(t) if ctx.arg(3) != 0 => t,
        _ => Arg::Ptr(ctx.arg(3)),
    }
}

fn futex(ctx: &Ctx<'_>) -> Vec<Arg> {
    let (op_arg, cmd) = futex_op(ctx.arg(1));
    let uaddr = Arg::Ptr(ctx.arg(0));
    // strace prints the value unsigned.
    let val = Arg::UInt(u64::from(ctx.arg(2) as u32));
    match cmd {
        // FUTEX_WAIT
        0 => vec![uaddr, op_arg, val, timeout(ctx)],
        // FUTEX_WAKE, FUTEX_UNLOCK_PI
        1 | 7 => vec![uaddr, op_arg, val],
        // FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET
        9 | 10 => {
            let mask = ctx.arg(5) as u32;
            let mask_arg = if mask == u32::MAX {
                Arg::sym("FUTEX_BITSET_MATCH_ANY")
            } else {
                Arg::Hex(u64::from(mask))
            };
            let t = if cmd == 9 {
                timeout(ctx)
            } else {
                Arg::Ptr(ctx.arg(3))
            };
            vec![uaddr, op_arg, val, t, Arg::Ptr(ctx.arg(4)), mask_arg]
        }
        // FUTEX_REQUEUE, FUTEX_CMP_REQUEUE
        3 | 4 => {
            let mut v = vec![
                uaddr,
                op_arg,
                val,
                Arg::UInt(ctx.arg(3)),
                Arg::Ptr(ctx.arg(4)),
            ];
            if cmd == 4 {
                v.push(Arg::Int(i64::from(ctx.arg(5) as i32)));
            }
            v
        }
        // FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI
        6 | 8 | 13 => vec![uaddr, op_arg, val, timeout(ctx)],
        _ => vec![
            uaddr,
            op_arg,
            val,
            Arg::Ptr(ctx.arg(3)),
            Arg::Ptr(ctx.arg(4)),
            Arg::Hex(ctx.arg(5)),
        ],
    }
}
