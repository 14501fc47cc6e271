//! A process's mappings, from `/proc/PID/maps`: which file (and which part of it) an address
//! of the process lies in.

/// One line of `/proc/PID/maps` that maps a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    /// Offset in the file of `start`.
    pub offset: u64,
    /// Mapped executable (`x` in the permissions).
    pub exec: bool,
    /// The file's device and inode, which tell two files of one path apart.
    pub dev: String,
    pub inode: u64,
    /// The path as the kernel prints it (`[vdso]` for the kernel's own).
    pub path: String,
}

/// Parses `/proc/PID/maps`, keeping the mappings that have a path (strace's `-k` leaves
/// anonymous ones out too).
pub fn parse(text: &str) -> Vec<Mapping> {
    text.lines().filter_map(line).collect()
}

/// One line of `/proc/PID/maps` split into its fields (`start-end perms offset dev inode
/// path`), the range parsed.
struct Fields<'a> {
    start: u64,
    end: u64,
    perms: &'a [u8],
    offset: &'a str,
    dev: &'a str,
    inode: &'a str,
    /// Empty for an anonymous mapping.
    path: &'a str,
}

fn fields(l: &str) -> Option<Fields<'_>> {
    let mut f = l.splitn(6, ' ');
    let (range, perms, offset, dev, inode) =
        (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
    let (start, end) = range.split_once('-')?;
    Some(Fields {
        start: u64::from_str_radix(start, 16).ok()?,
        end: u64::from_str_radix(end, 16).ok()?,
        perms: perms.as_bytes(),
        offset,
        dev,
        inode,
        path: f.next().unwrap_or("").trim_start(),
    })
}

fn line(l: &str) -> Option<Mapping> {
    let f = fields(l)?;
    if f.path.is_empty() {
        return None;
    }
    Some(Mapping {
        start: f.start,
        end: f.end,
        offset: u64::from_str_radix(f.offset, 16).ok()?,
        exec: f.perms.get(2) == Some(&b'x'),
        dev: f.dev.to_owned(),
        inode: f.inode.parse().ok()?,
        path: f.path.to_owned(),
    })
}

/// `[start, end)` of the mappings in `/proc/PID/maps` text that are private, read-only and
/// backed by a file (a non-zero inode): memory whose bytes cannot change while mapped.
pub fn frozen_ranges(text: &str) -> Vec<(u64, u64)> {
    text.lines()
        .filter_map(fields)
        .filter(|f| f.perms.get(1) == Some(&b'-') && f.perms.get(3) == Some(&b'p'))
        .filter(|f| f.inode != "0")
        .map(|f| (f.start, f.end))
        .collect()
}

/// The mapping `addr` lies in.
pub fn find(maps: &[Mapping], addr: u64) -> Option<&Mapping> {
    maps.iter().find(|m| m.start <= addr && addr < m.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_mappings_only() {
        let text = "\
55d0c8a00000-55d0c8a01000 r--p 00000000 fe:01 1234                       /tmp/t
55d0c8a01000-55d0c8a02000 r-xp 00001000 fe:01 1234                       /tmp/t
7f1c2c000000-7f1c2c021000 rw-p 00000000 00:00 0 
7f1c2c026000-7f1c2c17b000 r-xp 00026000 fe:01 99                         /usr/lib/x86_64-linux-gnu/libc.so.6
7ffd1e5fe000-7ffd1e600000 r-xp 00000000 00:00 0                          [vdso]
";
        let maps = parse(text);
        assert_eq!(maps.len(), 4);
        assert_eq!(maps[1].offset, 0x1000);
        assert!(maps[1].exec && !maps[0].exec);
        assert_eq!(maps[2].path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
        assert_eq!(maps[2].inode, 99);
        assert_eq!(find(&maps, 0x7f1c2c026010).map(|m| m.inode), Some(99));
        assert_eq!(find(&maps, 0x7f1c2c000010), None);
        assert_eq!(maps[3].path, "[vdso]");
    }
}
