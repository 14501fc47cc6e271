"""Workloads for tracer's end-to-end story tests, one per subcommand.

device-open  open a device that fails (no controlling tty: ENXIO), with open(2) itself
enomem-child fork; the child's big mmap and an mprotect fail with ENOMEM under the address
             space limit it runs with, then it dies of SIGTRAP (int3, as V8 does on OOM)
emfile-server PORT_FILE  a TCP server that keeps every connection: past RLIMIT_NOFILE its
             accept fails with EMFILE, and it keeps trying
blocked-reader  a thread blocks in read(2) on a pipe while the main thread works, then writes
signals      a child that exits 3, a signal to itself, a child killed by SIGTERM
pg-client PORT [PASSWORD]  a minimal PostgreSQL client: connects from a known port, logs in
             (trust, cleartext or MD5 password), sends one query
"""
import ctypes, hashlib, mmap, os, resource, signal, socket, struct, sys, threading, time

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def device_open():
    # open(2), not openat: what QEMU's failing open of /dev/vhost-net looked like.
    libc.syscall(2, b"/dev/tty", os.O_RDWR)


def enomem_child():
    pid = os.fork()
    if pid == 0:
        # The limit the parent would get from `prlimit --as`.
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        PROT_RW, MAP_PRIVATE_ANON = 3, 0x22
        libc.mmap(None, 4 << 30, PROT_RW, MAP_PRIVATE_ANON, -1, 0)
        # Past the end of user space: nothing mapped there.
        libc.mprotect(ctypes.c_void_p(0x7FFFFFF00000), 4096, PROT_RW)
        code = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        code.write(b"\xcc")
        addr = ctypes.addressof(ctypes.c_char.from_buffer(code))
        ctypes.CFUNCTYPE(None)(addr)()
        os._exit(0)
    os.waitpid(pid, 0)


def emfile_server(port_file):
    resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    kept = []
    while True:
        try:
            conn, _ = srv.accept()
            kept.append(conn)
        except OSError:
            time.sleep(0.05)


def blocked_reader():
    r, w = os.pipe()
    t = threading.Thread(target=lambda: os.read(r, 1))
    t.start()
    time.sleep(0.5)
    os.getppid()
    os.write(w, b"x")
    t.join()


def signals():
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    os.waitpid(pid, 0)
    signal.signal(signal.SIGUSR1, lambda *a: None)
    os.kill(os.getpid(), signal.SIGUSR1)
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    os.waitpid(pid, 0)


def pg_client(port, password=""):
    """Startup, login, one simple query, terminate (protocol 3.0)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    s.connect(("127.0.0.1", int(port)))
    params = b"user\0postgres\0database\0postgres\0\0"
    s.sendall(struct.pack("!II", 8 + len(params), 196608) + params)

    def until_ready():
        buf = b""
        while True:
            while len(buf) < 5:
                chunk = s.recv(4096)
                if not chunk:
                    raise SystemExit("server closed the connection")
                buf += chunk
            kind, size = buf[:1], struct.unpack("!I", buf[1:5])[0]
            while len(buf) < 1 + size:
                buf += s.recv(4096)
            body, buf = buf[5:1 + size], buf[1 + size:]
            if kind == b"E":
                raise SystemExit(body.decode(errors="replace"))
            if kind == b"R":
                answer(struct.unpack("!I", body[:4])[0], body[4:])
            if kind == b"Z":
                return

    def answer(code, salt):
        if code == 0:
            return
        if code == 3:
            secret = password.encode()
        elif code == 5:
            inner = hashlib.md5(password.encode() + b"postgres").hexdigest().encode()
            secret = b"md5" + hashlib.md5(inner + salt).hexdigest().encode()
        else:
            raise SystemExit(f"authentication method {code} not supported")
        s.sendall(b"p" + struct.pack("!I", 4 + len(secret) + 1) + secret + b"\0")

    until_ready()
    query = b"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0"
    s.sendall(b"Q" + struct.pack("!I", 4 + len(query)) + query)
    until_ready()
    s.sendall(b"X" + struct.pack("!I", 4))
    s.close()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {
        "device-open": device_open,
        "enomem-child": enomem_child,
        "emfile-server": emfile_server,
        "blocked-reader": blocked_reader,
        "signals": signals,
        "pg-client": pg_client,
    }[cmd](*args)
