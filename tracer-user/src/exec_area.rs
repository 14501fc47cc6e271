//! An exec's input recovered from the exec itself. The eBPF backend reads execve's path and
//! argv at sys_enter, from the caller's memory, and cannot fault a page in: a string never
//! touched (system()'s command in a fresh vfork child, posix_spawn's argv) reads as a fault.
//! A successful exec's exit record carries the strings the kernel copied to the new image
//! (`CAP_EXEC_AREA`); this puts them in place of what faulted, so the line is strace's.

use tracer_common::{
    ArrayHeader, BLOB_FAULTED, BLOB_TRUNCATED, CAP_CSTR, CAP_EXEC_AREA, CAP_STRV,
    EXEC_AREA_ARGV_AT, EXEC_AREA_PATH_AT, ExecArea, STRV_MAX_ITEMS,
    wire::{StrvWriter, read, read_at, strv_items},
};

use crate::event::Blob;

/// What the new image holds: the path and the argv strings.
struct Recovered {
    path: Vec<u8>,
    path_truncated: bool,
    argv: Vec<Vec<u8>>,
}

/// Replaces the faulted path and argv strings of an exec's blobs with the recovered ones.
/// `execveat` (area in slot 5) keeps its path when the new image holds `/dev/fd/N/...`
/// there (the kernel's name for a path relative to a dirfd); `/dev/fd/N` alone is an empty
/// path (AT_EMPTY_PATH); any other name is the path as given (`AT_FDCWD` or an absolute
/// path).
pub fn recover(blobs: &mut [Blob]) {
    let Some((slot, rec)) = blobs
        .iter()
        .find(|b| b.kind == CAP_EXEC_AREA && !b.faulted)
        .and_then(|b| Some((b.arg, parse(&b.data)?)))
    else {
        return;
    };
    let fd_name = rec.path.strip_prefix(b"/dev/fd/");
    let (path_arg, given, argv_arg) = match slot {
        3 => (Some(0), &rec.path[..], 1),
        // `/dev/fd/N` alone: the path was "" with AT_EMPTY_PATH (fexecve, runc's way).
        _ if fd_name.is_some_and(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit)) => {
            (Some(1), &b""[..], 2)
        }
        _ if fd_name.is_some() => (None, &b""[..], 2),
        _ => (Some(1), &rec.path[..], 2),
    };
    for b in blobs.iter_mut() {
        if Some(b.arg) == path_arg && b.kind == CAP_CSTR && b.faulted && !rec.path.is_empty() {
            b.data = given.to_vec();
            b.faulted = false;
            b.truncated = rec.path_truncated && !given.is_empty();
        }
        if b.arg == argv_arg && b.kind == CAP_STRV {
            fill_argv(b, &rec.argv);
        }
    }
}

/// Whether an exec's path or argv (or one of its strings) could not be read: what `recover`
/// can put right (argv is the first string array; the environment only counts).
pub fn faulted(blobs: &[Blob]) -> bool {
    let argv = blobs
        .iter()
        .filter(|b| b.kind == CAP_STRV)
        .min_by_key(|b| b.arg);
    blobs.iter().any(|b| b.kind == CAP_CSTR && b.faulted)
        || argv.is_some_and(|b| b.faulted || strv_faulted(&b.data))
}

/// Whether an argv blob's array or one of its strings faulted.
fn strv_faulted(d: &[u8]) -> bool {
    let Some(head) = read::<ArrayHeader>(d) else {
        return false;
    };
    head.flags & u32::from(BLOB_FAULTED) != 0
        || strv_items(d).any(|(item, _)| item.flags & u32::from(BLOB_FAULTED) != 0)
}

fn parse(d: &[u8]) -> Option<Recovered> {
    let head: ExecArea = read(d)?;
    let at = EXEC_AREA_PATH_AT;
    let path = d.get(at..at + head.path_len as usize)?.to_vec();
    let argv_at = EXEC_AREA_ARGV_AT;
    let area = d.get(argv_at..argv_at + head.argv_len as usize)?;
    let mut argv: Vec<Vec<u8>> = area.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    // The area ends with a NUL: the last piece is empty (or, cut, a partial string).
    if area.last() == Some(&0) || head.argv_flags & u32::from(BLOB_TRUNCATED) != 0 {
        argv.pop();
    }
    Some(Recovered {
        path,
        path_truncated: head.path_flags & u32::from(BLOB_TRUNCATED) != 0,
        argv,
    })
}

/// Rewrites a `CAP_STRV` blob so that its faulted strings (or, if the array itself could not
/// be read, all of them) come from `argv`.
fn fill_argv(b: &mut Blob, argv: &[Vec<u8>]) {
    let d = &b.data;
    let Some(head) = read::<ArrayHeader>(d) else {
        return;
    };
    let array_faulted = head.flags & u32::from(BLOB_FAULTED) != 0;
    let strings: Vec<_> = strv_items(d).collect();
    let faulted: Vec<bool> = strings
        .iter()
        .map(|(item, _)| item.flags & u32::from(BLOB_FAULTED) != 0)
        .collect();
    if !array_faulted && !faulted.contains(&true) {
        return;
    }
    // A script's new argv is [interpreter, (argument,) script, argv[1..]]: the caller's
    // strings from argv[1] on are its last ones, and argv[0] is gone.
    let shift = argv.len().checked_sub(faulted.len());
    // Each string: its bytes if known, and the caller's pointer to it.
    let items: Vec<(Option<&[u8]>, u64)> = if array_faulted {
        argv.iter()
            .take(STRV_MAX_ITEMS as usize)
            .map(|s| (Some(s.as_slice()), 0))
            .collect()
    } else {
        strings
            .iter()
            .enumerate()
            .map(|(k, (item, at))| {
                let ptr = read_at::<u64>(d, *at).unwrap_or(0);
                let own = d.get(*at..*at + item.len as usize);
                let from_image = match shift {
                    Some(0) => argv.get(k),
                    Some(s) if k > 0 => argv.get(k + s),
                    _ => None,
                };
                let value = if faulted[k] {
                    from_image.map(Vec::as_slice)
                } else {
                    own
                };
                (value, ptr)
            })
            .collect()
    };
    let slot = if array_faulted {
        argv.iter().map(Vec::len).max().unwrap_or(0).min(4096)
    } else {
        head.slot as usize
    };
    let mut out = StrvWriter::new(slot);
    for (value, ptr) in &items {
        match value {
            Some(v) if v.len() > slot => out.push(v, u32::from(BLOB_TRUNCATED), *ptr),
            Some(v) => out.push(v, 0, *ptr),
            None => out.push(&[], u32::from(BLOB_FAULTED), *ptr),
        }
    }
    b.data = out.finish(head.flags & !u32::from(BLOB_FAULTED));
}

/// Blobs as the kernel side writes them, for tests.
#[cfg(test)]
pub mod fixtures {
    use tracer_common::{BLOB_FAULTED, CAP_EXEC_AREA, EXEC_PATH_CAP};

    use crate::event::Blob;

    /// An exec's blob: read at enter unless it is the new image's area.
    pub fn blob(arg: u8, kind: u8, faulted: bool, data: Vec<u8>) -> Blob {
        Blob {
            arg,
            kind,
            truncated: false,
            faulted,
            at_enter: kind != CAP_EXEC_AREA,
            data,
        }
    }

    /// A `CAP_STRV` blob: (string, faulted) items in slots of `slot` bytes.
    pub fn strv(items: &[(&str, bool)], slot: usize) -> Vec<u8> {
        let mut d = Vec::new();
        for v in [items.len() as u32, 0, slot as u32, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        for (k, (s, faulted)) in items.iter().enumerate() {
            let (len, flags) = if *faulted {
                (0, BLOB_FAULTED)
            } else {
                (s.len(), 0)
            };
            d.extend_from_slice(&(len as u32).to_le_bytes());
            d.extend_from_slice(&u32::from(flags).to_le_bytes());
            let mut bytes = if *faulted {
                (0x1000 * (k as u64 + 1)).to_le_bytes().to_vec()
            } else {
                s.as_bytes().to_vec()
            };
            bytes.resize(slot, 0);
            d.extend_from_slice(&bytes);
        }
        d
    }

    /// A `CAP_EXEC_AREA` blob: the new image's path and argv strings.
    pub fn area(path: &str, argv: &[&str]) -> Vec<u8> {
        let strings: Vec<u8> = argv
            .iter()
            .flat_map(|s| [s.as_bytes(), b"\0"].concat())
            .collect();
        let mut d = Vec::new();
        for v in [path.len() as u32, strings.len() as u32, 0, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        let mut p = path.as_bytes().to_vec();
        p.resize(EXEC_PATH_CAP, 0);
        d.extend_from_slice(&p);
        d.extend_from_slice(&strings);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::{fixtures::*, *};
    use crate::decode::bytes::{u32_at, u64_at};

    /// The strings of a `CAP_STRV` blob (None: faulted).
    fn strings(d: &[u8]) -> Vec<Option<String>> {
        let (count, slot) = (
            u32_at(d, 0).unwrap() as usize,
            u32_at(d, 8).unwrap() as usize,
        );
        (0..count)
            .map(|k| {
                let at = 16 + k * (8 + slot);
                let len = u32_at(d, at).unwrap() as usize;
                let faulted = u32_at(d, at + 4).unwrap() & u32::from(BLOB_FAULTED) != 0;
                (!faulted).then(|| String::from_utf8_lossy(&d[at + 8..at + 8 + len]).into())
            })
            .collect()
    }

    #[test]
    fn faulted_path_and_argv_strings_come_from_the_new_image() {
        let mut blobs = vec![
            blob(0, CAP_CSTR, true, Vec::new()),
            blob(
                1,
                CAP_STRV,
                false,
                strv(&[("sh", false), ("", true), ("", true)], 34),
            ),
            blob(
                3,
                CAP_EXEC_AREA,
                false,
                area("/bin/sh", &["sh", "-c", "exit 3"]),
            ),
        ];
        recover(&mut blobs);
        assert_eq!(
            (blobs[0].faulted, blobs[0].data.as_slice()),
            (false, &b"/bin/sh"[..])
        );
        let want = ["sh", "-c", "exit 3"].map(|s| Some(s.to_string()));
        assert_eq!(strings(&blobs[1].data), want);
    }

    #[test]
    fn a_script_keeps_what_cannot_be_known_faulted() {
        // The kernel ran "/usr/bin/sh /tmp/s.sh arg": argv[0] as passed is gone.
        let mut blobs = vec![
            blob(1, CAP_STRV, false, strv(&[("", true), ("", true)], 34)),
            blob(
                3,
                CAP_EXEC_AREA,
                false,
                area("/tmp/s.sh", &["/usr/bin/sh", "/tmp/s.sh", "arg"]),
            ),
        ];
        recover(&mut blobs);
        assert_eq!(strings(&blobs[0].data), vec![None, Some("arg".to_string())]);
        // The unknown one keeps the caller's pointer, to print as an address.
        assert_eq!(u64_at(&blobs[0].data, 16 + 8), Some(0x1000));
    }

    #[test]
    fn execveat_keeps_its_path_and_readable_strings_stay() {
        let mut blobs = vec![
            blob(1, CAP_CSTR, true, Vec::new()),
            blob(2, CAP_STRV, false, strv(&[("a", false), ("b", false)], 34)),
            blob(5, CAP_EXEC_AREA, false, area("/dev/fd/3/x", &["x", "y"])),
        ];
        let before = blobs[1].data.clone();
        recover(&mut blobs);
        assert!(blobs[0].faulted);
        assert_eq!(blobs[1].data, before);
    }

    #[test]
    fn execveat_of_an_fd_with_an_empty_path_gets_it_back() {
        let mut blobs = vec![
            blob(1, CAP_CSTR, true, Vec::new()),
            blob(2, CAP_STRV, false, strv(&[("true", false)], 34)),
            blob(5, CAP_EXEC_AREA, false, area("/dev/fd/4", &["true"])),
        ];
        recover(&mut blobs);
        assert!(!blobs[0].faulted);
        assert_eq!(blobs[0].data, b"");
        // A path relative to the fd is not the new image's to give.
        let mut blobs = vec![
            blob(1, CAP_CSTR, true, Vec::new()),
            blob(5, CAP_EXEC_AREA, false, area("/dev/fd/4/true", &["true"])),
        ];
        recover(&mut blobs);
        assert!(blobs[0].faulted);
    }

    #[test]
    fn execveat_from_the_cwd_gets_its_path_back() {
        let mut blobs = vec![
            blob(1, CAP_CSTR, true, Vec::new()),
            blob(2, CAP_STRV, false, strv(&[("true", false)], 34)),
            blob(5, CAP_EXEC_AREA, false, area("/bin/true", &["true"])),
        ];
        recover(&mut blobs);
        assert!(!blobs[0].faulted);
        assert_eq!(blobs[0].data, b"/bin/true");
    }
}
