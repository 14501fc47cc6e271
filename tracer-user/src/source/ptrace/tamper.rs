//! `-e inject=` / `-e fault=` at syscall stops, as strace does it: at the entry the call's
//! number becomes -1 (no call is made) or `syscall=`'s, a `signal=` is sent with the resume
//! (the kernel delivers it as the call returns), and at the exit the return register gets the
//! error or value. `poke_enter=`/`poke_exit=` write their bytes where the arguments point, at
//! the entry before the call is read and at the exit before its results are. Delays sleep in
//! place: the other tracees wait meanwhile (strace's timers are not reproduced).

use super::PtraceSource;
use crate::{
    event::Tampered,
    tamper::{Injections, Poke},
};

/// What was done to a call at its entry, for its exit.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Applied {
    /// The return register's value at the exit.
    ret: Option<i64>,
    delay_exit: Option<std::time::Duration>,
    /// The rule's `Pokes` (`poke_exit=` is written at the exit).
    pokes: Option<u16>,
    pub marks: Tampered,
}

impl PtraceSource {
    /// `-e inject=`, `-e fault=`: the calls to change.
    pub fn inject(&mut self, injections: Injections) {
        self.injections = injections;
    }

    /// At the entry stop of `tid`'s call of `nr`: counts it and, when its rule picks it,
    /// changes it. The signal to send is left in `resume_signal`.
    pub(super) fn tamper_enter(&mut self, tid: u32, nr: u32, args: &[u64; 6]) -> Option<Applied> {
        let rule = *self.injections.rule(nr)?;
        if !rule.fires(self.call_counts.next(tid, nr)) {
            return None;
        }
        let mut applied = Applied {
            delay_exit: rule.delay_exit,
            pokes: rule.pokes,
            ..Applied::default()
        };
        if let Some(pokes) = self.injections.pokes(&rule) {
            applied.marks.poked = self.poke_all(tid, &pokes.enter, args);
        }
        if let Some(outcome) = rule.outcome {
            let instead = rule.instead.map_or(-1, i64::from);
            if self.os.set_syscall(tid, instead) {
                applied.ret = Some(outcome.register());
                applied.marks.injected = true;
                applied.marks.succeeded = matches!(outcome, crate::tamper::Outcome::Value(_));
            } else {
                log::warn!("tid {tid}: cannot change syscall {nr}: its registers are unwritable");
            }
        }
        self.resume_signal = rule.signal.map(i32::from);
        if let Some(delay) = rule.delay_enter {
            std::thread::sleep(delay);
        }
        applied.marks.delayed = rule.delay_enter.is_some() || rule.delay_exit.is_some();
        Some(applied)
    }

    /// At the exit stop of a call changed at its entry: its return value as the tracee sees
    /// it (`ret`: the kernel's).
    pub(super) fn tamper_exit(
        &mut self,
        tid: u32,
        applied: &mut Applied,
        ret: i64,
        args: &[u64; 6],
    ) -> i64 {
        if let Some(delay) = applied.delay_exit {
            std::thread::sleep(delay);
        }
        let rule = crate::tamper::Rule {
            pokes: applied.pokes,
            ..Default::default()
        };
        if let Some(pokes) = self.injections.pokes(&rule)
            && !pokes.exit.is_empty()
        {
            let done = self.poke_all(tid, &pokes.exit, args);
            applied.marks.poked |= done;
        }
        match applied.ret {
            Some(value) if self.os.set_return(tid, value) => value,
            _ => ret,
        }
    }

    /// Writes `pokes` where `args` point (argument N is `args[N - 1]`); false when there
    /// were none or one could not be written (strace then says so, and marks nothing).
    fn poke_all(&self, tid: u32, pokes: &[Poke], args: &[u64; 6]) -> bool {
        let mut all = !pokes.is_empty();
        for poke in pokes {
            let addr = args.get(usize::from(poke.arg) - 1).copied().unwrap_or(0);
            if !self.os.poke(tid, addr, &poke.data) {
                // strace's message, its tool name ours.
                crate::note!(
                    "tracer: poke_tcb: Failed to tamper with process {tid}: couldn't poke"
                );
                all = false;
            }
        }
        all
    }
}

/// Writes `data` at `addr` of stopped `tid`: with process_vm_writev, else (a read-only
/// page) word by word with PTRACE_POKEDATA, as strace's upoke.
pub(super) fn write_memory(tid: u32, addr: u64, data: &[u8]) -> bool {
    if addr == 0 || data.is_empty() {
        return false;
    }
    let local = libc::iovec {
        iov_base: data.as_ptr().cast_mut().cast(),
        iov_len: data.len(),
    };
    let remote = libc::iovec {
        iov_base: addr as *mut libc::c_void,
        iov_len: data.len(),
    };
    // SAFETY: the local iovec covers `data`, only read; the kernel checks the remote one.
    let n = unsafe { libc::process_vm_writev(tid as i32, &local, 1, &remote, 1, 0) };
    if n == data.len() as isize {
        return true;
    }
    let pid = tid as libc::pid_t;
    for (k, chunk) in data.chunks(8).enumerate() {
        let at = addr + (k * 8) as u64;
        let mut word = [0u8; 8];
        if chunk.len() < 8 {
            // SAFETY: PEEKDATA reads a word of the stopped tracee; errors come back in errno.
            let old = unsafe {
                *libc::__errno_location() = 0;
                libc::ptrace(libc::PTRACE_PEEKDATA, pid, at as *mut libc::c_void, 0)
            };
            // SAFETY: reading this thread's errno.
            if old == -1 && unsafe { *libc::__errno_location() } != 0 {
                return false;
            }
            word = old.to_ne_bytes();
        }
        word[..chunk.len()].copy_from_slice(chunk);
        let value = i64::from_ne_bytes(word);
        // SAFETY: POKEDATA writes a word of the stopped tracee; the kernel checks it.
        let r = unsafe { libc::ptrace(libc::PTRACE_POKEDATA, pid, at as *mut libc::c_void, value) };
        if r != 0 {
            return false;
        }
    }
    true
}
