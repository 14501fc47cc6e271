//! The JSON records other than a call's: signals, stops, exits, lost events, stats, `--tls`
//! plaintext, `-c` summaries and the envelope-only ones (attach, detach).

use super::*;

/// A signal.
pub fn signal(e: &Envelope<'_>, sig: u32, info: &Arg) -> String {
    bounded(e, None, None, &|o, fit| {
        o.obj("signal", |s| {
            s.int("number", i64::from(sig))
                .str("name", &crate::tables::signals::name(u64::from(sig)));
            if has_value(info) {
                let typed = Typed {
                    fds: None,
                    tgid: 0,
                    fit,
                };
                s.obj("info", |i| typed_into(info, &typed, i));
            }
        });
    })
}

/// A task entering a group stop on `sig` (strace's `--- stopped by SIGSTOP ---`).
pub fn stopped(e: &Envelope<'_>, sig: u32) -> String {
    bounded(e, None, None, &|o, _| {
        o.obj("signal", |s| {
            s.int("number", i64::from(sig))
                .str("name", &crate::tables::signals::name(u64::from(sig)))
                .bool("stopped", true);
        });
    })
}

/// A task's end, from its wait status: `process.exit_code`, or `process.exit.signal` and
/// `core_dumped`, or `process.exit.superseded_by`.
pub fn exit(e: &Envelope<'_>, code: u32, superseded_by: Option<u32>) -> String {
    let end = End {
        code,
        superseded_by,
    };
    bounded(e, None, Some(&end), &|_, _| {})
}

/// `event.outcome` of a task's end: failure for a non-zero exit status or a deadly signal.
pub fn exit_outcome(code: u32, superseded_by: Option<u32>) -> &'static str {
    if superseded_by.is_none() && code != 0 {
        "failure"
    } else {
        "success"
    }
}

/// Events lost in the kernel.
pub fn lost(e: &Envelope<'_>, count: u64) -> String {
    bounded(e, None, None, &|o, _| {
        o.obj("lost", |l| {
            l.int("count", count as i64);
        });
    })
}

/// A stats record: tracer's counters and the state it holds.
pub fn stats(e: &Envelope<'_>, s: &crate::summary::stats::Stats) -> String {
    let h = &s.held;
    bounded(e, None, None, &|o, _| {
        o.obj("stats", |t| {
            t.int("events", s.events as i64)
                .int("lost", s.lost as i64)
                .int("rate", s.rate.round() as i64)
                .int("interval_ms", (s.interval_s * 1000.0).round() as i64)
                .int("processes", h.processes as i64)
                .int("tasks", h.tasks as i64)
                .int("fds", h.fds as i64)
                .int("pending", h.pending as i64)
                .int("kernel_traced", h.kernel_traced as i64)
                .int("kernel_inflight", h.kernel_inflight as i64);
        });
    })
}

/// What a `tls` record says beyond the envelope.
pub struct Tls<'a> {
    pub call: &'a crate::event::TlsCall,
    /// `SSL_read`, `SSL_write`, `SSL_read_ex`, `SSL_write_ex`.
    pub function: &'a str,
    /// The socket fd, when known.
    pub fd: Option<i32>,
    /// What the fd refers to (`-y`/`-yy`).
    pub peer: Option<&'a str>,
    /// `--annotate`'s note on where the fd came from.
    pub notes: Option<&'a str>,
}

/// One SSL_read/SSL_write call (`--tls`): the plaintext in `tls.data` (as text, invalid
/// UTF-8 replaced), how many bytes the call moved and how many were captured.
pub fn tls(e: &Envelope<'_>, t: &Tls<'_>) -> String {
    let c = t.call;
    let duration = c.ts_exit.checked_sub(c.ts_enter);
    bounded(e, duration, None, &|o, fit| {
        o.obj("tls", |x| {
            x.str("function", t.function);
            let direction = if tracer_common::tls_is_read(c.func) {
                "read"
            } else {
                "write"
            };
            x.str("direction", direction);
            if let Some(fd) = t.fd {
                x.int("fd", i64::from(fd));
            }
            if let Some(peer) = t.peer {
                x.str("peer", peer);
            }
            x.int("return", c.ret).int("length", c.done as i64);
            x.int("captured", c.data.len() as i64);
            let shown = fit.bytes(&c.data);
            if escape_lossy_into(shown, x.key("data")) {
                // As an argument's `string`: replaced bytes are said (README, schema).
                x.bool("utf8", false);
            }
            if c.truncated || shown.len() < c.data.len() {
                x.bool("truncated", true);
            }
            if let Some(notes) = t.notes {
                x.str("annotation", notes);
            }
        });
    })
}

/// What a `summary` record says: one row of the `-c` / `-C` table or its total.
pub struct SummaryRecord<'a> {
    /// The syscall's name; `None` for the total.
    pub name: Option<&'a str>,
    pub row: &'a crate::summary::Row,
    /// `-U p50,p99`: the row's percentiles are kept.
    pub percentiles: bool,
    /// `-Z`: failures by errno, most frequent first.
    pub errnos: Option<Vec<(u32, u64)>>,
    /// A `--stats-interval` table's interval; `None` for the whole run's table.
    pub interval_ms: Option<u64>,
    /// Events lost so far (the total's `lost`, only when some were: the table is partial).
    pub lost: u64,
}

/// One row of the `-c` / `-C` table at the end (`event.action` summary, `summary.syscall`),
/// or its total (`summary.total`, last, whose `message` is the table's heading and total): times in
/// nanoseconds; `p50_ns`/`p99_ns` with those columns, `errnos` with `-Z`, and
/// `summary.interval_ms` for an interval's table. A record per row keeps every line short
/// whatever the number of syscalls.
pub fn summary(e: &Envelope<'_>, s: &SummaryRecord<'_>) -> String {
    let r = s.row;
    bounded(e, None, None, &|o, _| {
        o.obj("summary", |t| {
            if let Some(ms) = s.interval_ms {
                t.int("interval_ms", ms as i64);
            }
            let row = |o: &mut Obj<'_>| {
                if let Some(name) = s.name {
                    o.str("name", name);
                }
                o.int("calls", r.calls as i64)
                    .int("errors", r.errors as i64)
                    .int("time_ns", r.nanos as i64)
                    .int("min_ns", r.min as i64)
                    .int("max_ns", r.max as i64);
                if s.percentiles {
                    o.int("p50_ns", r.p50 as i64).int("p99_ns", r.p99 as i64);
                }
                if s.name.is_none() && s.lost > 0 {
                    o.int("lost", s.lost as i64);
                }
                if let Some(errnos) = &s.errnos {
                    o.arr("errnos", |a| {
                        for &(errno, n) in errnos {
                            a.obj(|x| {
                                x.str("errno", &crate::summary::errnos::name(errno))
                                    .int("errno_number", i64::from(errno))
                                    .int("errors", n as i64);
                            });
                        }
                    });
                }
            };
            t.obj(if s.name.is_some() { "syscall" } else { "total" }, row);
        });
    })
}

/// attach / detach and other records with nothing more than the envelope.
pub fn plain(e: &Envelope<'_>) -> String {
    bounded(e, None, None, &|_, _| {})
}
