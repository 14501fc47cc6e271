//! `--tls`: one line (or one JSON `tls` record) per `SSL_read`/`SSL_write` call.
//!
//! The line reads like ltrace's for a library call, `SSL_read@libssl(10<TCP:[...]>,
//! "Q\0\0\0;SELECT ..."..., 16384) = 59`: the `@libssl` in the name is in no syscall's name,
//! so a script that parses strace's lines by `name(` cannot take it for a syscall. The first
//! argument is the socket fd the SSL object uses (so `-y`/`-yy` and `--annotate` name it);
//! the plaintext is cut at `-s` like any buffer; `_ex` calls show the byte count in brackets,
//! as strace shows a value returned through a pointer.

use std::borrow::Cow;

use tracer_common::{TLS_SSL_READ, TLS_SSL_READ_EX, TLS_SSL_WRITE, TLS_SSL_WRITE_EX, tls_is_ex};

use crate::{
    decode::{Arg, Ret, Syscall},
    event::TlsCall,
    format::{
        json::{self},
        stamp,
        strace::{self, Split},
    },
    pipeline::{Pipeline, annotate, shown_fds},
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
        name: Cow::Borrowed(function_name(t.func)),
        args,
        ret: Ret::Value(t.ret),
        ret_extra: None,
        resumed: false,
    }
}

impl Pipeline {
    /// The socket fd of the call: the one a syscall inside it used, or the one the same SSL
    /// object used before (a read served from OpenSSL's buffer makes no syscall).
    fn tls_fd(&mut self, t: &TlsCall) -> Option<i32> {
        match t.fd {
            Some(fd) => {
                self.tls_fds.insert((t.tgid, t.ssl), fd);
                Some(fd)
            }
            None => self.tls_fds.get(&(t.tgid, t.ssl)).copied(),
        }
    }

    pub(super) fn tls(&mut self, mut t: TlsCall) -> Result<(), SinkError> {
        let fd = self.tls_fd(&t);
        if self.opts.redact {
            crate::redact::pg_passwords(&mut t.data, usize::try_from(t.done).unwrap_or(0));
        }
        if self.opts.quiet() {
            return Ok(());
        }
        if let Some(needle) = &self.opts.match_bytes
            && !super::bytes_contain(&t.data, needle)
        {
            return Ok(());
        }
        let sc = model(&t, fd);
        self.written += 1;
        if self.opts.json {
            return self.json_tls(&sc, &t);
        }
        let text = self.text_options();
        self.lead(t.tid, t.ts_enter, None, &text);
        let mut line = std::mem::take(&mut self.line);
        let fds = shown_fds(&self.opts, self.fdtable.as_ref());
        strace::call_start(&sc, Split::ALL, &text, fds, &mut line);
        strace::call_end(&sc, Split::ALL, &text, fds, 0, &mut line);
        if let Some(precision) = self.opts.durations {
            stamp::duration_into(t.ts_exit.saturating_sub(t.ts_enter), precision, &mut line);
        }
        if self.opts.annotates() {
            annotate::annotations(&sc, self.fdtable.as_ref(), &self.clock, &mut line);
        }
        line.push('\n');
        let result = self.out.line(Some(t.tid), &line);
        self.line = line;
        result
    }

    fn json_tls(&mut self, sc: &Syscall, t: &TlsCall) -> Result<(), SinkError> {
        let text = self.message_options();
        let fds = shown_fds(&self.opts, self.fdtable.as_ref());
        let mut message = String::new();
        strace::call_start(sc, Split::ALL, &text, fds, &mut message);
        strace::call_end(sc, Split::ALL, &text, fds, 0, &mut message);
        let mut notes = String::new();
        if self.opts.annotates() {
            annotate::annotations(sc, self.fdtable.as_ref(), &self.clock, &mut notes);
        }
        let fd = match sc.args.first() {
            Some(Arg::Fd(fd)) => Some(*fd),
            _ => None,
        };
        let peer = fd.and_then(|fd| fds.and_then(|f| f.describe(t.tgid, fd)));
        let ok = if tls_is_ex(t.func) {
            t.ret == 1
        } else {
            t.ret > 0
        };
        let outcome = if ok { "success" } else { "failure" };
        let env = self.envelope("tls", outcome, (t.tgid, t.tid, t.ts_enter), &message);
        let notes = notes
            .trim()
            .trim_start_matches("/* ")
            .trim_end_matches(" */");
        let line = json::tls(
            &env,
            &json::Tls {
                call: t,
                function: function_name(t.func).trim_end_matches("@libssl"),
                fd,
                peer: peer.as_deref(),
                notes: (!notes.is_empty()).then_some(notes),
            },
        );
        self.out.line(Some(t.tid), &line)
    }
}
