//! The process, memory and filesystem long tail against real strace 6.1
//! (tests/workloads/misc_tail.c): arch_prctl, get_robust_list, swapon, kexec_load and
//! kexec_file_load, ptrace's registers, gettimeofday/settimeofday's timezone, XFS quotactl commands, mremap,
//! memfd_create, migrate_pages/move_pages, getrandom, fcntl, renameat2, access, xattr
//! values, fstatfs, mknodat, utimes/utimensat, empty iovec arrays, open_by_handle_at,
//! select/pselect6; strace and tracer (both backends) must print the same lines.

mod common;
#[path = "support/decoders.rs"]
mod decoders;

use std::sync::LazyLock;

use common::*;
use decoders::*;
use regex::Regex;

/// The random bytes glibc's start asks getrandom for, different in each run.
static RANDOM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"getrandom\("(\\x[0-9a-f]{2})+""#).expect("regex"));

/// arch_prctl's XCOMP masks (`[0x207 /* XFEATURE_MASK_FPSSE|... */]`) and codes strace 6.1
/// does not know (`0x4001 /* ARCH_??? */`); get_robust_list's head and length; ptrace's
/// SETREGS registers; clone's parent_tid for CLONE_PIDFD; swapon's flags
/// and priority; kexec_load's architecture, flags and segments, kexec_file_load's command
/// line and flags; the timezone; XFS quotactl's fs_disk_quota and flags; mremap's new
/// address only with MREMAP_MAYMOVE|MREMAP_FIXED; memfd_create's `0x18 /* MFD_??? */`;
/// node masks and move_pages' arrays; getrandom's `""`; fcntl's unsigned arguments;
/// `RENAME_??` and `?_OK`; xattr values without their trailing NUL; PIPEFS_MAGIC and
/// ANON_INODE_FS_MAGIC; `S_IFIFO|S_ISUID|S_ISGID|0777`; times without a date; `[]`;
/// open_by_handle_at's handle; select's sets for nfds <= 0 and cut at nfds; pselect6's
/// sigmask of another size.
#[test]
fn root_misc_long_tail_as_strace() {
    require_root();
    let calls = "arch_prctl,get_robust_list,swapon,kexec_load,kexec_file_load,gettimeofday,\
                 settimeofday,quotactl,mremap,memfd_create,migrate_pages,move_pages,getrandom,\
                 fcntl,renameat2,access,faccessat,setxattr,fsetxattr,fstatfs,mknodat,utimes,\
                 utimensat,readv,writev,vmsplice,open_by_handle_at,select,pselect6,ptrace,clone";
    let mask = |text: &str| RANDOM.replace_all(text, "getrandom(RANDOM").into_owned();
    masked_as_strace(&[], "misc_tail", calls, mask, false);
}
