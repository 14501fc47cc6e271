//! Names and values from the kernel UAPI headers of Debian's `linux-libc-dev`: a header's
//! text, names valued by compiling a probe program that includes the header (their values
//! depend on struct sizes and other names, so they are not parsed), and the two kinds of
//! generated `Xlat` tables built on them: value tables read from the defines themselves
//! (`ValueTable`) and tables of the names strace 6.1 prints, in its order (`Table`).

use std::{collections::BTreeSet, fmt::Write as _, fs, path::Path, process::Command};

use anyhow::{Context, Result, bail};
use regex::Regex;

/// Headers that use what another header defines, and that header: asm-generic/ioctls.h
/// sizes TCGETS2 and the other termios2 requests with `struct termios2` (asm/termbits.h);
/// open_tree's flags are linux/mount.h's and linux/fcntl.h's `AT_*`; quotactl's XFS
/// commands are in linux/dqblk_xfs.h; linux/fs.h sizes FS_IOC_FIEMAP with `struct fiemap`
/// (linux/fiemap.h, which it does not include) and BLKTRACESETUP with
/// `struct blk_user_trace_setup` (linux/blktrace_api.h).
const PRELUDES: &[(&str, &str)] = &[
    ("asm-generic/ioctls.h", "asm/termbits.h"),
    ("linux/fs.h", "linux/fiemap.h"),
    ("linux/fs.h", "linux/blktrace_api.h"),
    ("linux/mount.h", "linux/fcntl.h"),
    ("linux/quota.h", "linux/dqblk_xfs.h"),
    ("linux/userfaultfd.h", "linux/fcntl.h"),
];

/// The header's text with backslash-continued lines joined.
pub(super) fn joined_lines(path: &Path) -> Result<String> {
    let text =
        fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
    Ok(text.replace("\\\n", " "))
}

/// Compiles and runs a program printing each name's value; names whose line does not compile
/// (a struct the header does not define) are dropped and the rest tried again. None when the
/// header itself does not compile.
pub(super) fn values(
    work: &Path,
    include: &str,
    names: &[String],
) -> Result<Option<Vec<(u32, String)>>> {
    let mut names = names.to_vec();
    let src = work.join("probe.c");
    let bin = work.join("probe");
    for _ in 0..4 {
        if names.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let mut c = String::from("#include <linux/types.h>\n#include <linux/ioctl.h>\n");
        for (_, needed) in PRELUDES.iter().filter(|(h, _)| *h == include) {
            let _ = writeln!(c, "#include <{needed}>");
        }
        let _ = writeln!(
            c,
            "#include <{include}>\n#include <stdio.h>\nint main(void) {{"
        );
        let first_line = c.lines().count() + 1;
        for n in &names {
            let _ = writeln!(c, "printf(\"%u {n}\\n\", (unsigned int)({n}));");
        }
        c.push_str("return 0;\n}\n");
        fs::write(&src, &c).with_context(|| format!("failed to write {}", src.display()))?;
        let out = Command::new("cc")
            .arg("-w")
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .output()
            .context("failed to run cc")?;
        if out.status.success() {
            let run = Command::new(&bin)
                .output()
                .with_context(|| format!("failed to run the probe for {include}"))?;
            return Ok(Some(parse_values(&String::from_utf8_lossy(&run.stdout))));
        }
        let bad = failing_lines(
            &String::from_utf8_lossy(&out.stderr),
            first_line,
            names.len(),
        );
        if bad.is_empty() {
            return Ok(None);
        }
        if std::env::var_os("TRACER_CODEGEN_DROPPED").is_some() {
            for &i in &bad {
                eprintln!("xtask: {include}: {} does not compile, left out", names[i]);
            }
        }
        names = names
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !bad.contains(i))
            .map(|(_, n)| n)
            .collect();
    }
    Ok(None)
}

/// Indexes (into the names) of the probe lines cc reported errors on.
fn failing_lines(stderr: &str, first_line: usize, count: usize) -> BTreeSet<usize> {
    stderr
        .lines()
        .filter(|l| l.contains("error"))
        .filter_map(|l| l.split("probe.c:").nth(1))
        .filter_map(|rest| rest.split(':').next()?.parse::<usize>().ok())
        .filter(|&line| line >= first_line && line < first_line + count)
        .map(|line| line - first_line)
        .collect()
}

fn parse_values(stdout: &str) -> Vec<(u32, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (v, n) = l.split_once(' ')?;
            Some((v.parse().ok()?, n.to_string()))
        })
        .collect()
}

/// One generated value table: its constant, its prefix, the header, and which defines.
pub struct ValueTable {
    pub constant: &'static str,
    pub prefix: &'static str,
    pub header: &'static str,
    /// Regex for the names; its values are read as hex or decimal numbers.
    pub names: &'static str,
    /// Flag bits (one name per bit, ascending) rather than values in header order.
    pub bits: bool,
    /// Names matching this are left out (`^$`: none).
    pub exclude: &'static str,
    /// Valued by compiling the header (values that are other names, octal or negative, as
    /// `PIDFD_NONBLOCK O_NONBLOCK`, `IPC_CREAT 00001000`, `RUSAGE_CHILDREN (-1)`) rather than
    /// by reading a number after the name; negative values are kept as 32-bit unsigned.
    pub probe: bool,
}

/// A generated file of `Xlat` tables (`what`: its doc line) read from the UAPI headers.
pub fn render_value_tables(what: &str, tables: &[ValueTable]) -> Result<String> {
    let mut out = format!(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! {what} from the UAPI headers of Debian's linux-libc-dev.\n\n\
         use super::flags::Xlat;\n",
    );
    for table in tables {
        let path = Path::new("/usr/include").join(table.header);
        let text = joined_lines(&path)?;
        let define = Regex::new(&format!(
            r"(?m)^\s*#\s*define\s+(?P<name>{})\s+(?P<value>0x[0-9A-Fa-f]+|[0-9]+)\s*(/\*.*)?$",
            table.names
        ))?;
        let exclude = Regex::new(table.exclude)?;
        let mut entries: Vec<(String, u64)> = Vec::new();
        for (name, value) in defined_values(table, &text, &define)? {
            if exclude.is_match(&name) {
                continue;
            }
            if table.bits {
                // strace 6.1's fs_flags names FS_RESERVED_FL; its other bit tables leave
                // the reserved bits in hex.
                let reserved = name.contains("RESERVED") && name != "FS_RESERVED_FL";
                if !value.is_power_of_two() || reserved {
                    continue;
                }
                entries.retain(|(_, v)| *v != value);
            }
            entries.push((name, value));
        }
        if table.bits {
            entries.sort_by_key(|(_, v)| *v);
        }
        // A probed table may hold one name (linux/pidfd.h: PIDFD_NONBLOCK).
        if entries.len() < if table.probe { 1 } else { 3 } {
            bail!(
                "only {} {} values found in {}",
                entries.len(),
                table.constant,
                table.header
            );
        }
        let _ = writeln!(
            out,
            "\n/// From {}{}.\npub const {}: Xlat = Xlat::new(\n    {:?},\n    &[",
            table.header,
            if table.bits { ", ascending by bit" } else { "" },
            table.constant,
            table.prefix
        );
        for (name, value) in entries {
            let _ = writeln!(out, "        ({name:?}, {value:#x}),");
        }
        out.push_str("    ],\n);\n");
    }
    Ok(out)
}

/// `(name, value)` of the table's defines in header order: the number after the name, or
/// (`probe`) every define of those names valued by compiling the header.
fn defined_values(table: &ValueTable, text: &str, numeric: &Regex) -> Result<Vec<(String, u64)>> {
    if !table.probe {
        let mut out = Vec::new();
        for c in numeric.captures_iter(text) {
            let token = &c["value"];
            let value = match token.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16)?,
                None => token.parse()?,
            };
            out.push((c["name"].to_string(), value));
        }
        return Ok(out);
    }
    // A define of the name, or an enum member (`IFA_ADDRESS,`, `RT_SCOPE_HOST=254,`), in
    // header order.
    let any = Regex::new(&format!(
        r"(?m)^\s*(?:#\s*define\s+(?P<define>{0})\s+\S|(?P<member>{0})\s*(?:=[^,\n]*)?,?\s*(?:/\*.*)?$)",
        table.names
    ))?;
    let mut names: Vec<String> = Vec::new();
    for c in any.captures_iter(text) {
        let name = c
            .name("define")
            .or_else(|| c.name("member"))
            .map_or("", |m| m.as_str());
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    let work = std::env::temp_dir().join(format!(
        "tracer-values-codegen-{}-{}",
        std::process::id(),
        table.constant
    ));
    fs::create_dir_all(&work).with_context(|| format!("failed to create {}", work.display()))?;
    let found = values(&work, table.header, &names)?;
    let _ = fs::remove_dir_all(&work);
    let found = found.with_context(|| format!("{} does not compile alone", table.header))?;
    Ok(found.into_iter().map(|(v, n)| (n, u64::from(v))).collect())
}

/// One table: its constant, its prefix (strace's `X???` marker), the header that values it,
/// and the names in strace's order.
pub(super) struct Table {
    pub constant: &'static str,
    pub prefix: &'static str,
    pub header: &'static str,
    /// Empty: every `#define` of the header whose name starts with `prefix` (`Table::defines`).
    pub names: &'static [&'static str],
}

impl Table {
    /// The table of every `#define` of `header` whose name starts with `prefix`, in header
    /// order: for strace lists that are exactly that (a header that grew a name would show as
    /// a change of the generated file).
    pub(super) const fn defines(
        constant: &'static str,
        prefix: &'static str,
        header: &'static str,
    ) -> Self {
        Self {
            constant,
            prefix,
            header,
            names: &[],
        }
    }
}

/// The names of `header`'s `#define`s that start with `prefix`, in header order, each once.
fn defined_names(header: &str, prefix: &str) -> Result<Vec<String>> {
    let text = joined_lines(&Path::new("/usr/include").join(header))?;
    let define = Regex::new(&format!(r"(?m)^\s*#\s*define\s+({prefix}\w*)"))?;
    let mut names: Vec<String> = Vec::new();
    for c in define.captures_iter(&text) {
        if !names.iter().any(|n| *n == c[1]) {
            names.push(c[1].to_string());
        }
    }
    if names.is_empty() {
        bail!("no {prefix}* defines in {header}");
    }
    Ok(names)
}

/// A generated file of `Xlat` tables (`what`: its doc line) whose names are listed in
/// strace's order and valued by compiling their headers.
pub(super) fn render(what: &str, tables: &[Table]) -> Result<String> {
    let mut out = format!(
        "//! @generated by `cargo xtask codegen`; do not edit.\n\
         //! {what}: the names strace 6.1 prints, in its order, valued\n\
         //! from the UAPI headers of Debian's linux-libc-dev.\n\n\
         use super::flags::Xlat;\n",
    );
    let work = std::env::temp_dir().join(format!("tracer-named-codegen-{}", std::process::id()));
    fs::create_dir_all(&work).with_context(|| format!("failed to create {}", work.display()))?;
    for table in tables {
        let names: Vec<String> = match table.names {
            [] => defined_names(table.header, table.prefix)?,
            listed => listed.iter().map(|n| (*n).to_string()).collect(),
        };
        let found = values(&work, table.header, &names)?
            .with_context(|| format!("{} does not compile alone", table.header))?;
        if found.len() != names.len() {
            bail!(
                "{}: {} of {} names valued from {}",
                table.constant,
                found.len(),
                names.len(),
                table.header
            );
        }
        let _ = writeln!(
            out,
            "\n/// From {}, in strace's order.\npub const {}: Xlat = Xlat::new(\n    {:?},\n    &[",
            table.header, table.constant, table.prefix
        );
        for (value, name) in found {
            let _ = writeln!(out, "        ({name:?}, {value:#x}),");
        }
        out.push_str("    ],\n);\n");
    }
    let _ = fs::remove_dir_all(&work);
    Ok(out)
}
