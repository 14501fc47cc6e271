//! The mount API's tables (fsopen, fsconfig, fsmount, move_mount, open_tree, fspick,
//! mount_setattr) from `linux/mount.h` (and the `AT_*` flags of `linux/fcntl.h` those calls
//! take): the names strace 6.1 prints, in its order (ascending bits), valued by compiling
//! the header.

use anyhow::Result;

use super::headers::{Table, render};

const MOUNT: &str = "linux/mount.h";

const TABLES: &[Table] = &[
    Table {
        constant: "FSOPEN_FLAGS",
        prefix: "FSOPEN_",
        header: MOUNT,
        names: &["FSOPEN_CLOEXEC"],
    },
    Table {
        constant: "FSCONFIG_CMDS",
        prefix: "FSCONFIG_",
        header: MOUNT,
        names: &[
            "FSCONFIG_SET_FLAG",
            "FSCONFIG_SET_STRING",
            "FSCONFIG_SET_BINARY",
            "FSCONFIG_SET_PATH",
            "FSCONFIG_SET_PATH_EMPTY",
            "FSCONFIG_SET_FD",
            "FSCONFIG_CMD_CREATE",
            "FSCONFIG_CMD_RECONFIGURE",
        ],
    },
    Table {
        constant: "FSMOUNT_FLAGS",
        prefix: "FSMOUNT_",
        header: MOUNT,
        names: &["FSMOUNT_CLOEXEC"],
    },
    // fsmount's attr_flags (strace 6.1's fsmount_attr_flags): MOUNT_ATTR_IDMAP and
    // MOUNT_ATTR_NOSYMFOLLOW print as a number there. The atime values are bits to it
    // (`MOUNT_ATTR_NOATIME|MOUNT_ATTR_STRICTATIME`).
    Table {
        constant: "MOUNT_ATTR_FLAGS",
        prefix: "MOUNT_ATTR_",
        header: MOUNT,
        names: &[
            "MOUNT_ATTR_RDONLY",
            "MOUNT_ATTR_NOSUID",
            "MOUNT_ATTR_NODEV",
            "MOUNT_ATTR_NOEXEC",
            "MOUNT_ATTR_NOATIME",
            "MOUNT_ATTR_STRICTATIME",
            "MOUNT_ATTR_NODIRATIME",
        ],
    },
    // mount_setattr's attr_set/attr_clr (strace 6.1's mount_attr_attr): those and
    // MOUNT_ATTR_IDMAP, MOUNT_ATTR_NOSYMFOLLOW (`MOUNT_ATTR_NOSYMFOLLOW|0x8000000`, t11's
    // item 30).
    Table {
        constant: "MOUNT_SETATTR_ATTRS",
        prefix: "MOUNT_ATTR_",
        header: MOUNT,
        names: &[
            "MOUNT_ATTR_RDONLY",
            "MOUNT_ATTR_NOSUID",
            "MOUNT_ATTR_NODEV",
            "MOUNT_ATTR_NOEXEC",
            "MOUNT_ATTR_NOATIME",
            "MOUNT_ATTR_STRICTATIME",
            "MOUNT_ATTR_NODIRATIME",
            "MOUNT_ATTR_IDMAP",
            "MOUNT_ATTR_NOSYMFOLLOW",
        ],
    },
    Table {
        constant: "MOUNT_PROPAGATIONS",
        prefix: "MS_",
        header: MOUNT,
        names: &["MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE", "MS_SHARED"],
    },
    Table {
        constant: "MOVE_MOUNT_FLAGS",
        prefix: "MOVE_MOUNT_",
        header: MOUNT,
        names: &[
            "MOVE_MOUNT_F_SYMLINKS",
            "MOVE_MOUNT_F_AUTOMOUNTS",
            "MOVE_MOUNT_F_EMPTY_PATH",
            "MOVE_MOUNT_T_SYMLINKS",
            "MOVE_MOUNT_T_AUTOMOUNTS",
            "MOVE_MOUNT_T_EMPTY_PATH",
            "MOVE_MOUNT_SET_GROUP",
        ],
    },
    Table {
        constant: "OPEN_TREE_FLAGS",
        prefix: "OPEN_TREE_",
        header: MOUNT,
        names: &[
            "OPEN_TREE_CLONE",
            "OPEN_TREE_CLOEXEC",
            "AT_SYMLINK_NOFOLLOW",
            "AT_REMOVEDIR",
            "AT_SYMLINK_FOLLOW",
            "AT_NO_AUTOMOUNT",
            "AT_EMPTY_PATH",
            "AT_RECURSIVE",
        ],
    },
    Table::defines("FSPICK_FLAGS", "FSPICK_", MOUNT),
    Table {
        constant: "MOUNT_SETATTR_FLAGS",
        prefix: "AT_",
        header: MOUNT,
        names: &[
            "AT_SYMLINK_NOFOLLOW",
            "AT_NO_AUTOMOUNT",
            "AT_EMPTY_PATH",
            "AT_RECURSIVE",
        ],
    },
];

/// The generated `mount_gen.rs`.
pub fn tables() -> Result<String> {
    render("The mount API's flags and values", TABLES)
}
