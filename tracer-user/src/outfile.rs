//! Files tracer creates (`-o`, `-ff`, `--record`). A trace holds query texts and file names,
//! so a file is created mode 0600 unless `--file-mode` says otherwise, never through a
//! symbolic link (another user may have planted it in /tmp, or after rotation in a
//! world-writable log directory), and never into a file that belongs to another user. A
//! trace meant for a stdout that was closed when tracer started is an error, not lost.

use std::{
    ffi::{CStr, CString, OsStr, OsString},
    fs::File,
    io,
    os::{
        fd::{AsRawFd, FromRawFd, OwnedFd, RawFd},
        unix::{
            ffi::{OsStrExt, OsStringExt},
            fs::{MetadataExt, PermissionsExt},
        },
    },
    path::{Component, Path, PathBuf},
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
    /// The cause is in the message, not a `source` (an error chain printed with `{:#}` would
    /// say it twice).
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: io::Error },
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
/// or to root. The directories are walked one name at a time from the descriptor of the one
/// before (see [`open_parent`]), so what is checked is what is opened: a name swapped for a
/// symbolic link between a check and an open cannot redirect the trace.
pub fn create(path: &Path, mode: u32, existing: Existing) -> Result<File, OutFileError> {
    let io_err = |cause| OutFileError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let system_link = path.starts_with("/dev/") || path.starts_with("/proc/");
    let (parent, name) = open_parent(path)?;
    let mut flags = libc::O_CLOEXEC | libc::O_NOCTTY | libc::O_NONBLOCK | libc::O_WRONLY;
    flags |= libc::O_CREAT;
    if existing == Existing::Append {
        flags |= libc::O_APPEND;
    }
    if !system_link {
        flags |= libc::O_NOFOLLOW;
    }
    let file = openat(parent.as_raw_fd(), &name, flags, mode)
        .map(File::from)
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

/// How many symbolic links one path may go through (the kernel's MAXSYMLINKS).
const MAX_LINKS: usize = 40;

/// Opens the directory that holds `path`'s last name (O_PATH), walking one name at a time
/// with O_NOFOLLOW from the previous directory's descriptor. A symbolic link met on the way is
/// itself opened (O_PATH | O_NOFOLLOW): its owner is read from that descriptor and its target
/// from the same descriptor, so the link judged is the link followed. The rule is the kernel's
/// `protected_symlinks`, applied whatever the sysctl says (it is 0 on some systems): a link in
/// a sticky world-writable directory (/tmp) is followed only when it belongs to the invoking
/// user or to the directory's owner; another user may have planted it there to point a root
/// trace at a file of their choosing. Returns the directory and the last name.
fn open_parent(path: &Path) -> Result<(OwnedFd, CString), OutFileError> {
    let io_err = |cause| OutFileError::Io {
        path: path.to_path_buf(),
        cause,
    };
    let last = match path.file_name() {
        Some(name) => name,
        None => return Err(io_err(io::Error::from_raw_os_error(libc::EISDIR))),
    };
    let last = CString::new(last.as_bytes()).map_err(|_| io_err(invalid()))?;
    let start = if path.is_absolute() { "/" } else { "." };
    let mut dir = open_path(libc::AT_FDCWD, start).map_err(io_err)?;
    // Names still to walk, last first; `at` is the path walked so far, for messages.
    let mut todo: Vec<(PathBuf, OsString)> = Vec::new();
    push_names(
        &mut todo,
        path.parent().unwrap_or(Path::new("")),
        PathBuf::new(),
    );
    let mut links = 0;
    while let Some((at, name)) = todo.pop() {
        let next = open_path_nofollow(dir.as_raw_fd(), &name).map_err(io_err)?;
        let meta = fstat(next.as_raw_fd()).map_err(io_err)?;
        match meta.st_mode & libc::S_IFMT {
            libc::S_IFDIR => dir = next,
            libc::S_IFLNK => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io_err(io::Error::from_raw_os_error(libc::ELOOP)));
                }
                check_link(path, &at, &meta, dir.as_raw_fd())?;
                let target = readlink(next.as_raw_fd()).map_err(io_err)?;
                if target.is_absolute() {
                    dir = open_path(libc::AT_FDCWD, "/").map_err(io_err)?;
                }
                let base = if target.is_absolute() {
                    PathBuf::new()
                } else {
                    at.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                push_names(&mut todo, &target, base);
            }
            _ => return Err(io_err(io::Error::from_raw_os_error(libc::ENOTDIR))),
        }
    }
    Ok((dir, last))
}

/// Pushes `names`' components onto `todo` so that the first is popped first, each with the
/// path it makes after `base`.
fn push_names(todo: &mut Vec<(PathBuf, OsString)>, names: &Path, base: PathBuf) {
    let mut walked = Vec::new();
    let mut at = base;
    for component in names.components() {
        at.push(component);
        match component {
            Component::Normal(name) => walked.push((at.clone(), name.to_os_string())),
            Component::ParentDir => walked.push((at.clone(), OsString::from(".."))),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    todo.extend(walked.into_iter().rev());
}

/// Refuses the link `at` (stat `link`) found in directory `parent` when another user planted
/// it in a sticky world-writable directory.
fn check_link(
    path: &Path,
    at: &Path,
    link: &libc::stat,
    parent: RawFd,
) -> Result<(), OutFileError> {
    // SAFETY: getuid has no preconditions.
    let me = unsafe { libc::getuid() };
    if link.st_uid == me {
        return Ok(());
    }
    let Ok(dir) = fstat(parent) else {
        return Ok(());
    };
    let shared = dir.st_mode & 0o1002 == 0o1002;
    if shared && link.st_uid != dir.st_uid {
        return Err(OutFileError::PlantedLink {
            path: path.to_path_buf(),
            link: at.to_path_buf(),
            uid: link.st_uid,
        });
    }
    Ok(())
}

fn invalid() -> io::Error {
    io::Error::from_raw_os_error(libc::EINVAL)
}

/// openat(2) into an owned descriptor.
fn openat(dir: RawFd, name: &CStr, flags: i32, mode: u32) -> io::Result<OwnedFd> {
    // SAFETY: `name` is a valid C string; the mode is passed as the variadic argument.
    let fd = unsafe { libc::openat(dir, name.as_ptr(), flags, mode as libc::c_uint) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a descriptor openat just returned, owned by no one else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// An O_PATH descriptor of `name` in `dir` (followed if a link: only for "/" and ".").
fn open_path(dir: RawFd, name: &str) -> io::Result<OwnedFd> {
    let name = CString::new(name).map_err(|_| invalid())?;
    openat(
        dir,
        &name,
        libc::O_PATH | libc::O_CLOEXEC | libc::O_DIRECTORY,
        0,
    )
}

/// An O_PATH descriptor of `name` in `dir`, of the link itself if it is one.
fn open_path_nofollow(dir: RawFd, name: &OsStr) -> io::Result<OwnedFd> {
    let name = CString::new(name.as_bytes()).map_err(|_| invalid())?;
    openat(
        dir,
        &name,
        libc::O_PATH | libc::O_CLOEXEC | libc::O_NOFOLLOW,
        0,
    )
}

/// fstat of a descriptor (an O_PATH one too).
fn fstat(fd: RawFd) -> io::Result<libc::stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: fstat writes a whole stat into `st` on success.
    if unsafe { libc::fstat(fd, st.as_mut_ptr()) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: initialised by the successful fstat.
    Ok(unsafe { st.assume_init() })
}

/// The target of the symbolic link opened as `fd` (O_PATH | O_NOFOLLOW).
fn readlink(fd: RawFd) -> io::Result<PathBuf> {
    let mut buf = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: an empty name reads the link `fd` itself; `buf` is writable for its length.
    let n = unsafe { libc::readlinkat(fd, c"".as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    buf.truncate(n as usize);
    Ok(PathBuf::from(OsString::from_vec(buf)))
}

/// Clears the O_NONBLOCK the open used (so a fifo without a reader fails instead of hanging).
fn blocking(file: &File) -> io::Result<()> {
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

/// Run first thing in main: notes whether tracer was started with stdout closed (Rust's
/// runtime has by then put /dev/null on it; `target::std_fds` saw it closed before that).
pub fn guard_stdio() {
    let closed = crate::target::std_fds::closed_at_start() & (1 << libc::STDOUT_FILENO) != 0;
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
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
