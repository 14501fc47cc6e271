//! Unwinding a stack copy with DWARF CFI (framehop), over the executable mappings of a
//! process.

use framehop::{
    ExplicitModuleSectionInfo, FrameAddress, Module, Unwinder,
    x86_64::{CacheX86_64, UnwindRegsX86_64, UnwinderX86_64},
};

use super::image::{Bytes, Image};

/// strace's limit: after 256 frames it says `too many stack frames`.
pub const MAX_FRAMES: usize = 256;

/// One process's unwinder: a module for each executable mapping of a file.
pub struct ProcUnwinder {
    unwinder: UnwinderX86_64<Bytes>,
    cache: CacheX86_64,
}

impl Default for ProcUnwinder {
    fn default() -> Self {
        Self {
            unwinder: UnwinderX86_64::new(),
            cache: CacheX86_64::new(),
        }
    }
}

impl std::fmt::Debug for ProcUnwinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProcUnwinder")
    }
}

impl ProcUnwinder {
    /// A forked child's unwinder: the same modules (their data is shared), a cache of its own.
    pub fn fork(&self) -> Self {
        Self {
            unwinder: self.unwinder.clone(),
            cache: CacheX86_64::new(),
        }
    }

    /// Adds the mapping `start..end` of `image`, whose addresses are the file's plus `bias`.
    pub fn add(&mut self, name: &str, start: u64, end: u64, bias: u64, image: &Image) {
        let info = ExplicitModuleSectionInfo {
            base_svma: 0,
            text_svma: image.text.as_ref().map(|s| s.svma.clone()),
            text: image.text.as_ref().map(|s| s.data.clone()),
            got_svma: image.got.clone(),
            eh_frame_svma: image.eh_frame.as_ref().map(|s| s.svma.clone()),
            eh_frame: image.eh_frame.as_ref().map(|s| s.data.clone()),
            eh_frame_hdr_svma: image.eh_frame_hdr.as_ref().map(|s| s.svma.clone()),
            eh_frame_hdr: image.eh_frame_hdr.as_ref().map(|s| s.data.clone()),
            debug_frame: image.debug_frame.as_ref().map(|s| s.data.clone()),
            ..Default::default()
        };
        self.unwinder
            .add_module(Module::new(name.to_owned(), start..end, bias, info));
    }

    /// The addresses of the frames of a stack: the first is `ip`, the others return
    /// addresses. `data` is the stack copied from `sp` up.
    pub fn frames(&mut self, ip: u64, sp: u64, bp: u64, data: &[u8]) -> Vec<FrameAddress> {
        let mut read_stack = |addr: u64| {
            let at = usize::try_from(addr.checked_sub(sp).ok_or(())?).map_err(|_| ())?;
            let word = data.get(at..at.checked_add(8).ok_or(())?).ok_or(())?;
            Ok(u64::from_le_bytes(word.try_into().map_err(|_| ())?))
        };
        let regs = UnwindRegsX86_64::new(ip, sp, bp);
        let mut iter = self
            .unwinder
            .iter_frames(ip, regs, &mut self.cache, &mut read_stack);
        let mut out = Vec::new();
        while out.len() <= MAX_FRAMES {
            match iter.next() {
                Ok(Some(frame)) => out.push(frame),
                Ok(None) | Err(_) => break,
            }
        }
        out
    }
}
