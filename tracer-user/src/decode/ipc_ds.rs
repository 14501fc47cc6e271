//! The structs of System V IPC's control calls as strace 6.1 prints them (its ipc_shmctl.c,
//! ipc_msgctl.c, ipc_semctl.c): `shmid_ds`, `msqid_ds` and `semid_ds` for `IPC_STAT` (and
//! `*_STAT`, `*_STAT_ANY`) as the kernel wrote them, for `IPC_SET` only the fields the kernel
//! reads (`{shm_perm={uid=0, gid=0, mode=0600}}`, msgctl's `msg_qbytes` too); any other
//! command's buffer as an address; semop's `[{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}]` and
//! msgsnd/msgrcv's `{mtype=1, mtext="..."}` (ipc_sem.c, print_msgbuf.c). Offsets are x86_64's (glibc's structs are the kernel's
//! `*64_ds`: 112, 120 and 104 bytes, the rows' `CustomIn` sizes).

use super::{
    Arg, Ctx,
    bytes::{i32_at, i64_at, u16_at, u32_at, u64_at},
    flags::flags,
    quota::uid,
};
use crate::tables::ipc_gen::SEMOP_FLAGS;

const IPC_SET: u32 = 1;
const IPC_STAT: u32 = 2;
const IPC_INFO: u32 = 3;
const SHM_INFO: u32 = 14;
/// `IPC_64`: the command asks for the 64-bit structs (as every x86_64 call does).
const IPC_64: u32 = 0x100;

/// Which control call: its `*_STAT` and `*_STAT_ANY` command numbers.
#[derive(Clone, Copy, PartialEq)]
pub enum Ds {
    Shm,
    Msg,
    Sem,
}

impl Ds {
    /// `SHM_INFO`, `MSG_INFO`, `SEM_INFO`: the usage figures.
    fn info_cmd(self) -> u32 {
        match self {
            Ds::Shm => SHM_INFO,
            Ds::Msg => 12,
            Ds::Sem => 19,
        }
    }

    fn stat_cmds(self) -> [u32; 2] {
        match self {
            Ds::Shm => [13, 15],
            Ds::Msg => [11, 13],
            Ds::Sem => [18, 20],
        }
    }
}

/// The buffer argument `i` of a control call with command `cmd`.
pub fn buffer(ctx: &Ctx<'_>, i: usize, ds: Ds, cmd: u64) -> Arg {
    let addr = ctx.arg(i);
    let cmd = cmd as u32 & !IPC_64;
    let set = cmd == IPC_SET;
    if cmd == IPC_INFO || ds.info_cmd() == cmd {
        return ctx
            .data(i)
            .filter(|_| !ctx.failed() && addr != 0)
            .and_then(|d| info_struct(d, ds, cmd))
            .unwrap_or(Arg::Ptr(addr));
    }
    if !(set || cmd == IPC_STAT || ds.stat_cmds().contains(&cmd)) || addr == 0 {
        return Arg::Ptr(addr);
    }
    // What the kernel wrote is shown when the call succeeded; semctl's reader (tfetch_mem)
    // shows whatever the buffer holds.
    let shown = set || ds == Ds::Sem || !ctx.failed();
    ctx.data(i)
        .filter(|_| shown)
        .and_then(|d| ds_struct(d, ds, set))
        .unwrap_or(Arg::Ptr(addr))
}

/// The limits (`IPC_INFO`) or usage (`*_INFO`) the kernel wrote: `struct shminfo64`,
/// `struct shm_info`, `struct msginfo`, `struct seminfo`, fields in strace's order.
fn info_struct(d: &[u8], ds: Ds, cmd: u32) -> Option<Arg> {
    let ulong = |name: &'static str, at: usize| Some((name, Arg::UInt(u64_at(d, at)?)));
    let int = |name: &'static str, at: usize| Some((name, Arg::Int(i64::from(i32_at(d, at)?))));
    let ushort = |name: &'static str, at: usize| Some((name, Arg::UInt(u64::from(u16_at(d, at)?))));
    let fields: Vec<(&'static str, Arg)> = match (ds, cmd) {
        (Ds::Shm, IPC_INFO) => ["shmmax", "shmmin", "shmmni", "shmseg", "shmall"]
            .into_iter()
            .zip((0..).step_by(8))
            .map(|(n, at)| ulong(n, at))
            .collect::<Option<_>>()?,
        (Ds::Shm, _) => [
            int("used_ids", 0),
            ulong("shm_tot", 8),
            ulong("shm_rss", 16),
            ulong("shm_swp", 24),
            ulong("swap_attempts", 32),
            ulong("swap_successes", 40),
        ]
        .into_iter()
        .collect::<Option<_>>()?,
        (Ds::Msg, _) => [
            int("msgpool", 0),
            int("msgmap", 4),
            int("msgmax", 8),
            int("msgmnb", 12),
            int("msgmni", 16),
            ushort("msgssz", 20),
            int("msgtql", 24),
            ushort("msgseg", 28),
        ]
        .into_iter()
        .collect::<Option<_>>()?,
        (Ds::Sem, _) => [
            "semmap", "semmni", "semmns", "semmnu", "semmsl", "semopm", "semume", "semusz",
            "semvmx", "semaem",
        ]
        .into_iter()
        .zip((0..).step_by(4))
        .map(|(n, at)| int(n, at))
        .collect::<Option<_>>()?,
    };
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

fn ds_struct(d: &[u8], ds: Ds, set: bool) -> Option<Arg> {
    let u64_field = |at: usize| u64_at(d, at).map(Arg::UInt);
    let pid = |at: usize| i32_at(d, at).map(|p| Arg::Pid(i64::from(p)));
    let mut fields = vec![];
    match ds {
        Ds::Shm => {
            fields.push(("shm_perm", perm(d, set)?));
            if !set {
                fields.extend([
                    ("shm_segsz", u64_field(48)?),
                    ("shm_cpid", pid(80)?),
                    ("shm_lpid", pid(84)?),
                    ("shm_nattch", u64_field(88)?),
                    ("shm_atime", u64_field(56)?),
                    ("shm_dtime", u64_field(64)?),
                    ("shm_ctime", u64_field(72)?),
                ]);
            }
        }
        Ds::Msg => {
            fields.push(("msg_perm", perm(d, set)?));
            if !set {
                fields.extend([
                    ("msg_stime", u64_field(48)?),
                    ("msg_rtime", u64_field(56)?),
                    ("msg_ctime", u64_field(64)?),
                    ("msg_qnum", u64_field(80)?),
                ]);
            }
            fields.push(("msg_qbytes", u64_field(88)?));
            if !set {
                let int = |at: usize| i32_at(d, at).map(|v| Arg::Int(i64::from(v)));
                fields.extend([("msg_lspid", int(96)?), ("msg_lrpid", int(100)?)]);
            }
        }
        Ds::Sem => {
            fields.push(("sem_perm", perm(d, set)?));
            if !set {
                fields.extend([
                    ("sem_otime", u64_field(48)?),
                    ("sem_ctime", u64_field(64)?),
                    ("sem_nsems", u64_field(80)?),
                ]);
            }
        }
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// struct ipc64_perm: owner and mode, and for the readers the key and creator.
fn perm(d: &[u8], set: bool) -> Option<Arg> {
    let id = |at: usize| u32_at(d, at).map(uid);
    let mut fields = vec![
        ("uid", id(4)?),
        ("gid", id(8)?),
        ("mode", Arg::Octal(u64::from(u16_at(d, 20)?))),
    ];
    if !set {
        fields.extend([
            ("key", Arg::UInt(u64::from(u32_at(d, 0)?))),
            ("cuid", id(12)?),
            ("cgid", id(16)?),
        ]);
    }
    Some(Arg::Struct {
        fields,
        more: false,
    })
}

/// semop's operations: `count` of them, at most `-s` shown (then `...`) unless `-v`.
pub fn sembufs(ctx: &Ctx<'_>, data: &[u8], count: u64) -> Arg {
    let limit = ctx.array_limit();
    let entries = data.as_chunks::<6>().0;
    let items: Vec<Arg> = entries
        .iter()
        .take(limit)
        .map(|e| Arg::Struct {
            fields: vec![
                (
                    "sem_num",
                    Arg::UInt(u64::from(u16::from_le_bytes([e[0], e[1]]))),
                ),
                (
                    "sem_op",
                    Arg::Int(i64::from(i16::from_le_bytes([e[2], e[3]]))),
                ),
                (
                    "sem_flg",
                    flags(SEMOP_FLAGS, u64::from(u16::from_le_bytes([e[4], e[5]]))),
                ),
            ],
            more: false,
        })
        .collect();
    let more = (items.len() as u64) < count;
    Arg::Array { items, more }
}

/// A `struct msgbuf`: its type, and `count` bytes of text (cut at `-s`).
pub fn msgbuf(ctx: &Ctx<'_>, data: &[u8], count: u64) -> Option<Arg> {
    let mtype = i64_at(data, 0)?;
    let text = data.get(8..).unwrap_or_default();
    let n = text.len().min(usize::try_from(count).unwrap_or(usize::MAX));
    Some(Arg::Struct {
        fields: vec![
            ("mtype", Arg::Int(mtype)),
            ("mtext", ctx.data_arg(&text[..n], (n as u64) < count)),
        ],
        more: false,
    })
}
