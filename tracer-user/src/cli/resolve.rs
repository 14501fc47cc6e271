//! What strace's options mean once parsed: the short and long spellings of one setting merged
//! (`-tt` and `--absolute-timestamps=time,us`), `-e` qualifiers sorted by kind, values checked
//! with strace's messages, and the options tracer does not do refused, each saying why.

use anyhow::{Result, bail};

use super::Cli;
use crate::{
    fdtable::Detail,
    filter::expr::{QuietSet, quiet_set},
    format::{
        dump::{Dumps, FdSet},
        quote::Style,
        stamp::{Precision, StampMode},
        value::ConstStyle,
    },
    summary::Columns,
    tamper::Injections,
    target::daemonize::Daemonize,
};

/// A command-line error strace follows with `Try 'strace -h' for more information.`.
fn usage(message: &str) -> anyhow::Error {
    super::parse::UsageError::Check(message.to_owned()).into()
}

/// strace's `invalid -X argument: 'Y'` (the option as typed: short or long).
fn invalid(option: &str, value: &str) -> anyhow::Error {
    usage(&format!("invalid {option} argument: '{value}'"))
}

/// A time `NUMBER[UNIT]` in nanoseconds (units s, ms, us, ns; `default` nanoseconds per unit
/// when none is given), for `option`.
fn time_ns(option: &str, text: &str, default: f64) -> Result<u64> {
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "" => default,
        "s" => 1e9,
        "ms" => 1e6,
        "us" => 1e3,
        "ns" => 1.0,
        _ => return Err(invalid(option, text)),
    };
    match number.parse::<f64>() {
        Ok(n) if (n * scale).is_finite() && n * scale < u64::MAX as f64 => Ok((n * scale) as u64),
        _ => Err(invalid(option, text)),
    }
}

/// strace's refusal of two spellings of one setting given together.
fn both(short: &str, long: &str) -> anyhow::Error {
    anyhow::anyhow!("{short} and {long} cannot be provided simultaneously")
}

/// An `-e` qualifier's canonical name (strace's aliases: `t`, `signals`, `q`, ...).
fn qualifier(name: &str) -> Option<&'static str> {
    Some(match name {
        "trace" | "t" => "trace",
        "abbrev" | "a" => "abbrev",
        "verbose" | "v" => "verbose",
        "raw" | "x" => "raw",
        "signal" | "signals" | "s" => "signal",
        "read" | "reads" | "r" => "read",
        "write" | "writes" | "w" => "write",
        "fault" => "fault",
        "inject" => "inject",
        "status" => "status",
        "quiet" | "silent" | "silence" | "q" => "quiet",
        "kvm" => "kvm",
        "decode-fds" | "decode-fd" => "decode-fds",
        "decode-pids" | "decode-pid" => "decode-pids",
        _ => return None,
    })
}

/// Why tracer does not do what an `-e` qualifier (or its long option) asks.
fn qualifier_refusal(name: &str) -> Option<&'static str> {
    Some(match name {
        "kvm" => "not supported: KVM vcpu exits are not decoded",
        _ => return None,
    })
}

/// `--decode-pids=...` / `-Y`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DecodePids {
    /// `comm` (`-Y`): the process name after each pid.
    pub comm: bool,
    /// `pidns`: pids also as tracer's pid namespace numbers them.
    pub pidns: bool,
}

/// `-e` expressions, sorted: the filter's (trace, status, signal) and the others by name.
#[derive(Debug, Default)]
pub struct Qualifiers {
    /// `trace=...`, `status=...`, `signal=...` (and bare sets), in order, for the filter.
    pub filter: Vec<String>,
    /// `quiet=...`, last one wins.
    pub quiet: Option<String>,
    /// `decode-fds=...`, last one wins.
    pub decode_fds: Option<String>,
    /// `raw=...`, last one wins.
    pub raw: Option<String>,
    /// `read=...`, `write=...`, last one of each wins.
    pub dumps: Dumps,
    /// `abbrev=...` (`-v` is `abbrev=none`), last one wins.
    pub abbrev: Option<String>,
    /// `verbose=...`, last one wins.
    pub verbose: Option<String>,
}

impl Cli {
    /// Every `-e EXPR` and the long options that are qualifiers (`--trace=SET`, `--quiet`...).
    fn all_exprs(&self) -> Vec<String> {
        let mut exprs = self.exprs.clone();
        let longs = [
            ("trace", &self.trace),
            ("status", &self.status),
            ("signal", &self.signal),
            ("abbrev", &self.abbrev),
            ("verbose", &self.verbose),
            ("raw", &self.raw),
            ("read", &self.read),
            ("write", &self.write),
            ("quiet", &self.quiet),
            ("kvm", &self.kvm),
            ("decode-fds", &self.decode_fds_set),
            ("inject", &self.inject),
            ("fault", &self.fault),
        ];
        for (name, value) in longs {
            if let Some(v) = value {
                exprs.push(format!("{name}={v}"));
            }
        }
        exprs
    }

    /// The `-e` qualifiers, or the first one tracer refuses, with why.
    pub fn qualifiers(&self) -> Result<Qualifiers> {
        let mut q = Qualifiers::default();
        for e in self.all_exprs() {
            let Some((name, set)) = e.split_once('=') else {
                q.filter.push(e);
                continue;
            };
            // strace reads an unknown qualifier as a syscall list (and refuses its names).
            let Some(name) = qualifier(name) else {
                q.filter.push(format!("trace={e}"));
                continue;
            };
            if let Some(why) = qualifier_refusal(name) {
                bail!("-e {name}=: {why}");
            }
            match name {
                "quiet" => q.quiet = Some(set.to_string()),
                "decode-fds" => q.decode_fds = Some(set.to_string()),
                "raw" => q.raw = Some(set.to_string()),
                "abbrev" => q.abbrev = Some(set.to_string()),
                "verbose" => q.verbose = Some(set.to_string()),
                "read" => q.dumps.read = FdSet::parse(set)?,
                "write" => q.dumps.write = FdSet::parse(set)?,
                // Read by `injections` and `decode_pids_set`.
                "inject" | "fault" | "decode-pids" => {}
                _ => q.filter.push(format!("{name}={set}")),
            }
        }
        Ok(q)
    }

    /// `-e inject=`/`-e fault=` (and `--inject`, `--fault`) in order, and the warnings strace
    /// gives for them.
    pub fn injections(&self) -> Result<(Injections, Vec<String>)> {
        let mut all = Injections::default();
        let mut warnings = Vec::new();
        for e in self.all_exprs() {
            if let Some((name, set)) = e.split_once('=')
                && let Some(kind @ ("inject" | "fault")) = qualifier(name)
            {
                warnings.extend(all.add(set, kind == "fault")?);
            }
        }
        Ok((all, warnings))
    }

    /// The first option tracer does not do, with why; `None` when all are done.
    pub fn refusal(&self) -> Option<String> {
        let refused = [
            (
                self.interruptible.is_some(),
                "-I/--interruptible",
                "not supported: tracer blocks no signals; Ctrl-C and SIGTERM detach cleanly at any time",
            ),
            (
                self.tips.is_some(),
                "--tips",
                "not supported: tracer has no tips to show",
            ),
        ];
        refused
            .into_iter()
            .find(|(given, _, _)| *given)
            .map(|(_, option, why)| format!("{option}: {why}"))
    }

    /// `-D`/`-DD`/`-DDD`, `--daemonize[=HOW]`: where tracer goes (None: it stays the
    /// launched command's parent).
    pub fn daemonize(&self) -> Result<Option<Daemonize>> {
        Daemonize::from_options(self.daemonize_short, self.daemonize.as_deref())
    }

    /// `-X STYLE` / `--const-print-style=STYLE` (`abbrev` when not given).
    pub fn const_style(&self) -> Result<ConstStyle> {
        match self.const_print_style.as_deref() {
            None => Ok(ConstStyle::Abbrev),
            Some(style) => ConstStyle::parse(style).ok_or_else(|| invalid("-X", style)),
        }
    }

    /// Checks what strace checks before tracing (values, spellings given twice), then refuses
    /// what tracer does not do. Options that do not go together are `UsageError::Check`
    /// (followed by where to find help, as strace).
    pub fn check(&self) -> Result<()> {
        // strace 6.1 takes -s up to INT_MAX / 2 (its buffers hold 4 bytes per byte shown).
        if self.strsize > 1_073_741_823 {
            return Err(invalid("-s", &self.strsize.to_string()));
        }
        self.const_style()?;
        let attaching = !self.pids.is_empty()
            || !self.comms.is_empty()
            || self.uid.is_some()
            || self.cgroup.is_some()
            || self.all;
        if self.daemonize()?.is_some() && self.command.is_empty() && attaching {
            return Err(usage("PROG [ARGS] must be specified with -D/--daemonize"));
        }
        if let Some(call) = self.detach_on.as_deref()
            && call != "execve"
        {
            bail!("Syscall '{call}' for -b isn't supported");
        }
        if self.wall_clock && !self.summary_only && !self.summary {
            return Err(usage(
                "-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)",
            ));
        }
        if self.summary_columns.is_some() && !self.summary_only && !self.summary {
            return Err(usage(
                "-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)",
            ));
        }
        if self.summary_only && self.summary {
            return Err(usage(
                "-c/--summary-only and -C/--summary are mutually exclusive",
            ));
        }
        if (self.summary_only || self.summary) && self.output_separately {
            return Err(usage(
                "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually \
                 exclusive",
            ));
        }
        // strace's values (numbers or names) are refused below, saying why; others are not
        // values at all, as strace says first.
        const INTERRUPTIBLE: [&str; 8] = [
            "1",
            "2",
            "3",
            "4",
            "anywhere",
            "waiting",
            "never",
            "never_tstp",
        ];
        if let Some(value) = &self.interruptible
            && !INTERRUPTIBLE.contains(&value.as_str())
        {
            return Err(invalid("-I", value));
        }
        if let Some(why) = self.refusal() {
            bail!("{why}");
        }
        self.decode_pids_set()?;
        if !self.injections()?.0.is_empty() && self.backend == super::Backend::Ebpf {
            bail!(
                "-e inject=/-e fault= is not supported by the eBPF backend: its programs watch \
                 syscalls from tracepoints and cannot change them; use --backend ptrace"
            );
        }
        Ok(())
    }

    /// strace 6.1's warnings for options that do less than they seem to (tracer goes on, as
    /// strace does).
    pub fn warn_as_strace(&self) {
        // strace's order.
        if self.append && self.output.is_none() {
            crate::note!("tracer: -A/--output-append-mode has no effect without -o/--output");
        }
        if self.status_options > 1 {
            crate::note!(
                "tracer: Only the last of -z/--successful-only/-Z/--failed-only options will \
                 take effect. See status qualifier for more complex filters."
            );
        }
    }

    /// Merges `-f`/`-ff` with `--follow-forks` and `--output-separately` as strace 6.1 does:
    /// afterwards `follow` says whether children are followed and `output_separately`
    /// whether -o FILE is split per process (-f's count decides when -f is given).
    pub fn settle_follow(&mut self) -> Result<()> {
        if self.follow > 0 && self.follow_forks {
            return Err(both("-f", "--follow-forks"));
        }
        if self.follow > 1 && self.output_separately {
            return Err(both("-ff", "--output-separately"));
        }
        if self.follow > 0 {
            self.output_separately = self.follow > 1;
        }
        if self.follow_deprecated {
            match self.follow > 0 || self.follow_forks {
                true => crate::note!("tracer: deprecated option -F ignored"),
                false => crate::note!(
                    "tracer: option -F is deprecated, please use -f/--follow-forks instead"
                ),
            }
            self.follow = self.follow.max(1);
        }
        if self.seccomp_bpf && self.detach_on.is_some() {
            // strace 6.1 drops --seccomp-bpf with -b (this message first, and only it).
            crate::note!(
                "tracer: --seccomp-bpf is not enabled because it is not compatible with -b"
            );
            self.seccomp_bpf = false;
        }
        if self.seccomp_bpf && self.command.is_empty() && self.pids.iter().any(|p| !p.is_empty()) {
            // strace 6.1 says so first when it only attaches (the filter goes in at an exec).
            crate::note!("tracer: --seccomp-bpf is not enabled for processes attached with -p");
        }
        if self.seccomp_bpf && self.follow == 0 && !self.follow_forks {
            // strace 6.1's man page says --seccomp-bpf implies -f; its code disables it.
            crate::note!(
                "tracer: --seccomp-bpf cannot be used without -f/--follow-forks, disabling"
            );
            self.seccomp_bpf = false;
        }
        if self.follow_forks {
            self.follow = self.follow.max(1);
        }
        Ok(())
    }

    /// `-Y` / `--decode-pids=comm,pidns` / `--pidns-translation` / `-e decode-pids=SET`: as
    /// strace's, each replaces the set before it (`parse` puts them in `exprs` in their
    /// order; a `Cli` built otherwise has them in its fields).
    pub fn decode_pids_set(&self) -> Result<DecodePids> {
        let mut set = DecodePids {
            comm: self.decode_pids_comm,
            pidns: self.pidns_translation,
        };
        let exprs = self.exprs.iter().filter_map(|e| {
            let (name, set) = e.split_once('=')?;
            (qualifier(name)? == "decode-pids").then_some(set)
        });
        for text in self.decode_pids.iter().map(String::as_str).chain(exprs) {
            set = DecodePids::default();
            for item in text.split(',') {
                match item {
                    "comm" => set.comm = true,
                    "pidns" => set.pidns = true,
                    "none" => {}
                    "all" => (set.comm, set.pidns) = (true, true),
                    other => bail!("invalid decode-pids '{other}'"),
                }
            }
        }
        Ok(set)
    }

    /// `-U COLUMNS`, strace's default without it.
    pub fn summary_columns(&self) -> Result<Columns> {
        match &self.summary_columns {
            Some(text) => Columns::parse(text).map_err(|e| usage(&e.to_string())),
            None => Ok(Columns::default()),
        }
    }

    /// `-O OVERHEAD[UNIT]` in ns (units s, ms, us, ns; microseconds when none is given).
    pub fn overhead_ns(&self) -> Result<u64> {
        self.overhead
            .as_deref()
            .map_or(Ok(0), |text| time_ns("-O", text, 1e3))
    }

    /// `--min-duration TIME[UNIT]` in ns (units s, ms, us, ns; milliseconds, as perf trace's
    /// `--duration`, when none is given); 0 when not given.
    pub fn min_duration_ns(&self) -> Result<u64> {
        match self.min_duration.as_deref() {
            None => Ok(0),
            Some(text) => match time_ns("--min-duration", text, 1e6)? {
                // A call of any length "took at least 0": the filter would filter nothing.
                0 => Err(anyhow::anyhow!(
                    "invalid --min-duration argument: '{text}': a time above 0 (10ms, 250us, 1.5s)"
                )),
                ns => Ok(ns),
            },
        }
    }

    /// `-t`/`-tt`/`-ttt`, `--absolute-timestamps=...`, `-r[=PRECISION]`.
    pub fn stamp_mode(&self) -> Result<StampMode> {
        let relative = match &self.relative {
            Some(p) => {
                Some(Precision::parse(p).ok_or_else(|| invalid("--relative-timestamps", p))?)
            }
            None => None,
        };
        match &self.absolute_timestamps {
            Some(_) if self.timestamps > 0 => Err(both("-t", "--absolute-timestamps")),
            Some(text) if relative.is_none() => StampMode::parse_absolute(text)
                .ok_or_else(|| invalid("--absolute-timestamps", text)),
            _ => Ok(StampMode::from_flags(self.timestamps, relative)),
        }
    }

    /// `-T[=PRECISION]`.
    pub fn durations(&self) -> Result<Option<Precision>> {
        self.syscall_times
            .as_deref()
            .map(|p| Precision::parse(p).ok_or_else(|| invalid("--syscall-times", p)))
            .transpose()
    }

    /// `-x`/`-xx` or `--strings-in-hex[=WHICH]`.
    pub fn quote_style(&self) -> Result<Style> {
        let level = match self.strings_in_hex.as_deref() {
            Some(_) if self.hex > 0 => return Err(both("-x", "--strings-in-hex")),
            Some("non-ascii-chars") => return Ok(Style::HexEscapes),
            Some("non-ascii") => 1,
            Some("all") => 2,
            Some(other) => return Err(invalid("--strings-in-hex", other)),
            None => self.hex,
        };
        Ok(match level {
            0 => Style::Octal,
            1 => Style::HexNonAscii,
            _ => Style::HexAll,
        })
    }

    /// `-y`/`-yy` or `-e decode-fds=SET` / `--decode-fds[=SET]` (see `Detail::parse`).
    pub fn fd_detail(&self, set: Option<&str>) -> Result<Option<Detail>> {
        let Some(set) = set else {
            return Ok(match self.decode_fds {
                0 => None,
                1 => Some(Detail::PATHS),
                _ => Some(Detail::FULL),
            });
        };
        if self.decode_fds > 0 {
            return Err(both("-y", "--decode-fds"));
        }
        Detail::parse(set).map_err(|e| anyhow::anyhow!(e))
    }

    /// `-q`/`-qq`/`-qqq` or `-e quiet=SET`; strace's default with `-o FILE COMMAND` is -q.
    pub fn quiet_set(&self, set: Option<&str>) -> Result<QuietSet> {
        let text = match (set, self.quiet_short) {
            (Some(_), 1..) => return Err(both("-q", "-e quiet/--quiet")),
            (Some(set), _) => set,
            (None, 0) if self.output.is_some() && !self.command.is_empty() => "attach,personality",
            (None, 0) => "none",
            (None, 1) => "attach,personality",
            (None, 2) => "attach,personality,exit",
            (None, _) => "all",
        };
        quiet_set(text).map_err(|e| anyhow::anyhow!("{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::time_ns;

    #[test]
    fn times_take_units_and_a_default() {
        assert_eq!(
            time_ns("--min-duration", "10ms", 1e6).ok(),
            Some(10_000_000)
        );
        assert_eq!(time_ns("--min-duration", "250us", 1e6).ok(), Some(250_000));
        assert_eq!(
            time_ns("--min-duration", "1.5s", 1e6).ok(),
            Some(1_500_000_000)
        );
        assert_eq!(time_ns("--min-duration", "20", 1e6).ok(), Some(20_000_000));
        assert_eq!(time_ns("-O", "20", 1e3).ok(), Some(20_000));
        for bad in ["", "ms", "5xs", "1e999s", "-3ms"] {
            let err = time_ns("--min-duration", bad, 1e6).expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!("invalid --min-duration argument: '{bad}'")
            );
        }
    }

    /// `--min-duration 0` says why it is refused (it said only `invalid ... '0'`).
    #[test]
    fn a_zero_min_duration_says_it_must_be_above_zero() {
        for zero in ["0", "0ms", "0.0s"] {
            let cli = crate::cli::parse::parse(
                ["tracer", "--min-duration", zero, "true"].map(std::ffi::OsString::from),
            )
            .expect("parses");
            let err = cli.min_duration_ns().expect_err(zero).to_string();
            assert_eq!(
                err,
                format!(
                    "invalid --min-duration argument: '{zero}': a time above 0 (10ms, 250us, 1.5s)"
                )
            );
        }
    }
}
