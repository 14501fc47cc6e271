"""A syscall zoo: one process (plus a child) making the syscalls tracer decodes, so that real
strace and tracer can be compared line by line. Deterministic: no timing-dependent output."""
import errno, fcntl, mmap, os, resource, select, signal, socket, struct, sys, termios

base = sys.argv[1] if len(sys.argv) > 1 else "/tmp/tracer-zoo"
os.makedirs(base, exist_ok=True)
os.chdir(base)

# Files and descriptors.
fd = os.open("data.bin", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o640)
os.write(fd, b"hello\x00world\xff\n" * 4)
os.pwrite(fd, b"PWRITE", 3)
os.lseek(fd, 0, os.SEEK_SET)
os.read(fd, 7)
os.pread(fd, 5, 2)
os.writev(fd, [b"vec1", b"vector two"])
os.lseek(fd, 0, os.SEEK_SET)
os.readv(fd, [bytearray(4), bytearray(6)])
os.fsync(fd)
os.fdatasync(fd)
os.ftruncate(fd, 10)
os.posix_fallocate(fd, 0, 4096)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
fcntl.flock(fd, fcntl.LOCK_UN)
fcntl.fcntl(fd, fcntl.F_GETFL)
fcntl.fcntl(fd, fcntl.F_SETFL, os.O_NONBLOCK)
fcntl.fcntl(fd, fcntl.F_GETFD)
fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
fcntl.lockf(fd, fcntl.LOCK_EX)
fd2 = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 20)
os.dup2(fd, 30)
fd3 = os.dup(fd)
os.close(fd3)
os.close(30)
os.close(fd2)
os.fstat(fd)
os.stat("data.bin")
os.lstat("data.bin")
try:
    os.stat("missing")
except OSError:
    pass
os.access("data.bin", os.R_OK | os.W_OK)
os.access("data.bin", os.F_OK)
os.chmod("data.bin", 0o600)
os.fchmod(fd, 0o644)
os.chown("data.bin", 0, 0)
os.utime("data.bin", (1, 2))
os.truncate("data.bin", 8)
old = os.umask(0o022)
os.umask(old)
os.mkdir("dir", 0o755)
os.rename("dir", "dir2")
os.symlink("data.bin", "link")
os.readlink("link")
os.link("data.bin", "hard")
os.unlink("hard")
os.unlink("link")
os.rmdir("dir2")
os.listdir(".")
os.getcwd()
try:
    os.setxattr("data.bin", "user.zoo", b"value")
    os.getxattr("data.bin", "user.zoo")
except OSError:
    pass
os.statvfs(".")
os.close(fd)

# Memory.
m = mmap.mmap(-1, 8192)
m.madvise(mmap.MADV_DONTNEED)
m.close()
with open("data.bin", "rb") as f:
    mm = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    mm.close()

# Pipes, polling, event fds.
r, w = os.pipe2(os.O_CLOEXEC)
os.write(w, b"ping")
p = select.poll()
p.register(r, select.POLLIN)
p.poll(0)
select.select([r], [w], [], 0)
ep = select.epoll()
ep.register(r, select.EPOLLIN)
ep.poll(0)
ep.unregister(r)
ep.close()
os.read(r, 4)
efd = os.eventfd(3, os.EFD_CLOEXEC | os.EFD_NONBLOCK)
os.eventfd_read(efd)
os.close(efd)
mfd = os.memfd_create("zoo", os.MFD_CLOEXEC)
os.write(mfd, b"memfd")
os.lseek(mfd, 0, os.SEEK_SET)
out = os.open("copy.bin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.sendfile(out, mfd, 0, 5)
os.close(out)
os.close(mfd)
os.close(r)
os.close(w)
try:
    fcntl.ioctl(0, termios.FIONREAD, b"\0\0\0\0")
except OSError:
    pass

# Sockets.
a, b = socket.socketpair()
a.sendall(b"over a socketpair")
b.recv(100)
a.sendmsg([b"msg", b"parts"])
b.recvmsg(100)
a.close()
b.close()
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
port = srv.getsockname()[1]
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
cli.connect(("127.0.0.1", port))
conn, peer = srv.accept()
conn.getpeername()
cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
cli.send(b"Q\0\0\0:SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;\0")
conn.recvfrom(2048)
conn.shutdown(socket.SHUT_RDWR)
conn.close()
cli.close()
srv.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"datagram", ("127.0.0.1", 9))
u.close()
try:
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s6.bind(("::1", 0))
    s6.close()
except OSError:
    pass
un = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    un.connect("/nonexistent/socket")
except OSError:
    pass
un.close()

# Signals and limits.
signal.signal(signal.SIGUSR1, lambda *a: None)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR2})
os.kill(os.getpid(), signal.SIGUSR1)
resource.getrlimit(resource.RLIMIT_NOFILE)
resource.prlimit(0, resource.RLIMIT_CORE, (0, resource.RLIM_INFINITY))
os.sched_getaffinity(0)
os.uname()
os.getrandom(8)
os.getpid(); os.getppid(); os.getuid(); os.geteuid(); os.getgid(); os.getegid(); os.getgroups()

# A child that execs, and the parent waiting for it.
pid = os.fork()
if pid == 0:
    os.execv("/bin/sh", ["sh", "-c", "exit 3"])
os.waitpid(pid, 0)
pid = os.fork()
if pid == 0:
    os._exit(0)
os.wait4(pid, 0)
os.unlink("data.bin")
os.unlink("copy.bin")
