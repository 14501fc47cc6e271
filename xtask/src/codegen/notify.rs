//! The fd-notification calls' tables (timerfd_*, inotify_*, signalfd4, eventfd2,
//! fanotify_*) from Debian's linux-libc-dev and glibc headers, by the names and in the order
//! strace 6.1's xlat files (timerfd_flags, inotify_init_flags, inotify_flags, sfd_flags,
//! efd_flags, fan_classes, fan_init_flags, fan_mark_flags, fan_event_flags) print them.

use anyhow::{Result, bail};

use super::seccomp::named_tables;

const INOTIFY: &str = "linux/inotify.h";

/// (constant, strace's prefix for unknown values, header, names in strace 6.1's order).
const TABLES: &[(&str, &str, &str, &[&str])] = &[
    // strace 6.1 prints timerfd_create's and timerfd_settime's flags with one table.
    (
        "TFD_FLAGS",
        "TFD_",
        "linux/timerfd.h",
        &[
            "TFD_TIMER_ABSTIME",
            "TFD_TIMER_CANCEL_ON_SET",
            "TFD_CLOEXEC",
            "TFD_NONBLOCK",
        ],
    ),
    (
        "IN_INIT_FLAGS",
        "IN_",
        INOTIFY,
        &["IN_NONBLOCK", "IN_CLOEXEC"],
    ),
    (
        "IN_MASK",
        "IN_",
        INOTIFY,
        &[
            "IN_ACCESS",
            "IN_MODIFY",
            "IN_ATTRIB",
            "IN_CLOSE_WRITE",
            "IN_CLOSE_NOWRITE",
            "IN_OPEN",
            "IN_MOVED_FROM",
            "IN_MOVED_TO",
            "IN_CREATE",
            "IN_DELETE",
            "IN_DELETE_SELF",
            "IN_MOVE_SELF",
            "IN_UNMOUNT",
            "IN_Q_OVERFLOW",
            "IN_IGNORED",
            "IN_ONLYDIR",
            "IN_DONT_FOLLOW",
            "IN_EXCL_UNLINK",
            "IN_MASK_CREATE",
            "IN_MASK_ADD",
            "IN_ISDIR",
            "IN_ONESHOT",
        ],
    ),
    (
        "SFD_FLAGS",
        "SFD_",
        "linux/signalfd.h",
        &["SFD_CLOEXEC", "SFD_NONBLOCK"],
    ),
    // No UAPI header defines EFD_*: glibc's sys/eventfd.h does.
    (
        "EFD_FLAGS",
        "EFD_",
        "sys/eventfd.h",
        &["EFD_SEMAPHORE", "EFD_CLOEXEC", "EFD_NONBLOCK"],
    ),
    (
        "FAN_CLASSES",
        "FAN_CLASS_",
        FANOTIFY,
        &[
            "FAN_CLASS_NOTIF",
            "FAN_CLASS_CONTENT",
            "FAN_CLASS_PRE_CONTENT",
        ],
    ),
    (
        "FAN_INIT_FLAGS",
        "FAN_",
        FANOTIFY,
        &[
            "FAN_CLOEXEC",
            "FAN_NONBLOCK",
            "FAN_UNLIMITED_QUEUE",
            "FAN_UNLIMITED_MARKS",
            "FAN_ENABLE_AUDIT",
            "FAN_REPORT_PIDFD",
            "FAN_REPORT_TID",
            "FAN_REPORT_FID",
            "FAN_REPORT_DIR_FID",
            "FAN_REPORT_NAME",
            "FAN_REPORT_TARGET_FID",
        ],
    ),
    (
        "FAN_MARK_FLAGS",
        "FAN_MARK_",
        FANOTIFY,
        &[
            "FAN_MARK_ADD",
            "FAN_MARK_REMOVE",
            "FAN_MARK_DONT_FOLLOW",
            "FAN_MARK_ONLYDIR",
            "FAN_MARK_MOUNT",
            "FAN_MARK_IGNORED_MASK",
            "FAN_MARK_IGNORED_SURV_MODIFY",
            "FAN_MARK_FLUSH",
            "FAN_MARK_FILESYSTEM",
            "FAN_MARK_EVICTABLE",
            "FAN_MARK_IGNORE",
        ],
    ),
    // FAN_DIR_MODIFY (after FAN_OPEN_EXEC_PERM) is added by `tables`: see DIR_MODIFY.
    (
        "FAN_EVENT_FLAGS",
        "FAN_",
        FANOTIFY,
        &[
            "FAN_ACCESS",
            "FAN_MODIFY",
            "FAN_ATTRIB",
            "FAN_CLOSE_WRITE",
            "FAN_CLOSE_NOWRITE",
            "FAN_OPEN",
            "FAN_MOVED_FROM",
            "FAN_MOVED_TO",
            "FAN_CREATE",
            "FAN_DELETE",
            "FAN_DELETE_SELF",
            "FAN_MOVE_SELF",
            "FAN_OPEN_EXEC",
            "FAN_Q_OVERFLOW",
            "FAN_FS_ERROR",
            "FAN_OPEN_PERM",
            "FAN_ACCESS_PERM",
            "FAN_OPEN_EXEC_PERM",
            "FAN_ONDIR",
            "FAN_EVENT_ON_CHILD",
            "FAN_RENAME",
        ],
    ),
];

const FANOTIFY: &str = "linux/fanotify.h";

/// FAN_DIR_MODIFY was in linux/fanotify.h from 5.7 to 5.9 (0x00080000) and is still in
/// strace 6.1's fan_event_flags; today's header lacks it, so it is placed by its old value
/// after the name strace prints before it.
const DIR_MODIFY: (&str, &str) = (
    "        (\"FAN_OPEN_EXEC_PERM\", 0x40000),\n",
    "        (\"FAN_DIR_MODIFY\", 0x80000),\n",
);

/// The generated `notify_gen.rs`.
pub fn tables() -> Result<String> {
    let text = named_tables(
        "notify",
        "//! timerfd_*, inotify_*, signalfd4, eventfd2 and fanotify_* flags, valued from\n\
         //! linux/timerfd.h, linux/inotify.h, linux/signalfd.h, linux/fanotify.h of Debian's\n\
         //! linux-libc-dev and glibc's sys/eventfd.h.\n",
        TABLES,
    )?;
    let (after, line) = DIR_MODIFY;
    if !text.contains(after) {
        bail!("FAN_OPEN_EXEC_PERM not found where FAN_DIR_MODIFY goes");
    }
    Ok(text.replacen(after, &format!("{after}{line}"), 1))
}
