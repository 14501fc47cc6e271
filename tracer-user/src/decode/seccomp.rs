//! seccomp(2), and prctl(PR_SET_SECCOMP), as strace 6.1 prints them: the operation, its
//! flags, and what the third argument is for it: a filter program `{len=N, filter=...}` (its
//! classic BPF instructions with `-v`, `BPF_STMT(BPF_LD|BPF_W|BPF_ABS, 0x4)`, the address
//! without), the action GET_ACTION_AVAIL asks about, the sizes GET_NOTIF_SIZES writes. The
//! program's header is captured in the argument's slot, its instructions in `FILTER_SLOT`
//! (`spec::seccomp_captures`).

use super::{Arg, Ctx, Syscall, enum_value, flags::flags, model::Ret};
use crate::tables::flags::Xlat;
use crate::tables::seccomp_gen::{
    BPF_ALU_OPS, BPF_CLASSES, BPF_JMP_OPS, BPF_MISCOPS, BPF_MODES, BPF_RVALS, BPF_SIZES, BPF_SRCS,
    SECCOMP_FILTER_FLAGS, SECCOMP_MODES, SECCOMP_OPS, SECCOMP_RET_ACTIONS,
};

/// Where a filter program's instructions are captured (past seccomp's arguments, and
/// prctl's fifth, which PR_SET_SECCOMP does not take).
pub const FILTER_SLOT: usize = 5;
/// Bytes of a `struct sock_fprog`: the count, padding, the pointer.
pub const FPROG_SIZE: usize = 16;
/// Bytes of one `struct sock_filter`.
const INSN_SIZE: usize = 8;

const SET_MODE_FILTER: u64 = 1;
const GET_ACTION_AVAIL: u64 = 2;
const GET_NOTIF_SIZES: u64 = 3;
const FLAG_NEW_LISTENER: u64 = 8;
/// prctl's SECCOMP_MODE_STRICT and SECCOMP_MODE_FILTER.
const MODE_STRICT: u64 = 1;
const MODE_FILTER: u64 = 2;

/// seccomp(operation, flags, args).
pub fn seccomp(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let op = u64::from(ctx.arg(0) as u32);
    let flag_word = u64::from(ctx.arg(1) as u32);
    let third = match op {
        GET_ACTION_AVAIL => match word(ctx, 2, 4) {
            Some(action) => Arg::boxed(enum_value(SECCOMP_RET_ACTIONS, action)),
            None => Arg::Ptr(ctx.arg(2)),
        },
        GET_NOTIF_SIZES => notif_sizes(ctx),
        SET_MODE_FILTER => fprog(ctx, 2),
        _ => Arg::Ptr(ctx.arg(2)),
    };
    let flag_arg = match op {
        SET_MODE_FILTER => flags(SECCOMP_FILTER_FLAGS, flag_word),
        _ => Arg::Hex(flag_word),
    };
    sc.args = vec![enum_value(SECCOMP_OPS, op), flag_arg, third];
    if op == SET_MODE_FILTER
        && flag_word & FLAG_NEW_LISTENER != 0
        && let Ret::Value(fd) = sc.ret
    {
        sc.ret = Ret::Fd(fd as i32);
    }
}

/// prctl(PR_SET_SECCOMP, mode, ...)'s arguments after the option: none more for
/// SECCOMP_MODE_STRICT, the program for SECCOMP_MODE_FILTER, else the three left in hex.
pub fn prctl_set_seccomp(ctx: &Ctx<'_>) -> Vec<Arg> {
    let mode = ctx.arg(1);
    let mut args = vec![enum_value(SECCOMP_MODES, mode)];
    match mode {
        MODE_STRICT => {}
        MODE_FILTER => args.push(fprog(ctx, 2)),
        _ => args.extend((2..5).map(|k| Arg::Hex(ctx.arg(k)))),
    }
    args
}

/// The first `len` bytes of argument `i` (captured at exit) as a little-endian number.
fn word(ctx: &Ctx<'_>, i: usize, len: usize) -> Option<u64> {
    let d = ctx.data(i)?.get(..len)?;
    let mut w = [0u8; 8];
    w[..len].copy_from_slice(d);
    Some(u64::from_le_bytes(w))
}

/// `{seccomp_notif=80, seccomp_notif_resp=24, seccomp_data=64}` when the call wrote it.
fn notif_sizes(ctx: &Ctx<'_>) -> Arg {
    let sizes = (!ctx.failed()).then(|| ctx.data(2)).flatten();
    let Some(d) = sizes.and_then(|d| d.get(..6)) else {
        return Arg::Ptr(ctx.arg(2));
    };
    let u16_at = |at: usize| Arg::UInt(u64::from(u16::from_le_bytes([d[at], d[at + 1]])));
    Arg::Struct {
        fields: vec![
            ("seccomp_notif", u16_at(0)),
            ("seccomp_notif_resp", u16_at(2)),
            ("seccomp_data", u16_at(4)),
        ],
        more: false,
    }
}

/// A `struct sock_fprog` at argument `i`: `{len=N, filter=...}`, the instructions with `-v`.
fn fprog(ctx: &Ctx<'_>, i: usize) -> Arg {
    let Some(d) = ctx.data(i).and_then(|d| d.get(..FPROG_SIZE)) else {
        return Arg::Ptr(ctx.arg(i));
    };
    let len = usize::from(u16::from_le_bytes([d[0], d[1]]));
    let ptr = u64::from_le_bytes(d[8..16].try_into().unwrap_or([0; 8]));
    let filter = match ctx.blob(FILTER_SLOT) {
        _ if ctx.abbrev() || ptr == 0 => Arg::Ptr(ptr),
        _ if len == 0 => Arg::Array {
            items: Vec::new(),
            more: false,
        },
        Some(b) if !b.faulted && b.data.len() >= INSN_SIZE => {
            let items: Vec<Arg> = b
                .data
                .as_chunks::<INSN_SIZE>()
                .0
                .iter()
                .take(len)
                .map(instruction)
                .collect();
            let more = items.len() < len;
            Arg::Array { items, more }
        }
        _ => Arg::Ptr(ptr),
    };
    Arg::Struct {
        fields: vec![("len", Arg::UInt(len as u64)), ("filter", filter)],
        more: false,
    }
}

/// One `struct sock_filter` as strace's bpf_filter.c prints it: `BPF_JUMP(code, k, jt, jf)`
/// when it has jump offsets (whatever its class), else `BPF_STMT(code, k)`; a return's k as a
/// seccomp action.
fn instruction(insn: &[u8; INSN_SIZE]) -> Arg {
    let code = u64::from(u16::from_le_bytes([insn[0], insn[1]]));
    let (jt, jf) = (u64::from(insn[2]), u64::from(insn[3]));
    let k = u64::from(u32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]));
    let class = code & 0x7;
    let k_arg = match class {
        RET => action(k),
        _ => Arg::Hex(k),
    };
    if jt != 0 || jf != 0 {
        let args = vec![code_parts(code), k_arg, Arg::Hex(jt), Arg::Hex(jf)];
        return Arg::Call {
            name: "BPF_JUMP",
            args,
        };
    }
    Arg::Call {
        name: "BPF_STMT",
        args: vec![code_parts(code), k_arg],
    }
}

const LD: u64 = 0;
const LDX: u64 = 1;
const ALU: u64 = 4;
const JMP: u64 = 5;
const RET: u64 = 6;
const MISC: u64 = 7;

/// An instruction's code: its class, then the fields that class has, then bits left over
/// (`BPF_MISC|0xf8 /* BPF_??? */|0xff00 /* BPF_??? */`).
fn code_parts(code: u64) -> Arg {
    let class = code & 0x7;
    let mut parts = vec![enum_value(BPF_CLASSES, class)];
    let mut part = |table: Xlat, mask: u64| {
        parts.push(enum_value(table, code & mask));
        mask
    };
    let used = match class {
        LD | LDX => part(BPF_SIZES, 0x18) | part(BPF_MODES, 0xe0),
        ALU | JMP => {
            let src = part(BPF_SRCS, 0x08);
            let ops = if class == JMP {
                BPF_JMP_OPS
            } else {
                BPF_ALU_OPS
            };
            src | part(ops, 0xf0)
        }
        RET => part(BPF_RVALS, 0x18),
        MISC => part(BPF_MISCOPS, 0xf8),
        _ => 0,
    };
    let rest = code & !(0x7 | used);
    // strace prints them apart from its tables: the same in every `-X` style.
    if rest != 0 {
        parts.push(Arg::Raw(format!("{rest:#x} /* BPF_??? */")));
    }
    Arg::Or(parts)
}

/// A return value: `SECCOMP_RET_ERRNO|0x26`, `0x12340000 /* SECCOMP_RET_??? */|0x5678`.
fn action(k: u64) -> Arg {
    let act = k & 0xffff_0000;
    let data = k & !act;
    let shown = enum_value(SECCOMP_RET_ACTIONS, act);
    match data {
        0 => shown,
        _ => Arg::Or(vec![shown, Arg::Hex(data)]),
    }
}
