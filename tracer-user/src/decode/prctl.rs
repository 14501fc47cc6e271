//! prctl(2) as strace 6.1's prctl.c prints it: each option with the arguments it takes, typed
//! as strace types them (`prctl(PR_GET_TSC, [PR_TSC_ENABLE])`, `prctl(PR_CAP_AMBIENT,
//! PR_CAP_AMBIENT_IS_SET, CAP_NET_ADMIN, 0, 0)`), and the results it names
//! (`= 0x3 (PR_SPEC_PRCTL|PR_SPEC_ENABLE)`, `= 2 (PR_MCE_KILL_DEFAULT)`); any option it does
//! not know prints every argument in hex.

use crate::{
    decode::{
        Arg, Ctx, Ret, Syscall,
        bytes::u64_at,
        enum_value,
        flags::{self, push_bits},
        model::Flag,
    },
    tables::{
        flags::Xlat,
        ioctl_args_gen::CAPABILITIES,
        prctl_gen::{
            PR_CAP_AMBIENT, PR_DUMPABLE, PR_FP_MODE, PR_MASKS, PR_MCE_KILL, PR_MCE_KILL_POLICY,
            PR_MTE_TCF, PR_PAC_KEYS, PR_SCHED_CORE_CMDS, PR_SCHED_CORE_PIDTYPES, PR_SET_MM,
            PR_SET_VMA, PR_SME_VL_FLAGS, PR_SPEC_CMDS, PR_SPEC_GET_FLAGS, PR_SPEC_SET_FLAGS,
            PR_SUD_CMDS, PR_SVE_VL_FLAGS, PR_TAGGED_ADDR_ENABLE, PR_TSC, PR_UNALIGN_FLAGS,
            PRCTL_OPTIONS, SECBITS,
        },
    },
};

/// The argument whose string PR_SET_VMA_ANON_NAME names (and where PR_SCHED_CORE_GET writes
/// its cookie): captured as a string.
pub const NAME_SLOT: usize = 4;

/// prctl: the option, its arguments, and what its result means.
pub fn prctl(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let option = u64::from(ctx.arg(0) as u32);
    let head = enum_value(PRCTL_OPTIONS, option);
    let mut args = vec![head];
    let name = PRCTL_OPTIONS.name(option).unwrap_or("");
    args.extend(arguments(ctx, name));
    sc.args = args;
    if let Ret::Value(v) = sc.ret {
        result(ctx, sc, name, v);
    }
}

/// Arguments 1..5 in hex from `first` on (strace's print_prctl_args).
fn hex_from<'a>(ctx: &'a Ctx<'_>, first: usize) -> impl Iterator<Item = Arg> + 'a {
    (first..5).map(|k| Arg::Hex(ctx.arg(k)))
}

/// The arguments after the option.
fn arguments(ctx: &Ctx<'_>, name: &str) -> Vec<Arg> {
    let arg = ctx.arg(1);
    let arg32 = u64::from(arg as u32);
    let mut args = Vec::new();
    match name {
        "PR_GET_KEEPCAPS"
        | "PR_GET_SECCOMP"
        | "PR_GET_TIMERSLACK"
        | "PR_GET_TIMING"
        | "PR_GET_DUMPABLE"
        | "PR_GET_SECUREBITS"
        | "PR_GET_FP_MODE"
        | "PR_SVE_GET_VL"
        | "PR_SME_GET_VL"
        | "PR_TASK_PERF_EVENTS_DISABLE"
        | "PR_TASK_PERF_EVENTS_ENABLE" => {}
        "PR_GET_CHILD_SUBREAPER" | "PR_GET_ENDIAN" | "PR_GET_FPEMU" | "PR_GET_FPEXC" => {
            args.push(int_out(ctx, 4, |v| Arg::UInt(u64::from(v as u32))))
        }
        "PR_GET_PDEATHSIG" => args.push(int_out(ctx, 4, |v| super::signal(u64::from(v as u32)))),
        "PR_GET_TID_ADDRESS" => args.push(int_out(ctx, 8, |v| Arg::Hex(v as u64))),
        "PR_GET_TSC" => args.push(int_out(ctx, 4, |v| enum_value(PR_TSC, u64::from(v as u32)))),
        "PR_GET_UNALIGN" => args.push(int_out(ctx, 4, |v| {
            flags::flags(PR_UNALIGN_FLAGS, u64::from(v as u32))
        })),
        "PR_SET_NAME" => args.push(comm(ctx, 15)),
        "PR_GET_NAME" => args.push(if ctx.failed() {
            Arg::Ptr(arg)
        } else {
            comm(ctx, 16)
        }),
        "PR_SVE_SET_VL" => args.push(vector_length(
            arg,
            PR_SVE_VL_FLAGS,
            mask("PR_SVE_VL_LEN_MASK"),
        )),
        "PR_SME_SET_VL" => args.push(vector_length(
            arg,
            PR_SME_VL_FLAGS,
            mask("PR_SME_VL_LEN_MASK"),
        )),
        "PR_GET_SPECULATION_CTRL" => args.push(enum_value(PR_SPEC_CMDS, arg)),
        "PR_SET_SPECULATION_CTRL" => {
            args.push(enum_value(PR_SPEC_CMDS, arg));
            args.push(match PR_SPEC_CMDS.name(arg) {
                Some(_) => enum_value(PR_SPEC_SET_FLAGS, ctx.arg(2)),
                None => Arg::Hex(ctx.arg(2)),
            });
        }
        "PR_SET_TAGGED_ADDR_CTRL" => {
            args.push(Arg::constant(Arg::Hex(arg), Arg::Raw(tagged_addr(arg))));
            args.extend(hex_from(ctx, 2));
        }
        "PR_SET_CHILD_SUBREAPER"
        | "PR_SET_ENDIAN"
        | "PR_SET_FPEMU"
        | "PR_SET_FPEXC"
        | "PR_SET_KEEPCAPS"
        | "PR_SET_TIMING" => args.push(Arg::UInt(arg)),
        "PR_SET_DUMPABLE" => args.push(enum_value(PR_DUMPABLE, arg)),
        "PR_CAPBSET_READ" | "PR_CAPBSET_DROP" => args.push(enum_value(CAPABILITIES, arg)),
        "PR_CAP_AMBIENT" => {
            args.push(enum_value(PR_CAP_AMBIENT, arg));
            match PR_CAP_AMBIENT.name(arg) {
                Some("PR_CAP_AMBIENT_RAISE" | "PR_CAP_AMBIENT_LOWER" | "PR_CAP_AMBIENT_IS_SET") => {
                    args.push(enum_value(CAPABILITIES, ctx.arg(2)));
                    args.extend(hex_from(ctx, 3));
                }
                _ => args.extend(hex_from(ctx, 2)),
            }
        }
        "PR_MCE_KILL" => {
            args.push(enum_value(PR_MCE_KILL, arg));
            args.push(match PR_MCE_KILL.name(arg) {
                Some("PR_MCE_KILL_SET") => enum_value(PR_MCE_KILL_POLICY, ctx.arg(2)),
                _ => Arg::Hex(ctx.arg(2)),
            });
            args.extend(hex_from(ctx, 3));
        }
        "PR_SET_VMA" => {
            args.push(enum_value(PR_SET_VMA, arg));
            if PR_SET_VMA.name(arg) == Some("PR_SET_VMA_ANON_NAME") {
                args.push(Arg::Ptr(ctx.arg(2)));
                args.push(Arg::UInt(ctx.arg(3)));
                args.push(super::string(ctx, NAME_SLOT));
            } else {
                args.extend(hex_from(ctx, 2));
            }
        }
        // printxval of an unsigned int.
        "PR_SET_MM" => {
            args.push(enum_value(PR_SET_MM, arg32));
            args.extend(hex_from(ctx, 2));
        }
        "PR_SET_PDEATHSIG" => args.push(if arg > 128 {
            Arg::UInt(arg)
        } else {
            super::signal(arg)
        }),
        "PR_SET_PTRACER" => args.push(if arg as i32 == -1 {
            flags::constant(Arg::Int(-1), "PR_SET_PTRACER_ANY")
        } else {
            Arg::Pid(i64::from(arg as i32))
        }),
        "PR_SET_SECCOMP" => args.extend(super::seccomp::prctl_set_seccomp(ctx)),
        "PR_SET_SECUREBITS" => args.push(flags::flags(SECBITS, arg)),
        "PR_SET_TIMERSLACK" => args.push(Arg::Int(arg as i64)),
        "PR_SET_TSC" => args.push(enum_value(PR_TSC, arg32)),
        "PR_SET_UNALIGN" => args.push(flags::flags(PR_UNALIGN_FLAGS, arg32)),
        "PR_SET_FP_MODE" => args.push(flags::flags(PR_FP_MODE, arg32)),
        "PR_SET_NO_NEW_PRIVS" | "PR_SET_THP_DISABLE" | "PR_SET_IO_FLUSHER" => {
            args.push(Arg::UInt(arg));
            args.extend(hex_from(ctx, 2));
        }
        "PR_PAC_RESET_KEYS" => {
            args.push(flags::flags(PR_PAC_KEYS, arg));
            args.extend(hex_from(ctx, 2));
        }
        "PR_PAC_SET_ENABLED_KEYS" => {
            args.push(flags::flags(PAC_ENABLED_KEYS, arg));
            args.push(flags::flags(PAC_ENABLED_KEYS, ctx.arg(2)));
            args.extend(hex_from(ctx, 3));
        }
        "PR_SET_SYSCALL_USER_DISPATCH" => {
            args.push(enum_value(PR_SUD_CMDS, arg));
            args.push(Arg::Hex(ctx.arg(2)));
            args.push(Arg::Hex(ctx.arg(3)));
            args.push(Arg::Ptr(ctx.arg(4)));
        }
        "PR_SCHED_CORE" => args.extend(sched_core(ctx)),
        // PR_GET_NO_NEW_PRIVS, PR_GET_THP_DISABLE, PR_MPX_*, PR_GET_IO_FLUSHER,
        // PR_MCE_KILL_GET, PR_GET_TAGGED_ADDR_CTRL, PR_PAC_GET_ENABLED_KEYS and any option
        // strace does not know.
        _ => args.extend(hex_from(ctx, 1)),
    }
    args
}

/// pr_pac_enabled_keys: PR_PAC_KEYS without PR_PAC_APGAKEY.
const PAC_ENABLED_KEYS: Xlat = Xlat::new(PR_PAC_KEYS.prefix, PR_PAC_KEYS.entries.split_at(4).0);

/// The value of one of the generated masks.
fn mask(name: &str) -> u64 {
    PR_MASKS
        .entries
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, v)| *v)
}

/// What the result means, where strace says it: `= 2 (PR_MCE_KILL_DEFAULT)` (a name
/// whatever `-X` says), `= 0x3 (PR_SPEC_PRCTL|PR_SPEC_ENABLE)` (a flag word in hex, its names
/// left out with `-X raw`, as strace's auxstr).
fn result(ctx: &Ctx<'_>, sc: &mut Syscall, name: &str, v: i64) {
    let value = v as u64;
    let mut hex_with = |extra: Option<Arg>| {
        sc.ret = Ret::Hex(value);
        sc.ret_extra = extra.map(|e| Arg::constant(Arg::Seq(vec![]), e));
    };
    match name {
        "PR_GET_DUMPABLE" => sc.ret_extra = PR_DUMPABLE.name(value).map(Arg::sym),
        "PR_MCE_KILL_GET" => sc.ret_extra = PR_MCE_KILL_POLICY.name(value).map(Arg::sym),
        "PR_GET_SECUREBITS" if v != 0 => hex_with(Some(aux_flags(SECBITS, value))),
        "PR_GET_FP_MODE" if v != 0 => hex_with(Some(aux_flags(PR_FP_MODE, value))),
        "PR_PAC_GET_ENABLED_KEYS" => hex_with(Some(aux_flags(PAC_ENABLED_KEYS, value))),
        "PR_SVE_SET_VL" | "PR_SVE_GET_VL" if v != 0 => hex_with(vector_flags(
            value,
            PR_SVE_VL_FLAGS,
            mask("PR_SVE_VL_LEN_MASK"),
        )),
        "PR_SME_SET_VL" | "PR_SME_GET_VL" if v != 0 => hex_with(vector_flags(
            value,
            PR_SME_VL_FLAGS,
            mask("PR_SME_VL_LEN_MASK"),
        )),
        "PR_GET_SPECULATION_CTRL" if PR_SPEC_CMDS.name(ctx.arg(1)).is_some() => {
            hex_with(Some(aux_flags(PR_SPEC_GET_FLAGS, value)))
        }
        "PR_GET_TAGGED_ADDR_CTRL" => hex_with(Some(Arg::Raw(tagged_addr(value)))),
        _ => {}
    }
}

/// A flag word of a result's note: the names, then the bits no name covers (`0` by its name
/// for 0, if the table has one).
fn aux_flags(table: Xlat, value: u64) -> Arg {
    let mut parts = Vec::new();
    push_bits(table, value, &mut parts);
    if parts.is_empty() {
        parts.push(table.name(0).map_or(Flag::Bits(0), Flag::name));
    }
    Arg::Flags(parts)
}

/// A vector length with its flags, `PR_SVE_SET_VL_ONEXEC|0x20` (strace's sprint_sve_val).
fn vector_length(arg: u64, table: Xlat, len_mask: u64) -> Arg {
    let text = match vector_flags(arg, table, len_mask) {
        Some(Arg::Raw(t)) => t,
        _ => format!("{:#x}", arg & len_mask),
    };
    Arg::constant(Arg::Hex(arg), Arg::Raw(text))
}

/// A vector length's text when flags are set in it (a result prints bare otherwise).
fn vector_flags(value: u64, table: Xlat, len_mask: u64) -> Option<Arg> {
    let bits = value & !len_mask;
    if bits == 0 {
        return None;
    }
    let (mut names, rest) = table.split(bits);
    let rest = format!("{rest:#x}");
    if rest != "0x0" {
        names.push(&rest);
    }
    Some(Arg::Raw(format!(
        "{}|{:#x}",
        names.join("|"),
        value & len_mask
    )))
}

/// The tagged-address word as strace's sprint_tagged_addr_val names it:
/// `!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE`, then the tag mask and other bits in hex.
fn tagged_addr(value: u64) -> String {
    let (enable_name, enable) = PR_TAGGED_ADDR_ENABLE.entries[0];
    let tcf_mask = mask("PR_MTE_TCF_MASK");
    let tag_mask = mask("PR_MTE_TAG_MASK");
    let tag_shift = mask("PR_MTE_TAG_SHIFT");
    let mut out = if value & enable != 0 {
        enable_name.to_string()
    } else {
        format!("!{enable_name}")
    };
    let tcf = value & tcf_mask;
    out.push('|');
    match PR_MTE_TCF.name(tcf) {
        Some(n) => out.push_str(n),
        None => out.push_str(&format!("{tcf:#x}")),
    }
    let tag = value & tag_mask;
    if tag != 0 {
        out.push_str(&format!("|{:#x}<<PR_MTE_TAG_SHIFT", tag >> tag_shift));
    }
    let rest = value & !(enable | tcf_mask | tag_mask);
    if rest != 0 {
        out.push_str(&format!("|{rest:#x}"));
    }
    out
}

/// PR_SCHED_CORE's command, pid (of the type argument 4 says), pid type (`0 /* PIDTYPE_PID
/// */` whatever `-X` says but raw) and cookie address (GET: the cookie written, `[0x...]`).
fn sched_core(ctx: &Ctx<'_>) -> Vec<Arg> {
    let cmd = u64::from(ctx.arg(1) as u32);
    let pid_type = u64::from(ctx.arg(3) as u32);
    let pid = i64::from(ctx.arg(2) as i32);
    let pid = if pid_type <= 3 {
        Arg::Pid(pid)
    } else {
        Arg::Int(pid)
    };
    let type_name = PR_SCHED_CORE_PIDTYPES.name(pid_type).map_or_else(
        || format!("{}???", PR_SCHED_CORE_PIDTYPES.prefix),
        str::to_string,
    );
    let shown = Arg::Commented(Box::new(Arg::Hex(pid_type)), type_name);
    let cookie = match PR_SCHED_CORE_CMDS.name(cmd) {
        Some("PR_SCHED_CORE_GET") if !ctx.failed() => ctx
            .data(NAME_SLOT)
            .and_then(|d| u64_at(d, 0))
            .map_or(Arg::Ptr(ctx.arg(4)), |c| Arg::boxed(Arg::Hex(c))),
        _ => Arg::Ptr(ctx.arg(4)),
    };
    vec![
        enum_value(PR_SCHED_CORE_CMDS, cmd),
        pid,
        Arg::constant(Arg::Hex(pid_type), shown),
        cookie,
    ]
}

/// A task name at argument 1 (read as TASK_COMM_LEN bytes): up to its NUL, at most `max`
/// bytes (`...` after them when there is no NUL before), cut at `-s`.
fn comm(ctx: &Ctx<'_>, max: usize) -> Arg {
    let Some(b) = ctx.blob(1).filter(|b| !b.faulted) else {
        return Arg::Ptr(ctx.arg(1));
    };
    let d = &b.data[..];
    // A string capture (older recordings) ends before the NUL.
    let end = d
        .iter()
        .position(|&c| c == 0)
        .or((d.len() < 16).then_some(d.len()));
    match end {
        Some(end) if end <= max => ctx.bytes_arg(&d[..end], b.truncated),
        _ => ctx.bytes_arg(&d[..d.len().min(max)], true),
    }
}

/// A `width`-byte number the kernel wrote at argument 1 (`[1]`, `[SIGKILL]`); the address
/// when the call failed.
fn int_out(ctx: &Ctx<'_>, width: usize, show: impl Fn(i64) -> Arg) -> Arg {
    match ctx.data(1) {
        Some(d) if !ctx.failed() => {
            let mut bytes = [0u8; 8];
            for (b, v) in bytes.iter_mut().take(width).zip(d) {
                *b = *v;
            }
            Arg::boxed(show(i64::from_le_bytes(bytes)))
        }
        _ => Arg::Ptr(ctx.arg(1)),
    }
}
