//! `--tls` in the event loop: every traced process that maps a libssl gets the OpenSSL probes,
//! whenever tracer first sees it map one (at attach, after a fork under `-f`, after the exec
//! `--comm` picks a process up at, after a `dlopen`), and loses them when it goes.

use super::EbpfSource;
use crate::source::Downstream;

impl EbpfSource {
    /// Attaches the probes to live traced processes that map a libssl and have none; removes
    /// the probes of processes no longer traced. Reads `/proc/PID/maps` of the processes
    /// without probes only.
    pub(super) fn tls_rescan(&mut self, down: &mut dyn Downstream) {
        if !self.tls() || self.output_closed {
            return;
        }
        let live = down.live().clone();
        self.prune_tls(&live);
        self.tls_failed.retain(|pid| live.contains(pid));
        for tgid in live {
            if self.tls_failed.contains(&tgid) {
                continue;
            }
            match self.attach_tls(tgid) {
                Ok(Some(lib)) => down.announce(format_args!(
                    "process {tgid}: TLS probes on {}",
                    lib.display()
                )),
                Ok(None) => {}
                Err(err) => {
                    // Said once: a process that cannot be probed is not retried.
                    eprintln!("tracer: process {tgid}: no TLS probes: {err:#}");
                    self.tls_failed.insert(tgid);
                }
            }
        }
    }
}
