//! One ELF file of a traced process, read once and kept for every process that maps it: its
//! function symbols (looked up as libunwind does for strace's `-k`), its loadable segments and
//! its unwind sections.

use std::{ops::Range, sync::Arc};

use object::{
    Endianness,
    elf::{FileHeader64, PT_LOAD, SHN_ABS, SHN_UNDEF, SHT_DYNSYM, SHT_SYMTAB, STT_FUNC},
    read::elf::{FileHeader, ProgramHeader, SectionHeader, Sym},
};

/// A byte range of a file kept in memory (framehop reads unwind sections through it).
#[derive(Debug, Clone, Default)]
pub struct Bytes {
    file: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.file[self.range.clone()]
    }
}

/// A section's addresses in the file's own terms (SVMA) and its bytes.
#[derive(Debug, Clone)]
pub struct Section {
    pub svma: Range<u64>,
    pub data: Bytes,
}

/// A function symbol: its value, and its name's place in the file.
#[derive(Debug, Clone)]
struct Func {
    value: u64,
    name: Range<usize>,
}

/// What is kept of one ELF file.
#[derive(Debug)]
pub struct Image {
    file: Arc<Vec<u8>>,
    /// `STT_FUNC` symbols of `.symtab` and `.dynsym`, by value, in the file's order within one
    /// value (libunwind keeps the first it meets of equally near ones).
    funcs: Vec<Func>,
    /// `PT_LOAD` segments: (file offset, address).
    loads: Vec<(u64, u64)>,
    pub text: Option<Section>,
    pub eh_frame: Option<Section>,
    pub eh_frame_hdr: Option<Section>,
    pub debug_frame: Option<Section>,
    pub got: Option<Range<u64>>,
}

impl Image {
    /// Parses an ELF file's bytes; None if it is not a 64-bit ELF file.
    pub fn parse(bytes: Vec<u8>) -> Option<Image> {
        let file = Arc::new(bytes);
        let data = file.as_slice();
        let hdr = FileHeader64::<Endianness>::parse(data).ok()?;
        let endian = hdr.endian().ok()?;
        let sections = hdr.sections(endian, data).ok()?;
        let mut tables = [SHT_DYNSYM, SHT_SYMTAB].map(|t| sections.symbols(endian, data, t).ok());
        tables.sort_by_key(|t| t.as_ref().map_or(0, |t| t.section().0));
        let mut funcs = Vec::new();
        for table in tables.iter().flatten() {
            let strings = table.strings();
            for sym in table.symbols() {
                // libunwind does not move absolute symbols by the load bias: there are none
                // in code, so they are left out.
                let shndx = sym.st_shndx(endian);
                if sym.st_type() != STT_FUNC || shndx == SHN_UNDEF || shndx == SHN_ABS {
                    continue;
                }
                let Ok(name) = sym.name(endian, strings) else {
                    continue;
                };
                let at = name.as_ptr() as usize - data.as_ptr() as usize;
                funcs.push(Func {
                    value: sym.st_value(endian),
                    name: at..at + name.len(),
                });
            }
        }
        // Stable: equal values keep the file's order.
        funcs.sort_by_key(|f| f.value);
        let loads = hdr
            .program_headers(endian, data)
            .ok()?
            .iter()
            .filter(|p| p.p_type(endian) == PT_LOAD)
            .map(|p| (p.p_offset(endian), p.p_vaddr(endian)))
            .collect();
        let section = |name: &[u8]| {
            let (_, sh) = sections.section_by_name(endian, name)?;
            let (off, size) = sh.file_range(endian)?;
            let (off, size) = (usize::try_from(off).ok()?, usize::try_from(size).ok()?);
            let addr = sh.sh_addr(endian);
            (off.checked_add(size)? <= data.len()).then(|| Section {
                svma: addr..addr + size as u64,
                data: Bytes {
                    file: file.clone(),
                    range: off..off + size,
                },
            })
        };
        let got = sections.section_by_name(endian, b".got").map(|(_, sh)| {
            let addr = sh.sh_addr(endian);
            addr..addr + sh.sh_size(endian)
        });
        Some(Image {
            text: section(b".text"),
            eh_frame: section(b".eh_frame"),
            eh_frame_hdr: section(b".eh_frame_hdr"),
            debug_frame: section(b".debug_frame"),
            got,
            funcs,
            loads,
            file,
        })
    }

    /// What to add to the file's addresses for a mapping of file offset `offset` at `start`
    /// (the load bias), as libunwind finds it: the `PT_LOAD` segment that starts at that
    /// offset, else the one that holds it.
    pub fn bias(&self, start: u64, offset: u64) -> u64 {
        let page = |v: u64| v & !0xfff;
        let seg = self
            .loads
            .iter()
            .find(|(off, _)| *off == offset)
            .or_else(|| self.loads.iter().find(|(off, _)| page(*off) == offset));
        match seg {
            Some((off, vaddr)) if *off == offset => start.wrapping_sub(*vaddr),
            Some((_, vaddr)) => start.wrapping_sub(page(*vaddr)),
            None => 0,
        }
    }

    /// The function `addr` (a process address, `bias` its mapping's load bias) is in and the
    /// distance from its start, as libunwind's `unw_get_proc_name` answers for strace: the
    /// nearest `STT_FUNC` symbol at or below it, whatever its size, unless farther than the
    /// file is long.
    pub fn function(&self, addr: u64, bias: u64) -> Option<(&str, u64)> {
        let key = addr.wrapping_sub(bias);
        let end = self.funcs.partition_point(|f| f.value <= key);
        let value = self.funcs[..end].last()?.value;
        let first = self.funcs[..end].partition_point(|f| f.value < value);
        let f = &self.funcs[first];
        let dist = key - f.value;
        if dist >= self.file.len() as u64 {
            return None;
        }
        let name = std::str::from_utf8(&self.file[f.name.clone()]).ok()?;
        Some((name, dist))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test binary itself: a PIE with `.symtab`, `.dynsym` and `.eh_frame`.
    fn own() -> Image {
        Image::parse(std::fs::read("/proc/self/exe").expect("own binary")).expect("an ELF file")
    }

    #[test]
    fn finds_functions_as_libunwind_does() {
        let image = own();
        assert!(image.eh_frame_hdr.is_some() && image.text.is_some());
        let f = image
            .funcs
            .iter()
            .find(|f| f.value != 0)
            .expect("a function")
            .clone();
        let bias = 0x5555_0000_0000;
        let (name, off) = image.function(bias + f.value + 3, bias).expect("found");
        assert_eq!(off, 3);
        assert_eq!(name.as_bytes(), &image.file[f.name.clone()]);
        // Below every symbol: nothing.
        assert_eq!(image.function(bias, bias), None);
    }

    #[test]
    fn the_load_bias_comes_from_the_segment_at_the_offset() {
        let image = own();
        let &(off, vaddr) = image.loads.last().expect("segments");
        assert_eq!(
            image.bias(0x7f00_0000_0000 + off, off),
            0x7f00_0000_0000 + off - vaddr
        );
        assert!(Image::parse(b"not an elf file".to_vec()).is_none());
    }
}
