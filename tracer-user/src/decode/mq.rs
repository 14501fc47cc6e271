//! POSIX message queues as strace 6.1's mq.c prints them: mq_open's flags (and, with
//! O_CREAT, its mode and `struct mq_attr`), mq_getsetattr's attrs, mq_notify's `struct
//! sigevent` (print_sigevent.c, also what timer_create takes).

use crate::{
    decode::{
        Arg, Ctx, Syscall,
        bytes::{i32_at, i64_at, u32_at, u64_at},
        enum_value,
        flags::{flags, open_flags},
        signal,
    },
    tables::{
        flags::O_CREAT,
        mq_gen::{MQ_ATTR_FLAGS, SIGEV_NOTIFY},
    },
};

/// mq_open: `name, flags`, then `mode, attr` only when the flags create the queue (the row
/// renders all four).
pub fn mq_open(ctx: &Ctx<'_>, sc: &mut Syscall) {
    let flags = u64::from(ctx.arg(1) as u32);
    sc.args[1] = open_flags(flags);
    if flags & O_CREAT == 0 {
        sc.args.truncate(2);
    }
}

/// `struct mq_attr`: `{mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}`;
/// `named`: mq_flags by name (mq_getsetattr), else in hex (mq_open).
pub fn mq_attr(d: &[u8], named: bool) -> Option<Arg> {
    let mq_flags = u64_at(d, 0)?;
    let mq_flags = if named {
        flags(MQ_ATTR_FLAGS, mq_flags)
    } else {
        Arg::Hex(mq_flags)
    };
    Some(Arg::Struct {
        fields: vec![
            ("mq_flags", mq_flags),
            ("mq_maxmsg", Arg::Int(i64_at(d, 8)?)),
            ("mq_msgsize", Arg::Int(i64_at(d, 16)?)),
            ("mq_curmsgs", Arg::Int(i64_at(d, 24)?)),
        ],
        more: false,
    })
}

/// `struct sigevent`: its value (when its pointer is not NULL), signal, notification kind and
/// the kind's own fields.
pub fn sigevent(d: &[u8]) -> Option<Arg> {
    let value = u64_at(d, 0)?;
    let (signo, notify) = (u32_at(d, 8)?, u32_at(d, 12)?);
    let mut fields = Vec::with_capacity(5);
    if value != 0 {
        let sigval = Arg::Struct {
            fields: vec![
                ("sival_int", Arg::Int(i64::from(value as u32 as i32))),
                ("sival_ptr", Arg::Ptr(value)),
            ],
            more: false,
        };
        fields.push(("sigev_value", sigval));
    }
    let kind = SIGEV_NOTIFY.name(u64::from(notify));
    // Only these notify with a signal; for the others strace prints the number.
    let signalling = matches!(
        kind,
        Some("SIGEV_SIGNAL" | "SIGEV_THREAD" | "SIGEV_THREAD_ID")
    );
    let signo = if signalling {
        signal(u64::from(signo))
    } else {
        Arg::UInt(u64::from(signo))
    };
    fields.push(("sigev_signo", signo));
    fields.push(("sigev_notify", enum_value(SIGEV_NOTIFY, u64::from(notify))));
    match kind {
        Some("SIGEV_THREAD_ID") => fields.push((
            "sigev_notify_thread_id",
            Arg::Int(i64::from(i32_at(d, 16)?)),
        )),
        Some("SIGEV_THREAD") => {
            fields.push(("sigev_notify_function", Arg::Ptr(u64_at(d, 16)?)));
            fields.push(("sigev_notify_attributes", Arg::Ptr(u64_at(d, 24)?)));
        }
        _ => {}
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}
