//! What to trace: resolving `-p`/`--comm` targets and checking them (`preflight`, `privilege`,
//! `pidns`), launching a command (`launch`, `startup`), and finding processes by name as they
//! appear (`watch`, `comm`). Both sources use these; nothing here reads the trace.

pub mod comm;
pub mod confinement;
pub mod daemonize;
pub mod launch;
pub mod pidns;
pub mod preflight;
pub mod privilege;
pub mod signals;
pub mod startup;
pub mod std_fds;
pub mod watch;
