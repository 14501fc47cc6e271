//! quotactl's tables from `linux/quota.h` and `linux/dqblk_xfs.h`: the commands, quota types
//! and formats, and the flags of struct if_dqinfo, as strace 6.1 names them, valued by
//! compiling the headers.

use anyhow::Result;

use super::headers::{Table, render};

const QUOTA: &str = "linux/quota.h";
const XFS: &str = "linux/dqblk_xfs.h";

const TABLES: &[Table] = &[
    Table {
        constant: "QUOTA_CMDS",
        prefix: "Q_",
        header: QUOTA,
        names: &[
            "Q_SYNC",
            "Q_QUOTAON",
            "Q_QUOTAOFF",
            "Q_GETFMT",
            "Q_GETINFO",
            "Q_SETINFO",
            "Q_GETQUOTA",
            "Q_SETQUOTA",
            "Q_GETNEXTQUOTA",
            "Q_XQUOTAON",
            "Q_XQUOTAOFF",
            "Q_XGETQUOTA",
            "Q_XSETQLIM",
            "Q_XGETQSTAT",
            "Q_XQUOTARM",
            "Q_XQUOTASYNC",
            "Q_XGETQSTATV",
            "Q_XGETNEXTQUOTA",
        ],
    },
    Table {
        constant: "QUOTA_TYPES",
        prefix: "",
        header: QUOTA,
        names: &["USRQUOTA", "GRPQUOTA", "PRJQUOTA"],
    },
    Table {
        constant: "QUOTA_FORMATS",
        prefix: "QFMT_VFS_",
        header: QUOTA,
        names: &["QFMT_VFS_OLD", "QFMT_VFS_V0", "QFMT_OCFS2", "QFMT_VFS_V1"],
    },
    Table {
        constant: "DQINFO_FLAGS",
        prefix: "DQF_",
        header: QUOTA,
        names: &["DQF_ROOT_SQUASH", "DQF_SYS_FILE"],
    },
    Table {
        constant: "DQINFO_VALID",
        prefix: "IIF_",
        header: QUOTA,
        names: &["IIF_BGRACE", "IIF_IGRACE", "IIF_FLAGS"],
    },
    // strace's if_dqblk_valid (if_dqblk's dqb_valid, printed with -v): the bits alone.
    Table {
        constant: "DQBLK_VALID",
        prefix: "QIF_",
        header: QUOTA,
        names: &[
            "QIF_BLIMITS",
            "QIF_SPACE",
            "QIF_ILIMITS",
            "QIF_INODES",
            "QIF_BTIME",
            "QIF_ITIME",
        ],
    },
    // strace's xfs_dqblk_flags (fs_disk_quota's d_flags, Q_XQUOTARM's argument).
    Table {
        constant: "XFS_DQBLK_FLAGS",
        prefix: "FS_",
        header: XFS,
        names: &["FS_USER_QUOTA", "FS_PROJ_QUOTA", "FS_GROUP_QUOTA"],
    },
    // strace's xfs_quota_flags (Q_XQUOTAON/OFF's argument, fs_quota_stat's qs_flags).
    Table {
        constant: "XFS_QUOTA_FLAGS",
        prefix: "FS_QUOTA_",
        header: XFS,
        names: &[
            "FS_QUOTA_UDQ_ACCT",
            "FS_QUOTA_UDQ_ENFD",
            "FS_QUOTA_GDQ_ACCT",
            "FS_QUOTA_GDQ_ENFD",
            "FS_QUOTA_PDQ_ACCT",
            "FS_QUOTA_PDQ_ENFD",
        ],
    },
];

/// The generated `quota_gen.rs`.
pub fn tables() -> Result<String> {
    render("quotactl's commands, types, formats and flags", TABLES)
}
