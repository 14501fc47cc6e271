/* Unix stream clients whose server has not accepted yet: strace -yy shows `[client]` until
 * the accept, then `[client->accepted]`. First a tight loop that writes before each accept
 * (with eBPF the reader runs behind: asking the kernel when the record is read named the
 * peer too early); then a server that is not traced (a child, no -f) accepting
 * between two writes of the client. argv[1]: a scratch directory. */
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct sockaddr_un ux = {.sun_family = AF_UNIX};
  snprintf(ux.sun_path, sizeof ux.sun_path, "%s/pending.sock", argv[1]);
  unlink(ux.sun_path);
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  if (bind(l, (void *)&ux, sizeof ux) || listen(l, 64)) return 1;
  char b[4];
  /* Kept open to the end (the exit closes them): a reader that asks the kernel late still
   * finds them. (Closed here, the accepted ones would show no peer in strace once their client
   * is closed: tracer keeps the peer it read, a limit the README states.) */
  int open_fds[200];
  for (int i = 0; i < 100; i++) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(c, (void *)&ux, sizeof ux);
    write(c, "a", 1);
    int s = accept(l, NULL, NULL);
    read(s, b, 1);
    open_fds[2 * i] = c;
    open_fds[2 * i + 1] = s;
  }
  (void)open_fds;
  /* SIGCHLD stays pending: its line would race the wait4 line. */
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int go[2], done[2];
  if (pipe(go) || pipe(done)) return 1;
  pid_t server = fork();
  if (server == 0) {
    read(go[0], b, 1);
    int s = accept(l, NULL, NULL);
    write(done[1], "k", 1);
    while (read(s, b, 1) > 0) {
    }
    _exit(0);
  }
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  connect(c, (void *)&ux, sizeof ux);
  write(c, "a", 1);
  write(go[1], "g", 1);
  read(done[0], b, 1);
  write(c, "b", 1);
  close(c);
  waitpid(server, NULL, 0);
  unlink(ux.sun_path);
  return 0;
}
