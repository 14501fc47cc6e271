//! The `INFLIGHT` entry of each traced thread: what sys_enter saw, for sys_exit. A thread's
//! entry stays between its calls, marked `INFLIGHT_IDLE`, and is written in place at its next
//! call: a hash insert and a delete per call (the map's lock, its free list) cost more than the
//! lookup that finds the entry again. The thread's exit removes it (`proc::exit`).

use tracer_common::INFLIGHT_IDLE;

use crate::maps::{INFLIGHT, Inflight};

/// sys_enter: `state` becomes thread `tid`'s call in progress. False when the map is full.
#[inline(always)]
pub fn begin(tid: u32, state: &Inflight) -> bool {
    if let Some(slot) = INFLIGHT.get_ptr_mut(&tid) {
        // SAFETY: the value is this thread's, valid for the program's run; only this thread
        // writes its key (sched_switch touches it only while the thread is off this CPU).
        unsafe { *slot = *state };
        return true;
    }
    INFLIGHT.insert(&tid, state, 0).is_ok()
}

/// sys_exit: thread `tid`'s call in progress, if sys_enter saw it; the entry is left idle.
#[inline(always)]
pub fn end(tid: u32) -> Option<Inflight> {
    let slot = INFLIGHT.get_ptr_mut(&tid)?;
    // SAFETY: as in `begin`.
    unsafe {
        if !(*slot).in_call() {
            return None;
        }
        let state = *slot;
        (*slot).flags = INFLIGHT_IDLE;
        Some(state)
    }
}

/// Thread `tid`'s call in progress, if any (a copy).
#[inline(always)]
pub fn current(tid: u32) -> Option<Inflight> {
    // SAFETY: the value is copied out at once.
    unsafe { INFLIGHT.get(&tid) }
        .filter(|s| s.in_call())
        .copied()
}
