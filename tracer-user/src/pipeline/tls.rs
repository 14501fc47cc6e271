//! `--tls`: one line (or one JSON `tls` record) per `SSL_read`/`SSL_write` call.
//!
//! The line reads like ltrace's for a library call, `SSL_read@libssl(10<TCP:[...]>,
//! "Q\0\0\0;SELECT ..."..., 16384) = 59`: the `@libssl` in the name is in no syscall's name,
//! so a script that parses strace's lines by `name(` cannot take it for a syscall. The first
//! argument is the socket fd the SSL object uses (so `-y`/`-yy` and `--annotate` name it);
//! the plaintext is cut at `-s` like any buffer; `_ex` calls show the byte count in brackets,
//! as strace shows a value returned through a pointer.

use std::{borrow::Cow, collections::HashMap};

use tracer_common::{TLS_SSL_READ, TLS_SSL_READ_EX, TLS_SSL_WRITE, TLS_SSL_WRITE_EX, tls_is_ex};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::TlsCall,
    pipeline::Pipeline,
    sink::SinkError,
};

/// The line's name for a `TLS_SSL_*` function.
pub fn function_name(func: u32) -> &'static str {
    match func {
        TLS_SSL_READ => "SSL_read@libssl",
        TLS_SSL_WRITE => "SSL_write@libssl",
        TLS_SSL_READ_EX => "SSL_read_ex@libssl",
        TLS_SSL_WRITE_EX => "SSL_write_ex@libssl",
        _ => "SSL_unknown@libssl",
    }
}

/// The call as a model the strace formatter renders.
pub fn model(t: &TlsCall, fd: Option<i32>) -> Syscall {
    let first = fd.map_or(Arg::Ptr(t.ssl), Arg::Fd);
    let buf = if t.faulted || (t.data.is_empty() && t.done == 0) {
        Arg::Ptr(t.buf)
    } else {
        Arg::Str {
            bytes: t.data.clone(),
            truncated: t.truncated,
            hex: false,
            data: true,
        }
    };
    let mut args = vec![first, buf, Arg::UInt(t.num)];
    if tls_is_ex(t.func) {
        args.push(Arg::boxed(Arg::UInt(t.done)));
    }
    Syscall {
        tgid: t.tgid,
        tid: t.tid,
        ts_enter: t.ts_enter,
        ts_exit: t.ts_exit,
        nr: u32::MAX,
        def: None,
        name: Cow::Borrowed(function_name(t.func)),
        args,
        ret: Ret::Value(t.ret),
        ret_extra: None,
        resumed: false,
        tampered: Default::default(),
    }
}

/// `--tls`: the socket fd each SSL object used last, by process and `SSL *`.
#[derive(Debug, Default)]
pub struct SslSockets {
    fds: HashMap<(u32, u64), i32>,
}

impl SslSockets {
    /// The socket fd of the call: the one a syscall inside it used, or the one the same SSL
    /// object used before (a read served from OpenSSL's buffer makes no syscall).
    fn fd_of(&mut self, t: &TlsCall) -> Option<i32> {
        match t.fd {
            Some(fd) => {
                self.fds.insert((t.tgid, t.ssl), fd);
                Some(fd)
            }
            None => self.fds.get(&(t.tgid, t.ssl)).copied(),
        }
    }

    /// Process `tgid` is gone.
    pub fn forget(&mut self, tgid: u32) {
        self.fds.retain(|(pid, _), _| *pid != tgid);
    }
}

impl Pipeline {
    /// A call (its plaintext already masked by the pipeline's redactor).
    pub(super) fn tls(&mut self, t: TlsCall) -> Result<(), SinkError> {
        let fd = self.ssl_sockets.fd_of(&t);
        if self.opts.quiet() {
            return Ok(());
        }
        if let Some(needle) = &self.opts.match_bytes
            && !super::bytes_contain(&t.data, needle)
        {
            return Ok(());
        }
        // -z/-Z by whether the call moved data, --min-duration by its length, as a syscall's
        // line; `-e trace=` names syscalls, and --tls asks for these lines.
        let status = &self.opts.filter.status;
        let shown = if t.succeeded() {
            status.successful
        } else {
            status.failed
        };
        if !shown
            || !self
                .opts
                .filter
                .long_enough(t.ts_exit.checked_sub(t.ts_enter))
        {
            return Ok(());
        }
        let sc = model(&t, fd);
        self.emit(|e, cx| e.tls(cx, &sc, &t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        event::RawEvent,
        pipeline::{OutputOptions, Sinks},
        sink::{Memory, Sink},
    };

    fn call(func: u32, fd: Option<i32>, ret: i64, data: &[u8]) -> RawEvent {
        RawEvent::Tls(TlsCall {
            ts_enter: 10,
            ts_exit: 20,
            tgid: 7,
            tid: 7,
            func,
            fd,
            ssl: 0x5555_0000,
            buf: 0x7000,
            num: 4096,
            ret,
            done: data.len() as u64,
            data: data.to_vec(),
            truncated: false,
            faulted: false,
        })
    }

    fn run(opts: OutputOptions, events: Vec<RawEvent>) -> String {
        let buf = Memory::default();
        let mut p = Pipeline::new(Sinks::One(Sink::new(Box::new(buf.clone()))), opts);
        for e in events {
            p.handle(e).expect("handled");
        }
        p.flush().expect("flushed");
        buf.text()
    }

    #[test]
    fn calls_read_as_library_calls_on_their_socket() {
        let text = run(
            OutputOptions::default(),
            vec![
                call(TLS_SSL_READ, Some(8), 5, b"Q\0\0\0\x05"),
                // Served from OpenSSL's buffer: no syscall, the SSL object's last fd.
                call(TLS_SSL_READ, None, 2, b"hi"),
                call(TLS_SSL_WRITE_EX, Some(8), 1, b"ok"),
                call(TLS_SSL_READ, Some(8), -1, b""),
            ],
        );
        assert_eq!(
            text,
            "SSL_read@libssl(8, \"Q\\0\\0\\0\\5\", 4096)   = 5\n\
             SSL_read@libssl(8, \"hi\", 4096)          = 2\n\
             SSL_write_ex@libssl(8, \"ok\", 4096, [2]) = 1\n\
             SSL_read@libssl(8, 0x7000, 4096)        = -1\n"
        );
        // A call whose SSL object never made a syscall shows the SSL pointer.
        let text = run(
            OutputOptions::default(),
            vec![call(TLS_SSL_WRITE, None, 2, b"hi")],
        );
        assert_eq!(text, "SSL_write@libssl(0x55550000, \"hi\", 4096) = 2\n");
    }

    /// `-z`/`-Z` keep the calls that did or did not move data; `--min-duration` the long ones
    /// (the calls here take 10 ns).
    #[test]
    fn status_and_duration_filters_select_tls_lines() {
        let events = || {
            vec![
                call(TLS_SSL_READ, Some(8), 2, b"ok"),
                call(TLS_SSL_READ, Some(8), -1, b""),
                call(TLS_SSL_WRITE_EX, Some(8), 0, b""),
            ]
        };
        let with = |status: &str, min_duration: u64| {
            let mut opts = OutputOptions::default();
            opts.filter.status = crate::filter::expr::status_set(status).expect("a status set");
            opts.filter.min_duration = min_duration;
            run(opts, events())
        };
        let failed = with("failed", 0);
        assert_eq!(failed.lines().count(), 2, "{failed}");
        assert!(!failed.contains("\"ok\""), "{failed}");
        let successful = with("successful", 0);
        assert_eq!(successful.lines().count(), 1, "{successful}");
        assert!(successful.contains("\"ok\""), "{successful}");
        assert_eq!(with("all", 11), "");
        assert_eq!(with("all", 10).lines().count(), 3);
    }

    #[test]
    fn match_and_redaction_apply_to_the_plaintext() {
        let password = b"p\0\0\0\x0fsecret-pw!\0".to_vec();
        let query = b"Q\0\0\0\x0dREAD ONLY\0".to_vec();
        let opts = OutputOptions {
            redact: true,
            ..OutputOptions::default()
        };
        let text = run(
            opts.clone(),
            vec![
                call(TLS_SSL_READ, Some(8), password.len() as i64, &password),
                call(TLS_SSL_READ, Some(8), query.len() as i64, &query),
            ],
        );
        assert!(text.contains(r#""p\0\0\0\17***********""#), "{text}");
        assert!(!text.contains("secret"), "{text}");
        // A password literal in a query sent inside TLS, as in a syscall's buffer.
        let alter = b"Q\0\0\0\x25ALTER ROLE u PASSWORD 'hunter2';\0".to_vec();
        let text = run(
            opts.clone(),
            vec![call(TLS_SSL_WRITE, Some(8), alter.len() as i64, &alter)],
        );
        assert!(text.contains("PASSWORD '*******'"), "{text}");
        let matching = OutputOptions {
            match_bytes: Some(b"READ ONLY".to_vec()),
            ..opts
        };
        let text = run(
            matching,
            vec![
                call(TLS_SSL_READ, Some(8), password.len() as i64, &password),
                call(TLS_SSL_READ, Some(8), query.len() as i64, &query),
            ],
        );
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("READ ONLY"), "{text}");
        // --no-redact shows it.
        let text = run(
            OutputOptions::default(),
            vec![call(
                TLS_SSL_READ,
                Some(8),
                password.len() as i64,
                &password,
            )],
        );
        assert!(text.contains("secret-pw!"), "{text}");
    }

    #[test]
    fn json_records_carry_direction_fd_and_plaintext() {
        let opts = OutputOptions {
            json: true,
            ..OutputOptions::default()
        };
        let text = run(opts, vec![call(TLS_SSL_WRITE, Some(9), 2, b"hi")]);
        let v: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
        assert_eq!(v["event"]["action"], "tls");
        assert_eq!(v["event"]["outcome"], "success");
        assert_eq!(v["event"]["duration"], 10);
        assert_eq!(v["tls"]["function"], "SSL_write");
        assert_eq!(v["tls"]["direction"], "write");
        assert_eq!(v["tls"]["fd"], 9);
        assert_eq!(v["tls"]["data"], "hi");
        assert_eq!(v["tls"]["length"], 2);
        assert_eq!(v["tls"]["captured"], 2);
        assert_eq!(
            v["message"],
            "SSL_write@libssl(9, \"hi\", 4096)         = 2"
        );
    }
}
