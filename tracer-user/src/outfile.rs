//! Files tracer creates (`-o`, `-ff`, `--record`). A trace holds query texts and file names,
//! so a file is created mode 0600 unless `--file-mode` says otherwise, never through a
//! symbolic link (another user may have planted it in /tmp, or after rotation in a
//! world-writable log directory), and never into a file that belongs to another user. A
//! trace meant for a stdout that was closed when tracer started is an error, not lost.

use std::{
    fs::{File, OpenOptions},
    io,
    os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, Ordering},
};

/// A trace file's mode unless `--file-mode` is given: the invoking user's alone.
pub const DEFAULT_MODE: u32 = 0o600;

/// Why a file was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OutFileError {
    #[error(
        "{0}: is a symbolic link: tracer does not write a trace through one (another user may \
         have planted it); give the real path"
    )]
    Symlink(PathBuf),
    #[error(
        "{path}: goes through {link}, a symbolic link of uid {uid} in a sticky world-writable \
         directory: tracer does not follow one (another user may have planted it); give the \
         real path"
    )]
    PlantedLink {
        path: PathBuf,
        link: PathBuf,
        uid: u32,
    },
    #[error("{path}: belongs to uid {uid}: tracer does not write a trace into another user's file")]
    OtherOwner { path: PathBuf, uid: u32 },
    #[error("{path}: no process reads this fifo")]
    NoReader { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("standard output is closed: nowhere to write the trace (give -o FILE)")]
    StdoutClosed,
}

/// How an existing file is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Emptied first (`-o` at start, as strace does).
    Truncate,
    /// Written on at its end (the reopen after rotation).
    Append,
}

/// Opens `path` for writing a trace, created with `mode` (exactly: the umask does not widen
/// or narrow an explicit `--file-mode`). Symlinks are refused except the system's own under
/// /dev and /proc (`-o /dev/stderr`); a regular file or fifo must belong to the invoking user
/// or to root.
pub fn create(path: &Path, mode: u32, existing: Existing) -> Result<File, OutFileError> {
    let io_err = |source| OutFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let system_link = path.starts_with("/dev/") || path.starts_with("/proc/");
    check_directories(path)?;
    let mut flags = libc::O_CLOEXEC | libc::O_NOCTTY | libc::O_NONBLOCK;
    if !system_link {
        flags |= libc::O_NOFOLLOW;
    }
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .append(existing == Existing::Append)
        .mode(mode)
        .custom_flags(flags)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => OutFileError::Symlink(path.to_path_buf()),
            Some(libc::ENXIO) => OutFileError::NoReader {
                path: path.to_path_buf(),
            },
            _ => io_err(e),
        })?;
    let meta = file.metadata().map_err(io_err)?;
    // SAFETY: getuid has no preconditions.
    let me = unsafe { libc::getuid() };
    let owned_by_other = meta.uid() != me && meta.uid() != 0;
    if owned_by_other && (meta.is_file() || !system_link) {
        return Err(OutFileError::OtherOwner {
            path: path.to_path_buf(),
            uid: meta.uid(),
        });
    }
    if meta.is_file() {
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io_err)?;
        if existing == Existing::Truncate {
            file.set_len(0).map_err(io_err)?;
        }
    }
    blocking(&file).map_err(io_err)?;
    Ok(file)
}

/// The kernel's `protected_symlinks` rule, applied to each directory on the way to `path`
/// whatever the sysctl says (it is 0 on some systems): a symbolic link in a sticky
/// world-writable directory (/tmp) is followed only when it belongs to the invoking user or to
/// the directory's owner. Another user may have planted it there to point a root trace at a
/// file of their choosing. (The last name is opened with O_NOFOLLOW.)
fn check_directories(path: &Path) -> Result<(), OutFileError> {
    // SAFETY: getuid has no preconditions.
    let me = unsafe { libc::getuid() };
    let mut at = PathBuf::new();
    let mut components = path.components().peekable();
    while let Some(component) = components.next() {
        at.push(component);
        if components.peek().is_none() {
            break;
        }
        let Ok(link) = std::fs::symlink_metadata(&at) else {
            return Ok(()); // the open names what is missing
        };
        if !link.file_type().is_symlink() || link.uid() == me {
            continue;
        }
        let parent = match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let Ok(dir) = std::fs::metadata(parent) else {
            continue;
        };
        let shared = dir.mode() & 0o1002 == 0o1002;
        if shared && link.uid() != dir.uid() {
            return Err(OutFileError::PlantedLink {
                path: path.to_path_buf(),
                link: at,
                uid: link.uid(),
            });
        }
    }
    Ok(())
}

/// Clears the O_NONBLOCK the open used (so a fifo without a reader fails instead of hanging).
fn blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on an fd we own, with integer arguments.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Run first thing in main: notes whether tracer was started with stdout closed. Rust's
/// runtime has by then put /dev/null, opened read-write, on any closed standard fd (so no file
/// tracer opens takes fd 1 or 2, where stderr's messages would land in the trace); a shell's
/// `>/dev/null` opens it write-only, so that is what tells the two apart.
pub fn guard_stdio() {
    // SAFETY: F_GETFL only reads the fd's flags.
    let flags = unsafe { libc::fcntl(1, libc::F_GETFL) };
    let closed =
        flags == -1 || (flags & libc::O_ACCMODE == libc::O_RDWR && is_dev_null(1).unwrap_or(false));
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

/// Whether `fd` is /dev/null (char device 1:3).
fn is_dev_null(fd: i32) -> Option<bool> {
    let meta = std::fs::metadata(format!("/proc/self/fd/{fd}")).ok()?;
    let null = std::fs::metadata("/dev/null").ok()?;
    Some(meta.file_type().is_char_device() && meta.rdev() == null.rdev())
}

/// Standard output for the trace: an error when tracer was started with it closed.
pub fn stdout() -> Result<io::Stdout, OutFileError> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Err(OutFileError::StdoutClosed);
    }
    Ok(io::stdout())
}

/// `--file-mode`: an octal mode, at most 0777.
pub fn parse_mode(text: &str) -> Result<u32, String> {
    u32::from_str_radix(text, 8)
        .ok()
        .filter(|m| *m <= 0o777)
        .ok_or_else(|| format!("'{text}': not an octal file mode (0600, 0640, ...)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tracer-outfile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    #[test]
    fn created_with_the_mode_asked_and_an_old_file_emptied() {
        let dir = scratch("mode");
        let path = dir.join("trace");
        std::fs::write(&path, "old text").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        create(&path, DEFAULT_MODE, Existing::Truncate).expect("open");
        let meta = std::fs::metadata(&path).expect("stat");
        assert_eq!((meta.mode() & 0o777, meta.len()), (0o600, 0));
        create(&dir.join("b"), 0o640, Existing::Truncate).expect("open");
        let meta = std::fs::metadata(dir.join("b")).expect("stat");
        assert_eq!(meta.mode() & 0o777, 0o640);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn symlinks_are_not_followed() {
        let dir = scratch("link");
        let victim = dir.join("victim");
        std::fs::write(&victim, "keep").expect("write");
        std::os::unix::fs::symlink(&victim, dir.join("trace")).expect("symlink");
        for how in [Existing::Truncate, Existing::Append] {
            let err = create(&dir.join("trace"), DEFAULT_MODE, how).expect_err("refused");
            assert!(matches!(err, OutFileError::Symlink(_)), "{err}");
        }
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_directory_link_planted_in_a_sticky_directory_is_not_followed() {
        // SAFETY: getuid has no preconditions.
        if unsafe { libc::getuid() } != 0 {
            return; // lchown to another user needs root (the root tests cover this too)
        }
        let dir = scratch("dirlink");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
        let target = dir.join("real");
        std::fs::create_dir(&target).expect("mkdir");
        let link = dir.join("logs");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        // The invoker's own link is followed.
        create(&link.join("a"), DEFAULT_MODE, Existing::Truncate).expect("own link");
        // Another user's (not the directory's owner's) is not.
        std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).expect("lchown");
        let err = create(&link.join("b"), DEFAULT_MODE, Existing::Truncate).expect_err("refused");
        assert!(
            matches!(err, OutFileError::PlantedLink { uid: 65534, .. }),
            "{err}"
        );
        assert!(!target.join("b").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn modes() {
        assert_eq!(parse_mode("0640"), Ok(0o640));
        assert_eq!(parse_mode("600"), Ok(0o600));
        assert!(parse_mode("0800").is_err());
        assert!(parse_mode("01777").is_err());
    }
}
