//! keyctl's tables: commands, special keyring ids, request-key default keyrings and move flags
//! from `linux/keyctl.h`, key permissions from keyutils' `keyutils.h` (Debian's
//! libkeyutils-dev: the kernel keeps `KEY_POS_*` in a header it does not install), as strace
//! 6.1 names them, valued by compiling the headers.

use anyhow::Result;

use super::headers::{Table, render};

const KEYCTL: &str = "linux/keyctl.h";
const KEYUTILS: &str = "keyutils.h";

const TABLES: &[Table] = &[
    Table {
        constant: "KEYCTL_CMDS",
        prefix: "KEYCTL_",
        header: KEYCTL,
        names: &[
            "KEYCTL_GET_KEYRING_ID",
            "KEYCTL_JOIN_SESSION_KEYRING",
            "KEYCTL_UPDATE",
            "KEYCTL_REVOKE",
            "KEYCTL_CHOWN",
            "KEYCTL_SETPERM",
            "KEYCTL_DESCRIBE",
            "KEYCTL_CLEAR",
            "KEYCTL_LINK",
            "KEYCTL_UNLINK",
            "KEYCTL_SEARCH",
            "KEYCTL_READ",
            "KEYCTL_INSTANTIATE",
            "KEYCTL_NEGATE",
            "KEYCTL_SET_REQKEY_KEYRING",
            "KEYCTL_SET_TIMEOUT",
            "KEYCTL_ASSUME_AUTHORITY",
            "KEYCTL_GET_SECURITY",
            "KEYCTL_SESSION_TO_PARENT",
            "KEYCTL_REJECT",
            "KEYCTL_INSTANTIATE_IOV",
            "KEYCTL_INVALIDATE",
            "KEYCTL_GET_PERSISTENT",
            "KEYCTL_DH_COMPUTE",
            "KEYCTL_PKEY_QUERY",
            "KEYCTL_PKEY_ENCRYPT",
            "KEYCTL_PKEY_DECRYPT",
            "KEYCTL_PKEY_SIGN",
            "KEYCTL_PKEY_VERIFY",
            "KEYCTL_RESTRICT_KEYRING",
            "KEYCTL_MOVE",
            "KEYCTL_CAPABILITIES",
            "KEYCTL_WATCH_KEY",
        ],
    },
    Table::defines("KEY_SPEC", "KEY_SPEC_", KEYCTL),
    Table::defines("KEY_REQKEYS", "KEY_REQKEY_DEFL_", KEYCTL),
    Table {
        constant: "KEYCTL_MOVE_FLAGS",
        prefix: "KEYCTL_MOVE_",
        header: KEYCTL,
        names: &["KEYCTL_MOVE_EXCL"],
    },
    Table {
        constant: "KEY_PERMS",
        prefix: "KEY_",
        header: KEYUTILS,
        names: &[
            "KEY_POS_VIEW",
            "KEY_POS_READ",
            "KEY_POS_WRITE",
            "KEY_POS_SEARCH",
            "KEY_POS_LINK",
            "KEY_POS_SETATTR",
            "KEY_POS_ALL",
            "KEY_USR_VIEW",
            "KEY_USR_READ",
            "KEY_USR_WRITE",
            "KEY_USR_SEARCH",
            "KEY_USR_LINK",
            "KEY_USR_SETATTR",
            "KEY_USR_ALL",
            "KEY_GRP_VIEW",
            "KEY_GRP_READ",
            "KEY_GRP_WRITE",
            "KEY_GRP_SEARCH",
            "KEY_GRP_LINK",
            "KEY_GRP_SETATTR",
            "KEY_GRP_ALL",
            "KEY_OTH_VIEW",
            "KEY_OTH_READ",
            "KEY_OTH_WRITE",
            "KEY_OTH_SEARCH",
            "KEY_OTH_LINK",
            "KEY_OTH_SETATTR",
            "KEY_OTH_ALL",
        ],
    },
];

/// The generated `keyctl_gen.rs`.
pub fn tables() -> Result<String> {
    render(
        "keyctl's commands, keyring ids, request-key keyrings, move flags and permissions",
        TABLES,
    )
}
