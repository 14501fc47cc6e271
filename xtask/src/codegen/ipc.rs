//! System V IPC's operation flags from `linux/sem.h` and `linux/msg.h` (which include
//! `linux/ipc.h`): semop's `sem_flg` and msgsnd/msgrcv's `msgflg`, as strace 6.1 names them,
//! valued by compiling the headers.

use anyhow::Result;

use super::headers::{Table, render};

const TABLES: &[Table] = &[
    Table {
        constant: "SEMOP_FLAGS",
        prefix: "SEM_",
        header: "linux/sem.h",
        names: &["SEM_UNDO", "IPC_NOWAIT"],
    },
    Table {
        constant: "IPC_MSG_FLAGS",
        prefix: "MSG_",
        header: "linux/msg.h",
        names: &["MSG_NOERROR", "MSG_EXCEPT", "MSG_COPY", "IPC_NOWAIT"],
    },
];

/// The generated `ipc_gen.rs`.
pub fn tables() -> Result<String> {
    render("semop's and msgsnd/msgrcv's flags", TABLES)
}
