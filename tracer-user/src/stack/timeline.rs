//! The kernel's reports of code mappings (`MapEvent`), kept per process until a stack taken
//! after them needs them, and applied to the process's mappings in time order: a stack is
//! named with the mappings its process had when it was taken, even when the process is gone
//! before tracer reads it (a launched command that lives a few milliseconds).

use std::collections::{HashMap, VecDeque};

use super::maps::Mapping;
use crate::event::{MapChange, MapEvent};

/// Reported changes not applied yet, per process, in time order.
#[derive(Debug, Default)]
pub struct Pending {
    by_tgid: HashMap<u32, VecDeque<(u64, MapChange)>>,
}

impl Pending {
    /// Keeps a change until a stack or fork of its process at or after `e.ts` applies it.
    /// The kernel's rings are read one CPU after another: a change may come after a later
    /// one of the same process (it migrated), so each is put in its place.
    pub fn push(&mut self, e: MapEvent) {
        let q = self.by_tgid.entry(e.tgid).or_default();
        let at = q.partition_point(|(ts, _)| *ts <= e.ts);
        q.insert(at, (e.ts, e.change));
    }

    /// The changes of `tgid` made at or before `ts`, oldest first, taken out.
    pub fn take_until(&mut self, tgid: u32, ts: u64) -> Vec<MapChange> {
        let Some(q) = self.by_tgid.get_mut(&tgid) else {
            return Vec::new();
        };
        let n = q.partition_point(|(t, _)| *t <= ts);
        let out = q.drain(..n).map(|(_, c)| c).collect();
        if q.is_empty() {
            self.by_tgid.remove(&tgid);
        }
        out
    }

    /// Process `tgid` is gone: what is left of it goes.
    pub fn forget(&mut self, tgid: u32) {
        self.by_tgid.remove(&tgid);
    }
}

/// Applies one change to `maps`; returns whether they changed.
pub fn apply(maps: &mut Vec<Mapping>, change: MapChange) -> bool {
    match change {
        MapChange::Exec => {
            maps.clear();
            true
        }
        MapChange::Followed => false,
        MapChange::Mapped {
            start,
            len,
            offset,
            dev,
            inode,
            path,
        } => {
            let end = start.saturating_add(len);
            unmap(maps, start, end);
            if let Some(path) = path {
                let at = maps.partition_point(|m| m.start < start);
                maps.insert(
                    at,
                    Mapping {
                        start,
                        end,
                        offset,
                        exec: true,
                        dev,
                        inode,
                        path,
                    },
                );
            }
            true
        }
    }
}

/// Removes `start..end` from `maps`, as a new mapping there replaces what was: mappings
/// inside it go, the ones across its ends are cut (keeping their file offsets right).
fn unmap(maps: &mut Vec<Mapping>, start: u64, end: u64) {
    let mut kept = Vec::with_capacity(maps.len() + 1);
    for m in maps.drain(..) {
        if m.end <= start || end <= m.start {
            kept.push(m);
            continue;
        }
        if m.start < start {
            kept.push(Mapping {
                end: start,
                ..m.clone()
            });
        }
        if end < m.end {
            kept.push(Mapping {
                offset: m.offset + (end - m.start),
                start: end,
                ..m
            });
        }
    }
    *maps = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(start: u64, len: u64, offset: u64, path: Option<&str>) -> MapChange {
        MapChange::Mapped {
            start,
            len,
            offset,
            dev: "fe:01".into(),
            inode: 7,
            path: path.map(Into::into),
        }
    }

    #[test]
    fn changes_apply_in_time_order_up_to_a_stack() {
        let mut p = Pending::default();
        for (ts, change) in [
            (30, MapChange::Exec),
            (10, mapped(0x1000, 0x1000, 0, Some("/old"))),
            (40, mapped(0x5000, 0x1000, 0, Some("/new"))),
        ] {
            p.push(MapEvent {
                ts,
                tgid: 1,
                change,
            });
        }
        let mut maps = Vec::new();
        // A stack taken at 20: the old image only.
        for c in p.take_until(1, 20) {
            apply(&mut maps, c);
        }
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].path, "/old");
        assert!(p.take_until(2, 100).is_empty(), "another process");
        for c in p.take_until(1, 50) {
            apply(&mut maps, c);
        }
        assert_eq!(maps.len(), 1);
        assert_eq!(maps[0].path, "/new");
        assert!(p.by_tgid.is_empty());
    }

    #[test]
    fn a_mapping_replaces_what_it_covers() {
        let mut maps = Vec::new();
        apply(&mut maps, mapped(0x1000, 0x4000, 0x10000, Some("/lib")));
        // An anonymous mapping in the middle: the file's parts on each side stay.
        apply(&mut maps, mapped(0x2000, 0x1000, 0x2000, None));
        let spans: Vec<_> = maps.iter().map(|m| (m.start, m.end, m.offset)).collect();
        assert_eq!(
            spans,
            [(0x1000, 0x2000, 0x10000), (0x3000, 0x5000, 0x12000)]
        );
        apply(&mut maps, mapped(0x2000, 0x1000, 0, Some("/jit")));
        assert_eq!(maps[1].path, "/jit");
        assert_eq!(maps.len(), 3);
        apply(&mut maps, MapChange::Exec);
        assert!(maps.is_empty());
    }
}
